# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Claim, in the target, a number for each source number nothing maps (connect_claim_phone_numbers).

The planner never writes numbers (PHONE_NUMBERS is `mapped_only`): a number is mapped by its E.164 or
through the phone map. With `claim_phone_numbers`, a source number that maps to nothing gets a number of
its own in the target before the preflight: the first that `SearchAvailablePhoneNumbers` offers of the
same country and type (and the prefix, if one is given).

A claimed number carries the tag `ccaas-connect:claimed-for` = the source number. That tag is how a rerun
knows what an earlier run claimed (the ledger is per run; the target is the truth): a target number with
the tag maps its source number, and nothing is claimed for it again. Tags come only from
`DescribePhoneNumber`, one call per target number, read only when some source number is still unmapped.

Each claim is a create as the ledger knows it (_ledger.py): an `intent` before `ClaimPhoneNumber` is sent,
a `created` record (ID, ARN) after, so a rollback releases the number (`ReleasePhoneNumber`). An answer
that is lost is settled by reading the target: the picked number there with our tag is ours; otherwise
the item fails, named, and the intent is closed as `abandoned`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._client import reading
from ._ledger import ABANDONED, INTENT, Ledger
from ._reader import Reader
from ._resources import PHONE_NUMBERS

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore itself

CLAIMED_FOR_TAG = "ccaas-connect:claimed-for"
CLAIM_API = "ClaimPhoneNumber"
SEARCH_MAX_RESULTS = 10  # SearchAvailablePhoneNumbers' largest page


class ClaimError(Exception):
    """One source number that could not get a number, with the reason an operator can act on."""


@dataclass
class Claims:
    """What claiming found and did. `claimed`: source -> target E.164, claimed now or by an earlier run."""

    claimed: dict[str, str] = field(default_factory=dict)
    to_claim: list[dict[str, Any]] = field(default_factory=list)  # {source, country_code, type}
    results: list[dict[str, Any]] = field(default_factory=list)  # {source, number, action, id, arn}
    failures: list[dict[str, Any]] = field(default_factory=list)  # {source, reason}

    @property
    def changed(self) -> bool:
        return any(r["action"] == "claimed" for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        return {
            "claimed": dict(self.claimed),
            "to_claim": list(self.to_claim),
            "results": list(self.results),
            "failures": list(self.failures),
        }


def _tags(target: Reader, record: Mapping[str, Any]) -> dict[str, str]:
    if "Tags" in record:  # a reader that described every number already (Reader(complete=True))
        return dict(record.get("Tags") or {})
    described = target.describe(PHONE_NUMBERS, record["Id"], PHONE_NUMBERS.describe)
    return dict(described.get("Tags") or {})


def claimed_before(target: Reader, sources: set[str]) -> dict[str, str]:
    """source -> target E.164 of the target's numbers an earlier run claimed for one of `sources`."""
    if not sources:
        return {}
    found: dict[str, str] = {}
    for number, record in target.records(PHONE_NUMBERS.key).items():
        source = _tags(target, record).get(CLAIMED_FOR_TAG)
        if source in sources:
            found.setdefault(source, number)
    return found


def plan_claims(
    resources: Mapping[str, Any], phone_map: Mapping[str, str], target: Reader
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """(source -> number an earlier run claimed for it, the bundle's items that still need a number).

    A source number needs one when the phone map does not map it and the target has not claimed the same
    E.164 (a ported number) nor a number tagged as claimed for it.
    """
    numbers = target.records(PHONE_NUMBERS.key)
    items = [
        item
        for item in resources.get(PHONE_NUMBERS.key) or []
        if str(item.get("phone_number")) not in phone_map and str(item.get("phone_number")) not in numbers
    ]
    before = claimed_before(target, {str(item["phone_number"]) for item in items})
    return before, [item for item in items if str(item["phone_number"]) not in before]


def _offered(target: Reader, item: Mapping[str, Any], prefix: str | None, taken: set[str]) -> str:
    source, country, kind = item["phone_number"], item.get("country_code"), item.get("type")
    if not country or not kind:
        raise ClaimError(f"phone number {source}: the bundle gives no country_code and type to claim one like it")
    params: dict[str, Any] = {
        "TargetArn": target.instance_arn,
        "PhoneNumberCountryCode": country,
        "PhoneNumberType": kind,
        "MaxResults": SEARCH_MAX_RESULTS,
    }
    if prefix:
        params["PhoneNumberPrefix"] = prefix
    answer = reading(lambda: target.client.search_available_phone_numbers(**params))
    for offer in answer.get("AvailableNumbersList") or []:
        if offer.get("PhoneNumber") and offer["PhoneNumber"] not in taken:
            return str(offer["PhoneNumber"])
    with_prefix = f" with prefix {prefix}" if prefix else ""
    raise ClaimError(f"phone number {source}: no {country} {kind} number is available{with_prefix}")


def _ours(target: Reader, number: str, source: str) -> dict[str, Any] | None:
    """The target's record of `number` if it is there and tagged as claimed for `source`."""
    record = target.reread(PHONE_NUMBERS.key).records(PHONE_NUMBERS.key).get(number)
    if record is None or _tags(target, record).get(CLAIMED_FOR_TAG) != source:
        return None
    return record


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{CLAIM_API}: {error.get('Code', 'Error')}: {error.get('Message', str(exc))}"
    return f"{CLAIM_API}: {exc}"


def claim_one(
    target: Reader,
    item: Mapping[str, Any],
    prefix: str | None,
    ledger: Ledger | None,
    taken: set[str],
) -> dict[str, Any]:
    """Claim a number like `item`'s; its result, or ClaimError naming the source number."""
    source = str(item["phone_number"])
    pick = _offered(target, item, prefix, taken)
    taken.add(pick)
    tags = {**(item.get("tags") or {}), CLAIMED_FOR_TAG: source}
    params: dict[str, Any] = {"TargetArn": target.instance_arn, "PhoneNumber": pick, "Tags": tags}
    if item.get("description"):
        params["PhoneNumberDescription"] = item["description"]
    record: dict[str, Any] = {"type": PHONE_NUMBERS.key, "name": pick, "api": CLAIM_API}
    append: Callable[[dict[str, Any]], None] = ledger.append if ledger is not None else (lambda _entry: None)
    append({**record, "action": INTENT, "instance": target.instance_id})
    note = None
    try:
        answer = target.client.claim_phone_number(**params)
        made = {"Id": answer.get("PhoneNumberId"), "Arn": answer.get("PhoneNumberArn")}
    except (ClientError, BotoCoreError) as exc:
        # The claim may have been made and its answer lost: the target says, never a guess.
        found = _ours(target, pick, source)
        if found is None:
            reason = f"phone number {source}: {_reason(exc)}; the target has not claimed {pick} for it"
            append({**record, "action": ABANDONED, "reason": reason})
            raise ClaimError(reason) from None
        made, note = {"Id": found["Id"], "Arn": found["Arn"]}, "answer lost; found claimed in the target"
    after = {
        "phone_number": pick,
        "country_code": item.get("country_code"),
        "type": item.get("type"),
        **({"description": item["description"]} if item.get("description") else {}),
        "tags": tags,
    }
    append({**record, "action": "created", "id": made["Id"], "arn": made["Arn"], "before": {}, "after": after})
    target.add(PHONE_NUMBERS.key, pick, {"PhoneNumber": pick, **made})
    return {"source": source, "number": pick, "action": "claimed", "id": made["Id"], "arn": made["Arn"]} | (
        {"note": note} if note else {}
    )


def claim_numbers(
    resources: Mapping[str, Any],
    phone_map: Mapping[str, str],
    target: Reader,
    *,
    prefix: str | None = None,
    ledger: Ledger | None = None,
    check_mode: bool = False,
) -> Claims:
    """Claim what the target lacks (see the module docstring); in check mode, only say what that is.

    One source number that cannot get a number does not stop the others.
    """
    before, needed = plan_claims(resources, phone_map, target)
    result = Claims(claimed=dict(before))
    for source, number in before.items():
        result.results.append({"source": source, "number": number, "action": "claimed before"})
    result.to_claim = [
        {"source": str(i["phone_number"]), "country_code": i.get("country_code"), "type": i.get("type")} for i in needed
    ]
    if check_mode:
        return result
    taken: set[str] = set()
    for item in needed:
        try:
            done = claim_one(target, item, prefix, ledger, taken)
        except ClaimError as exc:
            result.failures.append({"source": str(item["phone_number"]), "reason": str(exc)})
            continue
        result.claimed[done["source"]] = done["number"]
        result.results.append(done)
    result.to_claim = [c for c in result.to_claim if c["source"] not in result.claimed]
    return result
