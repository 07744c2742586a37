"""Phone numbers claimed to an instance. They belong to the account and region, not the instance."""

from __future__ import annotations

from typing import Any

from ..errors import (
    InvalidParameterException,
    ResourceInUseException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)
from . import quotas
from .registry import Ctx, operation
from .store import InstanceState, PhoneBook, Record, compact, new_id, now, paginate, tags_checked

# Calling codes to ISO country, matched longest first. Enough for the regions Connect runs in and
# the numbers a migration carries; an unknown code is refused like a number Amazon cannot offer.
COUNTRY_BY_CODE = {
    "1": "US", "7": "RU", "20": "EG", "27": "ZA", "30": "GR", "31": "NL", "32": "BE", "33": "FR", "34": "ES",
    "36": "HU", "39": "IT", "40": "RO", "41": "CH", "43": "AT", "44": "GB", "45": "DK", "46": "SE", "47": "NO",
    "48": "PL", "49": "DE", "51": "PE", "52": "MX", "54": "AR", "55": "BR", "56": "CL", "57": "CO", "60": "MY",
    "61": "AU", "62": "ID", "63": "PH", "64": "NZ", "65": "SG", "66": "TH", "81": "JP", "82": "KR", "84": "VN",
    "86": "CN", "90": "TR", "91": "IN", "351": "PT", "352": "LU", "353": "IE", "354": "IS", "358": "FI",
    "370": "LT", "371": "LV", "372": "EE", "420": "CZ", "421": "SK", "852": "HK", "886": "TW", "966": "SA",
    "971": "AE", "972": "IL", "974": "QA",
}  # fmt: skip
# Canadian area codes share +1; the common ones are told apart so CA numbers are not reported as US.
CANADA_AREA_CODES = frozenset({
    "204", "226", "236", "249", "250", "289", "306", "343", "365", "403", "416", "418", "431", "437", "438",
    "450", "506", "514", "519", "548", "579", "581", "587", "604", "613", "639", "647", "705", "709", "778",
    "780", "782", "807", "819", "825", "867", "873", "902", "905",
})  # fmt: skip
TOLL_FREE_PREFIXES = ("1800", "1833", "1844", "1855", "1866", "1877", "1888", "44800", "44808", "61180", "611800")


# What SearchAvailablePhoneNumbers offers: per (country, type), E.164 prefixes each followed by every
# combination of `digits` more digits. Fictional or drama ranges where a country has them (NANP 555-01xx,
# Ofcom's 020 7946 0xxx), so an emulated number never dials anyone; other countries and types offer none.
INVENTORY: dict[tuple[str, str], tuple[tuple[str, int], ...]] = {
    ("US", "DID"): tuple((f"+1{area}55501", 2) for area in ("206", "212", "312", "415", "646", "702")),
    ("US", "TOLL_FREE"): tuple((f"+1{code}55501", 2) for code in ("800", "833", "844", "855", "866", "877", "888")),
    ("CA", "DID"): tuple((f"+1{area}55501", 2) for area in ("416", "514", "604")),
    ("GB", "DID"): (("+442079460", 3), ("+441134960", 3), ("+441614960", 3)),
    ("GB", "TOLL_FREE"): (("+448081570", 3),),
    ("AU", "DID"): (("+61255501", 3),),
    ("AU", "TOLL_FREE"): (("+611800160", 3),),
    ("DE", "DID"): (("+4930123456", 2),),
    ("FR", "DID"): (("+331990012", 2),),
}
COOLDOWN_SECONDS = 180 * 24 * 3600  # "a cooldown period for up to 180 days"
SEARCH_PAGE_MAX = 10  # SearchAvailablePhoneNumbers' MaxResults


def _inventory(country: str, number_type: str) -> list[str]:
    ranges = INVENTORY.get((country, number_type), ())
    return [f"{prefix}{n:0{digits}d}" for prefix, digits in ranges for n in range(10**digits)]


def _offered_as(number: str) -> tuple[str, str] | None:
    """(country, type) under which the inventory offers `number`, if it does."""
    for (country, number_type), prefixes in INVENTORY.items():
        for prefix, digits in prefixes:
            rest = number[len(prefix) :]
            if number.startswith(prefix) and len(rest) == digits and rest.isdigit():
                return country, number_type
    return None


def classify(number: str) -> tuple[str, str]:
    """(country code, number type) of an E.164 number."""
    offered = _offered_as(number)
    if offered is not None:
        return offered
    digits = number.lstrip("+")
    for length in (3, 2, 1):
        country = COUNTRY_BY_CODE.get(digits[:length])
        if country:
            break
    else:
        raise InvalidParameterException(f"Phone number {number} is not available to claim.")
    if country == "US" and digits[1:4] in CANADA_AREA_CODES:
        country = "CA"
    number_type = "TOLL_FREE" if digits.startswith(TOLL_FREE_PREFIXES) else "DID"
    return country, number_type


def _target_instance(ctx: Ctx, p: dict[str, Any]) -> InstanceState | None:
    target = p.get("TargetArn")
    if target:
        if ":instance/" not in target:
            raise ResourceNotFoundException(f"Traffic distribution groups are not emulated: {target}")
        return ctx.instance_by_id(target)
    if p.get("InstanceId"):
        return ctx.instance_by_id(p["InstanceId"])
    return None


def _summary(n: Record) -> dict[str, Any]:
    return compact(
        {
            "PhoneNumberId": n["Id"],
            "PhoneNumberArn": n["Arn"],
            "PhoneNumber": n["PhoneNumber"],
            "PhoneNumberCountryCode": n["CountryCode"],
            "PhoneNumberType": n["Type"],
            "TargetArn": n["TargetArn"],
            "InstanceId": n["InstanceId"],
            "PhoneNumberDescription": n.get("Description"),
        }
    )


@operation("ClaimPhoneNumber")
def claim_phone_number(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    book = ctx.phones
    token = p.get("ClientToken")
    if token and token in book.client_tokens:
        done = book.numbers.get(book.client_tokens[token])
        if done is not None:
            return {"PhoneNumberId": done["Id"], "PhoneNumberArn": done["Arn"]}
    inst = _target_instance(ctx, p)
    if inst is None:
        raise InvalidParameterException("Either TargetArn or InstanceId is required.")
    number = p["PhoneNumber"]
    if number in book.by_number:
        raise InvalidParameterException(f"Phone number {number} is already claimed.")
    if _cooling_down(book, number):
        raise InvalidParameterException(f"Phone number {number} was released recently and cannot be claimed yet.")
    country, number_type = classify(number)
    claimed_here = sum(1 for n in book.numbers.values() if n["InstanceId"] == inst.id)
    # ClaimPhoneNumber documents no quota error; ServiceQuotaExceededException is Connect's generic one.
    quotas.check(inst.quota_overrides, "phone_numbers", claimed_here, error=ServiceQuotaExceededException)
    pid = new_id()
    rec: Record = {
        "Id": pid,
        "Arn": f"arn:aws:connect:{ctx.region}:{ctx.account_id}:phone-number/{pid}",
        "PhoneNumber": number,
        "CountryCode": country,
        "Type": number_type,
        "Description": p.get("PhoneNumberDescription"),
        "TargetArn": inst.arn,
        "InstanceId": inst.id,
        "Tags": tags_checked(None, p.get("Tags")),
        "LastModifiedTime": now(),
    }
    book.numbers[pid] = rec
    book.by_number[number] = pid
    if token:
        book.client_tokens[token] = pid
    return {"PhoneNumberId": pid, "PhoneNumberArn": rec["Arn"]}


def _cooling_down(book: PhoneBook, number: str) -> bool:
    released = book.released.get(number)
    return released is not None and now() - released < COOLDOWN_SECONDS


def _claimed_number(ctx: Ctx, ref: str) -> Record:
    """A number claimed in the caller's account and Region, by ID or ARN."""
    number = ctx.phones.numbers.get(ref.rsplit("/", 1)[-1])
    if number is None:
        raise ResourceNotFoundException(f"Phone number {ref} not found.")
    return number


def _check_not_caller_id(ctx: Ctx, number: Record) -> None:
    """A queue's outbound caller ID number stays where the queue is (ReleasePhoneNumber, UpdatePhoneNumber)."""
    inst = ctx.instance_by_id(number["InstanceId"])
    for queue in inst.table("queue").values():
        if (queue.get("OutboundCallerConfig") or {}).get("OutboundCallerIdNumberId") == number["Id"]:
            raise ResourceInUseException(
                f"Phone number {number['PhoneNumber']} is the outbound caller ID of queue {queue['Name']!r}.",
                ResourceType="PHONE_NUMBER",
                ResourceId=number["Arn"],
            )


@operation("ReleasePhoneNumber")
def release_phone_number(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """The number leaves the instance (its flow with it) and cools down: not offered, not claimable."""
    book = ctx.phones
    number = _claimed_number(ctx, p["PhoneNumberId"])
    _check_not_caller_id(ctx, number)
    del book.numbers[number["Id"]]
    book.by_number.pop(number["PhoneNumber"], None)
    book.released[number["PhoneNumber"]] = now()
    return {}


@operation("UpdatePhoneNumber")
def update_phone_number(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """Move a claimed number to another instance of the same account and Region."""
    if bool(p.get("TargetArn")) == bool(p.get("InstanceId")):
        raise InvalidParameterException("Give exactly one of TargetArn and InstanceId.")
    number = _claimed_number(ctx, p["PhoneNumberId"])
    target = _target_instance(ctx, p)
    assert target is not None
    if target.id != number["InstanceId"]:
        _check_not_caller_id(ctx, number)
        claimed_there = sum(1 for n in ctx.phones.numbers.values() if n["InstanceId"] == target.id)
        quotas.check(target.quota_overrides, "phone_numbers", claimed_there, error=ServiceQuotaExceededException)
        number.pop("ContactFlowId", None)  # the flow belongs to the instance the number leaves
        number.update(TargetArn=target.arn, InstanceId=target.id, LastModifiedTime=now())
    return {"PhoneNumberId": number["Id"], "PhoneNumberArn": number["Arn"]}


@operation("SearchAvailablePhoneNumbers")
def search_available_phone_numbers(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """The inventory's numbers of a country and type that nobody holds, in a stable order."""
    if bool(p.get("TargetArn")) == bool(p.get("InstanceId")):
        raise InvalidParameterException("Give exactly one of TargetArn and InstanceId.")
    try:
        _target_instance(ctx, p)
    except ResourceNotFoundException as exc:  # the operation's model has no ResourceNotFoundException
        raise InvalidParameterException(exc.message) from None
    country, number_type = p["PhoneNumberCountryCode"], p["PhoneNumberType"]
    prefix = (p.get("PhoneNumberPrefix") or "").lstrip("+")
    books = list(ctx.domain._phones.values())  # numbers are global: one claimed anywhere is not offered
    rows = [
        {"PhoneNumber": n, "PhoneNumberCountryCode": country, "PhoneNumberType": number_type}
        for n in _inventory(country, number_type)
        if n[1:].startswith(prefix) and not any(n in book.by_number or _cooling_down(book, n) for book in books)
    ]
    page, token = paginate(rows, p, "SearchAvailablePhoneNumbers", SEARCH_PAGE_MAX, default=SEARCH_PAGE_MAX)
    return compact({"AvailableNumbersList": page, "NextToken": token})


@operation("DescribePhoneNumber")
def describe_phone_number(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    pid = p["PhoneNumberId"].rsplit("/", 1)[-1]
    n = ctx.phones.numbers.get(pid)
    if n is None:
        raise ResourceNotFoundException(f"Phone number {p['PhoneNumberId']} not found.")
    summary = _summary(n)
    summary["PhoneNumberStatus"] = {"Status": "CLAIMED"}
    if n["Tags"]:
        summary["Tags"] = dict(n["Tags"])
    return {"ClaimedPhoneNumberSummary": summary}


def _claimed(ctx: Ctx, inst: InstanceState | None, p: dict[str, Any]) -> list[Record]:
    """The numbers claimed to `inst` (to any instance: None) that a list request's filters select."""
    countries = set(p.get("PhoneNumberCountryCodes") or ())
    types = set(p.get("PhoneNumberTypes") or ())
    prefix = (p.get("PhoneNumberPrefix") or "").lstrip("+")  # V2 only
    return [
        n
        for n in ctx.phones.numbers.values()
        if (inst is None or n["InstanceId"] == inst.id)
        and (not countries or n["CountryCode"] in countries)
        and (not types or n["Type"] in types)
        and n["PhoneNumber"].lstrip("+").startswith(prefix)
    ]


@operation("ListPhoneNumbersV2")
def list_phone_numbers(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    rows = _claimed(ctx, _target_instance(ctx, p), p)
    page, token = paginate(rows, p, "ListPhoneNumbersV2", 1000)
    return compact({"NextToken": token, "ListPhoneNumbersSummaryList": [_summary(n) for n in page]})


@operation("ListPhoneNumbers")
def list_phone_numbers_v1(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """The older, per-instance list that scripts still call (ListPhoneNumbersV2 is the current one)."""
    page, token = paginate(_claimed(ctx, ctx.instance(p), p), p, "ListPhoneNumbers", 1000)
    summaries = [
        {
            "Id": n["Id"],
            "Arn": n["Arn"],
            "PhoneNumber": n["PhoneNumber"],
            "PhoneNumberType": n["Type"],
            "PhoneNumberCountryCode": n["CountryCode"],
        }
        for n in page
    ]
    return compact({"NextToken": token, "PhoneNumberSummaryList": summaries})


def _number_in(ctx: Ctx, p: dict[str, Any]) -> tuple[InstanceState, Record]:
    inst = ctx.instance(p)
    number = ctx.phones.numbers.get(p["PhoneNumberId"].rsplit("/", 1)[-1])
    if number is None or number["InstanceId"] != inst.id:
        raise ResourceNotFoundException(f"Phone number {p['PhoneNumberId']} is not claimed to instance {inst.id}.")
    return inst, number


@operation("AssociatePhoneNumberContactFlow")
def associate_contact_flow(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst, number = _number_in(ctx, p)
    flow = inst.require("contact-flow", p["ContactFlowId"])
    if flow["Type"] != "CONTACT_FLOW":
        raise InvalidParameterException(
            f"Only inbound flows (CONTACT_FLOW) can answer a number; {flow['Name']!r} is {flow['Type']}."
        )
    number["ContactFlowId"] = flow["Id"]
    return {}


@operation("DisassociatePhoneNumberContactFlow")
def disassociate_contact_flow(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    _, number = _number_in(ctx, p)
    number.pop("ContactFlowId", None)
    return {}


@operation("UpdatePhoneNumberMetadata")
def update_phone_number_metadata(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    number = ctx.phones.numbers.get(p["PhoneNumberId"].rsplit("/", 1)[-1])
    if number is None:
        raise ResourceNotFoundException(f"Phone number {p['PhoneNumberId']} not found.")
    if p.get("PhoneNumberDescription") is not None:
        number["Description"] = p["PhoneNumberDescription"] or None
    return {}


@operation("BatchGetFlowAssociation")
def batch_get_flow_association(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """The flows answering the named voice numbers (by ARN or ID); numbers without one are left out."""
    inst = ctx.instance(p)
    rows = []
    if p.get("ResourceType") in (None, "VOICE_PHONE_NUMBER"):
        for ref in p["ResourceIds"]:
            n = ctx.phones.numbers.get(ref.rsplit("/", 1)[-1])
            if n is not None and n["InstanceId"] == inst.id and n.get("ContactFlowId"):
                rows.append({"ResourceId": n["Arn"], "FlowId": inst.arn_for("contact-flow", n["ContactFlowId"]),
                             "ResourceType": "VOICE_PHONE_NUMBER"})  # fmt: skip
    return {"FlowAssociationSummaryList": rows}


@operation("ListFlowAssociations")
def list_flow_associations(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """Which flow answers each voice number of the instance (the only association emulated)."""
    inst = ctx.instance(p)
    rows = []
    if p.get("ResourceType") in (None, "VOICE_PHONE_NUMBER"):
        rows = [
            {"ResourceId": n["Arn"], "FlowId": inst.arn_for("contact-flow", n["ContactFlowId"]),
             "ResourceType": "VOICE_PHONE_NUMBER"}
            for n in ctx.phones.numbers.values()
            if n["InstanceId"] == inst.id and n.get("ContactFlowId")
        ]  # fmt: skip
    page, token = paginate(rows, p, "ListFlowAssociations", 1000)
    return compact({"FlowAssociationSummaryList": page, "NextToken": token})
