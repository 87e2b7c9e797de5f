#!/bin/sh
# Loads the generated exec allowlist into OpenClaw's approvals store (it is not part of openclaw.json),
# then runs the gateway in the foreground under tini.
set -eu
approvals="${CLAWCAGE_EXEC_APPROVALS:?the container sets it to the mounted exec-approvals.json}"
if [ -f "$approvals" ]; then
    openclaw approvals set --file "$approvals" >/dev/null
fi
exec openclaw gateway run
