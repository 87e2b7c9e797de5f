#!/usr/bin/env bash
# Records the system calls each container of the deployment really makes while a workload runs (by default the
# runtime proof on runc, which drives every role: chats, the stages' tools, the hostile suite, every check), and
# merges them into components/container/seccomp/recorded.json, the allowlists the containers' profiles are made from.
#
#   bash scripts/record-seccomp.sh                                        # the runtime proof
#   bash scripts/record-seccomp.sh test/e2e/runtime.test.ts --grep "L1"   # any mocha arguments instead
#
# Needs root, Debian's bpftrace and a kernel with BTF (/sys/kernel/btf/vmlinux), on x86_64. The containers must run
# under Docker's default profile while they are recorded (CLAWCAGE_E2E_SECCOMP=docker-default, set here): a call the
# recorded profile denies never reaches the tracepoint. Only calls made under a seccomp filter count, so runc's own
# set-up before it loads the profile is left out and its hand-over to the program (up to execve) is kept.
# Containers are told apart by their host name (the UTS namespace, which `docker exec` joins too) and named by their
# `clawcage.role` label; every other process on the host is ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "record-seccomp: run as root (bpftrace)" >&2; exit 1; }
command -v bpftrace >/dev/null || { echo "record-seccomp: install bpftrace (apt-get install bpftrace)" >&2; exit 1; }

out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

# Each started container: its host name and role.
docker events --filter type=container --filter event=start --format '{{.Actor.ID}}' | while read -r id; do
    docker inspect -f '{{.Config.Hostname}} {{index .Config.Labels "clawcage.role"}}' "$id" 2>/dev/null || true
done >"$out/hosts" &

ulimit -l unlimited 2>/dev/null || true  # bpftrace asks for locked memory; some kernels need none
bpftrace -e 'tracepoint:raw_syscalls:sys_enter /curtask->seccomp.mode == 2/ {
    @[curtask->nsproxy->uts_ns->name.nodename, args->id] = count(); }' >"$out/calls" 2>"$out/bpftrace.err" &
tracer=$!
sleep 5
kill -0 "$tracer" || { cat "$out/bpftrace.err" >&2; exit 1; }

if [ $# -eq 0 ]; then set -- test/e2e/runtime.test.ts; fi
npm run build
CLAWCAGE_E2E_SECCOMP=docker-default npx mocha --no-config --require ts-node/register/transpile-only --extension ts --timeout 1800000 "$@" || echo "record-seccomp: the workload failed; what it ran is recorded all the same" >&2

kill -INT "$tracer"
wait "$tracer" || true
npx ts-node --transpile-only scripts/seccompRecord.ts "$out/calls" "$out/hosts"
echo "record-seccomp: traces kept in $out"
