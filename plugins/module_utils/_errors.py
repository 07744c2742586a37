# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one base of every error the collection raises on purpose.

An error that stops a task carries what the task's result should say besides its message (a lease's
holder, a bundle's problems), so the module shell (_shell.py) turns any of them into one `fail_json`
without knowing its type. Errors not derived from it (a KeyError, an AttributeError) are bugs and
are left to show their traceback.
"""

from __future__ import annotations

from typing import Any


class CcaasError(Exception):
    """An error with a message for the operator and the result fields a failed task returns with it."""

    def __init__(self, msg: str, **result: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.result: dict[str, Any] = result
