set -euo pipefail
# clawcage host account (guide layer 2). Safe to run again.
getent group 'openclaw' >/dev/null || groupadd --system --gid 10001 'openclaw'
id -u 'clawuser' >/dev/null 2>&1 || useradd --system --uid 10001 --gid 'openclaw' --home-dir '/opt/openclaw' --no-create-home --shell /usr/sbin/nologin 'clawuser'
[ "$(id -u 'clawuser')" = 10001 ] || { echo "user clawuser exists with another uid; containers run as 10001: fix host.uid or the account" >&2; exit 1; }
# No password login: the account only runs containers.
usermod --lock 'clawuser'
install -d -o 'clawuser' -g 'openclaw' -m 750 '/opt/openclaw'  # home of the service account; nobody else lists it
install -d -o 'clawuser' -g 'openclaw' -m 755 '/opt/openclaw/workspace'  # the agent's workspace (guide: 755)
install -d -o 'clawuser' -g 'openclaw' -m 700 '/opt/openclaw/config'  # configuration: readable by the service account alone
install -d -o 'clawuser' -g 'openclaw' -m 700 '/opt/openclaw/config/gateway'  # openclaw.json, mounted read-only
install -d -o 'clawuser' -g 'openclaw' -m 700 '/opt/openclaw/config/egress'  # squid.conf and the model keys, mounted read-only into the egress proxy alone
install -d -o 'clawuser' -g 'openclaw' -m 700 '/opt/openclaw/config/ingress'  # haproxy.cfg, the token digests and the TLS key, mounted read-only
install -d -o 'clawuser' -g 'openclaw' -m 700 '/opt/openclaw/config/sandbox'  # sshd_config and the sandbox host's keys, mounted read-only into it alone
install -d -o 'clawuser' -g 'openclaw' -m 700 '/opt/openclaw/.openclaw'  # ~/.openclaw: sessions and the audit ledger
install -d -o 'clawuser' -g 'openclaw' -m 750 '/opt/openclaw/logs'  # logs: the group may read, only the service writes
install -d -o 'clawuser' -g 'openclaw' -m 750 '/opt/openclaw/logs/gateway'  # gateway JSON log
install -d -o 'clawuser' -g 'openclaw' -m 750 '/opt/openclaw/logs/gateway/audit'  # the audit plugin's record of every tool call, read by the alert watcher
install -d -o 'clawuser' -g 'openclaw' -m 750 '/opt/openclaw/logs/egress'  # proxy access log (audit of network requests)
install -d -o 'clawuser' -g 'openclaw' -m 700 '/opt/openclaw/temp'  # scratch space of the service account
# Generated files (each written by its own step): a re-run restores their owner and mode. A symlink
# planted in their place is left alone, so root never hands over or opens up what it points to.
restore() { if [ -f "$1" ] && [ ! -L "$1" ]; then chown 'clawuser':'openclaw' "$1" && chmod "$2" "$1"; fi; }
restore '/opt/openclaw/config/gateway/openclaw.json' 600  # openclaw.json
restore '/opt/openclaw/config/gateway/gateway.token' 600  # the gateway's own secret
restore '/opt/openclaw/config/gateway/exec-approvals.json' 600  # the exec approvals
restore '/opt/openclaw/config/gateway/model-key.placeholder' 600  # the model key placeholder (no key)
restore '/opt/openclaw/config/gateway/sandbox-client.key' 600  # the gateway's key for the sandbox host
restore '/opt/openclaw/config/gateway/sandbox-known-hosts' 600  # the sandbox host's pinned key
restore '/opt/openclaw/config/sandbox/sshd_config' 600  # the sandbox host's sshd_config
restore '/opt/openclaw/config/sandbox/ssh_host_ed25519_key' 600  # the sandbox host's ssh_host_ed25519_key
restore '/opt/openclaw/config/sandbox/authorized_keys' 600  # the sandbox host's authorized_keys
restore '/opt/openclaw/config/permissions.json' 600  # the permissions in force
restore '/opt/openclaw/config/egress/squid.conf' 600  # squid.conf
restore '/opt/openclaw/config/egress/model-keys.conf' 600  # the model providers' keys
restore '/opt/openclaw/config/ingress/haproxy.cfg' 600  # haproxy.cfg
restore '/opt/openclaw/config/ingress/tokens.map' 600  # digests of the client tokens
restore '/opt/openclaw/config/ingress/ingress.pem' 600  # the endpoint's TLS certificate and key
# Other credential files: the service account alone may read them.
find '/opt/openclaw' -xdev -type f \( -name '*.token' -o -name '*credentials*' \) -exec chmod 600 {} +
