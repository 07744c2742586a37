#!/usr/bin/env python3
"""Print the bundle's JSON Schema, generated from the resource descriptions.

    .venv/bin/python scripts/bundle_schema.py > docs/bundle.schema.json

A unit test fails when docs/bundle.schema.json differs from what this prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".build" / "collections"))

from ansible_collections.ccaas.connect.plugins.module_utils._bundle import schema_text  # noqa: E402

if __name__ == "__main__":
    sys.stdout.write(schema_text())
