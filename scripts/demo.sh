#!/usr/bin/env bash
# The demo: start the emulator seeded with the demo contact centre on 127.0.0.1, migrate the Sales
# business unit from the demo source (us-east-1) to the demo target (eu-west-2) with playbooks/migrate.yml
# the way a user would against AWS (export, preflight, import, verify, report), print where the
# report is, then stop the emulator. The target lacks the source's sales outbound number, so the demo
# passes the phone mapping file playbooks/files/demo-phone-map.yml.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.venv/bin"
cd "$root"

port=${DEMO_PORT:-$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
log=$(mktemp -t connect-emulator.XXXXXX.log)
"$bin/python" -m connect_emulator serve --host 127.0.0.1 --port "$port" --seed demo --throttle aws >"$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 600); do
    grep -q '^SEEDED ' "$log" && break
    kill -0 "$emulator" 2>/dev/null || { cat "$log"; echo "demo: the emulator stopped before it was ready" >&2; exit 1; }
    sleep 0.1
done
grep -q '^SEEDED ' "$log" || { cat "$log"; echo "demo: the emulator was not ready within 60s" >&2; exit 1; }
grep -v '^SEEDED ' "$log"
seeded=$(grep '^SEEDED ' "$log" | head -1 | cut -d' ' -f2-)
source_alias=$(printf '%s' "$seeded" | "$bin/python" -c 'import json,sys; print(json.load(sys.stdin)["source"]["alias"])')
source_region=$(printf '%s' "$seeded" | "$bin/python" -c 'import json,sys; print(json.load(sys.stdin)["source"]["region"])')
target_alias=$(printf '%s' "$seeded" | "$bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target"]["alias"])')
target_region=$(printf '%s' "$seeded" | "$bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target"]["region"])')
output_dir=${DEMO_OUTPUT_DIR:-output/demo}

export AWS_ENDPOINT_URL_CONNECT="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_DEFAULT_REGION="$source_region"
export ANSIBLE_COLLECTIONS_PATH ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
ANSIBLE_COLLECTIONS_PATH=$(scripts/collection-path.sh)
command=(ansible-playbook playbooks/migrate.yml
    -e "source=$source_alias" -e "source_region=$source_region"
    -e "target=$target_alias" -e "target_region=$target_region"
    -e bu_tag=Sales -e phone_map=playbooks/files/demo-phone-map.yml -e prompt_bucket=acme-connect-prompts-eu
    -e integration_map=playbooks/files/demo-integration-map.yml
    -e "output_dir=$output_dir")
echo
echo "demo: AWS_ENDPOINT_URL_CONNECT=$AWS_ENDPOINT_URL_CONNECT ${command[*]}"
started=$(date +%s)
PATH="$bin:$PATH" "${command[@]}"
report=$(ls -t "$output_dir"/report-*.md | head -1)
echo
echo "demo: migrated in $(( $(date +%s) - started ))s; verify passed"
echo "demo: report $root/$report (and ${report%.md}.html)"
