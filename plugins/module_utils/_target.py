# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The target instance, as the planner, preflight, verify and rollback read it: the one instance
reader (_reader.py) under the name its callers know it by."""

from __future__ import annotations

from ._reader import Reader as Target
from ._reader import title_of

__all__ = ["Target", "title_of"]
