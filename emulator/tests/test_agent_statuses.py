"""Agent statuses as Amazon serves them, through the whole in-process emulator (model validation included).

Every instance comes with `Available` (ROUTABLE) and `Offline` (OFFLINE); the API creates only CUSTOM
statuses and deletes none; names are unique per instance; `DisplayOrder` is 1-50; tags go through
TagResource like any other resource; at most 50 statuses per instance (the built-in two included).
"""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
    UnknownOperationException,
)
from connect_emulator.seed import DEMO_AGENT_STATUSES, seed

REGION = "eu-west-2"


def _statuses(connect, iid: str, **params: Any) -> dict[str, dict[str, Any]]:
    found = connect("SearchAgentStatuses", InstanceId=iid, MaxResults=100, **params)["AgentStatuses"]
    return {s["Name"]: s for s in found}


def test_a_new_instance_has_available_and_offline_enabled_and_ordered(connect, iid):
    statuses = _statuses(connect, iid)
    assert {name: (s["Type"], s["State"], s["DisplayOrder"]) for name, s in statuses.items()} == {
        "Available": ("ROUTABLE", "ENABLED", 1),
        "Offline": ("OFFLINE", "ENABLED", 2),
    }
    listed = connect("ListAgentStatuses", InstanceId=iid, AgentStatusTypes=["ROUTABLE", "OFFLINE"])
    assert [s["Name"] for s in listed["AgentStatusSummaryList"]] == ["Available", "Offline"]


def test_the_api_creates_only_custom_statuses_and_deletes_none(connect, iid):
    model = botocore.session.get_session().get_service_model("connect")
    assert "Type" not in model.operation_model("CreateAgentStatus").input_shape.members
    assert not [op for op in model.operation_names if op.startswith("DeleteAgentStatus")]
    created = connect("CreateAgentStatus", InstanceId=iid, Name="Break", State="ENABLED")
    described = connect("DescribeAgentStatus", InstanceId=iid, AgentStatusId=created["AgentStatusId"])
    assert described["AgentStatus"]["Type"] == "CUSTOM"
    assert "DisplayOrder" not in described["AgentStatus"]
    with pytest.raises(UnknownOperationException):
        connect("DeleteAgentStatus", InstanceId=iid, AgentStatusId=created["AgentStatusId"])


def test_names_are_unique_in_an_instance_built_in_ones_included(connect, iid, emulator):
    connect("CreateAgentStatus", InstanceId=iid, Name="Lunch", State="ENABLED")
    for taken in ("Lunch", "Available", "Offline"):
        with pytest.raises(DuplicateResourceException):
            connect("CreateAgentStatus", InstanceId=iid, Name=taken, State="DISABLED")
    training = connect("CreateAgentStatus", InstanceId=iid, Name="Training", State="ENABLED")["AgentStatusId"]
    with pytest.raises(DuplicateResourceException):
        connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=training, Name="Lunch")
    # Another instance may use the same name.
    other = connect(
        "CreateInstance",
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="other",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    connect("CreateAgentStatus", InstanceId=other, Name="Lunch", State="ENABLED")


@pytest.mark.parametrize("order", [0, 51])
def test_display_order_is_one_to_fifty(connect, iid, order):
    with pytest.raises(InvalidParameterException, match="displayOrder"):
        connect("CreateAgentStatus", InstanceId=iid, Name="Break", State="ENABLED", DisplayOrder=order)
    status = connect("CreateAgentStatus", InstanceId=iid, Name="Lunch", State="ENABLED", DisplayOrder=50)
    with pytest.raises(InvalidParameterException, match="displayOrder"):
        connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=status["AgentStatusId"], DisplayOrder=order)


def test_display_order_is_set_by_update_and_cleared_by_reset_order_number(connect, iid):
    sid = connect("CreateAgentStatus", InstanceId=iid, Name="Lunch", State="ENABLED", DisplayOrder=3)["AgentStatusId"]

    def order() -> int | None:
        return connect("DescribeAgentStatus", InstanceId=iid, AgentStatusId=sid)["AgentStatus"].get("DisplayOrder")

    connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, DisplayOrder=7)
    assert order() == 7
    connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, Description="Lunch break")
    assert order() == 7  # members an update leaves out stay as they were
    connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, ResetOrderNumber=True)
    assert order() is None
    connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, DisplayOrder=4, ResetOrderNumber=True)
    assert order() is None  # the reset wins over an order given with it
    connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, DisplayOrder=4, ResetOrderNumber=False)
    assert order() == 4


def test_built_in_statuses_can_be_renamed_and_reordered(connect, iid):
    available = _statuses(connect, iid)["Available"]
    connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=available["AgentStatusId"], Name="Ready", DisplayOrder=5)
    statuses = _statuses(connect, iid)
    assert "Available" not in statuses
    assert (statuses["Ready"]["Type"], statuses["Ready"]["DisplayOrder"]) == ("ROUTABLE", 5)


def test_disabling_hides_nothing_from_the_api(connect, iid):
    sid = connect("CreateAgentStatus", InstanceId=iid, Name="Coaching", State="ENABLED")["AgentStatusId"]
    connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId=sid, State="DISABLED")
    assert _statuses(connect, iid)["Coaching"]["State"] == "DISABLED"
    listed = connect("ListAgentStatuses", InstanceId=iid, AgentStatusTypes=["CUSTOM"])["AgentStatusSummaryList"]
    assert [s["Name"] for s in listed] == ["Coaching"]
    disabled = connect(
        "SearchAgentStatuses",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "state", "Value": "DISABLED", "ComparisonType": "EXACT"}},
    )["AgentStatuses"]
    assert [s["Name"] for s in disabled] == ["Coaching"]


def test_tags_are_set_at_creation_and_changed_with_tag_resource(connect, iid):
    created = connect("CreateAgentStatus", InstanceId=iid, Name="Break", State="ENABLED", Tags={"BU": "Sales"})
    arn = created["AgentStatusARN"]
    assert arn.endswith(f"/agent-state/{created['AgentStatusId']}")
    connect("TagResource", resourceArn=arn, tags={"Owner": "wfm"})
    assert connect("ListTagsForResource", resourceArn=arn)["tags"] == {"BU": "Sales", "Owner": "wfm"}
    connect("UntagResource", resourceArn=arn, tagKeys=["BU"])
    described = connect("DescribeAgentStatus", InstanceId=iid, AgentStatusId=created["AgentStatusId"])
    assert described["AgentStatus"]["Tags"] == {"Owner": "wfm"}
    owned = connect(
        "SearchAgentStatuses",
        InstanceId=iid,
        SearchFilter={"AttributeFilter": {"TagCondition": {"TagKey": "Owner", "TagValue": "wfm"}}},
    )["AgentStatuses"]
    assert [s["Name"] for s in owned] == ["Break"]


def test_fifty_statuses_per_instance_the_built_in_two_included(connect, iid):
    for n in range(48):
        connect("CreateAgentStatus", InstanceId=iid, Name=f"Status {n}", State="ENABLED")
    with pytest.raises(LimitExceededException, match="Agent status per instance"):
        connect("CreateAgentStatus", InstanceId=iid, Name="One too many", State="ENABLED")
    pages, token = [], None
    while True:
        page = connect("ListAgentStatuses", InstanceId=iid, MaxResults=20, **({"NextToken": token} if token else {}))
        pages.append(len(page["AgentStatusSummaryList"]))
        token = page.get("NextToken")
        if not token:
            break
    assert pages == [20, 20, 10]


def test_an_unknown_status_is_not_found(connect, iid):
    with pytest.raises(ResourceNotFoundException):
        connect("DescribeAgentStatus", InstanceId=iid, AgentStatusId="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ResourceNotFoundException):
        connect("UpdateAgentStatus", InstanceId=iid, AgentStatusId="00000000-0000-0000-0000-000000000000", Name="X")


def test_the_demo_source_has_its_custom_statuses_and_the_target_only_the_built_in_ones(emulator, connect):
    result = seed(emulator, users=0)
    source = emulator.call(
        "SearchAgentStatuses", {"InstanceId": result["source"]["instance_id"]}, region=result["source"]["region"]
    )["AgentStatuses"]
    assert {s["Name"]: (s["Type"], s["State"]) for s in source if s["Type"] == "CUSTOM"} == {
        spec.name: ("CUSTOM", spec.state) for spec in DEMO_AGENT_STATUSES
    }
    assert any(spec.state == "DISABLED" for spec in DEMO_AGENT_STATUSES)
    target = connect("SearchAgentStatuses", InstanceId=result["target"]["instance_id"])["AgentStatuses"]
    assert sorted(s["Name"] for s in target) == ["Available", "Offline"]
