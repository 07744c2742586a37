# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Passwords for users of CONNECT_MANAGED instances: given, per user, or generated; never echoed.

A password reaches Connect only inside the CreateUser call. It is never part of a plan, a diff,
an item result or a log line; the module marks the options `no_log`, so Ansible masks them too.
Generated passwords are written to one file the user names, mode 0600 from its first byte
(created under a private temporary name, then renamed over the target), and nowhere else.
SAML and directory instances authenticate elsewhere, so their users get no password at all.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import tempfile
from collections.abc import Iterable, Mapping

CONNECT_MANAGED = "CONNECT_MANAGED"
MIN_LENGTH, MAX_LENGTH = 8, 64
GENERATED_LENGTH = 20
# Connect's policy: 8-64 characters with an upper-case letter, a lower-case letter and a digit.
# Symbols are left out of generated ones so the file is safe to paste anywhere.
_ALPHABET = string.ascii_letters + string.digits


class PasswordError(Exception):
    pass


def policy_problem(password: str) -> str | None:
    """Why Connect would refuse this password, or None. Never includes the password itself."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"must be {MIN_LENGTH} to {MAX_LENGTH} characters long"
    if not any(c.isupper() for c in password):
        return "needs an upper-case letter"
    if not any(c.islower() for c in password):
        return "needs a lower-case letter"
    if not any(c.isdigit() for c in password):
        return "needs a digit"
    return None


def generate_password(length: int = GENERATED_LENGTH) -> str:
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _position in range(length))
        if policy_problem(candidate) is None:
            return candidate


def passwords_for(
    usernames: Iterable[str],
    identity_management: str,
    given: Mapping[str, str | None],
    generate: bool,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(password per user to create, generated ones, error per user that cannot be created).

    `usernames` are the users the plan will create; only they need a password.
    """
    if identity_management != CONNECT_MANAGED:
        return {}, {}, {}
    chosen: dict[str, str] = {}
    generated: dict[str, str] = {}
    errors: dict[str, str] = {}
    for username in usernames:
        password = given.get(username)
        if password:
            problem = policy_problem(password)
            if problem:
                errors[username] = f"user {username}: the password given {problem} (Connect's password policy)"
            else:
                chosen[username] = password
        elif generate:
            chosen[username] = generated[username] = generate_password()
        else:
            errors[username] = (
                f"user {username}: a new user of a CONNECT_MANAGED instance needs a password; "
                "set password (or passwords), or generate_passwords with password_file"
            )
    return chosen, generated, errors


def write_password_file(path: str, passwords: Mapping[str, str]) -> None:
    """Merge `passwords` into the JSON file at `path` ({username: password}), mode 0600, atomically.

    Entries already in the file are kept, so a run that resumes an earlier one loses nothing.
    """
    if not passwords:
        return
    path = os.path.abspath(os.path.expanduser(path))
    existing: dict[str, str] = {}
    if os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as handle:
                existing = json.load(handle)
        except (OSError, ValueError) as exc:
            raise PasswordError(f"password_file {path} exists but is not a JSON map of passwords: {exc}") from None
    directory = os.path.dirname(path) or "."
    # mkstemp creates the file 0600, so the passwords are never readable by others, not even briefly.
    descriptor, temporary = tempfile.mkstemp(prefix=".passwords-", dir=directory)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({**existing, **passwords}, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
