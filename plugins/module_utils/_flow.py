# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What flow language names, and the same content naming another instance's resources.

A contact flow or a flow module holds flow language: JSON whose action `Parameters` and whose
`Metadata` name other resources by ARN (a queue, a prompt, a flow, a Lambda function, a Lex V2 bot
alias) or by bare ID (a flow module's `FlowModuleId`, some metadata). Nothing in the language says
which strings are references, so every string value is looked at, whole:
- an ARN of the instance's own resources (`…:instance/ID/queue/QID`, followed or not by a qualifier
  such as `:$SAVED`), or of a claimed phone number (`…:phone-number/ID`);
- a Lambda function's or a Lex V2 bot alias's ARN;
- a bare ID that is the ID of a resource the export read.
The export lists each as a reference (`{arn, type, name}`: the source ARN, the bundle type and the
item's identity); the import turns each into the target's ARN or ID and rewrites the content with
them (`rewrite`), and finds what is left of the source instance (`leftovers`). Content is compared
as parsed JSON (`same_content`), so formatting and key order never cause a write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

CONNECT_ARN = re.compile(
    r"^(?P<instance>arn:aws[a-z-]*:connect:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):instance/(?P<instance_id>[^/:]+))"
    r"/(?P<segment>[a-z-]+(?:/agent)?)/(?P<id>[^/:]+)(?P<qualifier>:.*)?$"
)
PHONE_NUMBER_ARN = re.compile(
    r"^arn:aws[a-z-]*:connect:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):phone-number/(?P<id>[^/:]+)(?P<qualifier>:.*)?$"
)
LAMBDA_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):function:(?P<name>[^:]+(?::[^:]+)?)$"
)
LEX_V2_ALIAS_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):lex:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):bot-alias/(?P<name>[0-9A-Z]{10}/[0-9A-Z]{10})$"
)
INSTANCE_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):connect:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):instance/(?P<id>[^/:]+)$"
)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# ARN path segment (after the instance) -> the bundle type it names. `queue/agent` is a user's own queue:
# it follows its user.
SEGMENT_TYPES: dict[str, str] = {
    "queue": "queues",
    "queue/agent": "users",
    "operating-hours": "hours_of_operations",
    "contact-flow": "contact_flows",
    "flow-module": "contact_flow_modules",
    "prompt": "prompts",
    "agent": "users",
    "transfer-destination": "quick_connects",
    "routing-profile": "routing_profiles",
    "agent-state": "agent_statuses",
    "security-profile": "security_profiles",
    "agent-group": "user_hierarchy_groups",
    "view": "views",
}
# The types a reference may name, beyond the instance's own: a claimed number, and the integrations.
EXTERNAL_TYPES = ("phone_numbers", "lambda_functions", "lex_bots")
REFERENCE_TYPES: tuple[str, ...] = (*dict.fromkeys(SEGMENT_TYPES.values()), *EXTERNAL_TYPES)

# What a flow or module is created with before its own content can be written (its references may
# name items created after it, itself included): the smallest valid flow, which names nothing.
STUB_CONTENT = json.dumps(
    {
        "Version": "2019-10-30",
        "StartAction": "ccaas-connect-stub",
        "Actions": [
            {"Identifier": "ccaas-connect-stub", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
        ],
    },
    separators=(",", ":"),
)


@dataclass(frozen=True)
class Found:
    """One string of the content that names a resource."""

    path: str  # JSON path in the content
    value: str  # the string as it is
    type: str  # bundle type key
    id: str  # the resource's ID (Connect), or its ARN (Lambda, Lex)
    arn: str  # the resource's ARN without a qualifier (a bare ID: the ARN the caller gives for it)


def parse(content: Any) -> Any:
    """The content as JSON, or None when it is not JSON (a draft Amazon accepted as it is)."""
    if not isinstance(content, str):
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def strings(value: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(JSON path, text) of every string value in a document, depth first."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")


def base_of(text: str) -> tuple[str, str]:
    """(an ARN or ID without its qualifier, the qualifier: '' or e.g. ':$SAVED')."""
    for pattern in (CONNECT_ARN, PHONE_NUMBER_ARN):
        match = pattern.match(text)
        if match and match["qualifier"]:
            return text[: -len(match["qualifier"])], match["qualifier"]
    return text, ""


def scan(document: Any, instance_arn: str | None, bare_id_type: Callable[[str], str | None]) -> list[Found]:
    """Every string of `document` that names a resource: ARNs of the instance `instance_arn` (any
    instance's when None), claimed numbers, Lambda functions and Lex V2 aliases, and bare IDs that
    `bare_id_type` knows (it returns the type of the ID, or None)."""
    found: list[Found] = []
    for path, text in strings(document):
        connect = CONNECT_ARN.match(text)
        if connect:
            kind = SEGMENT_TYPES.get(connect["segment"])
            if kind is not None and (instance_arn is None or connect["instance"] == instance_arn):
                found.append(Found(path, text, kind, connect["id"], base_of(text)[0]))
            continue
        phone = PHONE_NUMBER_ARN.match(text)
        if phone:
            found.append(Found(path, text, "phone_numbers", phone["id"], base_of(text)[0]))
        elif LAMBDA_ARN.match(text):
            found.append(Found(path, text, "lambda_functions", text, text))
        elif LEX_V2_ALIAS_ARN.match(text):
            found.append(Found(path, text, "lex_bots", text, text))
        elif UUID.match(text):
            kind = bare_id_type(text)
            if kind is not None:
                found.append(Found(path, text, kind, text, text))
    return found


def uncarried(document: Any, instance_arn: str | None) -> list[tuple[str, str]]:
    """(JSON path, text) of each ARN of the instance whose kind no bundle type carries (a task template, a
    view): the import cannot map it, so the export says so."""
    out = []
    for path, text in strings(document):
        connect = CONNECT_ARN.match(text)
        if connect and connect["segment"] not in SEGMENT_TYPES and connect["instance"] == instance_arn:
            out.append((path, text))
    return out


def leftovers(document: Any, target_instance_arn: str | None, written: set[str]) -> list[tuple[str, str]]:
    """(JSON path, text) of what, in rewritten content, names something the rewrite did not put there
    (`written`: the table's values): an ARN of another instance (any instance when the target's is not
    known), a claimed number's, a Lambda function's or a Lex V2 alias's."""
    out = []
    for path, text in strings(document):
        base = base_of(text)[0]
        if base in written:
            continue
        connect = CONNECT_ARN.match(text)
        if connect:
            if connect["instance"] != target_instance_arn:
                out.append((path, text))
        elif PHONE_NUMBER_ARN.match(text) or LAMBDA_ARN.match(text) or LEX_V2_ALIAS_ARN.match(text):
            out.append((path, text))
    return out


def rewrite(document: Any, table: Mapping[str, str]) -> Any:
    """The document with every string the table maps (whole, or an ARN before its qualifier) replaced."""
    if isinstance(document, str):
        if document in table:
            return table[document]
        base, qualifier = base_of(document)
        return table[base] + qualifier if qualifier and base in table else document
    if isinstance(document, Mapping):
        return {key: rewrite(value, table) for key, value in document.items()}
    if isinstance(document, list):
        return [rewrite(value, table) for value in document]
    return document


def _changes(before: Any, after: Any, out: dict[str, str]) -> dict[str, str]:
    """The strings `rewrite` replaced: each value of `before` that differs in `after`, by its old text."""
    if isinstance(before, str):
        if before != after:
            out[before] = after
    elif isinstance(before, Mapping):
        for key, value in before.items():
            _changes(value, after[key], out)
    elif isinstance(before, list):
        for value, new in zip(before, after, strict=True):
            _changes(value, new, out)
    return out


def rewritten_text(text: str, document: Any, rewritten: Any) -> str:
    """`text` (which parses to `document`) saying `rewritten`: each replaced string edited in place, so the
    content keeps its author's formatting, key order and escapes; compact JSON where editing in place would
    say something else (a replaced string that is also a key, or spelt with escapes)."""
    changes = _changes(document, rewritten, {})
    if not changes:
        return text
    encoded = {json.dumps(old, ensure_ascii=False): json.dumps(new, ensure_ascii=False) for old, new in changes.items()}
    pattern = re.compile("|".join(re.escape(old) for old in sorted(encoded, key=len, reverse=True)))
    edited = pattern.sub(lambda found: encoded[found.group(0)], text)
    return edited if parse(edited) == rewritten else dumps(rewritten)


def dumps(document: Any) -> str:
    """Content as the import writes it."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def same_content(one: Any, other: Any) -> bool:
    """Whether two contents say the same: equal as JSON (as text when either is not JSON)."""
    first, second = parse(one), parse(other)
    if first is None or second is None:
        return one == other
    return bool(first == second)


def action_at(document: Any, path: str) -> str:
    """The action a JSON path is in, for messages: `action 'Identifier' (Type)`, or the path itself."""
    match = re.match(r"^\$\.Actions\[(\d+)\]", path)
    if match and isinstance(document, Mapping):
        actions = document.get("Actions")
        index = int(match[1])
        if isinstance(actions, list) and index < len(actions) and isinstance(actions[index], Mapping):
            action = actions[index]
            return f"action '{action.get('Identifier')}' ({action.get('Type')})"
    match = re.match(r"^\$\.Metadata\.ActionMetadata\.([^.\[]+)", path)
    if match:
        return f"action '{match[1]}' (metadata)"
    return path


def action_naming(document: Any, arn: str) -> str:
    """The first action whose content names `arn` (as an ARN, qualified or not, or as its bare ID), for messages."""
    bare = source_id(arn)
    for path, text in strings(document):
        if base_of(text)[0] in (arn, bare):
            return action_at(document, path)
    return "its content"


def target_arn(source_arn: str, target_record_arn: str) -> str:
    """The target's ARN for what `source_arn` names, given the target item's own ARN: the same, except
    for a user's own queue (`…/queue/agent/ID`), which is named after its user."""
    match = CONNECT_ARN.match(source_arn)
    if match and match["segment"] == "queue/agent":
        user = CONNECT_ARN.match(target_record_arn)
        if user:
            return f"{user['instance']}/queue/agent/{user['id']}"
    return target_record_arn


def source_id(source_arn: str) -> str | None:
    """The bare ID an ARN of the source names (which content may hold instead of the ARN)."""
    match = CONNECT_ARN.match(source_arn) or PHONE_NUMBER_ARN.match(source_arn)
    return match["id"] if match else None


def lambda_target_arn(name: str, target_instance_arn: str) -> str | None:
    """The ARN a function of that name has in the target instance's account and region."""
    instance = INSTANCE_ARN.match(target_instance_arn or "")
    if not instance:
        return None
    return f"arn:{instance['partition']}:lambda:{instance['region']}:{instance['account']}:function:{name}"


def same_place(arn: str, target_instance_arn: str) -> bool:
    """Whether an ARN (Lambda, Lex) is in the target instance's account and region."""
    instance = INSTANCE_ARN.match(target_instance_arn or "")
    other = LAMBDA_ARN.match(arn) or LEX_V2_ALIAS_ARN.match(arn)
    return bool(instance and other and (instance["region"], instance["account"]) == (other["region"], other["account"]))
