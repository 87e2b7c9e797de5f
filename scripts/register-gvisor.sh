#!/usr/bin/env bash
# Registers gVisor with dockerd as the runtime `runsc`, the name clawcage's `container.runtime: gvisor` asks for.
# Installs Debian's runsc package when it is missing, adds the runtime to /etc/docker/daemon.json with runsc's own
# installer (keeping what is there), and makes a running dockerd reload it. Run as root on the engine's host;
# running it again changes nothing.
#
# Runtime args: the ptrace platform runs without KVM or nested virtualisation; --network=host keeps the network
# namespace Docker made for the container, so Docker's internal networks and their isolation still hold
# (gVisor's own netstack, --network=sandbox, refuses to start in a container engine that already is one).
set -euo pipefail

conf=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
if ! command -v runsc >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q runsc >/dev/null
fi
mkdir -p "$(dirname "$conf")"
[ -s "$conf" ] || echo '{}' > "$conf"
# gVisor's own installer edits the file: the runtime `runsc`, overwritten if there, every other key kept.
runsc install --config_file "$conf" --runtime runsc -- --platform=ptrace --network=host 2>/dev/null
# dockerd reads new runtimes on SIGHUP; one that is not running reads them when it starts.
if [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    kill -HUP "$(cat /var/run/docker.pid)"
    for _ in $(seq 1 20); do docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"' && exit 0; sleep 0.5; done
    echo "dockerd did not load the runtime runsc (see its log)" >&2
    exit 1
fi
