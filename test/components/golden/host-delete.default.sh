set -euo pipefail
# clawcage host account removal. Safe to run again.
rm -rf '/opt/openclaw/config' '/opt/openclaw/.openclaw' '/opt/openclaw/temp'
for d in '/opt/openclaw/workspace' '/opt/openclaw/logs'; do [ -d "$d" ] && chown -R root:root "$d" && chmod 700 "$d"; done; [ -d '/opt/openclaw' ] && chown root:root '/opt/openclaw' && chmod 700 '/opt/openclaw'; true
id -u 'clawuser' >/dev/null 2>&1 && userdel 'clawuser'
getent group 'openclaw' >/dev/null && groupdel 'openclaw'
true
