# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module that calls Amazon Connect does around its own work, once.

`run_module()` builds the paced, counted client (`connect_client`), names the task's instance
(`describe_instance`), runs the module's body and exits with the result the body returns. Any
`CcaasError` the body raises fails the task with its message and result fields, and a botocore
error fails it through `fail_json_aws`; both with the API calls made so far, so a failed task
says what it cost like a successful one. A module has no `except` ladder of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ._client import CallStats, connect_client
from ._errors import CcaasError
from ._instance import describe_instance

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore itself


@dataclass
class Session:
    """What a module's body works with: its module, the client, the call counts and the instance."""

    module: Any
    client: Any
    stats: CallStats
    instance: dict[str, Any]

    @property
    def params(self) -> dict[str, Any]:
        return self.module.params

    @property
    def instance_id(self) -> str:
        return self.instance["Id"]


@contextmanager
def failures(
    module: Any, stats: CallStats | None = None, aws_failure: str = "Amazon Connect refused a call"
) -> Iterator[None]:
    """Fail the task cleanly for an error the collection raises or botocore raises, inside the block.

    Without `stats` (before any client exists, such as while a bundle is validated) the result has no
    `api_calls`; nothing was called.
    """
    calls = (lambda: {"api_calls": stats.as_dict()}) if stats is not None else dict
    try:
        yield
    except CcaasError as exc:
        module.fail_json(**{**exc.result, "msg": exc.msg, **calls()})
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        module.fail_json_aws(exc, msg=aws_failure, **calls())


def run_module(
    module: Any,
    body: Callable[[Session], Mapping[str, Any]],
    *,
    aws_failure: str = "Failed to read the target instance",
    **client_options: Any,
) -> None:
    """Run `body` against the task's instance (`instance` option) and exit the module with its result.

    `client_options` go to `connect_client` (a shared limiter, a pool size). The result gets the
    task's `api_calls`; `changed` is False unless the body says otherwise.
    """
    client, stats = connect_client(module, **client_options)
    with failures(module, stats, aws_failure):
        session = Session(module, client, stats, describe_instance(client, module.params["instance"]))
        result = dict(body(session))
    module.exit_json(**{"changed": False, **result, "api_calls": stats.as_dict()})
