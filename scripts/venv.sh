#!/usr/bin/env bash
# Build (or refresh) the project's virtual environment in .venv from requirements.txt and
# constraints.txt, on the best Python this machine has: a 3.12+ interpreter (PATH or pyenv) runs
# ansible-core 2.21; otherwise Python 3.11 runs ansible-core 2.19 (markers in requirements.txt).
# PYTHON=/path/to/python forces an interpreter. A stamp file makes a second run a no-op unless the requirement files changed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

pick_python() {
    if [ -n "${PYTHON:-}" ]; then command -v "$PYTHON"; return; fi  # an explicit choice wins
    local candidate
    for candidate in python3.13 python3.12; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import venv, ensurepip' 2>/dev/null; then
            command -v "$candidate"; return
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        local version
        for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]\.[0-9]+$' | sort -rV); do
            if [ -x "$(pyenv prefix "$version")/bin/python" ]; then
                echo "$(pyenv prefix "$version")/bin/python"; return
            fi
        done
    fi
    command -v python3
}

stamp="$VENV/.requirements.sha256"
want=$(cat requirements.txt constraints.txt emulator/pyproject.toml 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
    py=$(pick_python)
    echo "venv: creating $VENV with $py ($("$py" --version))"
    "$py" -m venv "$VENV"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV/bin/python" -m pip install --quiet --upgrade 'pip>=24'
"$VENV/bin/python" -m pip install --quiet -r requirements.txt -c constraints.txt
"$VENV/bin/python" -m pip install --quiet --no-deps -e emulator
echo "$want" > "$stamp"
echo "venv: ready ($("$VENV/bin/ansible" --version | head -1))"
