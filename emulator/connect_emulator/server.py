"""The emulator as a whole: the in-process API (`Emulator`) and the HTTP server around it.

Every Connect request over HTTP goes through `EmulatorApp`, a WSGI middleware in front of moto's
server app: it identifies the operation from method + path (the botocore route table), applies
throttling and injected faults, counts the call, and answers it through the same parse -> dispatch
-> serialise path whether the domain or moto's instance backend serves it, so every operation gets
the same validation and the same wire format. Requests for other services (IAM, STS, ...) and the
moto-api go to moto unchanged. `/_emulator/*` are the control endpoints.
"""

from __future__ import annotations

import contextlib
import http
import json
import logging
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.datastructures import EnvironHeaders
from werkzeug.serving import BaseWSGIServer, make_server

from connect_emulator import adapter, errors
from connect_emulator.faults import FaultConfig, FaultInjector
from connect_emulator.instances import InstanceDirectory
from connect_emulator.protocol import Protocol, success_headers
from connect_emulator.stats import Stats
from connect_emulator.throttle import Throttle

DEFAULT_ACCOUNT_ID = "123456789012"
STATE_FORMAT = 1
log = logging.getLogger("connect_emulator")

StartResponse = Callable[..., Any]
Response = tuple[int, list[tuple[str, str]], bytes]


class _NoDomain:
    """Stands in while `connect_emulator.domain` is not there yet: serves instances only."""

    OPERATIONS: frozenset[str] = frozenset()

    def __init__(self, instances: InstanceDirectory) -> None:
        self.instances = instances

    def handle(self, operation: str, params: dict[str, Any], *, account_id: str, region: str) -> dict[str, Any]:
        raise errors.NotImplementedOperation(f"{operation} is not implemented by the emulator")

    def reset(self) -> None:
        return None

    def dump_state(self) -> dict[str, Any]:
        return {}

    def load_state(self, state: dict[str, Any]) -> None:
        return None

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None:
        raise errors.NotImplementedOperation("quotas need the Connect domain")


def load_domain(instances: InstanceDirectory) -> Any:
    try:
        from connect_emulator.domain import ConnectDomain
    except ImportError as exc:
        if exc.name not in (None, "connect_emulator.domain") and "ConnectDomain" not in str(exc):
            raise
        log.warning("connect_emulator.domain.ConnectDomain not available; serving instances only")
        return _NoDomain(instances)
    return ConnectDomain(instances, adapter.MotoObjectStore())


class Emulator:
    """The emulated Connect service, without HTTP: state, dispatch, throttle/fault/stat settings."""

    def __init__(
        self,
        *,
        throttle: str | float | None = "off",
        faults: FaultConfig | str | None = None,
        validate_output: bool | None = None,
        iam_auth: bool = False,
        domain_factory: Callable[[InstanceDirectory], Any] | None = None,
    ) -> None:
        self.protocol = Protocol(validate_output=validate_output)
        self.instances = adapter.MotoInstanceDirectory()
        # Tests pass a fake domain; everyone else gets connect_emulator.domain.ConnectDomain.
        self.domain = domain_factory(self.instances) if domain_factory is not None else load_domain(self.instances)
        self.domain_operations = frozenset(self.domain.OPERATIONS) - adapter.MOTO_OPERATIONS
        self.throttle = Throttle(throttle)
        self.faults = FaultInjector(faults if isinstance(faults, FaultConfig) else FaultConfig.parse(faults))
        self.stats = Stats()
        # Off by default: any credentials do. On, each Connect request over HTTP must be signed by an
        # IAM user of moto's IAM backend whose policies allow the operation (adapter.authorize).
        self.iam_auth = iam_auth
        # moto-routed requests (mock_aws, or moto's app reached directly) land in the same handler.
        adapter.install_routes(self.domain_operations, self.handle_wire)

    # ---- in-process API (seeder, tests) -------------------------------------------------

    def call(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        *,
        region: str,
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> dict[str, Any]:
        """Run one operation as a request would, minus HTTP, throttling, faults and stats."""
        params = self.protocol.validate_params(operation, dict(params or {}))
        result = self._dispatch(operation, params, account_id, region)
        if self.protocol.validate_output:
            self.protocol.check_output(operation, {k: v for k, v in (result or {}).items() if v is not None})
        return result

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None:
        self.domain.set_quota(account_id, region, instance_id, quota_name, value)

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None:
        """Put an object in the emulator's S3 (moto's), the bucket made if need be: where prompts come from."""
        adapter.MotoObjectStore().put_object(account_id, region, bucket, key, body)

    def reset(self) -> None:
        """Forget every instance, resource and S3 object (all accounts and regions), and refill the buckets."""
        self.domain.reset()
        adapter.reset_instances()
        adapter.reset_objects()
        self.throttle.reset()

    def dump_state(self) -> dict[str, Any]:
        return {"format": STATE_FORMAT, "instances": adapter.dump_instances(), "domain": self.domain.dump_state()}

    def load_state(self, state: Mapping[str, Any]) -> None:
        """Replace everything with `state` (as `dump_state` writes it)."""
        if state.get("format", STATE_FORMAT) != STATE_FORMAT:
            raise errors.InvalidRequestException(f"unsupported state format {state.get('format')!r}")
        self.reset()
        adapter.load_instances(state.get("instances", []))
        if state.get("domain"):
            self.domain.load_state(state["domain"])

    def _dispatch(self, operation: str, params: dict[str, Any], account_id: str, region: str) -> dict[str, Any]:
        if operation in self.domain_operations:
            return self.domain.handle(operation, params, account_id=account_id, region=region)
        if operation in adapter.MOTO_OPERATIONS:
            return adapter.call_instance_operation(operation, params, account_id, region)
        raise errors.NotImplementedOperation(f"{operation} is not implemented by the emulator")

    # ---- wire API -----------------------------------------------------------------------

    def handle_wire(
        self, method: str, raw_path: str, raw_query: str, headers: Any, body: bytes, account_id: str, region: str
    ) -> Response:
        match = self.protocol.match(method, raw_path)
        if match is None:
            return self.protocol.error_response(
                errors.UnknownOperationException(f"No Connect operation matches {method} {raw_path}")
            )
        operation, labels = match
        return self.answer(operation, labels, raw_query, headers, body, account_id, region)

    def answer(
        self,
        operation: str,
        labels: Mapping[str, str],
        raw_query: str,
        headers: Any,
        body: bytes,
        account_id: str,
        region: str,
    ) -> Response:
        try:
            params = self.protocol.parse_request(operation, labels, raw_query, headers, body)
            result = self._dispatch(operation, params, account_id, region)
            status, payload = self.protocol.serialize_result(operation, result)
            return status, success_headers(), payload
        except errors.ConnectError as error:
            return self.protocol.error_response(error)
        except Exception:
            # A bug in the emulator must reach the client as Amazon's 500, and the log with a trace.
            log.exception("%s failed", operation)
            return self.protocol.error_response(errors.InternalServiceException("Internal error in the emulator"))


# ------------------------------------------------------------------------------------------
# WSGI
# ------------------------------------------------------------------------------------------


def _status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _raw_path(environ: Mapping[str, Any]) -> str:
    # werkzeug has percent-decoded PATH_INFO; ARNs in labels need the path as sent.
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not raw:
        return environ.get("PATH_INFO", "/")
    if "://" in raw:
        raw = "/" + raw.split("://", 1)[1].split("/", 1)[-1]
    return raw.split("?", 1)[0]


class _EnvironHeaders(Mapping[str, str]):
    """Lower-case header lookups straight from the environ, without building a dict per request."""

    def __init__(self, environ: Mapping[str, Any]) -> None:
        self._environ = environ

    def __getitem__(self, name: str) -> str:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            return self._environ[key]
        return self._environ["HTTP_" + key]

    def __iter__(self) -> Any:
        return (k[5:].lower().replace("_", "-") for k in self._environ if k.startswith("HTTP_"))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _read_body(environ: Mapping[str, Any]) -> bytes:
    if not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
        return environ["wsgi.input"].read()  # chunked upload: werkzeug ends the stream for us
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _signed_path(environ: Mapping[str, Any]) -> str:
    # What the client signed: the path as sent (ARNs percent-encoded) and the query string.
    query = environ.get("QUERY_STRING", "")
    return _raw_path(environ) + (f"?{query}" if query else "")


def _resource_of(labels: Mapping[str, str], region: str, account_id: str) -> str:
    """The ARN a request acts on, as far as the path tells: the instance, or the tagged resource.

    Amazon authorises most Connect actions on the sub-resource's ARN (instance/ID/agent/ID); the
    emulator stops at the instance, so a policy scoped to `instance/ID` or `instance/ID/*` works."""
    if labels.get("InstanceId"):
        instance = labels["InstanceId"]
        if instance.startswith("arn:"):
            return instance
        return f"arn:aws:connect:{region}:{account_id}:instance/{instance}"
    if labels.get("resourceArn"):
        return labels["resourceArn"]
    return "*"


def _is_instance_arn(arn: str | None) -> bool:
    """An instance's own ARN (`...:instance/<id>`), not one of its resources' (`.../queue/<id>`)."""
    return arn is not None and arn.split(":", 5)[-1].count("/") == 1 and arn.split(":", 5)[-1].startswith("instance/")


class EmulatorApp:
    """WSGI middleware: control endpoints, then throttle/faults/stats + answer for Connect."""

    def __init__(self, emulator: Emulator, moto_app: Callable[..., Any] | None = None) -> None:
        self.emulator = emulator
        self.moto_app = moto_app or adapter.moto_wsgi_app()
        self.control = ControlEndpoints(emulator)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_emulator/"):
            return self._send(start_response, *self.control(environ))
        scope = adapter.credential_scope(environ.get("HTTP_AUTHORIZATION"))
        if scope is None or scope[2] != "connect":
            return self.moto_app(environ, start_response)
        access_key, region, _ = scope
        account_id = adapter.account_for(access_key, environ.get("HTTP_X_MOTO_ACCOUNT_ID"))
        emulator = self.emulator
        method = environ["REQUEST_METHOD"]
        raw_path = _raw_path(environ)
        match = emulator.protocol.match(method, raw_path)
        if match is None:
            error = errors.UnknownOperationException(f"No Connect operation matches {method} {raw_path}")
            emulator.stats.record("Unknown", error=error.code)
            return self._send(start_response, *emulator.protocol.error_response(error))
        operation, labels = match

        body: bytes | None = None
        if emulator.iam_auth:
            # Amazon authenticates and authorises before it throttles or serves anything.
            body = _read_body(environ)
            try:
                adapter.authorize(
                    operation,
                    method,
                    _signed_path(environ),
                    dict(EnvironHeaders(environ)),
                    body,
                    account_id,
                    _resource_of(labels, region, account_id),
                )
            except errors.ConnectError as error:
                emulator.stats.record(operation, error=error.code)
                return self._send(start_response, *emulator.protocol.error_response(error))

        if not emulator.throttle.allow(account_id, region, operation):
            emulator.stats.record(operation, error="ThrottlingException")
            throttled = errors.ThrottlingException("Rate exceeded")
            return self._send(start_response, *emulator.protocol.error_response(throttled))

        decision = emulator.faults.decide(operation)
        if decision.delay:
            time.sleep(decision.delay)
        if decision.fault is not None:
            return self._inject(decision.fault, operation, environ, start_response)

        if body is None:
            body = _read_body(environ)
        status, headers, payload = emulator.answer(
            operation, labels, environ.get("QUERY_STRING", ""), _EnvironHeaders(environ), body, account_id, region
        )
        error_code = None
        if status >= 400:
            error_code = next((v for k, v in headers if k == "x-amzn-ErrorType"), "Unknown")
        emulator.stats.record(operation, error=error_code, instance_tag=_is_instance_arn(labels.get("resourceArn")))
        return self._send(start_response, status, headers, payload)

    def _inject(
        self, fault: str, operation: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        protocol = self.emulator.protocol
        if fault == "drop":
            self.emulator.stats.record(operation, error="ConnectionDropped")
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            # werkzeug treats ConnectionError as "client went away" and writes nothing more.
            raise ConnectionAbortedError("connect_emulator: injected dropped connection")
        error: errors.ConnectError
        if fault == "throttle":
            error = errors.ThrottlingException("Rate exceeded")
        else:
            error = errors.InternalServiceException("We encountered an internal error. Please try again.")
        self.emulator.stats.record(operation, error=error.code)
        return self._send(start_response, *protocol.error_response(error))

    @staticmethod
    def _send(start_response: StartResponse, status: int, headers: list[tuple[str, str]], body: bytes) -> list[bytes]:
        start_response(_status_line(status), [*headers, ("Content-Length", str(len(body)))])
        return [body]


class ControlEndpoints:
    """`/_emulator/*`: what a test, a rehearsal or a user's shell needs to steer the emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(self, environ: dict[str, Any]) -> Response:
        method = environ["REQUEST_METHOD"]
        name = environ.get("PATH_INFO", "")[len("/_emulator/") :].strip("/")
        if method == "GET" and name.startswith("prompt-file/"):
            return self.get_prompt_file(name[len("prompt-file/") :])
        try:
            body = _read_body(environ)
            document = json.loads(body) if body else {}
            handler = getattr(self, f"{method.lower()}_{name.replace('-', '_')}", None)
            if handler is None:
                return _json(404, {"Message": f"no control endpoint {method} /_emulator/{name}"})
            return _json(200, handler(document))
        except errors.ConnectError as error:
            return self.emulator.protocol.error_response(error)
        except (ValueError, TypeError, KeyError) as exc:
            return _json(400, {"Message": f"{type(exc).__name__}: {exc}"})

    def get_prompt_file(self, token: str) -> Response:
        """The audio behind a GetPromptFile URL (Amazon's is a presigned S3 URL; this one does not expire)."""
        finder = getattr(self.emulator.domain, "prompt_file", None)
        audio = finder(token) if finder is not None else None
        if audio is None:
            return _json(404, {"Message": "no prompt file for this URL"})
        return 200, [("Content-Type", "audio/wav"), ("x-amzn-RequestId", str(uuid.uuid4()))], audio

    def get_health(self, _: Any) -> dict[str, Any]:
        return {"status": "ok", "domain_operations": len(self.emulator.domain_operations)}

    def get_stats(self, _: Any) -> dict[str, Any]:
        return self.emulator.stats.snapshot()

    def delete_stats(self, _: Any) -> dict[str, Any]:
        self.emulator.stats.reset()
        return {}

    def post_reset(self, _: Any) -> dict[str, Any]:
        self.emulator.reset()
        return {}

    def get_state(self, _: Any) -> dict[str, Any]:
        return _jsonable(self.emulator.dump_state())

    def put_state(self, document: dict[str, Any]) -> dict[str, Any]:
        self.emulator.load_state(document)
        return {}

    def get_config(self, _: Any) -> dict[str, Any]:
        return {
            "throttle": self.emulator.throttle.describe(),
            "faults": self.emulator.faults.config.to_dict(),
            "validate_output": self.emulator.protocol.validate_output,
            "iam_auth": self.emulator.iam_auth,
        }

    def put_config(self, document: dict[str, Any]) -> dict[str, Any]:
        """{"throttle": "aws" | 20 | {"mode": ..., "rates": {...}}, "faults": "spec" | {...},
        "quotas": [{"account_id", "region", "instance_id", "quota", "value"}], "validate_output": bool,
        "iam_auth": bool}"""
        emulator = self.emulator
        if "throttle" in document:
            throttle = document["throttle"]
            if isinstance(throttle, dict):
                emulator.throttle.configure(throttle.get("mode"), throttle.get("rates"))
            else:
                emulator.throttle.configure(throttle)
        if "faults" in document:
            faults = document["faults"]
            config = FaultConfig.from_dict(faults) if isinstance(faults, dict) else FaultConfig.parse(faults)
            emulator.faults.configure(config)
        for quota in document.get("quotas", []):
            emulator.set_quota(
                quota.get("account_id", DEFAULT_ACCOUNT_ID),
                quota["region"],
                quota["instance_id"],
                quota["quota"],
                int(quota["value"]),
            )
        if "validate_output" in document:
            emulator.protocol.validate_output = bool(document["validate_output"])
        if "iam_auth" in document:
            emulator.iam_auth = bool(document["iam_auth"])
        return self.get_config({})

    def post_seed(self, document: dict[str, Any]) -> dict[str, Any]:
        from connect_emulator.seed import seed

        return seed(
            self.emulator,
            scenario=document.get("scenario", "demo"),
            users=int(document.get("users", 200)),
            seed=int(document.get("seed", 7)),
        )


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_json_default))


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _json(status: int, document: Any) -> Response:
    body = json.dumps(document, default=_json_default).encode()
    return status, [("Content-Type", "application/json"), ("x-amzn-RequestId", str(uuid.uuid4()))], body


# ------------------------------------------------------------------------------------------
# Server
# ------------------------------------------------------------------------------------------


class _QuietHandler(adapter.REQUEST_HANDLER):
    """moto's request handler without a log line per request (that costs throughput and hides output)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if log.isEnabledFor(logging.DEBUG):
            super().log_request(code, size)


class EmulatorServer:
    """A threaded HTTP server for an Emulator; `start()` runs it in a daemon thread."""

    def __init__(self, emulator: Emulator | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator or Emulator()
        self.app = EmulatorApp(self.emulator)
        self._server: BaseWSGIServer = make_server(host, port, self.app, threaded=True, request_handler=_QuietHandler)
        self._thread: threading.Thread | None = None
        if hasattr(self.emulator.domain, "file_url_base"):
            self.emulator.domain.file_url_base = self.endpoint  # GetPromptFile's URLs lead here

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self._server.serve_forever, name="connect-emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
