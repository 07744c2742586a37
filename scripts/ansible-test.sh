#!/usr/bin/env bash
# Run `ansible-test` (sanity by default) on a copy of the collection laid out as ansible-test
# requires: .build/ansible-test/ansible_collections/ccaas/connect, with amazon.aws (from the
# `ansible` package in .venv) beside it as a sibling collection.
# Usage: scripts/ansible-test.sh [ansible-test arguments...]   (default: sanity)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
python="$venv/bin/python"
pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
base="$root/.build/ansible-test/ansible_collections"
dest="$base/ccaas/connect"

# ansible-test resolves the real path of its working directory, so a symlinked tree is not
# enough: copy the collection's content, i.e. the files git knows (tracked, or new and not
# ignored) less what galaxy.yml's build_ignore keeps out of the built collection.
rm -rf "$dest" && mkdir -p "$dest" "$base/amazon"
"$python" "$root/scripts/collection_files.py" "$root" | (cd "$root" && xargs -0 cp --parents -t "$dest")
aws_src=$("$python" -c 'import ansible_collections.amazon.aws as m, os; print(os.path.dirname(m.__file__) if m.__file__ else list(m.__path__)[0])')
ln -sfn "$aws_src" "$base/amazon/aws"
# The copy sits inside this repository's ignored .build/, where ansible-test (which asks git for
# the file list) would see no files at all: make the copy a repository of its own.
git -C "$dest" init -q && git -C "$dest" add -A

# ansible-test downloads its pip bootstrap script from a host this machine cannot reach; give
# it the offline stand-in under the cache name it looks for (left alone if a real one is there),
# with the pip wheel it will ask for beside it, fetched from PyPI here where pip's settings apply.
pip_version=$(grep -Eo "pip='[0-9.]+'" "$("$python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | head -1 | cut -d"'" -f2)
cache_dir="$HOME/.ansible/test/cache"
cache="$cache_dir/get_pip_${pip_version//./_}.py"
mkdir -p "$cache_dir"
if [ ! -s "$cache" ] || grep -q "Offline stand-in for the get-pip.py" "$cache"; then
    cp "$root/scripts/get_pip_offline.py" "$cache"
    compgen -G "$cache_dir/pip-$pip_version-*.whl" >/dev/null ||
        "$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$cache_dir" "pip==$pip_version"
fi

cd "$dest"
if [ $# -eq 0 ]; then set -- sanity; fi
command=$1; shift
if [ "$command" = sanity ]; then
    set -- sanity --python "$pyver" --color no "$@"
else
    set -- "$command" "$@"
fi
PATH="$venv/bin:$PATH" exec "$venv/bin/ansible-test" "$@"
