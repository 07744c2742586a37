"""Make `ansible_collections.ccaas.connect` importable for pytest from a plain checkout.

The collection is the repository root; Python finds it through the link that
scripts/collection-path.sh keeps under .build/collections (created here when missing).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
COLLECTIONS = ROOT / ".build" / "collections"

if not (COLLECTIONS / "ansible_collections" / "ccaas" / "connect").exists():
    subprocess.run([str(ROOT / "scripts" / "collection-path.sh")], check=True, stdout=subprocess.DEVNULL)
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
