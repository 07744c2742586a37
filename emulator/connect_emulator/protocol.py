"""The Amazon Connect wire protocol (rest-json), driven by botocore's service model.

Everything about HTTP lives here: which operation a method + path is, how the URI, query string,
headers and JSON body become one params dict, whether those params fit the input shape, and how a
result or an error goes back on the wire. The domain only ever sees plain dicts and raises
`ConnectError`s, so it does not depend on this module.

Validators and converters are compiled once per shape (closures), because the hot path of a
benchmark is parse + validate + serialise, and walking botocore's shape objects per request costs
more than the domain's work.
"""

from __future__ import annotations

import copy
import json
import os
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, unquote

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape, StringShape, StructureShape

from connect_emulator import errors

JSON_CONTENT_TYPE = "application/json"
VALIDATE_OUTPUT_ENV = "CONNECT_EMULATOR_VALIDATE_OUTPUT"

# (value, path, problems) -> None; appends Coral-style problem strings.
Check = Callable[[Any, str, list[str]], None]
# value -> converted value (timestamps in, timestamps out)
Convert = Callable[[Any], Any]


@lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("connect")


# --------------------------------------------------------------------------------------------
# Routing
# --------------------------------------------------------------------------------------------


class _Node:
    __slots__ = ("label", "label_child", "literals", "operation")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.label: str | None = None
        self.label_child: _Node | None = None
        self.operation: str | None = None


class Router:
    """Method + raw path -> (operation, URI labels).

    Matches the *raw* (still percent-encoded) path segment by segment, literals before labels, so
    an ARN sent as one encoded label (`/tags/arn%3Aaws%3A...%2Fqueue%2F...`) stays one label. When a
    client sends the ARN's '/' unencoded, the last label of a route swallows the rest of the path,
    as Amazon's greedy matching does.
    """

    def __init__(self, model: ServiceModel) -> None:
        self._roots: dict[str, _Node] = {}
        for name in model.operation_names:
            http = model.operation_model(name).http
            node = self._roots.setdefault(http["method"], _Node())
            for segment in _segments(http["requestUri"].split("?", 1)[0]):
                if segment.startswith("{") and segment.endswith("}"):
                    label = segment[1:-1].rstrip("+")
                    if node.label_child is None:
                        node.label, node.label_child = label, _Node()
                    node = node.label_child
                else:
                    node = node.literals.setdefault(segment, _Node())
            node.operation = name

    def match(self, method: str, raw_path: str) -> tuple[str, dict[str, str]] | None:
        root = self._roots.get(method)
        if root is None:
            return None
        segments = _segments(raw_path)
        labels: dict[str, str] = {}
        operation = _walk(root, segments, 0, labels)
        if operation is None:
            return None
        return operation, {k: unquote(v) for k, v in labels.items()}


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _walk(node: _Node, segments: list[str], i: int, labels: dict[str, str]) -> str | None:
    if i == len(segments):
        return node.operation
    child = node.literals.get(segments[i])
    if child is not None:
        found = _walk(child, segments, i + 1, labels)
        if found is not None:
            return found
    if node.label_child is not None and node.label is not None:
        labels[node.label] = segments[i]
        found = _walk(node.label_child, segments, i + 1, labels)
        if found is not None:
            return found
        # Greedy fallback: an unencoded ARN in the last label.
        if node.label_child.operation is not None and not node.label_child.literals:
            labels[node.label] = "/".join(segments[i:])
            return node.label_child.operation
        del labels[node.label]
    return None


# --------------------------------------------------------------------------------------------
# Validation (compiled per shape)
# --------------------------------------------------------------------------------------------

_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "double": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "timestamp": lambda v: isinstance(v, datetime),
    "blob": lambda v: isinstance(v, bytes | str),
    "structure": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
    "map": lambda v: isinstance(v, dict),
}


_NOT_NULL = "Member must not be null"

# Shapes whose `pattern` Amazon's own service accepts more than the model says: a GetPromptFile URL is
# a prompt's S3Uri (Amazon's is a presigned S3 URL the model's second alternative describes; the
# emulator's is on the emulator itself, `/_emulator/prompt-file/TOKEN`). ViewContentSha256's pattern
# (`^[a-zA-Z0-9]$`) allows one character beside its length of up to 64: the hash a view reports (64 hex
# digits) is what CreateViewVersion takes back.
PATTERN_ALSO = {
    "S3Uri": r"|^https?://[^/]+/_emulator/prompt-file/[A-Za-z0-9_-]+$",
    "ViewContentSha256": r"|^[a-zA-Z0-9]+$",
}


def python_pattern(pattern: str) -> re.Pattern[str] | None:
    """The model's `pattern` as a Python regex searched anywhere in the value, or None where `re` cannot say it.

    The model's patterns are Java-style and, as Smithy's `pattern` trait, not implicitly anchored (those
    that must match whole carry their own ^ and $). Some are written as JavaScript literals (`/^...$/`);
    some are escaped twice (`\\\\+[1-9]\\\\d{1,14}$` is E.164: a backslash too many before each escape),
    which Java and Python would read as a literal backslash; both are undone. Unicode property classes
    (`\\p{L}`, `\\P{C}`) have no `re` spelling: those patterns are left unchecked (None).
    """
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        pattern = pattern[1:-1]
    pattern = pattern.replace("\\\\", "\\")
    if "\\p{" in pattern or "\\P{" in pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _coral_name(name: str) -> str:
    # Amazon's validation messages name members in lowerCamelCase ("at 'username'").
    return name[:1].lower() + name[1:]


def _noop(value: Any, path: str, problems: list[str]) -> None:
    return None


class ShapeValidator:
    """Compiles botocore shapes into checking closures, cached by shape name (shapes recurse).

    `for_output` drops minimum lengths: the model's `min` constrains what clients send, and Amazon
    itself answers with empty maps and lists (ListTagsForResource of an untagged resource: {}).
    """

    def __init__(self, *, for_output: bool = False) -> None:
        self._compiled: dict[str, Check] = {}
        self._for_output = for_output

    def compile(self, shape: Shape) -> Check:
        key = shape.name
        if key in self._compiled:
            return self._compiled[key]
        # Recursive shapes (search filters nest themselves): point at a trampoline first.
        slot: list[Check] = [_noop]
        self._compiled[key] = lambda v, p, probs: slot[0](v, p, probs)
        slot[0] = self._build(shape)
        self._compiled[key] = slot[0]
        return slot[0]

    def _build(self, shape: Shape) -> Check:
        type_name = shape.type_name
        is_type = _TYPE_CHECKS.get(type_name, lambda v: True)
        meta = shape.metadata
        low, high = meta.get("min"), meta.get("max")
        enum = frozenset(shape.enum) if isinstance(shape, StringShape) and shape.enum else None
        sized = type_name in ("string", "list", "map", "blob")
        if sized and self._for_output:
            low = None
        # Input only: the output check is the emulator's own test of its answers' shape, not Amazon's.
        model_pattern = meta.get("pattern") if type_name == "string" and not self._for_output else None
        pattern = python_pattern(model_pattern + PATTERN_ALSO.get(shape.name, "")) if model_pattern else None
        inner: Check | None = None

        if isinstance(shape, StructureShape):
            members = [(name, _coral_name(name), self.compile(m)) for name, m in shape.members.items()]
            required = [(name, _coral_name(name)) for name in shape.required_members]

            def check_struct(value: dict[str, Any], path: str) -> list[str]:
                out: list[str] = []
                for name, coral in required:
                    if value.get(name) is None:
                        out.append(f"Value null at '{path}{coral}' failed to satisfy constraint: {_NOT_NULL}")
                for name, coral, check in members:
                    member_value = value.get(name)
                    if member_value is not None:
                        check(member_value, f"{path}{coral}", out)
                return out

            def inner_struct(value: Any, path: str, problems: list[str]) -> None:
                problems.extend(check_struct(value, f"{path}." if path else ""))

            inner = inner_struct
        elif type_name == "list":
            member_check = self.compile(shape.member)  # type: ignore[attr-defined]

            def inner_list(value: list[Any], path: str, problems: list[str]) -> None:
                for i, item in enumerate(value, 1):
                    if item is None:
                        problems.append(f"Value null at '{path}.{i}.member' failed to satisfy constraint: {_NOT_NULL}")
                    else:
                        member_check(item, f"{path}.{i}.member", problems)

            inner = inner_list
        elif type_name == "map":
            key_check = self.compile(shape.key)  # type: ignore[attr-defined]
            value_check = self.compile(shape.value)  # type: ignore[attr-defined]

            def inner_map(value: dict[str, Any], path: str, problems: list[str]) -> None:
                for k, v in value.items():
                    key_check(k, f"{path}.key", problems)
                    if v is not None:
                        value_check(v, f"{path}.value", problems)

            inner = inner_map

        expected = type_name

        def check(value: Any, path: str, problems: list[str]) -> None:
            if not is_type(value):
                problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be of type {expected}")
                return
            if sized:
                size = len(value)
                if low is not None and size < low:
                    problems.append(
                        f"Value at '{path}' failed to satisfy constraint: "
                        f"Member must have length greater than or equal to {low}"
                    )
                if high is not None and size > high:
                    problems.append(
                        f"Value at '{path}' failed to satisfy constraint: "
                        f"Member must have length less than or equal to {high}"
                    )
            elif low is not None or high is not None:
                if low is not None and value < low:
                    problems.append(
                        f"Value '{value}' at '{path}' failed to satisfy constraint: "
                        f"Member must have value greater than or equal to {low}"
                    )
                if high is not None and value > high:
                    problems.append(
                        f"Value '{value}' at '{path}' failed to satisfy constraint: "
                        f"Member must have value less than or equal to {high}"
                    )
            if pattern is not None and not pattern.search(value):
                problems.append(
                    f"Value '{value}' at '{path}' failed to satisfy constraint: "
                    f"Member must satisfy regular expression pattern: {model_pattern}"
                )
            if enum is not None and value not in enum:
                problems.append(
                    f"Value '{value}' at '{path}' failed to satisfy constraint: "
                    f"Member must satisfy enum value set: [{', '.join(sorted(enum))}]"
                )
            if inner is not None:
                inner(value, path, problems)

        return check


def problems_to_error(problems: list[str]) -> errors.ValidationError:
    count = len(problems)
    noun = "error" if count == 1 else "errors"
    return errors.ValidationError(f"{count} validation {noun} detected: " + "; ".join(problems[:10]))


# --------------------------------------------------------------------------------------------
# Timestamp conversion (compiled per shape; identity where a shape holds no timestamp)
# --------------------------------------------------------------------------------------------


def _holds_timestamp(shape: Shape, seen: set[str] | None = None) -> bool:
    seen = set() if seen is None else seen
    if shape.name in seen:
        return False
    seen.add(shape.name)
    if shape.type_name == "timestamp":
        return True
    if isinstance(shape, StructureShape):
        return any(_holds_timestamp(m, seen) for m in shape.members.values())
    if shape.type_name == "list":
        return _holds_timestamp(shape.member, seen)  # type: ignore[attr-defined]
    if shape.type_name == "map":
        return _holds_timestamp(shape.value, seen)  # type: ignore[attr-defined]
    return False


def _compile_converter(
    shape: Shape, leaf: Callable[[Shape], Convert], cache: dict[str, Convert | None]
) -> Convert | None:
    """A function converting every timestamp inside `shape` with `leaf(shape)`, or None if none."""
    if shape.name in cache:
        cached = cache[shape.name]
        if cached is not None or not _holds_timestamp(shape):
            return cached
    if not _holds_timestamp(shape):
        cache[shape.name] = None
        return None
    if shape.type_name == "timestamp":
        fn = leaf(shape)
        cache[shape.name] = fn
        return fn
    slot: list[Convert] = [lambda v: v]
    cache[shape.name] = lambda v: slot[0](v)  # recursion guard
    if isinstance(shape, StructureShape):
        members = {n: _compile_converter(m, leaf, cache) for n, m in shape.members.items()}
        convertible = {n: f for n, f in members.items() if f is not None}

        def conv_struct(value: Any) -> Any:
            if not isinstance(value, dict):
                return value
            for name, fn in convertible.items():
                if value.get(name) is not None:
                    value[name] = fn(value[name])
            return value

        slot[0] = conv_struct
    elif shape.type_name == "list":
        item = _compile_converter(shape.member, leaf, cache) or (lambda v: v)  # type: ignore[attr-defined]
        slot[0] = lambda value: [item(v) for v in value] if isinstance(value, list) else value
    else:
        val = _compile_converter(shape.value, leaf, cache) or (lambda v: v)  # type: ignore[attr-defined]
        slot[0] = lambda value: {k: val(v) for k, v in value.items()} if isinstance(value, dict) else value
    cache[shape.name] = slot[0]
    return slot[0]


def _parse_timestamp(value: Any) -> Any:
    """Wire -> datetime: epoch seconds (JSON body) or ISO 8601; anything else is left for validation."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            try:
                return parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return value
    return value


def _input_leaf(shape: Shape) -> Convert:
    return _parse_timestamp


def _output_leaf(shape: Shape) -> Convert:
    fmt = shape.serialization.get("timestampFormat", "unixtimestamp")

    def to_wire(value: Any) -> Any:
        if not isinstance(value, datetime):
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if fmt == "iso8601":
            return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
        if fmt == "rfc822":
            return format_datetime(value.astimezone(UTC), usegmt=True)
        return round(value.timestamp(), 3)

    return to_wire


def _drop_none(value: Any) -> Any:
    # The domain may leave optional members as None; Amazon omits them instead of sending null.
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


# --------------------------------------------------------------------------------------------
# Per-operation specs
# --------------------------------------------------------------------------------------------


def _coerce_scalar(shape: Shape, raw: str, where: str) -> Any:
    type_name = shape.type_name
    try:
        if type_name in ("integer", "long"):
            return int(raw)
        if type_name in ("double", "float"):
            return float(raw)
    except ValueError:
        raise errors.ValidationError(
            f"1 validation error detected: Value '{raw}' at '{where}' failed to satisfy constraint: "
            f"Member must be of type {type_name}"
        ) from None
    if type_name == "boolean":
        return raw.lower() == "true"
    if type_name == "timestamp":
        return _parse_timestamp(raw)
    return raw


class OperationSpec:
    """Everything needed to parse, check and answer one operation, computed once."""

    def __init__(self, op: OperationModel, validator: ShapeValidator, conv_cache: dict[str, Any]) -> None:
        self.name = op.name
        self.success_status = int(op.http.get("responseCode", 200))
        shape = op.input_shape
        self.uri: list[tuple[str, Shape]] = []
        self.query: list[tuple[str, str, Shape]] = []
        self.headers: list[tuple[str, str, Shape]] = []
        self.body_members: set[str] = set()
        self.body_converter: Convert | None = None
        self.check_input: Check = _noop
        if shape is not None:
            for name, member in shape.members.items():
                location = member.serialization.get("location")
                wire = member.serialization.get("name", name)
                if location == "uri":
                    self.uri.append((name, member))
                elif location == "querystring":
                    self.query.append((name, wire, member))
                elif location == "header":
                    self.headers.append((name, wire.lower(), member))
                else:
                    self.body_members.add(name)
            self.body_converter = _compile_converter(shape, _input_leaf, conv_cache.setdefault("in", {}))
            self.check_input = validator.compile(shape)
        out = op.output_shape
        self.output_converter = (
            _compile_converter(out, _output_leaf, conv_cache.setdefault("out", {})) if out is not None else None
        )
        self.output_shape = out
        self.check_output: Check = _noop

    def parse(
        self, labels: Mapping[str, str], query: Mapping[str, list[str]], headers: Mapping[str, str], body: bytes
    ) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if body and self.body_members:
            try:
                document = json.loads(body)
            except ValueError:
                raise errors.SerializationException("Could not parse the request body as JSON") from None
            if not isinstance(document, dict):
                raise errors.SerializationException("The request body must be a JSON object")
            for name in self.body_members:
                if name in document:
                    params[name] = document[name]
        for name, member in self.uri:
            if name in labels:
                params[name] = _coerce_scalar(member, labels[name], _coral_name(name))
        for name, wire, member in self.query:
            values = query.get(wire)
            if values is None:
                continue
            if member.type_name == "list":
                item = member.member  # type: ignore[attr-defined]
                params[name] = [_coerce_scalar(item, v, _coral_name(name)) for v in values]
            else:
                params[name] = _coerce_scalar(member, values[0], _coral_name(name))
        for name, wire, member in self.headers:
            value = headers.get(wire)
            if value is not None:
                params[name] = _coerce_scalar(member, value, _coral_name(name))
        if self.body_converter is not None:
            params = self.body_converter(params)
        return params

    def validate(self, params: dict[str, Any]) -> None:
        problems: list[str] = []
        self.check_input(params, "", problems)
        if problems:
            raise problems_to_error(problems)


class Protocol:
    """The Connect service model compiled for serving: router, per-operation specs, error shapes."""

    def __init__(self, model: ServiceModel | None = None, *, validate_output: bool | None = None) -> None:
        self.model = model or service_model()
        self.router = Router(self.model)
        self._validator = ShapeValidator()
        self._conv_cache: dict[str, Any] = {}
        # Compiled eagerly (~0.1 s for the whole model): request threads then only read, and
        # the compilers' recursion trampolines are never seen half-built by another thread.
        self._specs = {
            name: OperationSpec(self.model.operation_model(name), self._validator, self._conv_cache)
            for name in self.model.operation_names
        }
        output_validator = ShapeValidator(for_output=True)
        for spec in self._specs.values():
            if spec.output_shape is not None:
                spec.check_output = output_validator.compile(spec.output_shape)
        self.error_status = {s.name: int(s.metadata["error"]["httpStatusCode"]) for s in self._error_shapes()}
        if validate_output is None:
            validate_output = os.environ.get(VALIDATE_OUTPUT_ENV, "") not in ("", "0", "false")
        self.validate_output = validate_output

    def _error_shapes(self) -> list[StructureShape]:
        shapes = (self.model.shape_for(n) for n in self.model.shape_names)
        return [s for s in shapes if s.metadata.get("exception")]  # type: ignore[misc]

    def spec(self, operation: str) -> OperationSpec:
        try:
            return self._specs[operation]
        except KeyError:
            raise errors.UnknownOperationException(f"{operation} is not an operation of Amazon Connect") from None

    def match(self, method: str, raw_path: str) -> tuple[str, dict[str, str]] | None:
        return self.router.match(method, raw_path)

    def parse_request(
        self, operation: str, labels: Mapping[str, str], raw_query: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, Any]:
        """Wire request -> validated params (raises ValidationError / SerializationException)."""
        spec = self.spec(operation)
        query = parse_qs(raw_query, keep_blank_values=True) if raw_query else {}
        params = spec.parse(labels, query, headers, body)
        spec.validate(params)
        return params

    def validate_params(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Check in-process params (Emulator.call) as a wire request would be checked; epoch or ISO
        timestamps become datetimes, as they would on the wire. Returns the params to dispatch."""
        spec = self.spec(operation)
        if spec.body_converter is not None:
            params = spec.body_converter(copy.deepcopy(params))
        spec.validate(params)
        return params

    def serialize_result(self, operation: str, result: Mapping[str, Any] | None) -> tuple[int, bytes]:
        spec = self.spec(operation)
        document = _drop_none(dict(result or {}))
        if self.validate_output and spec.output_shape is not None:
            self.check_output(operation, document)
        if spec.output_converter is not None:
            document = spec.output_converter(document)
        return spec.success_status, json.dumps(document, separators=(",", ":")).encode()

    def check_output(self, operation: str, document: dict[str, Any]) -> None:
        """Raise AssertionError-like InternalServiceException when the domain answers off-model."""
        spec = self.spec(operation)
        if spec.output_shape is None:
            return
        problems: list[str] = []
        spec.check_output(document, "", problems)
        unknown = set(document) - set(spec.output_shape.members)
        problems.extend(f"Unknown output member '{name}'" for name in sorted(unknown))
        if problems:
            raise OutputValidationError(f"{operation} output does not match its shape: " + "; ".join(problems[:10]))

    def error_response(self, error: errors.ConnectError) -> tuple[int, list[tuple[str, str]], bytes]:
        status = self.error_status.get(error.code, error.status)
        body: dict[str, Any] = {"Message": error.message}
        body.update(error.fields)
        headers = [
            ("Content-Type", JSON_CONTENT_TYPE),
            ("x-amzn-ErrorType", error.code),
            ("x-amzn-RequestId", str(uuid.uuid4())),
        ]
        return status, headers, json.dumps(_drop_none(body), default=str).encode()


class OutputValidationError(errors.InternalServiceException):
    """The emulator answered with something botocore's output shape does not allow (a bug to fix)."""


@lru_cache(maxsize=2)
def default_protocol(validate_output: bool | None = None) -> Protocol:
    return Protocol(validate_output=validate_output)


def success_headers() -> list[tuple[str, str]]:
    return [("Content-Type", JSON_CONTENT_TYPE), ("x-amzn-RequestId", str(uuid.uuid4()))]
