"""Print (NUL-separated) the files of the collection as `ansible-galaxy collection build` would ship them.

The files git knows of in the working tree, tracked or new and not ignored, less those matched by
galaxy.yml's `build_ignore` (a pattern matching a directory keeps out everything beneath it).
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from pathlib import Path

import yaml


def collection_files(root: Path) -> list[str]:
    patterns = yaml.safe_load((root / "galaxy.yml").read_text()).get("build_ignore", [])
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True, capture_output=True
    ).stdout.decode()

    def ignored(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)

    return [path for path in listed.split("\0") if path and not ignored(path) and (root / path).is_file()]


if __name__ == "__main__":
    sys.stdout.write("\0".join(collection_files(Path(sys.argv[1]))))
