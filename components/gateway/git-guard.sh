#!/bin/sh
# git as exec runs it on the gateway (the operator's session, from the git stage on), first on exec's PATH
# (tools.exec.pathPrepend); OpenClaw's own git calls do not come through here. It runs git only where the
# agent cannot have planted the repository: a .git/config in a writable path runs any command through git's
# own config (core.fsmonitor, diff drivers, filters), measured with `git status`; outside the workspace,
# `git diff a b` reads any two files the gateway can read. The container sets both variables.
set -eu
here=$(pwd -P)
inside() { case "$1/" in "$2"/*) return 0 ;; esac; return 1; }
refuse() { echo "clawcage: git does not run in $here: $1" >&2; exit 126; }
inside "$here" "${CLAWCAGE_WORKSPACE:?set by the container}" || refuse "it lies outside the workspace $CLAWCAGE_WORKSPACE"
IFS=:
for writable in ${CLAWCAGE_WRITABLE_PATHS:-}; do
    inside "$here" "$writable" && refuse "the agent can write $writable, where a planted .git/config runs code"
done
exec /usr/bin/git "$@"
