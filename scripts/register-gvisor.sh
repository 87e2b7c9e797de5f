#!/usr/bin/env bash
# Registers gVisor with dockerd as the runtime `runsc`, the name clawcage's `container.runtime: gvisor` asks for.
# Installs Debian's runsc package when it is missing, adds the runtime to /etc/docker/daemon.json (keeping what is
# there), and makes a running dockerd reload it. Run as root on the engine's host; running it again changes nothing.
#
# Runtime args: the ptrace platform runs without KVM or nested virtualisation; --network=host keeps the network
# namespace Docker made for the container, so Docker's internal networks and their isolation still hold
# (gVisor's own netstack, --network=sandbox, refuses to start in a container engine that already is one).
set -euo pipefail

conf=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
runsc=$(command -v runsc || true)
if [ -z "$runsc" ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q runsc >/dev/null
    runsc=$(command -v runsc)
fi
mkdir -p "$(dirname "$conf")"
[ -s "$conf" ] || echo '{}' > "$conf"
node - "$conf" "$runsc" <<'JS'
const fs = require("fs");
const [file, path] = process.argv.slice(2);
const conf = JSON.parse(fs.readFileSync(file, "utf8"));
const want = { path, runtimeArgs: ["--platform=ptrace", "--network=host"] };
if (JSON.stringify(conf.runtimes?.runsc) === JSON.stringify(want)) process.exit(0);
conf.runtimes = { ...conf.runtimes, runsc: want };
fs.writeFileSync(file, `${JSON.stringify(conf, null, 2)}\n`);
console.log(`registered ${path} as the runtime runsc in ${file}`);
JS
# dockerd reads new runtimes on SIGHUP; one that is not running reads them when it starts.
if [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    kill -HUP "$(cat /var/run/docker.pid)"
    for _ in $(seq 1 20); do docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"' && exit 0; sleep 0.5; done
    echo "dockerd did not load the runtime runsc (see its log)" >&2
    exit 1
fi
