"""Offline stand-in for the get-pip.py that ansible-test bootstraps its virtual environments with.

ansible-test creates each sanity-test venv without pip, then runs a get-pip.py that it downloads
from ci-files.testing.ansible.com and caches as ~/.ansible/test/cache/get_pip_<version>.py. That
host is unreachable here, so scripts/ansible-test.sh places this file in the cache instead, with
the pip wheel ansible-test asks for beside it (downloaded from PyPI by the project's own pip, in
the caller's environment). Like get-pip.py it needs no network and no pip: it runs pip straight
from that wheel to install the wheel itself (ansible-test passes e.g. `pip==24.2 --no-setuptools
--no-wheel`). Doing the download outside matters: ansible-test runs this with a trimmed
environment, where proxy and certificate settings such as PIP_CERT may be missing.
"""

import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}  # get-pip.py flags that plain pip does not know


def main() -> None:
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    versions = [arg.split("==", 1)[1] for arg in args if arg.startswith("pip==")]
    pattern = f"pip-{versions[0]}-*.whl" if versions else "pip-*.whl"
    wheels = sorted(glob.glob(os.path.join(HERE, pattern)))
    if not wheels:
        sys.exit(f"get_pip_offline: no {pattern} in {HERE}; scripts/ansible-test.sh downloads it")
    wheel = wheels[-1]
    pip = os.path.join(wheel, "pip")  # a pip wheel runs from its own path (pip's bootstrap idiom)
    subprocess.check_call([sys.executable, pip, "install", "--quiet", "--no-index", "--find-links", HERE, *args])


if __name__ == "__main__":
    main()
