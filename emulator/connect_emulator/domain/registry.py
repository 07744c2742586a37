"""The operation table: each domain module registers its handlers here with `@operation`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import ConnectDomain
    from .store import InstanceState, PhoneBook

Handler = Callable[["Ctx", dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if name in HANDLERS:
            raise RuntimeError(f"operation {name} registered twice")
        HANDLERS[name] = fn
        return fn

    return register


@dataclass
class Ctx:
    """What a handler may touch for one call: the domain, and the caller's account and region."""

    domain: ConnectDomain
    account_id: str
    region: str

    def instance(self, params: dict[str, Any]) -> InstanceState:
        return self.domain._instance(self.account_id, self.region, params["InstanceId"])

    def instance_by_id(self, instance_id: str) -> InstanceState:
        return self.domain._instance(self.account_id, self.region, instance_id)

    @property
    def phones(self) -> PhoneBook:
        return self.domain._phonebook(self.account_id, self.region)
