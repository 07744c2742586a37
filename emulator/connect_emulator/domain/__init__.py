"""The Amazon Connect domain model: plain Python, no moto.

`ConnectDomain.handle(operation, params, account_id=..., region=...)` takes parameters already
parsed and validated against botocore's input shape and returns the output dict of the
operation's output shape, or raises a `connect_emulator.errors.ConnectError`. Instances are owned
elsewhere (moto); the domain sees them through an `InstanceDirectory` and creates Amazon's default
resources in an instance the first time it is asked about it.
"""

from __future__ import annotations

import threading
from typing import Any

from ..errors import InvalidRequestException, ResourceNotFoundException
from ..instances import InstanceDirectory
from ..objects import MemoryObjectStore, ObjectStore
from . import (  # noqa: F401  (importing a module registers its operations)
    flow_modules,
    flows,
    hierarchy,
    integrations,
    misc,
    overrides,
    phone_numbers,
    prompts,
    queues,
    quick_connects,
    routing,
    security,
    skills,
    tagging,
    users,
    views,
)
from . import quotas as _quotas
from .defaults import seed
from .registry import HANDLERS, Ctx
from .store import InstanceState, PhoneBook

STATE_FORMAT = "connect_emulator.domain/1"


class ConnectDomain:
    OPERATIONS: frozenset[str] = frozenset(HANDLERS)

    def __init__(self, instances: InstanceDirectory, objects: ObjectStore | None = None) -> None:
        self._directory = instances
        self.objects: ObjectStore = objects if objects is not None else MemoryObjectStore()
        # Where GetPromptFile's URLs point: the server that serves `/_emulator/prompt-file/` sets it.
        self.file_url_base = "http://127.0.0.1:4566"
        # One lock for all state: handlers are dict lookups, so holding it briefly is cheaper than
        # reasoning about cross-instance references (phone numbers, tags) under finer locks.
        self._lock = threading.RLock()
        self._instances: dict[str, InstanceState] = {}
        self._phones: dict[str, PhoneBook] = {}

    # --- the API ----------------------------------------------------------------------------------
    def handle(self, operation: str, params: dict[str, Any], *, account_id: str, region: str) -> dict[str, Any]:
        handler = HANDLERS.get(operation)
        if handler is None:
            raise InvalidRequestException(f"{operation} is not served by the emulated Connect domain.")
        with self._lock:
            return handler(Ctx(self, account_id, region), params)

    # --- state ------------------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self._instances.clear()
            self._phones.clear()

    def dump_state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "format": STATE_FORMAT,
                "instances": [inst.to_json() for inst in self._instances.values()],
                "phone_numbers": {
                    key: {
                        "numbers": list(book.numbers.values()),
                        "client_tokens": dict(book.client_tokens),
                        "released": dict(book.released),
                    }
                    for key, book in self._phones.items()
                },
            }

    def load_state(self, state: dict[str, Any]) -> None:
        if not state:  # an emulator that never had a domain dumps nothing for it
            self.reset()
            return
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"Not a domain state of format {STATE_FORMAT}: {state.get('format')!r}")
        instances = {}
        for data in state.get("instances", []):
            inst = InstanceState.from_json(data)
            instances[self._key(inst.account_id, inst.region, inst.id)] = inst
        phones = {}
        for key, data in state.get("phone_numbers", {}).items():
            book = PhoneBook()
            for n in data.get("numbers", []):
                book.numbers[n["Id"]] = n
                book.by_number[n["PhoneNumber"]] = n["Id"]
            book.client_tokens.update(data.get("client_tokens", {}))
            book.released.update(data.get("released", {}))
            phones[key] = book
        with self._lock:
            self._instances = instances
            self._phones = phones

    def prompt_file(self, token: str) -> bytes | None:
        """The audio of the prompt a `GetPromptFile` URL's token names, or None."""
        parts = prompts.token_parts(token)
        if parts is None:
            return None
        account_id, region, instance_id, prompt_id = parts
        with self._lock:
            inst = self._instances.get(self._key(account_id, region, instance_id))
            rec = inst.get(prompts.KIND, prompt_id) if inst is not None else None
            return prompts.audio_of(inst, rec) if inst is not None and rec is not None else None

    # --- quotas -----------------------------------------------------------------------------------
    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None:
        with self._lock:
            inst = self._instance(account_id, region, instance_id)
            inst.quota_overrides[_quotas.canonical(quota_name)] = int(value)

    def get_quota(self, account_id: str, region: str, instance_id: str, quota_name: str) -> int:
        with self._lock:
            inst = self._instance(account_id, region, instance_id)
            return _quotas.limit(inst.quota_overrides, _quotas.canonical(quota_name))

    # --- internals used by handlers ---------------------------------------------------------------
    @staticmethod
    def _key(account_id: str, region: str, instance_id: str) -> str:
        return f"{account_id}/{region}/{instance_id}"

    def _instance(self, account_id: str, region: str, instance_id: str) -> InstanceState:
        info = self._directory.get(account_id, region, instance_id)
        if info is None:
            raise ResourceNotFoundException(f"Instance not found: {instance_id}")
        key = self._key(account_id, region, info.id)
        inst = self._instances.get(key)
        if inst is None:
            inst = InstanceState(
                id=info.id,
                arn=info.arn,
                account_id=account_id,
                region=region,
                identity_management_type=info.identity_management_type,
            )
            seed(inst, self._phonebook(account_id, region))
            self._instances[key] = inst
        return inst

    def _phonebook(self, account_id: str, region: str) -> PhoneBook:
        key = f"{account_id}/{region}"
        book = self._phones.get(key)
        if book is None:
            book = self._phones[key] = PhoneBook()
        return book


__all__ = ["ConnectDomain"]
