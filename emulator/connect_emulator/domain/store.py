"""The per-instance store every resource type shares.

Records are plain JSON-able dicts keyed by Amazon's member names (`Id`, `Arn`, `Name`, `Tags`, ...);
timestamps are epoch floats until a renderer turns them into datetimes, so `dump_state` is a
`json.dumps` away. Each type is described once (`Kind`): its ARN segment, the member that must be
unique, its quota, what it references and which referrers stop it from being deleted. Uniqueness,
references, in-use checks, tags and quotas are enforced here, once, for all of them.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import (
    DuplicateResourceException,
    InvalidParameterException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from . import quotas

Record = dict[str, Any]
Ref = tuple[str, str]  # (kind, id)

MAX_TAGS = 50


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> float:
    return time.time()


def to_datetime(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)


def _list(value: Any) -> list:
    return list(value) if value else []


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # for messages: "User", "Queue", ...
    arn_segment: str
    name_field: str
    quota: str | None
    refs: Callable[[Record], Iterable[Ref]] = lambda rec: ()
    in_use_by: tuple[str, ...] = ()  # referrer kinds that make a delete fail with ResourceInUseException


def _user_refs(rec: Record) -> Iterable[Ref]:
    yield ("routing-profile", rec["RoutingProfileId"])
    for sp in rec.get("SecurityProfileIds", ()):
        yield ("security-profile", sp)
    if rec.get("HierarchyGroupId"):
        yield ("hierarchy-group", rec["HierarchyGroupId"])
    for name in dict.fromkeys(p["AttributeName"] for p in rec.get("Proficiencies", ())):
        yield ("predefined-attribute", name)


def _routing_profile_refs(rec: Record) -> Iterable[Ref]:
    seen = {rec["DefaultOutboundQueueId"]}
    seen.update(c["QueueId"] for c in rec.get("QueueConfigs", ()))
    seen.update(c["QueueId"] for c in rec.get("ManualAssignmentQueueConfigs", ()))
    return [("queue", q) for q in seen]


def _queue_refs(rec: Record) -> Iterable[Ref]:
    if rec.get("HoursOfOperationId"):
        yield ("hours", rec["HoursOfOperationId"])
    for qc in rec.get("QuickConnectIds", ()):
        yield ("quick-connect", qc)
    flow = (rec.get("OutboundCallerConfig") or {}).get("OutboundFlowId")
    if flow:
        yield ("contact-flow", flow)


def _quick_connect_refs(rec: Record) -> Iterable[Ref]:
    cfg = rec["QuickConnectConfig"]
    for sub, member, kind in (
        ("UserConfig", "UserId", "user"),
        ("QueueConfig", "QueueId", "queue"),
        ("UserConfig", "ContactFlowId", "contact-flow"),
        ("QueueConfig", "ContactFlowId", "contact-flow"),
        ("FlowConfig", "ContactFlowId", "contact-flow"),
    ):
        value = (cfg.get(sub) or {}).get(member)
        if value:
            yield (kind, value)


def _hours_refs(rec: Record) -> Iterable[Ref]:
    return [("hours", p) for p in rec.get("ParentIds", ())]


def _group_refs(rec: Record) -> Iterable[Ref]:
    return [("hierarchy-group", rec["ParentId"])] if rec.get("ParentId") else []


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("user", "User", "agent", "Username", "users", _user_refs),
        Kind("routing-profile", "Routing profile", "routing-profile", "Name", "routing_profiles",
             _routing_profile_refs, in_use_by=("user",)),
        Kind("security-profile", "Security profile", "security-profile", "SecurityProfileName",
             "security_profiles", in_use_by=("user",)),
        Kind("queue", "Queue", "queue", "Name", "queues", _queue_refs, in_use_by=("routing-profile",)),
        Kind("quick-connect", "Quick connect", "transfer-destination", "Name", "quick_connects",
             _quick_connect_refs),
        Kind("hours", "Hours of operation", "operating-hours", "Name", "hours_of_operation", _hours_refs,
             in_use_by=("queue", "hours")),
        Kind("hierarchy-group", "Hierarchy group", "agent-group", "Name", "hierarchy_groups", _group_refs,
             in_use_by=("user", "hierarchy-group")),
        Kind("contact-flow", "Contact flow", "contact-flow", "Name", "contact_flows"),
        Kind("contact-flow-module", "Contact flow module", "flow-module", "Name", "flow_modules"),
        Kind("agent-status", "Agent status", "agent-state", "Name", "agent_statuses"),
        Kind("prompt", "Prompt", "prompt", "Name", "prompts"),
        # Named, not numbered (the name is its ID), with no ARN in the API: no segment, so nothing tags it.
        Kind("predefined-attribute", "Predefined attribute", "", "Name", "predefined_attributes",
             in_use_by=("user",)),
        # Customer-managed views (views.py); Amazon's quotas page lists no per-instance quota for them.
        Kind("view", "View", "view", "Name", None),
    )
}  # fmt: skip

KIND_BY_SEGMENT = {k.arn_segment: k for k in KINDS.values() if k.arn_segment}


class Table:
    """One resource type in one instance: records by id (creation order) and ids by unique name."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.items: dict[str, Record] = {}
        self.by_name: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.items)

    def values(self) -> list[Record]:
        return list(self.items.values())

    def get(self, rid: str | None) -> Record | None:
        return self.items.get(rid) if rid else None

    def id_for_name(self, name: str) -> str | None:
        return self.by_name.get(name)

    def check_name_free(self, name: str, exclude_id: str | None = None) -> None:
        owner = self.by_name.get(name)
        if owner is not None and owner != exclude_id:
            raise DuplicateResourceException(f"{self.kind.label} with name {name!r} already exists.")


def tags_checked(current: dict[str, str] | None, adding: dict[str, str] | None) -> dict[str, str]:
    """The tags after adding `adding` to `current`; `aws:` keys and more than 50 tags are refused."""
    merged = dict(current or {})
    for key, value in (adding or {}).items():
        if key.lower().startswith("aws:"):
            raise InvalidParameterException(f"Tag keys starting with 'aws:' are reserved: {key!r}")
        merged[key] = value
    if len(merged) > MAX_TAGS:
        raise InvalidParameterException(f"A resource can have at most {MAX_TAGS} tags.")
    return merged


class InstanceState:
    """Everything the domain keeps for one Connect instance."""

    def __init__(self, *, id: str, arn: str, account_id: str, region: str, identity_management_type: str) -> None:
        self.id = id
        self.arn = arn
        self.account_id = account_id
        self.region = region
        self.identity_management_type = identity_management_type
        self.tables: dict[str, Table] = {key: Table(kind) for key, kind in KINDS.items()}
        # target "kind/id" -> referrer kind -> {referrer id: count}: in-use checks and counts without scans
        self.refs: dict[str, dict[str, dict[str, int]]] = {}
        self.hierarchy_levels: dict[str, Record] = {}  # "1".."5" -> {"Name", "LastModifiedTime"}
        self.quota_overrides: dict[str, int] = {}
        # Associations (integrations.py): Lambda function ARNs, Lex V1 bots {Name, LexRegion}, Lex V2 alias ARNs.
        self.integrations: dict[str, list[Any]] = {"lambda": [], "lex_v1": [], "lex_v2": []}
        self.integration_tokens: dict[str, list[Any]] = {}  # ClientToken -> [list, value] it associated
        self.module_tokens: dict[str, dict[str, str]] = {}  # ClientToken -> the flow module it created, and how
        self.view_tokens: dict[str, dict[str, str]] = {}  # ClientToken -> the view it created, and how (views.py)
        # Prompt audio by its SHA-256 (prompts.py): base64, so a state dump keeps the files themselves.
        self.audio: dict[str, str] = {}

    # --- identity -------------------------------------------------------------------------------
    def arn_for(self, kind: str, rid: str) -> str:
        return f"{self.arn}/{KINDS[kind].arn_segment}/{rid}"

    def agent_queue_arn(self, user_id: str) -> str:
        return f"{self.arn}/queue/agent/{user_id}"

    # --- reads ----------------------------------------------------------------------------------
    def table(self, kind: str) -> Table:
        return self.tables[kind]

    def get(self, kind: str, rid: str | None) -> Record | None:
        return self.tables[kind].get(rid)

    def require(self, kind: str, rid: str | None, what: str | None = None) -> Record:
        rec = self.tables[kind].get(rid)
        if rec is None:
            label = what or KINDS[kind].label
            raise ResourceNotFoundException(f"{label} not found for id {rid!r} in instance {self.id}.")
        return rec

    def referrers(self, kind: str, rid: str, of_kind: str) -> list[str]:
        return list(self.refs.get(f"{kind}/{rid}", {}).get(of_kind, {}))

    def referrer_count(self, kind: str, rid: str, of_kind: str) -> int:
        return len(self.refs.get(f"{kind}/{rid}", {}).get(of_kind, {}))

    # --- writes ---------------------------------------------------------------------------------
    def add(self, kind: str, rec: Record, *, quota_error: type | None = None, rid: str | None = None) -> Record:
        """Store a new record: quota, unique name, then id, ARN, timestamp and references."""
        k = KINDS[kind]
        table = self.tables[kind]
        if k.quota:
            if quota_error is None:
                quotas.check(self.quota_overrides, k.quota, len(table))
            else:
                quotas.check(self.quota_overrides, k.quota, len(table), error=quota_error)
        name = rec[k.name_field]
        table.check_name_free(name)
        rid = rid or new_id()
        rec["Id"] = rid
        rec["Arn"] = self.arn_for(kind, rid)
        rec.setdefault("Tags", {})
        rec["LastModifiedTime"] = rec["CreatedTime"] = now()
        rec["LastModifiedRegion"] = self.region
        table.items[rid] = rec
        table.by_name[name] = rid
        self._link(kind, rid, k.refs(rec))
        return rec

    def replace(self, kind: str, rid: str, new: Record, *, touch: bool = True) -> Record:
        """Swap a record for its updated copy, keeping the name index and references in step."""
        k = KINDS[kind]
        table = self.tables[kind]
        old = table.items[rid]
        old_name, new_name = old[k.name_field], new[k.name_field]
        if old_name != new_name:
            table.check_name_free(new_name, exclude_id=rid)
            del table.by_name[old_name]
            table.by_name[new_name] = rid
        old_refs, new_refs = list(k.refs(old)), list(k.refs(new))
        if old_refs != new_refs:
            self._unlink(kind, rid, old_refs)
            self._link(kind, rid, new_refs)
        if touch:
            new["LastModifiedTime"] = now()
            new["LastModifiedRegion"] = self.region
        table.items[rid] = new
        return new

    def check_deletable(self, kind: str, rid: str) -> None:
        k = KINDS[kind]
        by_kind = self.refs.get(f"{kind}/{rid}", {})
        for ref_kind in k.in_use_by:
            ref_ids = by_kind.get(ref_kind)
            if not ref_ids:
                continue
            ref_id = next(iter(ref_ids))
            # The model's ResourceInUseException names the referrer (ResourceType where its enum has one).
            fields = {"ResourceId": self.arn_for(ref_kind, ref_id)}
            resource_type = {"user": "USER", "hierarchy-group": "HIERARCHY_GROUP"}.get(ref_kind)
            if resource_type:
                fields["ResourceType"] = resource_type
            raise ResourceInUseException(
                f"{k.label} {rid} is in use by {KINDS[ref_kind].label.lower()} {ref_id} and cannot be deleted.",
                **fields,
            )

    def remove(self, kind: str, rid: str) -> Record:
        k = KINDS[kind]
        self.check_deletable(kind, rid)
        table = self.tables[kind]
        rec = table.items.pop(rid)
        table.by_name.pop(rec[k.name_field], None)
        self._unlink(kind, rid, k.refs(rec))
        return rec

    def _link(self, kind: str, rid: str, targets: Iterable[Ref]) -> None:
        for tkind, tid in targets:
            ids = self.refs.setdefault(f"{tkind}/{tid}", {}).setdefault(kind, {})
            ids[rid] = ids.get(rid, 0) + 1

    def _unlink(self, kind: str, rid: str, targets: Iterable[Ref]) -> None:
        for tkind, tid in targets:
            key = f"{tkind}/{tid}"
            by_kind = self.refs.get(key)
            ids = by_kind.get(kind) if by_kind else None
            if by_kind is None or not ids or rid not in ids:
                continue
            ids[rid] -= 1
            if ids[rid] <= 0:
                del ids[rid]
            if not ids:
                del by_kind[kind]
            if not by_kind:
                del self.refs[key]

    # --- persistence ----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "arn": self.arn,
            "account_id": self.account_id,
            "region": self.region,
            "identity_management_type": self.identity_management_type,
            "hierarchy_levels": self.hierarchy_levels,
            "quota_overrides": self.quota_overrides,
            "integrations": self.integrations,
            "integration_tokens": self.integration_tokens,
            "module_tokens": self.module_tokens,
            "view_tokens": self.view_tokens,
            "audio": self.audio,
            "tables": {key: list(t.items.values()) for key, t in self.tables.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InstanceState:
        inst = cls(
            id=data["id"],
            arn=data["arn"],
            account_id=data["account_id"],
            region=data["region"],
            identity_management_type=data["identity_management_type"],
        )
        inst.hierarchy_levels = dict(data.get("hierarchy_levels", {}))
        inst.quota_overrides = {k: int(v) for k, v in data.get("quota_overrides", {}).items()}
        saved = data.get("integrations") or {}
        inst.integrations = {kind: list(saved.get(kind) or []) for kind in inst.integrations}
        inst.integration_tokens = dict(data.get("integration_tokens") or {})
        inst.module_tokens = dict(data.get("module_tokens") or {})
        inst.view_tokens = dict(data.get("view_tokens") or {})
        inst.audio = dict(data.get("audio") or {})
        for key, records in data.get("tables", {}).items():
            table, kind = inst.tables[key], KINDS[key]
            for rec in records:
                table.items[rec["Id"]] = rec
                table.by_name[rec[kind.name_field]] = rec["Id"]
                inst._link(key, rec["Id"], kind.refs(rec))
        return inst


# --- pagination ---------------------------------------------------------------------------------
def _encode_token(op: str, offset: int) -> str:
    raw = json.dumps({"op": op, "offset": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(op: str, token: str | None) -> int:
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if data["op"] != op or not isinstance(data["offset"], int) or data["offset"] < 0:
            raise ValueError
        return data["offset"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidParameterException("The NextToken is not valid for this request.") from None


def paginate(items: Sequence[Any], params: dict[str, Any], op: str, maximum: int, default: int = 100):
    """(page, next_token) for offset paging: tokens are opaque to callers and bound to one operation."""
    size = params.get("MaxResults") or default
    if size < 1 or size > maximum:
        raise InvalidParameterException(f"MaxResults must be between 1 and {maximum}.")
    start = _decode_token(op, params.get("NextToken"))
    end = start + size
    return list(items[start:end]), (_encode_token(op, end) if end < len(items) else None)


def compact(d: dict[str, Any]) -> dict[str, Any]:
    """Drop absent optionals: None values and empty tag maps (TagMap has a minimum of one entry)."""
    return {k: v for k, v in d.items() if v is not None and not (k == "Tags" and not v)}


def copy_list(value: Any) -> list:
    return [dict(x) if isinstance(x, dict) else x for x in _list(value)]


@dataclass
class PhoneBook:
    """Phone numbers belong to the account and region (their ARNs have no instance)."""

    numbers: dict[str, Record] = field(default_factory=dict)
    by_number: dict[str, str] = field(default_factory=dict)
    client_tokens: dict[str, str] = field(default_factory=dict)
    # E.164 -> when it was released: in its cooldown it is neither offered nor claimable (phone_numbers.py).
    released: dict[str, float] = field(default_factory=dict)
