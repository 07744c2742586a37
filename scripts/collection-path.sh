#!/usr/bin/env bash
# Make the working tree loadable as the collection ccaas.connect: Ansible and Python look for
# collections at <path>/ansible_collections/<namespace>/<name>, so .build/collections holds a link
# named ccaas/connect to the repository root. Prints the collections path to use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.build/collections/ansible_collections/ccaas"
mkdir -p "$dir"
[ -L "$dir/connect" ] || ln -sfn "$root" "$dir/connect"
echo "$root/.build/collections"
