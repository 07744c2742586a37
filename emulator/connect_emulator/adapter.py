"""The one module that touches moto's private API.

moto serves Connect instances (Create/Describe/List/DeleteInstance) and keeps their tags; the
emulator adds everything else. Keeping every moto import here means a moto upgrade (or moving the
emulator to another host) is a change to this file only. Do not rename this module to anything
starting with "moto": moto decides how to serialise errors from the handler's module name.
"""

from __future__ import annotations

import builtins
import os
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, cast

from moto.connect import urls as connect_urls
from moto.connect.models import ConnectBackend, Instance, connect_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.exceptions import InvalidToken
from moto.core.responses import BaseResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.s3.exceptions import MissingBucket
from moto.s3.models import S3Backend, s3_backends
from moto.utilities.utils import get_partition

from connect_emulator import errors
from connect_emulator.instances import InstanceInfo

# The operations moto serves itself; everything else of the Connect model is the domain's.
MOTO_OPERATIONS = frozenset({"CreateInstance", "DescribeInstance", "ListInstances", "DeleteInstance"})

_ACCESS_KEY = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/")

# (method, raw_path, raw_query, headers, body, account_id, region) -> (status, headers, body)
WireHandler = Callable[[str, str, str, Any, bytes, str, str], tuple[int, list[tuple[str, str]], bytes]]

_active_handler: WireHandler | None = None
_install_lock = threading.Lock()
_installed: set[str] = set()


# --------------------------------------------------------------------------------------------
# Requests: who is calling, where
# --------------------------------------------------------------------------------------------


def credential_scope(authorization: str | None) -> tuple[str, str, str] | None:
    """(access key, region, service) from a SigV4 Authorization header."""
    if not authorization:
        return None
    match = _ACCESS_KEY.search(authorization)
    return (match.group(1), match.group(2), match.group(3)) if match else None


def account_for(access_key: str | None, header_account: str | None = None) -> str:
    """The account moto would attribute the request to, so domain and instances agree."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    if header_account:
        return header_account
    if not access_key:
        return DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from

    return get_account_id_from(access_key)


# --------------------------------------------------------------------------------------------
# Routes on moto's connect service
# --------------------------------------------------------------------------------------------


class EmulatorResponse(BaseResponse):
    """moto's entry point for the domain's routes (used when a request reaches moto's own app,
    e.g. under `mock_aws()` in-process; the HTTP server's middleware answers them before moto)."""

    def __init__(self) -> None:
        super().__init__(service_name="connect")

    @classmethod
    def dispatch(cls, request: Any, full_url: str, headers: Any) -> Any:
        handler = _active_handler
        if handler is None:
            raise RuntimeError("connect_emulator: no Emulator is active (create one before serving requests)")
        scope = credential_scope(request.headers.get("Authorization"))
        access_key, region = (scope[0], scope[1]) if scope else (None, "us-east-1")
        account_id = account_for(access_key, request.headers.get("x-moto-account-id"))
        status, response_headers, body = handler(
            request.method,
            request.raw_path,
            request.query_string.decode(),
            request.headers,
            request.get_data(),
            account_id,
            region,
        )
        return status, dict(response_headers), body


def _route_regex(request_uri: str) -> str:
    path = request_uri.split("?", 1)[0]
    if path.startswith("/tags/"):
        # ARNs contain '/', and werkzeug has decoded %2F before moto's router sees the path.
        return "{0}/tags/(?P<resourceArn>.+)$"
    pattern = re.sub(r"\{([^}+]+)\+?\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", path)
    return "{0}" + pattern + "$"


def install_routes(operations: Iterable[str], handler: WireHandler) -> None:
    """Point moto's connect routes for `operations` at `handler`.

    moto builds its per-service Flask app (and the mock_aws URL table) from `url_paths` the first
    time it serves that service, so this must run before the first Connect request.
    """
    global _active_handler
    from connect_emulator.protocol import service_model

    model = service_model()
    with _install_lock:
        _active_handler = handler
        for operation in operations:
            if operation in MOTO_OPERATIONS or operation in _installed:
                continue
            regex = _route_regex(model.operation_model(operation).http["requestUri"])
            connect_urls.url_paths[regex] = EmulatorResponse.dispatch
            _installed.add(operation)


def moto_wsgi_app() -> DomainDispatcherApplication:
    return DomainDispatcherApplication(create_backend_app)


REQUEST_HANDLER = MotoRequestHandler


# --------------------------------------------------------------------------------------------
# Instances
# --------------------------------------------------------------------------------------------


def _backend(account_id: str, region: str) -> ConnectBackend:
    return connect_backends[account_id][region]


def _instance_id(instance_id_or_arn: str) -> str:
    if instance_id_or_arn.startswith("arn:"):
        return instance_id_or_arn.rsplit("instance/", 1)[-1].split("/", 1)[0]
    return instance_id_or_arn


def _info(instance: Instance, account_id: str, region: str) -> InstanceInfo:
    return InstanceInfo(
        id=instance.id,
        arn=instance.arn,
        alias=instance.instance_alias,
        identity_management_type=instance.identity_management_type,
        account_id=account_id,
        region=region,
    )


class MotoInstanceDirectory:
    """`InstanceDirectory` over moto's connect backends."""

    def get(self, account_id: str, region: str, instance_id: str) -> InstanceInfo | None:
        instance = _backend(account_id, region).instances.get(_instance_id(instance_id))
        return _info(instance, account_id, region) if instance is not None else None

    def list(self, account_id: str, region: str) -> list[InstanceInfo]:
        instances = sorted(_backend(account_id, region).instances.values(), key=lambda i: (i.created_time, i.id))
        return [_info(i, account_id, region) for i in instances]

    def by_alias(self, account_id: str, region: str, alias: str) -> InstanceInfo | None:
        for instance in _backend(account_id, region).instances.values():
            if instance.instance_alias == alias:
                return _info(instance, account_id, region)
        return None

    def tag_instance(self, account_id: str, region: str, instance_arn: str, tags: dict[str, str]) -> None:
        _backend(account_id, region).tag_resource(instance_arn, tags)

    def untag_instance(self, account_id: str, region: str, instance_arn: str, tag_keys: builtins.list[str]) -> None:
        _backend(account_id, region).untag_resource(instance_arn, tag_keys)

    def list_instance_tags(self, account_id: str, region: str, instance_arn: str) -> dict[str, str]:
        return _backend(account_id, region).list_tags_for_resource(instance_arn)


def call_instance_operation(operation: str, params: dict[str, Any], account_id: str, region: str) -> dict[str, Any]:
    """Run one of MOTO_OPERATIONS in-process, with the wire's output shape (timestamps as datetime)."""
    backend = _backend(account_id, region)
    if operation == "CreateInstance":
        alias = params.get("InstanceAlias")
        if alias and any(i.instance_alias == alias for i in backend.instances.values()):
            # Aliases are unique per account and Region; CreateInstance's model offers
            # InvalidRequestException (not DuplicateResource) for a refused request.
            raise errors.InvalidRequestException(f"Instance alias {alias} is already in use")
        return backend.create_instance(
            identity_management_type=params["IdentityManagementType"],
            inbound_calls_enabled=params.get("InboundCallsEnabled", False),
            outbound_calls_enabled=params.get("OutboundCallsEnabled", False),
            instance_alias=alias,
            tags=params.get("Tags"),
        )
    instance = backend.instances.get(_instance_id(params.get("InstanceId", "")))
    if operation == "ListInstances":
        try:
            # moto's @paginate turns the method's list into (page, next token); its annotation does not say so.
            summaries, token = cast(
                tuple[list[dict[str, Any]], str | None],
                backend.list_instances(max_results=params.get("MaxResults"), next_token=params.get("NextToken")),
            )
        except InvalidToken:
            raise errors.InvalidParameterException("The NextToken is not valid") from None
        for summary in summaries:
            summary["CreatedTime"] = backend.instances[summary["Id"]].created_time
        return {"InstanceSummaryList": summaries, "NextToken": token}
    if instance is None:
        raise errors.ResourceNotFoundException(f"Instance with id {params.get('InstanceId')} not found")
    if operation == "DescribeInstance":
        described = _with_datetime(instance.to_dict(), instance)
        # moto reports only the tags given at creation; TagResource/UntagResource change the tagger.
        described["Tags"] = backend.list_tags_for_resource(instance.arn) or None
        return {"Instance": described}
    if operation == "DeleteInstance":
        backend.delete_instance(instance.id)
        return {}
    raise errors.NotImplementedOperation(f"{operation} is not served by moto")


def _with_datetime(record: dict[str, Any], instance: Instance) -> dict[str, Any]:
    # moto renders CreatedTime as ISO text; the protocol layer wants datetimes (epoch on the wire).
    record["CreatedTime"] = instance.created_time
    return record


def dump_instances() -> list[dict[str, Any]]:
    """Every instance of every account/region, enough to recreate them with the same IDs."""
    out: list[dict[str, Any]] = []
    for account_id, by_region in list(connect_backends.items()):
        for region, backend in list(by_region.items()):
            for instance in backend.instances.values():
                out.append(
                    {
                        "AccountId": account_id,
                        "Region": region,
                        "Id": instance.id,
                        "InstanceAlias": instance.instance_alias,
                        "IdentityManagementType": instance.identity_management_type,
                        "InboundCallsEnabled": instance.inbound_calls_enabled,
                        "OutboundCallsEnabled": instance.outbound_calls_enabled,
                        "CreatedTime": instance.created_time.isoformat(),
                        "Tags": backend.list_tags_for_resource(instance.arn),
                    }
                )
    return out


def load_instances(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        account_id, region = record["AccountId"], record["Region"]
        backend = _backend(account_id, region)
        instance = Instance(
            identity_management_type=record["IdentityManagementType"],
            inbound_calls_enabled=record.get("InboundCallsEnabled", True),
            outbound_calls_enabled=record.get("OutboundCallsEnabled", True),
            account_id=account_id,
            region=region,
            instance_alias=record.get("InstanceAlias"),
        )
        # Keep the exported ID: every ARN in the domain's state refers to it.
        instance.id = record["Id"]
        instance.arn = f"arn:aws:connect:{region}:{account_id}:instance/{instance.id}"
        instance.instance_access_url = f"https://{instance.instance_alias or instance.id}.my.connect.aws"
        if record.get("CreatedTime"):
            instance.created_time = datetime.fromisoformat(record["CreatedTime"])
        if instance.created_time.tzinfo is None:
            instance.created_time = instance.created_time.replace(tzinfo=UTC)
        backend.instances[instance.id] = instance
        if record.get("Tags"):
            backend.tag_resource(instance.arn, record["Tags"])


def reset_instances() -> None:
    for by_region in list(connect_backends.values()):
        for backend in list(by_region.values()):
            backend.reset()


# --------------------------------------------------------------------------------------------
# S3: the objects prompts are made from
# --------------------------------------------------------------------------------------------


def _s3(account_id: str, region: str = "us-east-1") -> S3Backend:
    return s3_backends[account_id][get_partition(region)]


class MotoObjectStore:
    """`ObjectStore` over moto's S3 backend: what an `s3` client pointed at the emulator wrote."""

    def get_object(self, account_id: str, bucket: str, key: str) -> bytes | None:
        try:
            found = _s3(account_id).get_object(bucket, key)
        except MissingBucket:
            return None
        return None if found is None else bytes(found.value)

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None:
        backend = _s3(account_id, region)
        try:
            backend.get_bucket(bucket)
        except MissingBucket:
            backend.create_bucket(bucket, region)
        backend.put_object(bucket, key, bytes(body))


def reset_objects() -> None:
    for by_partition in list(s3_backends.values()):
        for backend in list(by_partition.values()):
            backend.reset()


# --------------------------------------------------------------------------------------------
# IAM: who may call what (`--iam-auth`)
# --------------------------------------------------------------------------------------------


def authorize(
    operation: str, method: str, path: str, headers: Any, body: bytes, account_id: str, resource: str
) -> None:
    """Check one Connect request against the caller's IAM policies in moto's IAM backend.

    moto's own check (`ActionAuthenticatorMixin`, switched on by INITIAL_NO_AUTH_ACTION_COUNT) never
    sees a Connect request: the emulator's middleware answers them before moto's app. So the same
    moto machinery is called here: the access key must belong to an IAM user (or assumed role) of the
    account, the SigV4 signature must verify with its secret, and the user's inline, attached and
    group policies must allow `connect:<Operation>` on `resource` with no explicit Deny. moto's
    errors are turned into the ones Amazon Connect answers with.
    """
    from moto.core.exceptions import AccessDeniedError, InvalidClientTokenIdError, SignatureDoesNotMatchError
    from moto.iam.access_control import IAMRequest

    action = f"connect:{operation}"
    request: IAMRequest | None = None
    try:
        request = IAMRequest(
            account_id=account_id, method=method, path=path, data={}, body=body, headers=headers, action=operation
        )
        request.check_signature()
        request.check_action_permitted(resource)
    except InvalidClientTokenIdError:
        raise errors.UnrecognizedClientException("The security token included in the request is invalid.") from None
    except SignatureDoesNotMatchError:
        raise errors.InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        ) from None
    except AccessDeniedError:
        # Amazon's wording for an identity-based denial, which names the principal, action and resource.
        principal = request._access_key.arn if request is not None else "unknown"
        raise errors.AccessDeniedException(
            f"User: {principal} is not authorized to perform: {action} on resource: {resource} "
            f"because no identity-based policy allows the {action} action"
        ) from None
