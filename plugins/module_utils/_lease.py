# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run at a time writes to a target: a lease held as a tag on the target instance.

Two runs may start on two machines, so the lease must live where both can see it: the instance's own
tags (TagResource on the instance ARN; only `aws:` keys are reserved). Connect has no conditional write,
so the lease is taken with a read-after-write check: read, write ours, wait `settle` seconds, read
again. Tag writes are last-writer-wins, so when two runs write at once both re-read the same value and
only one sees itself. The check holds as long as no run takes longer than `settle` between its read and
its write, which is one API call; `acquire()` measures its own gap and gives the lease back when it was
too slow to be sure.

The tag value is `<run_id>|<holder>|<since>|<until>|<token>` (TagValue allows 256 characters and has no
pattern): the token tells two runs apart that started in the same second and so share a run id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ._errors import CcaasError

LEASE_TAG = "ccaas:lease"
TAG_VALUE_MAX = 256
_TIME = "%Y-%m-%dT%H:%M:%SZ"
_SEP = "|"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _fmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_TIME)


class LeaseError(CcaasError):
    """The lease could not be taken: the message says who holds it and what the operator can do."""

    def __init__(self, message: str, holder: Lease | None = None) -> None:
        super().__init__(message, held=False, held_by=holder.as_dict() if holder else None)
        self.holder = holder


@dataclass(frozen=True)
class Lease:
    run_id: str
    holder: str
    since: datetime
    until: datetime | None  # None: a value this code cannot read (treated as held, and stealable)
    token: str = ""

    def encode(self) -> str:
        fields = [self.run_id, self.holder, _fmt(self.since), _fmt(self.until) if self.until else "", self.token]
        value = _SEP.join(f.replace(_SEP, "/") for f in fields)
        if len(value) > TAG_VALUE_MAX:
            raise ValueError(f"the lease tag value is {len(value)} characters, more than the {TAG_VALUE_MAX} allowed")
        return value

    @classmethod
    def decode(cls, value: str) -> Lease:
        parts = value.split(_SEP)
        try:
            since = datetime.strptime(parts[2], _TIME).replace(tzinfo=UTC)
            until = datetime.strptime(parts[3], _TIME).replace(tzinfo=UTC)
            return cls(parts[0], parts[1], since, until, parts[4] if len(parts) > 4 else "")
        except (IndexError, ValueError):
            return cls(value[:64] or "?", "unknown", datetime.fromtimestamp(0, UTC), None)

    def owned_by(self, run_id: str, token: str) -> bool:
        return self.run_id == run_id and self.token == token

    def expired(self, now: datetime) -> bool:
        return self.until is None or now >= self.until

    def describe(self) -> str:
        until = _fmt(self.until) if self.until else "an unreadable time"
        return f"run {self.run_id} (holder {self.holder}) since {_fmt(self.since)}, expiring {until}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "holder": self.holder,
            "since": _fmt(self.since),
            "until": _fmt(self.until) if self.until else None,
        }


def read_lease(client: Any, arn: str, key: str = LEASE_TAG) -> Lease | None:
    value = (client.list_tags_for_resource(resourceArn=arn).get("tags") or {}).get(key)
    return Lease.decode(value) if value else None


def check_held(client: Any, arn: str, run_id: str, token: str, key: str = LEASE_TAG) -> Lease:
    """The lease, if `run_id` (with `token`) still holds it; LeaseError naming the holder otherwise.

    Every import task asks before it writes: a run whose lease expired and was taken over stops there."""
    current = read_lease(client, arn, key)
    if current is not None and current.owned_by(run_id, token):
        return current
    holder = current.describe() if current is not None else "nobody holds it"
    raise LeaseError(f"run {run_id} no longer holds the target's lease ({holder}); stopping before this task writes")


def _untag_command(arn: str, key: str) -> str:
    return f"aws connect untag-resource --resource-arn {arn} --tag-keys {key}"


def refusal(current: Lease, arn: str, now: datetime, steal: bool, key: str = LEASE_TAG) -> str | None:
    """Why a run may not take the lease `current` holds (None: it may), in words an operator can act on."""
    if not current.expired(now):
        return (
            f"the target is leased to another run: {current.describe()}; nothing was written. Wait for that run "
            f"to end. If it is no longer running (it was killed), its lease can be taken over after it expires "
            f"by rerunning with -e steal_lease=true, or freed now by removing the instance tag {key} "
            f"({_untag_command(arn, key)})"
        )
    if not steal:
        return (
            f"the target's lease has expired but was not released: {current.describe()}; nothing was written. "
            f"If that run is no longer running, rerun with -e steal_lease=true to take the lease over"
        )
    return None


def acquire(
    client: Any,
    arn: str,
    run_id: str,
    holder: str,
    duration: int,
    token: str = "",
    steal: bool = False,
    settle: float = 2.0,
    key: str = LEASE_TAG,
    now: Callable[[], datetime] = utcnow,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Take (or renew, for the same run and token) the lease; raise LeaseError when another run holds it.

    Returns {"lease": Lease, "renewed": bool, "stolen": Lease | None}.
    """
    read_at = clock()
    current = read_lease(client, arn, key)
    moment = now()
    renewing = current is not None and current.owned_by(run_id, token)
    stolen = None
    if current is not None and not renewing:
        why = refusal(current, arn, moment, steal, key)
        if why:
            raise LeaseError(why, current)
        stolen = current
    mine = Lease(
        run_id, holder, current.since if renewing and current else moment, moment + timedelta(seconds=duration), token
    )
    client.tag_resource(resourceArn=arn, tags={key: mine.encode()})
    gap = clock() - read_at
    sleep(settle)
    after = read_lease(client, arn, key)
    if after is None or after.encode() != mine.encode():
        winner = f": {after.describe()}" if after else " and released it"
        raise LeaseError(f"another run took the target's lease at the same moment{winner}; nothing was written", after)
    if gap >= settle:
        # A run that read "free" before our write and wrote after our re-read would hold it too; we cannot
        # tell, so we give ours back rather than risk two writers.
        client.untag_resource(resourceArn=arn, tagKeys=[key])
        raise LeaseError(
            f"taking the target's lease took {gap:.1f}s between its read and its write, longer than the "
            f"{settle:.1f}s settle time, so it could not be sure to be the only holder; nothing was written. "
            f"Rerun, or raise the settle time"
        )
    return {"lease": mine, "renewed": renewing, "stolen": stolen}


def release(client: Any, arn: str, run_id: str, token: str = "", key: str = LEASE_TAG) -> tuple[bool, Lease | None]:
    """Remove the lease when this run holds it. Returns (released, the lease found); another run's lease
    is left alone (it was stolen after ours expired, or never ours)."""
    current = read_lease(client, arn, key)
    if current is None or not current.owned_by(run_id, token):
        return False, current
    client.untag_resource(resourceArn=arn, tagKeys=[key])
    return True, current
