"""Claiming numbers the target lacks: once, found again by its tag, failures named, lost answers settled."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from fake_connect import FakeConnect

from ansible_collections.ccaas.connect.plugins.module_utils._claims import CLAIMED_FOR_TAG, claim_numbers
from ansible_collections.ccaas.connect.plugins.module_utils._ledger import Ledger, read_ledger
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._rollback import RollbackPlanner

INSTANCE = {"Id": "inst-1", "Arn": "arn:aws:connect:eu-west-2:111122223333:instance/inst-1"}
SALES = {
    "phone_number": "+12125550100",
    "country_code": "US",
    "type": "DID",
    "description": "Sales",
    "tags": {"BU": "S"},
}
FREE = {"phone_number": "+18005550100", "country_code": "US", "type": "TOLL_FREE"}


class Numbers:
    """The phone-number APIs of one account and region, enough for claiming and releasing."""

    def __init__(self, offers: dict[tuple[str, str], list[str]], claimed: list[dict[str, Any]] | None = None) -> None:
        self.offers = offers
        self.numbers: dict[str, dict[str, Any]] = {n["PhoneNumberId"]: n for n in claimed or []}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.lose_next_claim: BaseException | None = None  # applied, answer lost
        self.refuse_next_claim: BaseException | None = None  # not applied

    def list_phone_numbers_v2(self, **params: Any) -> dict[str, Any]:
        self.calls.append(("ListPhoneNumbersV2", params))
        return {"ListPhoneNumbersSummaryList": [_summary(n) for n in self.numbers.values()]}

    def describe_phone_number(self, PhoneNumberId: str) -> dict[str, Any]:
        self.calls.append(("DescribePhoneNumber", {"PhoneNumberId": PhoneNumberId}))
        number = self.numbers[PhoneNumberId]
        return {"ClaimedPhoneNumberSummary": {**_summary(number), "Tags": dict(number.get("Tags") or {})}}

    def search_available_phone_numbers(self, **params: Any) -> dict[str, Any]:
        self.calls.append(("SearchAvailablePhoneNumbers", params))
        taken = {n["PhoneNumber"] for n in self.numbers.values()}
        offered = [
            n
            for n in self.offers.get((params["PhoneNumberCountryCode"], params["PhoneNumberType"]), [])
            if n not in taken and n.startswith(params.get("PhoneNumberPrefix") or "+")
        ]
        return {"AvailableNumbersList": [{"PhoneNumber": n} for n in offered[: params["MaxResults"]]]}

    def claim_phone_number(self, **params: Any) -> dict[str, Any]:
        self.calls.append(("ClaimPhoneNumber", params))
        if self.refuse_next_claim is not None:
            exc, self.refuse_next_claim = self.refuse_next_claim, None
            raise exc
        pid = f"pn-{len(self.numbers) + 1}"
        self.numbers[pid] = {
            "PhoneNumberId": pid,
            "PhoneNumberArn": f"arn:aws:connect:eu-west-2:111122223333:phone-number/{pid}",
            "PhoneNumber": params["PhoneNumber"],
            "Tags": params.get("Tags"),
        }
        if self.lose_next_claim is not None:
            exc, self.lose_next_claim = self.lose_next_claim, None
            raise exc
        return {"PhoneNumberId": pid, "PhoneNumberArn": self.numbers[pid]["PhoneNumberArn"]}

    def writes(self) -> list[tuple[str, dict[str, Any]]]:
        return [c for c in self.calls if c[0] == "ClaimPhoneNumber"]


def _summary(number: dict[str, Any]) -> dict[str, Any]:
    return {k: number[k] for k in ("PhoneNumberId", "PhoneNumberArn", "PhoneNumber")}


OFFERS = {("US", "DID"): ["+12065550101", "+12065550102"], ("US", "TOLL_FREE"): ["+18005550199"]}


def claim(client: Numbers, ledger: Ledger | None = None, **options: Any):
    return claim_numbers({"phone_numbers": [SALES, FREE]}, {}, Reader.of(client, INSTANCE), ledger=ledger, **options)


def test_each_unmapped_source_number_gets_one_number_of_its_country_and_type_tagged_for_it(tmp_path):
    client = Numbers(OFFERS)
    with Ledger(str(tmp_path / "ledger.jsonl")) as ledger:
        result = claim(client, ledger)
    assert result.claimed == {"+12125550100": "+12065550101", "+18005550100": "+18005550199"}
    assert result.failures == [] and result.to_claim == []
    [(_sales_op, sales), (_free_op, free)] = client.writes()
    assert sales == {
        "TargetArn": INSTANCE["Arn"],
        "PhoneNumber": "+12065550101",
        "PhoneNumberDescription": "Sales",
        "Tags": {"BU": "S", CLAIMED_FOR_TAG: "+12125550100"},
    }
    assert free["Tags"] == {CLAIMED_FOR_TAG: "+18005550100"} and "PhoneNumberDescription" not in free
    search = next(p for api, p in client.calls if api == "SearchAvailablePhoneNumbers")
    assert search == {
        "TargetArn": INSTANCE["Arn"],
        "PhoneNumberCountryCode": "US",
        "PhoneNumberType": "DID",
        "MaxResults": 10,
    }


def test_the_ledger_holds_the_intent_before_the_claim_and_the_created_number_after(tmp_path):
    path = tmp_path / "ledger.jsonl"
    with Ledger(str(path)) as ledger:
        claim(Numbers(OFFERS), ledger)
    entries, problems = read_ledger(str(path))
    assert problems == []
    assert [(e["action"], e["name"]) for e in entries] == [
        ("intent", "+12065550101"),
        ("created", "+12065550101"),
        ("intent", "+18005550199"),
        ("created", "+18005550199"),
    ]
    assert entries[0] | {"time": None, "seq": None} == {
        "type": "phone_numbers",
        "name": "+12065550101",
        "action": "intent",
        "api": "ClaimPhoneNumber",
        "instance": "inst-1",
        "time": None,
        "seq": None,
    }
    assert entries[1]["id"] == "pn-1" and entries[1]["arn"].endswith("/pn-1") and entries[1]["before"] == {}
    assert entries[1]["after"]["tags"][CLAIMED_FOR_TAG] == "+12125550100"


def test_a_rerun_finds_the_numbers_by_their_tag_and_claims_nothing():
    client = Numbers(OFFERS)
    first = claim(client)
    client.calls.clear()
    again = claim(client)
    assert client.writes() == []
    assert again.claimed == first.claimed and again.to_claim == []
    assert {r["action"] for r in again.results} == {"claimed before"}


def test_check_mode_claims_nothing_and_lists_what_it_would_claim():
    client = Numbers(OFFERS)
    result = claim(client, check_mode=True)
    assert client.writes() == [] and result.claimed == {}
    assert result.to_claim == [
        {"source": "+12125550100", "country_code": "US", "type": "DID"},
        {"source": "+18005550100", "country_code": "US", "type": "TOLL_FREE"},
    ]


def test_a_number_mapped_or_ported_is_not_claimed_for():
    ported = {"PhoneNumberId": "pn-9", "PhoneNumberArn": "arn:pn-9", "PhoneNumber": "+18005550100"}
    client = Numbers(OFFERS, claimed=[ported])
    result = claim_numbers(
        {"phone_numbers": [SALES, FREE]}, {"+12125550100": "+442079460001"}, Reader.of(client, INSTANCE)
    )
    assert client.writes() == [] and result.claimed == {} and result.to_claim == []


def test_no_number_offered_fails_that_number_by_name_and_the_others_are_claimed():
    client = Numbers({("US", "TOLL_FREE"): ["+18005550199"]})
    result = claim(client, prefix="+1212")
    assert result.failures == [
        {
            "source": "+12125550100",
            "reason": "phone number +12125550100: no US DID number is available with prefix +1212",
        },
        {
            "source": "+18005550100",
            "reason": "phone number +18005550100: no US TOLL_FREE number is available with prefix +1212",
        },
    ]
    result = claim(client)
    assert list(result.claimed) == ["+18005550100"]
    assert [f["source"] for f in result.failures] == ["+12125550100"]


def test_a_lost_answer_is_settled_by_reading_the_target(tmp_path):
    client = Numbers(OFFERS)
    client.lose_next_claim = EndpointConnectionError(endpoint_url="https://connect")
    path = tmp_path / "ledger.jsonl"
    with Ledger(str(path)) as ledger:
        result = claim(client, ledger)
    assert result.failures == []
    assert result.claimed["+12125550100"] == "+12065550101"
    assert result.results[0]["note"] == "answer lost; found claimed in the target"
    entries, _unused = read_ledger(str(path))
    assert [e["action"] for e in entries][:2] == ["intent", "created"] and entries[1]["id"] == "pn-1"


def test_a_claim_the_target_does_not_hold_fails_named_and_closes_its_intent(tmp_path):
    client = Numbers(OFFERS)
    refused = {"Error": {"Code": "ServiceQuotaExceededException", "Message": "quota"}}
    client.refuse_next_claim = ClientError(refused, "ClaimPhoneNumber")
    path = tmp_path / "ledger.jsonl"
    with Ledger(str(path)) as ledger:
        result = claim(client, ledger)
    [failure] = result.failures
    assert failure["source"] == "+12125550100"
    assert "ServiceQuotaExceededException" in failure["reason"] and "not claimed +12065550101" in failure["reason"]
    entries, _unused = read_ledger(str(path))
    assert [e["action"] for e in entries][:2] == ["intent", "abandoned"]


NUMBER_AFTER_RUN = {
    "phone_numbers": [{"PhoneNumber": "+12065550101", "PhoneNumberId": "pn-1", "PhoneNumberArn": "arn:pn-1"}]
}


@pytest.mark.parametrize("confirmed", [True, False], ids=["created", "unconfirmed intent"])
def test_rollback_releases_a_claimed_number_without_naming_the_instance(confirmed):
    entries: list[dict[str, Any]] = [
        {"seq": 1, "type": "phone_numbers", "name": "+12065550101", "action": "intent", "api": "ClaimPhoneNumber"}
    ]
    if confirmed:
        entries.append(
            {"seq": 2, "type": "phone_numbers", "name": "+12065550101", "action": "created", "id": "pn-1", "after": {}}
        )
    planner = RollbackPlanner(Reader(FakeConnect(NUMBER_AFTER_RUN), "inst-1"))
    [plan] = planner.plan(entries)
    assert plan.action == "deleted"
    assert [(c.api, c.params) for c in plan.calls] == [("ReleasePhoneNumber", {"PhoneNumberId": "pn-1"})]
