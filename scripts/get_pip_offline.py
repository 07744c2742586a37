"""Offline stand-in for the get-pip.py that ansible-test bootstraps its virtual environments with.

ansible-test creates each sanity-test venv without pip, then runs a get-pip.py that it downloads
from ci-files.testing.ansible.com and caches as ~/.ansible/test/cache/get_pip_<version>.py. That
host is unreachable here, so scripts/ansible-test.sh places this file in the cache instead. It does
what get-pip.py does with the arguments ansible-test passes (e.g. `pip==25.2 --no-setuptools
--no-wheel`): bootstrap pip from the wheel bundled with Python (ensurepip, no network), then let
that pip install the exact pip version asked for from the package index.
"""

import ensurepip
import subprocess
import sys

GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}  # get-pip.py flags that plain pip does not know


def main() -> None:
    ensurepip.bootstrap(default_pip=True)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *args])


if __name__ == "__main__":
    main()
