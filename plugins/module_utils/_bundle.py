# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bundle: the portable JSON document an export writes and an import reads.

Its JSON Schema is generated from the resource descriptions (`_resources`), so the schema cannot drift
from what the export writes; `docs/bundle.schema.json` is the same schema as a file, for editors and
other tools, and a unit test keeps the two equal. `validate_bundle` checks a document against the
schema and then checks what a schema cannot: that every reference names an item in the bundle and that
identities are unique. Every problem is reported with its JSON path.
"""

from __future__ import annotations

import hashlib
import json
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ansible_collections.ccaas.connect.plugins.module_utils._codec import references
from ansible_collections.ccaas.connect.plugins.module_utils._errors import CcaasError
from ansible_collections.ccaas.connect.plugins.module_utils._files import write_private
from ansible_collections.ccaas.connect.plugins.module_utils._resources import (
    AWS_RESERVED_TAG_PREFIX,
    E164,
    HIERARCHY_LEVELS,
    HIERARCHY_PATH_SEPARATOR,
    RESOURCE_TYPES,
    TYPE_OF_SECTION,
    Field,
    ResourceType,
    type_of,
)

try:
    import jsonschema

    HAS_JSONSCHEMA = True
except ImportError:
    HAS_JSONSCHEMA = False

try:
    from botocore.loaders import Loader

    HAS_BOTOCORE = True
except ImportError:
    HAS_BOTOCORE = False

FORMAT_VERSION = 1
# UTC, to the second: `2026-11-25T14:30:00Z`.
TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"
IDENTITY_MANAGEMENT_TYPES = ("CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY")
# An AWS region name (us-east-1, us-gov-west-1, ap-southeast-4): anything else cannot be a Connect region.
REGION = r"^[a-z]{2}(-[a-z]+)+-[0-9]+$"
# A refusal lists this many problems at most; the count of the others follows them.
MAX_PROBLEMS = 50


class MissingJsonSchema(CcaasError):
    """jsonschema is not installed on the controller."""

    def __init__(self) -> None:
        super().__init__(
            "validating a bundle needs the Python library jsonschema on the controller: pip install jsonschema"
        )


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # JSON path, e.g. $.resources.users[3].routing_profile
    message: str
    # The item the path lies in, as a person names it: "user 'jdoe'"; empty outside resources.
    item: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def describe(self) -> str:
        return f"{self.item}: {self.path}: {self.message}" if self.item else str(self)


class BundleError(CcaasError):
    """A bundle that cannot be used; `problems` lists every problem found (the message shows the first
    MAX_PROBLEMS, each naming its item and JSON path, and counts the rest)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_path_order)
        shown = [f"  {p.describe()}" for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(f"  ... and {len(self.problems) - MAX_PROBLEMS} more problem(s)")
        count = len(self.problems)
        message = f"invalid bundle ({count} problem{'s' if count != 1 else ''}):\n" + "\n".join(shown)
        super().__init__(message, problems=[p.describe() for p in self.problems])


# ---------------------------------------------------------------------------------------------------
# Schema, from the resource descriptions
# ---------------------------------------------------------------------------------------------------


# The constraints of Connect's API (lengths, ranges, enums, patterns, list and map sizes) come from
# botocore's own service model, the one the SDK validates with: derived, never copied by hand, so a
# bundle is refused for what Amazon would refuse, before the first call.


def _whole_number(value: Any) -> bool:
    """An int that is not a bool (JSON's true is not the number 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


@cache  # botocore's Connect model is a 2 MB JSON file: read once per process, not once per shape
def _connect_model() -> dict[str, Any]:
    if not HAS_BOTOCORE:
        return {"shapes": {}, "operations": {}}
    return Loader().load_service_model("connect", "service-2")


def _shape(name: str | None) -> dict[str, Any]:
    return _connect_model()["shapes"].get(name or "", {})


def _input_shapes(rtype: ResourceType) -> tuple[str, ...]:
    """The request shapes that carry a type's fields: its Create* first, then its Update* calls."""
    operations = _connect_model()["operations"]
    apis = [rtype.write.create_api, *(u.api for u in rtype.write.updates)]
    return tuple(operations[a]["input"]["shape"] for a in apis if a in operations)


def _member_shape(structures: tuple[str, ...], api: str) -> str | None:
    for name in structures:
        member = _shape(name).get("members", {}).get(api)
        if member:
            return member["shape"]
    return None


def _usable_pattern(pattern: str) -> str | None:
    # The model's patterns are Java regexes: keep those Python's `re` reads the same way. `\\p{..}`
    # classes do not compile; a doubled backslash is an escaping slip in the model (it would demand a
    # literal backslash, refusing every good value), so such patterns are left to Amazon.
    if "\\\\" in pattern or pattern.startswith("/"):
        return None
    try:
        re.compile(pattern)
    except re.error:
        return None
    return pattern


def _api_constraints(shape_name: str | None) -> dict[str, Any]:
    """JSON Schema keywords for one botocore shape's own constraints (not its members')."""
    shape = _shape(shape_name)
    kind = shape.get("type")
    out: dict[str, Any] = {}
    if kind == "string":
        if "min" in shape:
            out["minLength"] = shape["min"]
        if "max" in shape:
            out["maxLength"] = shape["max"]
        if shape.get("enum"):
            out["enum"] = list(shape["enum"])
        pattern = _usable_pattern(shape.get("pattern", ""))
        if pattern and pattern != ".*":
            out["pattern"] = pattern
    elif kind in ("integer", "long", "float", "double"):
        if "min" in shape:
            out["minimum"] = shape["min"]
        if "max" in shape:
            out["maximum"] = shape["max"]
    elif kind == "list":
        if "min" in shape:
            out["minItems"] = shape["min"]
        if "max" in shape:
            out["maxItems"] = shape["max"]
    elif kind == "map" and "max" in shape:
        out["maxProperties"] = shape["max"]
    return out


def _list_member(shape_name: str | None) -> str | None:
    shape = _shape(shape_name)
    return shape.get("member", {}).get("shape") if shape.get("type") == "list" else None


def _tags_schema(shape_name: str | None = None) -> dict[str, Any]:
    shape = _shape(shape_name)
    key = {"minLength": 1, "maxLength": 128, **_api_constraints(shape.get("key", {}).get("shape"))}
    key.pop("pattern", None)
    value = {"type": "string", "maxLength": 256, **_api_constraints(shape.get("value", {}).get("shape"))}
    value.pop("pattern", None)
    schema: dict[str, Any] = {
        "type": "object",
        "description": f"Tags, without AWS-reserved '{AWS_RESERVED_TAG_PREFIX}' keys (in any case).",
        # Amazon reserves the prefix whatever its case (AWS:, Aws:).
        "propertyNames": {**key, "not": {"pattern": f"(?i)^{AWS_RESERVED_TAG_PREFIX}"}},
        "additionalProperties": value,
        "maxProperties": 50,
    }
    schema.update({k: v for k, v in _api_constraints(shape_name).items() if k == "maxProperties"})
    return schema


def _reference_schema(ref: str) -> dict[str, Any]:
    target = RESOURCE_TYPES[ref]
    schema: dict[str, Any] = {
        "type": "string",
        "minLength": 1,
        "description": f"The {target.title}'s {target.identity_key}.",
    }
    if ref == "phone_numbers":
        schema["pattern"] = E164
    return schema


def _scalar_schema(f: Field, shape_name: str | None) -> dict[str, Any]:
    if f.tags:
        return _tags_schema(shape_name)
    if f.ref:
        # The API holds an ID there; the bundle holds a name, so the ID's constraints do not apply.
        return _reference_schema(f.ref)
    if f.sub:
        return _object_schema(f.sub, structures=(shape_name,) if shape_name else ())
    if f.type == "object":
        # A map of strings (a security profile's access-control tags); resource tags are `tags` above.
        schema: dict[str, Any] = {
            "type": "object",
            "propertyNames": {"minLength": 1},
            "additionalProperties": {"type": "string"},
        }
        schema.update(_api_constraints(shape_name))
        return schema
    schema = {"type": f.type}
    if f.type == "string" and f.required:
        schema["minLength"] = 1
    if f.type == "integer":
        schema["minimum"] = 0
    if f.pattern:
        schema["pattern"] = f.pattern
    api = _api_constraints(shape_name) if f.type in ("string", "integer", "number") else {}
    if f.enum or "pattern" in schema:
        # The description's own enum or pattern is the bundle's rule (it may be narrower than the model's).
        api.pop("enum", None)
        api.pop("pattern", None)
    schema.update(api)
    if f.enum:
        schema["enum"] = list(f.enum)
    return schema


def _field_schema(f: Field, shape_name: str | None = None) -> dict[str, Any]:
    if f.many:
        one = _scalar_schema(f, _list_member(shape_name))
        schema: dict[str, Any] = {"type": "array", "items": one, **({"uniqueItems": True} if f.ref else {})}
        schema.update(_api_constraints(shape_name) if _shape(shape_name).get("type") == "list" else {})
        return schema
    return _scalar_schema(f, shape_name)


def _object_schema(
    fields: tuple[Field, ...], extra: dict[str, Any] | None = None, structures: tuple[str, ...] = ()
) -> dict[str, Any]:
    properties = {f.key: _field_schema(f, _member_shape(structures, f.api)) for f in fields}
    properties.update(extra or {})
    required = [f.key for f in fields if f.required]
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _item_schema(rtype: ResourceType) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    required_extra: list[str] = []
    if rtype.identity_key not in {f.key for f in rtype.fields}:
        extra[rtype.identity_key] = {"type": "string", "minLength": 1}
        required_extra.append(rtype.identity_key)
    structures = _input_shapes(rtype)
    for sub in rtype.sublists:
        if sub.ref:
            entry = _reference_schema(sub.ref)
        elif sub.fields:
            entry = _object_schema(
                sub.fields, structures=tuple(filter(None, [_list_member(_member_shape(structures, sub.member or ""))]))
            )
        else:
            entry = {"type": "string", "minLength": 1}
        extra[sub.key] = {"type": "array", "items": entry, **({"uniqueItems": True} if not sub.fields else {})}
    for lk in rtype.lookups:
        extra[lk.key] = _reference_schema(lk.ref)
    if rtype.write.secret_key:
        # A hand-made bundle may give a new user's password (connect_user's per-item `password`): write-only,
        # never exported, and masked wherever Ansible might print it.
        extra[rtype.write.secret_key] = {"type": "string", "minLength": 1, "maxLength": 64}
    schema = _object_schema(rtype.fields, extra, structures)
    schema["required"] = required_extra + schema.get("required", [])
    schema["title"] = rtype.title
    return schema


def bundle_schema() -> dict[str, Any]:
    """The bundle's JSON Schema (draft 2020-12)."""
    resources: dict[str, Any] = {}
    for rtype in RESOURCE_TYPES.values():
        items = {"type": "array", "items": _item_schema(rtype)}
        if rtype.section_entries is None:
            resources[rtype.bundle_key] = items
            continue
        properties = {rtype.section_entries: items}
        if rtype.section_structure is not None:
            properties[rtype.section_structure] = SECTION_STRUCTURES[rtype.section_structure]
        resources[rtype.bundle_key] = {
            "type": "object",
            "additionalProperties": False,
            "required": sorted(properties),
            "properties": properties,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ccaas.connect/bundle/v{FORMAT_VERSION}.schema.json",
        "title": "ccaas.connect bundle",
        "description": "Amazon Connect configuration exported by ccaas.connect.connect_info: every reference is a "
        "name, never an ID or ARN.",
        "type": "object",
        "additionalProperties": False,
        "required": ["format_version", "source", "exported_at", "resources"],
        "properties": {
            "format_version": {"const": FORMAT_VERSION},
            "source": {
                "type": "object",
                "additionalProperties": False,
                "required": ["region", "instance_alias"],
                "properties": {
                    "region": {"type": "string", "pattern": "^[a-z]{2}(-[a-z]+)+-[0-9]+$"},
                    "instance_alias": {"type": "string", "minLength": 1},
                    "identity_management_type": {"enum": list(IDENTITY_MANAGEMENT_TYPES)},
                    "instance_arn": {
                        "type": "string",
                        "pattern": "^arn:aws[a-z-]*:connect:[a-z0-9-]+:[0-9]{12}:instance/[^/]+$",
                        "description": "The exported instance: flow content names its resources by ARNs under it.",
                    },
                },
            },
            "exported_at": {"type": "string", "pattern": TIMESTAMP},
            "mapped_onto": {
                "type": "string",
                "description": "Set in the bundle a preflight writes for the import (mapped_bundle): the target "
                "instance its references were mapped onto; they may name the target's own items (instance "
                "defaults, flows, numbers), so they need not be in the bundle.",
            },
            "assumed_numbers": {
                "type": "array",
                "items": {"type": "string", "pattern": E164},
                "description": "Set in the bundle a preflight writes in a dry run with claim_phone_numbers: the "
                "source numbers the run will claim a number for, named as they are until then; a dry run of the "
                "import takes them as the target's.",
            },
            "selection": {
                "type": "object",
                "description": "What the export was asked for: the filters, the items they matched, and the "
                "items brought in because something selected refers to them.",
                "additionalProperties": False,
                "properties": {
                    "filters": {"type": "object"},
                    "matched": {"$ref": "#/$defs/names_by_type"},
                    "dependencies": {"$ref": "#/$defs/names_by_type"},
                    "omitted": {
                        "type": "object",
                        "description": "Members the export left out on purpose (users' contact details with "
                        "user_contact_details=false), per section: the bundle keys and how many items lose them. "
                        "The preflight and the report name them in their first lines.",
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["fields", "items"],
                            "properties": {
                                "fields": {"type": "array", "items": {"type": "string"}},
                                "items": {"type": "integer", "minimum": 0},
                            },
                        },
                    },
                },
            },
            "resources": {"type": "object", "additionalProperties": False, "properties": resources},
        },
        "$defs": {
            "names_by_type": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            }
        },
    }


# ---------------------------------------------------------------------------------------------------
# Making and writing
# ---------------------------------------------------------------------------------------------------


def make_bundle(
    resources: dict[str, Any],
    *,
    region: str,
    instance_alias: str,
    exported_at: str,
    identity_management_type: str | None = None,
    selection: dict[str, Any] | None = None,
    instance_arn: str | None = None,
) -> dict[str, Any]:
    source: dict[str, Any] = {"region": region, "instance_alias": instance_alias}
    if identity_management_type:
        source["identity_management_type"] = identity_management_type
    if instance_arn:
        source["instance_arn"] = instance_arn
    bundle: dict[str, Any] = {"format_version": FORMAT_VERSION, "source": source, "exported_at": exported_at}
    if selection is not None:
        bundle["selection"] = selection
    bundle["resources"] = resources
    return bundle


def omissions(bundle: Mapping[str, Any]) -> list[str]:
    """What a bundle's export left out on purpose (selection.omitted), one line per section, for the first
    lines of a preflight and a report: how many items lose which members."""
    omitted = (bundle.get("selection") or {}).get("omitted") or {}
    lines = []
    for section, entry in sorted(omitted.items()):
        rtype = type_of(section) if section in TYPE_OF_SECTION else None
        title = f"{rtype.title}(s)" if rtype else section
        fields = ", ".join(entry.get("fields") or [])
        lines.append(
            f"{entry.get('items', 0)} {title} lose {fields}: the export left them out (user_contact_details=false), "
            "so the target does not get them and verify does not check them"
        )
    return lines


def dumps(bundle: dict[str, Any]) -> str:
    """The bundle as it is written to disk: stable key order and indentation, so exports diff well in git."""
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------------
# Loading and validating
# ---------------------------------------------------------------------------------------------------


def load_bundle(source: str | bytes | Path | dict[str, Any], *, mapped: bool = False) -> dict[str, Any]:
    """A validated bundle from a path, JSON text or a parsed document; raises BundleError listing every problem.

    The one door every module takes a bundle through. With `mapped`, a dictionary that is not a bundle
    document (no `format_version`, no `resources`) is the resources of one whose references an import
    already replaced with the target's (what it hands to verify): the same schema and checks apply,
    references aside, and it comes back as `{"resources": ...}`. A path to a bundle is read by
    `load_bundle_file`, which validates the same bytes once.
    """
    if isinstance(source, Path) and not mapped:
        return load_bundle_file(source)
    if isinstance(source, dict):
        document: Any = source
    elif isinstance(source, (str, bytes, Path)):
        try:
            text = source.read_text("utf-8") if isinstance(source, Path) else source
        except (OSError, UnicodeDecodeError) as exc:
            where = source if isinstance(source, Path) else "the bundle"
            raise BundleError([Problem("$", f"cannot read {where}: {exc}")]) from exc
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise BundleError([Problem("$", f"not JSON: {exc}")]) from exc
    else:
        raise BundleError([Problem("$", "a bundle is a path, JSON text or a JSON object")])
    if mapped and isinstance(document, dict) and not ({"format_version", "resources"} & document.keys()):
        problems = validate_resources(document, references=False)
        if problems:
            raise BundleError(problems)
        return {"resources": document}
    problems = validate_bundle(document)
    if problems:
        raise BundleError(problems)
    return document


def load_bundle_file(path: Path) -> dict[str, Any]:
    """A bundle file, validated in full the first time its exact bytes are read, and not again.

    Every import task of a run reads the same mapped bundle; validating 10,000 users against the schema
    takes seconds, once per chunk. After a full validation its SHA-256 (with the schema's, so another
    version of the collection validates again) goes in a 0600 file beside it, `<bundle>.valid`; a later
    read of the same bytes only parses them. A changed byte, or no such file, validates in full again.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError([Problem("$", f"cannot read {path}: {exc}")]) from exc
    try:
        if json.loads(_stamp_path(path).read_text("utf-8")) == _stamp(raw):
            document = json.loads(raw)
            if isinstance(document, dict):
                return document
    except (OSError, UnicodeDecodeError, ValueError):
        pass  # no stamp, or not this file's: validate
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError([Problem("$", f"cannot read {path}: {exc}")]) from exc
    document = load_bundle(text)
    _write_stamp(path, raw)
    return document


def write_bundle_file(path: Path, bundle: dict[str, Any]) -> None:
    """Write a bundle that was just validated: atomically, mode 0600, with its `.valid` stamp, so the
    tasks that read it next only parse it (`load_bundle_file`)."""
    text = dumps(bundle)
    write_private(str(path), text)
    _write_stamp(path, text.encode("utf-8"))


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".valid")


def _stamp(raw: bytes) -> dict[str, str]:
    return {"bundle": hashlib.sha256(raw).hexdigest(), "schema": _schema_digest()}


def _write_stamp(path: Path, raw: bytes) -> None:
    try:
        write_private(str(_stamp_path(path)), json.dumps(_stamp(raw)))
    except OSError:
        pass  # the next read validates in full again: slower, never wrong


@cache
def _schema_digest() -> str:
    return hashlib.sha256(json.dumps(bundle_schema(), sort_keys=True).encode("utf-8")).hexdigest()


def validate_bundle(document: Any) -> list[Problem]:
    """Every problem of a bundle, by JSON path and item: version, schema (with the API's constraints),
    then what a schema cannot say (identities, references, hours, hierarchy)."""
    if not HAS_JSONSCHEMA:
        raise MissingJsonSchema()
    if not isinstance(document, dict):
        return [Problem("$", "a bundle is a JSON object")]
    version = document.get("format_version")
    # JSON's true and 1.0 equal 1 in Python, but they are not format_version 1.
    if not _whole_number(version) or version != FORMAT_VERSION:
        # Another version's layout differs: checking it against this schema would only add noise.
        found = "missing" if "format_version" not in document else f"{version!r} is not supported"
        return [Problem("$.format_version", f"{found}; this collection reads format_version {FORMAT_VERSION}")]
    problems = _schema_problems(document, _validator())
    resources = document.get("resources")
    if isinstance(resources, dict):
        problems += _content_problems(resources, references="mapped_onto" not in document)
    return _named(document, problems)


def validate_resources(resources: Any, *, references: bool = True) -> list[Problem]:
    """The `resources` part of a bundle on its own (an import's mapped resources, which verify reads):
    the same schema and checks; `references=False` when mapping replaced references with the target's."""
    if not HAS_JSONSCHEMA:
        raise MissingJsonSchema()
    if not isinstance(resources, dict):
        return [Problem("$.resources", "the resources of a bundle are a JSON object")]
    schema = bundle_schema()
    resources_schema = {**schema["properties"]["resources"], "$defs": schema["$defs"]}
    problems = _schema_problems(
        {"resources": resources}, jsonschema.Draft202012Validator(resources_schema), "resources"
    )
    problems += _content_problems(resources, references=references)
    return _named({"resources": resources}, problems)


# The schema of a section's structure (ResourceType.section_structure), by its key.
SECTION_STRUCTURES: dict[str, dict[str, Any]] = {
    "levels": {
        "type": "array",
        "description": "Level names, top level first.",
        "maxItems": len(HIERARCHY_LEVELS),
        "items": {"type": "string", "minLength": 1},
    },
}


@cache
def _validator() -> Any:
    return jsonschema.Draft202012Validator(bundle_schema())


def _schema_problems(document: dict[str, Any], validator: Any, under: str | None = None) -> list[Problem]:
    target = document[under] if under else document
    problems = []
    for error in validator.iter_errors(target):
        problem = _problem(error)
        if under:
            problem = Problem(problem.path.replace("$", f"$.{under}", 1), problem.message)
        problems.append(problem)
    return problems


def _content_problems(resources: dict[str, Any], references: bool = True) -> list[Problem]:
    problems = list(_identity_problems(resources))
    if references:
        problems += list(_reference_problems(resources))
    problems += list(_hours_problems(resources))
    problems += list(_hierarchy_problems(resources, references))
    return problems


def _named(document: dict[str, Any], problems: list[Problem]) -> list[Problem]:
    """Each problem with the item its path lies in, deduplicated and in path order."""
    out = {Problem(p.path, p.message, _item_at(document, p.path)) for p in problems}
    return sorted(out, key=_path_order)


_ITEM_PATH = re.compile(r"^\$\.resources\.(user_hierarchy\.groups|[a-z_]+)\[(\d+)\]")


def _item_at(document: dict[str, Any], path: str) -> str:
    """ "user 'jdoe'" for a path inside the user's entry; "user #4" when the entry has no usable identity."""
    match = _ITEM_PATH.match(path)
    if not match:
        return ""
    section, index = match.group(1), int(match.group(2))
    key = "user_hierarchy_groups" if section == "user_hierarchy.groups" else section
    rtype = RESOURCE_TYPES.get(key)
    if rtype is None:
        return ""
    _base, items = _items(document.get("resources") or {}, key)
    entry = items[index] if index < len(items) else None
    identity = entry.get(rtype.identity_key) if isinstance(entry, dict) else None
    if isinstance(identity, str) and identity and len(identity) <= 200:
        return f"{rtype.title} '{identity}'"
    return f"{rtype.title} #{index + 1}"


def _problem(error: Any) -> Problem:
    path = _json_path(error)
    if error.validator == "required":
        # Point at the missing member itself: `$.resources.users[0].username: required`.
        missing = _REQUIRED.match(error.message)
        if missing:
            return Problem(f"{path}.{missing.group(1)}", "is required")
    if error.validator == "not" and "propertyNames" in error.schema_path:
        return Problem(path, f"tag key {error.instance!r} is reserved by AWS")
    if error.validator == "additionalProperties":
        return Problem(path, error.message.replace("Additional properties are not allowed", "unknown member"))
    limit = error.validator_value
    shown = _shown(error.instance)
    # jsonschema's own messages quote the whole value: a 10 MB string would become a 10 MB error.
    own = {
        "maxLength": f"{shown} is longer than {limit} characters",
        "minLength": f"{shown} is shorter than {limit} character(s)",
        "pattern": f"{shown} does not match {limit}",
        "maxProperties": f"has more than {limit} members" if error.instance is not None else "",
        "maxItems": f"has more than {limit} entries",
        "minItems": f"has fewer than {limit} entries",
        "maximum": f"{shown} is more than the maximum of {limit}",
        "minimum": f"{shown} is less than the minimum of {limit}",
        "enum": f"{shown} is not one of {', '.join(map(str, limit))}" if isinstance(limit, list) else "",
        "type": f"{shown} is not of type {limit!r}",
    }.get(error.validator)
    if own:
        return Problem(path, own)
    return Problem(path, error.message if len(error.message) <= 300 else error.message[:300] + "...")


def _shown(value: Any) -> str:
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:40]!r}... ({len(value)} characters)"
    if isinstance(value, (dict, list)):
        return f"a {'dictionary' if isinstance(value, dict) else 'list'}"
    return repr(value)


_REQUIRED = re.compile(r"^'(.+)' is a required property$")


def _json_path(error: Any) -> str:
    path = "$"
    for step in error.absolute_path:
        path += f"[{step}]" if isinstance(step, int) else f".{step}"
    return path


def _path_order(problem: Problem) -> tuple[Any, ...]:
    # $.a[10] after $.a[9]: compare numeric indices as numbers.
    parts = problem.path.replace("[", ".[").split(".")
    return tuple((0, int(p[1:-1]), "") if p.startswith("[") else (1, 0, p) for p in parts), problem.message


def _items(resources: dict[str, Any], key: str) -> tuple[str, list[dict[str, Any]]]:
    """A section's entries, and its JSON path; entries of the wrong shape stay for the schema to name,
    the checks below skip them."""
    if key == "user_hierarchy_groups":
        hierarchy = resources.get("user_hierarchy")
        groups = hierarchy.get("groups") if isinstance(hierarchy, dict) else None
        return "$.resources.user_hierarchy.groups", groups if isinstance(groups, list) else []
    items = resources.get(key)
    return f"$.resources.{key}", items if isinstance(items, list) else []


def _entries(resources: dict[str, Any], key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    base, items = _items(resources, key)
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield f"{base}[{index}]", item


def _identity(rtype: ResourceType, item: dict[str, Any]) -> str | None:
    value = item.get(rtype.identity_key)
    return value if isinstance(value, str) and value else None


def _identity_problems(resources: dict[str, Any]) -> Iterator[Problem]:
    for key, rtype in RESOURCE_TYPES.items():
        seen: dict[str, str] = {}
        # Connect refuses a username that differs from another only in case (sign-in ignores case),
        # so two such entries could never both be created.
        folded: dict[str, str] = {}
        for where, item in _entries(resources, key):
            identity = _identity(rtype, item)
            if identity is None:
                continue
            path = f"{where}.{rtype.identity_key}"
            if identity in seen:
                yield Problem(path, f"another {rtype.title} is also '{identity}' (at {seen[identity]})")
                continue
            seen[identity] = where
            if key == "users":
                other = folded.get(identity.casefold())
                if other is not None:
                    yield Problem(path, f"username '{identity}' differs from the username at {other} only in case")
                folded.setdefault(identity.casefold(), where)


def _reference_problems(resources: dict[str, Any]) -> Iterator[Problem]:
    names = {
        key: {i for _w, item in _entries(resources, key) if (i := _identity(rtype, item))}
        for key, rtype in RESOURCE_TYPES.items()
    }
    # A section with an entry the schema refuses (no name, not an object) cannot say what it holds:
    # references to it are not judged, rather than reported as a cascade of false dangling references.
    unknowable = {
        key
        for key, rtype in RESOURCE_TYPES.items()
        if any(not isinstance(item, dict) or _identity(rtype, item) is None for item in _items(resources, key)[1])
    }
    for key, rtype in RESOURCE_TYPES.items():
        for where, item in _entries(resources, key):
            for path, ref, value in _item_refs(rtype, item, where):
                if ref in unknowable:
                    continue
                if isinstance(value, str) and value and value not in names[ref]:
                    target = RESOURCE_TYPES[ref]
                    yield Problem(path, f"no {target.title} '{value}' in the bundle")


def _item_refs(rtype: ResourceType, item: dict[str, Any], where: str) -> Iterator[tuple[str, str, Any]]:
    yield from _field_refs(rtype.fields, item, where)
    for sub in rtype.sublists:
        entries = item.get(sub.key)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if sub.ref:
                yield f"{where}.{sub.key}[{i}]", sub.ref, entry
            elif sub.fields and isinstance(entry, dict):
                yield from _field_refs(sub.fields, entry, f"{where}.{sub.key}[{i}]")
    for lk in rtype.lookups:
        if lk.key in item:
            yield f"{where}.{lk.key}", lk.ref, item[lk.key]


def _field_refs(fields: tuple[Field, ...], item: dict[str, Any], where: str) -> Iterator[tuple[str, str, Any]]:
    return ((ref.path, ref.kind, ref.value) for ref in references(fields, item, where=where))


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _minutes(value: Any) -> int | None:
    if not isinstance(value, dict):
        return None
    hours: Any = value.get("hours")  # JSON as the user wrote it: _whole_number checks it
    minutes: Any = value.get("minutes")
    if not (_whole_number(hours) and _whole_number(minutes)) or not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None  # the schema names it
    return hours * 60 + minutes


def _hours_problems(resources: dict[str, Any]) -> Iterator[Problem]:
    zones = _time_zones()
    for where, item in _entries(resources, "hours_of_operations"):
        zone = item.get("time_zone")
        if isinstance(zone, str) and zones and zone not in zones:
            yield Problem(f"{where}.time_zone", f"'{zone[:100]}' is not an IANA time zone (e.g. Europe/London)")
        config = item.get("config")
        for i, slot in enumerate(config if isinstance(config, list) else []):
            if not isinstance(slot, dict):
                continue
            start, end = _minutes(slot.get("start_time")), _minutes(slot.get("end_time"))
            # Connect's rule: an end of 00:00 is midnight at the end of the day (00:00-00:00 is the
            # whole day); any other end must come after the start.
            if start is not None and end is not None and end != 0 and end <= start:
                yield Problem(f"{where}.config[{i}].end_time", "the end time must be after the start time")


def _hierarchy_problems(resources: dict[str, Any], references: bool = True) -> Iterator[Problem]:
    hierarchy = resources.get("user_hierarchy")
    if not isinstance(hierarchy, dict):
        return
    levels = hierarchy.get("levels")
    depth = len(levels) if isinstance(levels, list) else len(HIERARCHY_LEVELS)
    paths = {p for _w, g in _entries(resources, "user_hierarchy_groups") if isinstance(p := g.get("path"), str)}
    for where, group in _entries(resources, "user_hierarchy_groups"):
        path = group.get("path")
        if not isinstance(path, str) or not path:
            continue
        where = f"{where}.path"
        steps = path.split(HIERARCHY_PATH_SEPARATOR)
        if any(not step for step in steps):
            yield Problem(where, f"'{path}' has an empty step")
            continue
        if len(steps) > depth:
            yield Problem(where, f"'{path}' is {len(steps)} levels deep; the structure has {depth}")
        if len(steps) > len(HIERARCHY_LEVELS):
            yield Problem(where, f"'{path}' is {len(steps)} levels deep; Connect allows {len(HIERARCHY_LEVELS)}")
        parent = HIERARCHY_PATH_SEPARATOR.join(steps[:-1])
        if references and parent and parent not in paths:
            yield Problem(where, f"its parent group '{parent}' is not in the bundle")


def schema_text() -> str:
    """The schema as docs/bundle.schema.json holds it."""
    return json.dumps(bundle_schema(), indent=2) + "\n"
