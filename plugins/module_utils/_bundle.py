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

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansible_collections.ccaas.connect.plugins.module_utils._resources import (
    AWS_RESERVED_TAG_PREFIX,
    HIERARCHY_LEVELS,
    HIERARCHY_PATH_SEPARATOR,
    RESOURCE_TYPES,
    Field,
    ResourceType,
)

try:
    import jsonschema

    HAS_JSONSCHEMA = True
except ImportError:
    HAS_JSONSCHEMA = False

FORMAT_VERSION = 1
E164 = r"^\+[1-9][0-9]{1,14}$"
# UTC, to the second: `2026-11-25T14:30:00Z`.
TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"
IDENTITY_MANAGEMENT_TYPES = ("CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY")


class MissingJsonSchema(Exception):
    """jsonschema is not installed on the controller."""

    def __init__(self) -> None:
        super().__init__(
            "validating a bundle needs the Python library jsonschema on the controller: pip install jsonschema"
        )


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # JSON path, e.g. $.resources.users[3].routing_profile
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class BundleError(Exception):
    """A bundle that cannot be used; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_path_order)
        super().__init__("invalid bundle:\n" + "\n".join(f"  {p}" for p in self.problems))


# ---------------------------------------------------------------------------------------------------
# Schema, from the resource descriptions
# ---------------------------------------------------------------------------------------------------


def _tags_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"Tags, without AWS-reserved '{AWS_RESERVED_TAG_PREFIX}' keys.",
        "propertyNames": {"minLength": 1, "maxLength": 128, "not": {"pattern": f"^{AWS_RESERVED_TAG_PREFIX}"}},
        "additionalProperties": {"type": "string", "maxLength": 256},
    }


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


def _scalar_schema(f: Field) -> dict[str, Any]:
    if f.tags:
        return _tags_schema()
    if f.ref:
        return _reference_schema(f.ref)
    if f.sub:
        return _object_schema(f.sub)
    if f.type == "object":
        # A map of strings (a security profile's access-control tags); resource tags are `tags` above.
        return {"type": "object", "propertyNames": {"minLength": 1}, "additionalProperties": {"type": "string"}}
    schema: dict[str, Any] = {"type": f.type}
    if f.enum:
        schema["enum"] = list(f.enum)
    if f.type == "string" and f.required:
        schema["minLength"] = 1
    if f.type == "integer":
        schema["minimum"] = 0
    return schema


def _field_schema(f: Field) -> dict[str, Any]:
    one = _scalar_schema(f)
    if f.many:
        return {"type": "array", "items": one, **({"uniqueItems": True} if f.ref else {})}
    return one


def _object_schema(fields: tuple[Field, ...], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    properties = {f.key: _field_schema(f) for f in fields}
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
    for sub in rtype.sublists:
        if sub.ref:
            entry = _reference_schema(sub.ref)
        elif sub.fields:
            entry = _object_schema(sub.fields)
        else:
            entry = {"type": "string", "minLength": 1}
        extra[sub.key] = {"type": "array", "items": entry, **({"uniqueItems": True} if not sub.fields else {})}
    for lk in rtype.lookups:
        extra[lk.key] = _reference_schema(lk.ref)
    schema = _object_schema(rtype.fields, extra)
    schema["required"] = required_extra + schema.get("required", [])
    schema["title"] = rtype.title
    return schema


def bundle_schema() -> dict[str, Any]:
    """The bundle's JSON Schema (draft 2020-12)."""
    resources: dict[str, Any] = {}
    for key, rtype in RESOURCE_TYPES.items():
        items = {"type": "array", "items": _item_schema(rtype)}
        if key == "user_hierarchy_groups":
            resources["user_hierarchy"] = {
                "type": "object",
                "additionalProperties": False,
                "required": ["levels", "groups"],
                "properties": {
                    "levels": {
                        "type": "array",
                        "description": "Level names, top level first.",
                        "maxItems": len(HIERARCHY_LEVELS),
                        "items": {"type": "string", "minLength": 1},
                    },
                    "groups": items,
                },
            }
        else:
            resources[key] = items
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
                },
            },
            "exported_at": {"type": "string", "pattern": TIMESTAMP},
            "selection": {
                "type": "object",
                "description": "What the export was asked for: the filters, the items they matched, and the "
                "items brought in because something selected refers to them.",
                "additionalProperties": False,
                "properties": {
                    "filters": {"type": "object"},
                    "matched": {"$ref": "#/$defs/names_by_type"},
                    "dependencies": {"$ref": "#/$defs/names_by_type"},
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
) -> dict[str, Any]:
    source: dict[str, Any] = {"region": region, "instance_alias": instance_alias}
    if identity_management_type:
        source["identity_management_type"] = identity_management_type
    bundle: dict[str, Any] = {"format_version": FORMAT_VERSION, "source": source, "exported_at": exported_at}
    if selection is not None:
        bundle["selection"] = selection
    bundle["resources"] = resources
    return bundle


def dumps(bundle: dict[str, Any]) -> str:
    """The bundle as it is written to disk: stable key order and indentation, so exports diff well in git."""
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------------
# Loading and validating
# ---------------------------------------------------------------------------------------------------


def load_bundle(source: str | bytes | Path | dict[str, Any]) -> dict[str, Any]:
    """A validated bundle from a path, JSON text or a parsed document; raises BundleError listing every problem."""
    if isinstance(source, dict):
        document: Any = source
    else:
        text = source.read_text("utf-8") if isinstance(source, Path) else source
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise BundleError([Problem("$", f"not JSON: {exc}")]) from exc
    problems = validate_bundle(document)
    if problems:
        raise BundleError(problems)
    return document


def validate_bundle(document: Any) -> list[Problem]:
    """Every problem of a bundle, by JSON path: version, schema, then references and identities."""
    if not HAS_JSONSCHEMA:
        raise MissingJsonSchema()
    if not isinstance(document, dict):
        return [Problem("$", "a bundle is a JSON object")]
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        # Another version's layout differs: checking it against this schema would only add noise.
        found = "missing" if "format_version" not in document else f"{version!r} is not supported"
        return [Problem("$.format_version", f"{found}; this collection reads format_version {FORMAT_VERSION}")]
    validator = jsonschema.Draft202012Validator(bundle_schema())
    problems = [_problem(error) for error in validator.iter_errors(document)]
    if not problems:
        problems = list(_reference_problems(document["resources"]))
    return sorted(problems, key=_path_order)


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
    return Problem(path, error.message)


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
    if key == "user_hierarchy_groups":
        return "$.resources.user_hierarchy.groups", (resources.get("user_hierarchy") or {}).get("groups", [])
    return f"$.resources.{key}", resources.get(key, [])


def _reference_problems(resources: dict[str, Any]) -> Iterator[Problem]:
    names: dict[str, set[str]] = {}
    for key, rtype in RESOURCE_TYPES.items():
        base, items = _items(resources, key)
        seen: set[str] = set()
        for index, item in enumerate(items):
            identity = item[rtype.identity_key]
            if identity in seen:
                yield Problem(f"{base}[{index}].{rtype.identity_key}", f"another {rtype.title} is also '{identity}'")
            seen.add(identity)
        names[key] = seen

    for key, rtype in RESOURCE_TYPES.items():
        base, items = _items(resources, key)
        for index, item in enumerate(items):
            where = f"{base}[{index}]"
            for path, ref, value in _item_refs(rtype, item, where):
                if value not in names[ref]:
                    target = RESOURCE_TYPES[ref]
                    yield Problem(path, f"no {target.title} '{value}' in the bundle")
    yield from _hierarchy_problems(resources, names["user_hierarchy_groups"])


def _item_refs(rtype: ResourceType, item: dict[str, Any], where: str) -> Iterator[tuple[str, str, str]]:
    yield from _field_refs(rtype.fields, item, where)
    for sub in rtype.sublists:
        for i, entry in enumerate(item.get(sub.key, [])):
            if sub.ref:
                yield f"{where}.{sub.key}[{i}]", sub.ref, entry
            elif sub.fields:
                yield from _field_refs(sub.fields, entry, f"{where}.{sub.key}[{i}]")
    for lk in rtype.lookups:
        if lk.key in item:
            yield f"{where}.{lk.key}", lk.ref, item[lk.key]


def _field_refs(fields: tuple[Field, ...], item: dict[str, Any], where: str) -> Iterator[tuple[str, str, str]]:
    for f in fields:
        if f.key not in item:
            continue
        value = item[f.key]
        if f.ref:
            if f.many:
                for i, v in enumerate(value):
                    yield f"{where}.{f.key}[{i}]", f.ref, v
            else:
                yield f"{where}.{f.key}", f.ref, value
        elif f.sub:
            if f.many:
                for i, v in enumerate(value):
                    yield from _field_refs(f.sub, v, f"{where}.{f.key}[{i}]")
            else:
                yield from _field_refs(f.sub, value, f"{where}.{f.key}")


def _hierarchy_problems(resources: dict[str, Any], paths: set[str]) -> Iterator[Problem]:
    hierarchy = resources.get("user_hierarchy")
    if not hierarchy:
        return
    depth = len(hierarchy["levels"])
    for index, group in enumerate(hierarchy["groups"]):
        where = f"$.resources.user_hierarchy.groups[{index}].path"
        steps = group["path"].split(HIERARCHY_PATH_SEPARATOR)
        if any(not step for step in steps):
            yield Problem(where, f"'{group['path']}' has an empty step")
            continue
        if len(steps) > depth:
            yield Problem(where, f"'{group['path']}' is {len(steps)} levels deep; the structure has {depth}")
        parent = HIERARCHY_PATH_SEPARATOR.join(steps[:-1])
        if parent and parent not in paths:
            yield Problem(where, f"its parent group '{parent}' is not in the bundle")


def schema_text() -> str:
    """The schema as docs/bundle.schema.json holds it."""
    return json.dumps(bundle_schema(), indent=2) + "\n"
