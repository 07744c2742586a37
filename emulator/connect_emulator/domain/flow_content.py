"""Flow-language content as Amazon checks it when a flow or a flow module is published.

Content must be a JSON object. Published content must also name only what the instance has: every
Amazon Connect ARN in it (queues, flows, modules, users, hours, quick connects, prompts, ...) must be one
of this instance's resources, and every Lambda function and Lex V2 bot alias must be associated with the
instance. A flow copied from another instance whose references were not rewritten fails here, naming
each reference and where it is, as Amazon's `InvalidContactFlowException` carries its `problems`.
Saved (unpublished) content is only required to be JSON: Amazon lets a draft be incomplete.

A flow or module is named by its ID or ARN; `:$SAVED` after it names its saved content. A published
one may have saved content beside its published content (a draft of the next version): updating its
content by the plain ID publishes (and drops the draft), by `ID:$SAVED` saves a draft, unchecked, and
describing `ID:$SAVED` shows the draft, status `SAVED`, where there is one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..errors import ConnectError
from .integrations import LAMBDA_ARN, LEX_V2_ALIAS_ARN
from .store import KIND_BY_SEGMENT, InstanceState

CONNECT_ARN = re.compile(
    r"^arn:aws[a-z-]*:connect:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):instance/(?P<instance>[^/]+)"
    r"(?:/(?P<segment>[a-z-]+)/(?P<rest>.+))?$"
)
# ARN segments of what this emulator keeps in other places than its tables (or not at all): names are
# not checked for them (see the domain README's assumptions).
UNCHECKED_SEGMENTS = frozenset({"task-template", "evaluation-form"})


# Off while a bundle is loaded (from_bundle.load): an export's flows name the resources of the instance it
# was exported from, and are stored as exported.
_CHECK_REFERENCES: ContextVar[bool] = ContextVar("check_flow_references", default=True)


@contextmanager
def references_unchecked() -> Iterator[None]:
    """Store published content without checking what it names, in this context only (loading a bundle)."""
    token = _CHECK_REFERENCES.set(False)
    try:
        yield
    finally:
        _CHECK_REFERENCES.reset(token)


class InvalidContactFlowException(ConnectError):
    code = "InvalidContactFlowException"
    status = 400


SAVED_QUALIFIER = ":$SAVED"


def content_sha256(content: str) -> str:
    """The hash Describe* reports beside a flow's or a module's content."""
    return hashlib.sha256(content.encode()).hexdigest()


def qualified(ref: str) -> tuple[str, bool]:
    """(the item's ID, whether its saved content is named) for an ID or ARN, `:$SAVED` or not."""
    saved = ref.endswith(SAVED_QUALIFIER)
    base = ref[: -len(SAVED_QUALIFIER)] if saved else ref
    return base.rsplit("/", 1)[-1], saved


def viewed(rec: dict[str, Any], saved: bool) -> dict[str, Any]:
    """The record as `ID:$SAVED` shows it (its draft, status SAVED, where it has one), or as it is."""
    if saved and rec.get("SavedContent") is not None:
        return {**rec, "Content": rec["SavedContent"], "Status": "SAVED"}
    return rec


def updated(
    inst: InstanceState,
    rec: dict[str, Any],
    content: str,
    *,
    saved: bool,
    error: type[ConnectError] = InvalidContactFlowException,
    member: str = "problems",
) -> dict[str, Any]:
    """A copy of `rec` with new content: a draft beside a published version (`saved`), else its content,
    checked as published content when it is published (its draft, if any, is then gone)."""
    out = dict(rec)
    if saved and rec["Status"] == "PUBLISHED":
        out["SavedContent"] = checked(inst, content, published=False, error=error, member=member)
    else:
        out["Content"] = checked(inst, content, published=rec["Status"] == "PUBLISHED", error=error, member=member)
        out.pop("SavedContent", None)
    return out


def parsed(content: str, error: type[ConnectError] = InvalidContactFlowException) -> dict[str, Any]:
    """The content as a JSON object, or `error`."""
    try:
        value = json.loads(content)
    except (TypeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise error("The flow content is not valid flow language JSON.")
    return value


def _strings(value: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def problems(inst: InstanceState, document: dict[str, Any]) -> list[str]:
    """What published content names that the instance does not have, each with its JSON path."""
    found: list[str] = []
    for path, text in _strings(document):
        connect = CONNECT_ARN.match(text)
        if connect:
            mine = (connect["region"], connect["account"], connect["instance"])
            if mine != (inst.region, inst.account_id, inst.id):
                found.append(f"{path}: {text} is a resource of another instance")
                continue
            segment, rest = connect["segment"], connect["rest"]
            if segment is None or segment in UNCHECKED_SEGMENTS:
                continue
            if segment == "queue" and rest.startswith("agent/"):
                segment, rest = "agent", rest[len("agent/") :]  # an agent's own queue is its user's
            kind = KIND_BY_SEGMENT.get(segment)
            # A qualifier after the ID (`:$SAVED`, a version) names a version of the same item.
            if kind is not None and inst.get(kind.key, rest.split(":", 1)[0]) is None:
                found.append(f"{path}: {text} does not exist in this instance ({kind.label.lower()})")
        elif LAMBDA_ARN.match(text) and text not in inst.integrations["lambda"]:
            found.append(f"{path}: the Lambda function {text} is not associated with this instance")
        elif LEX_V2_ALIAS_ARN.match(text) and text not in inst.integrations["lex_v2"]:
            found.append(f"{path}: the Lex V2 bot alias {text} is not associated with this instance")
    return found


def checked(
    inst: InstanceState,
    content: str,
    *,
    published: bool,
    error: type[ConnectError] = InvalidContactFlowException,
    member: str = "problems",
) -> str:
    """`content`, if Amazon would accept it: JSON always, and for published content, every reference.

    `member` is where the error shape lists the problems (a flow's `problems`, a module's `Problems`)."""
    document = parsed(content, error)
    if published and _CHECK_REFERENCES.get():
        wrong = problems(inst, document)
        if wrong:
            raise error(
                f"The flow content references {len(wrong)} resource(s) this instance does not have: {wrong[0]}",
                **{member: [{"message": message} for message in wrong]},
            )
    return content
