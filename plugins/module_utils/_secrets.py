# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Passwords for users of CONNECT_MANAGED instances: given, per user, or generated; never echoed.

A password reaches Connect only inside the CreateUser call. It is never part of a plan, a diff,
an item result or a log line; the module marks the options `no_log`, so Ansible masks them too.
Generated passwords are written to one file the user names, mode 0600 from its first byte
(created under a private temporary name, then renamed over the target), and nowhere else.
SAML and directory instances authenticate elsewhere, so their users get no password at all.

A user's password must be on disk before the CreateUser that sets it is sent: a process killed
mid-task would otherwise leave users in Connect whose passwords nobody knows, and the rerun finds
them existing and never writes one. So each password goes first into a write-ahead journal beside
the file (`<file>.journal`, 0600, one fsynced O_APPEND JSON line per password), and the journal is
folded into the file's map when the task ends, or when the next task using the file starts. A
password whose CreateUser was answered with an error at its only attempt is dropped again: that
user was not created. Anything else is kept, since the user may exist.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import string
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ._errors import CcaasError
from ._executor import ApplyError
from ._files import sync_directory, write_private

CONNECT_MANAGED = "CONNECT_MANAGED"
MIN_LENGTH, MAX_LENGTH = 8, 64
GENERATED_LENGTH = 20
# Connect's policy: 8-64 characters with an upper-case letter, a lower-case letter and a digit.
# Symbols are left out of generated ones so the file is safe to paste anywhere.
_ALPHABET = string.ascii_letters + string.digits


class PasswordError(CcaasError):
    """The password file or its journal cannot be used; nothing is created without it."""


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
    on_record: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(password per user to create, generated ones, error per user that cannot be created).

    `usernames` are the users the plan will create; only they need a password. `on_record` is what
    the password file already holds: a user it names gets that password again instead of a new one,
    because an earlier, interrupted run may have sent it already (the file must hold the one in use).
    """
    on_record = on_record or {}
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
            kept = on_record.get(username)
            fresh = kept if isinstance(kept, str) and policy_problem(kept) is None else generate_password()
            chosen[username] = generated[username] = fresh
        else:
            errors[username] = (
                f"user {username}: a new user of a CONNECT_MANAGED instance needs a password; "
                "set password (or passwords), or generate_passwords with password_file"
            )
    return chosen, generated, errors


JOURNAL_SUFFIX = ".journal"
# A duplicate username means an earlier attempt of the same call may have created the user.
_NOT_A_REFUSAL = ("DuplicateResourceException",)


def journal_path(path: str) -> str:
    return os.path.abspath(os.path.expanduser(path)) + JOURNAL_SUFFIX


def refused_outright(exc: BaseException) -> bool:
    """Whether a CreateUser error proves the user was not created: one attempt only, answered 4xx.

    After a retry an earlier attempt may have reached Connect (a timeout is retried too), and a 5xx or
    a connection error says nothing about what Connect did; those passwords are kept.
    """
    response = getattr(exc, "response", None)
    if not isinstance(response, Mapping):
        return False
    meta = response.get("ResponseMetadata") or {}
    status = meta.get("HTTPStatusCode") or 0
    code = (response.get("Error") or {}).get("Code")
    return 400 <= status < 500 and not meta.get("RetryAttempts") and code not in _NOT_A_REFUSAL


class PasswordFile:
    """The password file (a JSON map, 0600) and its write-ahead journal; shared by threads and processes.

    `record()` puts one password on disk before its CreateUser is sent; `compact()` folds the journal
    into the map. Both lock the journal with flock (shared to append, exclusive to fold), so a task in
    another process appending to the same file never loses a line to a fold.
    """

    def __init__(self, path: str) -> None:
        self.path = os.path.abspath(os.path.expanduser(path))
        self.journal = self.path + JOURNAL_SUFFIX
        self.directory = os.path.dirname(self.path) or "."
        self._lock = threading.Lock()

    def record(self, username: str, password: str) -> None:
        """Journal a password; returns only once it is on disk. Call it before sending the CreateUser."""
        self._append({"user": username, "password": password})

    def forget(self, username: str) -> None:
        """Journal that the password of `username` sets nothing (its CreateUser was refused outright)."""
        self._append({"user": username, "drop": True})

    def read(self) -> dict[str, str]:
        """The map on record, journal included, without writing anything (check mode)."""
        passwords = self._read_map()
        with contextlib.suppress(FileNotFoundError), open(self.journal, "rb") as handle:
            _apply(passwords, handle.read(), self.journal)
        return passwords

    def compact(self) -> dict[str, str]:
        """Fold the journal into the map (atomic rewrite, 0600), remove the journal; return the map.

        A journal that cannot be read whole stops here with nothing rewritten, so the journal and the
        map never disagree silently: PasswordError names the file.
        """
        try:
            with self._locked(fcntl.LOCK_EX, create=False) as fd:
                passwords = self._read_map()
                if fd is None:
                    if os.path.exists(self.path) and os.stat(self.path).st_mode & 0o077:
                        os.chmod(self.path, 0o600)  # the file promised 0600 is 0600, whoever made it first
                    return passwords
                content = b""
                while chunk := os.read(fd, 1 << 16):
                    content += chunk
                _apply(passwords, content, self.journal)
                if content or os.path.exists(self.path):
                    self._write_map(passwords)
                os.unlink(self.journal)
                sync_directory(self.directory)
                return passwords
        except OSError as exc:
            raise PasswordError(f"password_file {self.path}: {exc}; its journal {self.journal} is kept") from None

    def _append(self, entry: Mapping[str, Any]) -> None:
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock, self._locked(fcntl.LOCK_SH, create=True) as fd:
            if fd is None:  # cannot happen with create=True; keeps the type checker and the line honest
                raise OSError(f"{self.journal} could not be opened")
            # One write() per line: lines of parallel writers never interleave, a kill leaves whole ones.
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(f"wrote {written} of {len(line)} bytes to {self.journal}")
            os.fsync(fd)

    @contextlib.contextmanager
    def _locked(self, operation: int, create: bool) -> Iterator[int | None]:
        """The journal open and flocked; None when it does not exist and `create` is false.

        A fold removes the journal under its lock, so after locking, the descriptor must still be the
        file at the path: otherwise it is a removed one and the open is retried.
        """
        flags = os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | (os.O_CREAT if create else 0)
        while True:
            try:
                fd = os.open(self.journal, flags, 0o600)
            except FileNotFoundError:
                if create:
                    raise
                yield None
                return
            try:
                fcntl.flock(fd, operation)
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(self.journal, follow_symlinks=False))
                except FileNotFoundError:
                    same = False
                if same:
                    info = os.fstat(fd)
                    if info.st_mode & 0o077:  # left by someone else, or by an older version: private first
                        os.fchmod(fd, 0o600)
                    if create and info.st_size == 0:
                        sync_directory(self.directory)  # the new journal's name survives a crash too
                    yield fd
                    return
            finally:
                os.close(fd)

    def _read_map(self) -> dict[str, str]:
        return _read_map(self.path)

    def _write_map(self, passwords: Mapping[str, str]) -> None:
        # Private from the first byte and whole or not at all; the rename also takes the place of a file
        # that was less private.
        write_private(self.path, json.dumps(dict(passwords), indent=2, sort_keys=True) + "\n")


class JournalingClient:
    """The Connect client, with each CreateUser's password journaled before the call is sent.

    Only `journaled` users' passwords (the generated ones) go to the journal. A user created with a
    given password whose old generated one the file still holds has that entry dropped first: the file
    must never name a password that is not the user's. Everything else passes through untouched.
    """

    def __init__(self, client: Any, store: PasswordFile, journaled: Mapping[str, str], on_record: Iterable[str]):
        self._client = client
        self._store = store
        self._journaled = dict(journaled)
        self._on_record = set(on_record)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def create_user(self, **params: Any) -> Any:
        # As the caller passed them: botocore validates the call's parameters when it is sent.
        username: Any = params.get("Username")
        password: Any = params.get("Password")
        ours = password is not None and self._journaled.get(username) == password
        try:
            if ours:
                self._store.record(username, password)
            elif username in self._on_record:
                self._store.forget(username)
        except (OSError, PasswordError) as exc:
            raise ApplyError(f"not sent: the password could not be journaled in {self._store.journal}: {exc}") from None
        try:
            return self._client.create_user(**params)
        except Exception as exc:
            if ours and refused_outright(exc):
                with contextlib.suppress(OSError):  # not dropped: kept, which is the safe side
                    self._store.forget(username)
            raise


def _read_map(path: str) -> dict[str, str]:
    if not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            existing = json.load(handle)
    except (OSError, ValueError) as exc:
        raise PasswordError(f"password_file {path} exists but is not a JSON map of passwords: {exc}") from None
    if not isinstance(existing, dict) or not all(isinstance(v, str) for v in existing.values()):
        raise PasswordError(f"password_file {path} exists but is not a JSON map of passwords")
    return existing


def _apply(passwords: dict[str, str], content: bytes, journal: str) -> None:
    """Replay journal lines onto the map, in the order written.

    A last line without its newline is a write() a kill cut short: the CreateUser it preceded was never
    sent, so it is left out. Any other line that is not a journal entry stops the fold.
    """
    lines = content.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or number == len(lines):  # after the last newline: empty, or a torn write
            continue
        try:
            entry = json.loads(raw)
            username = entry["user"]
        except (ValueError, KeyError, TypeError):
            raise PasswordError(
                f"{journal} line {number} is not a password journal entry; nothing was folded"
            ) from None
        if entry.get("drop"):
            passwords.pop(username, None)
        elif isinstance(entry.get("password"), str):
            passwords[username] = entry["password"]
        else:
            raise PasswordError(f"{journal} line {number} is not a password journal entry; nothing was folded")


def write_password_file(path: str, passwords: Mapping[str, str]) -> None:
    """Merge `passwords` into the JSON file at `path` ({username: password}), mode 0600, atomically.

    Entries already in the file are kept, so a run that resumes an earlier one loses nothing.
    """
    if not passwords:
        return
    store = PasswordFile(path)
    _read_map(store.path)  # a file that is not a password map is left alone, before anything is journaled
    for username, password in passwords.items():
        store.record(username, password)
    store.compact()
