from __future__ import annotations

import pytest

from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
)


def configs(queue_ids, channel="VOICE"):
    return [{"QueueReference": {"QueueId": q, "Channel": channel}, "Priority": 1, "Delay": 0} for q in queue_ids]


@pytest.fixture
def make_rp(connect, iid, defaults):
    def make(name="Sales RP", **overrides):
        params = {
            "InstanceId": iid,
            "Name": name,
            "Description": "routing",
            "DefaultOutboundQueueId": defaults["queue"],
            "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": 1}, {"Channel": "CHAT", "Concurrency": 3}],
            **overrides,
        }
        return connect("CreateRoutingProfile", **params)["RoutingProfileId"]

    return make


def test_defaults_are_there_like_in_a_new_instance(connect, iid, defaults):
    rp = connect("DescribeRoutingProfile", InstanceId=iid, RoutingProfileId=defaults["routing_profile"])
    rp = rp["RoutingProfile"]
    assert rp["IsDefault"] is True
    assert rp["DefaultOutboundQueueId"] == defaults["queue"]
    assert {m["Channel"] for m in rp["MediaConcurrencies"]} == {"VOICE", "CHAT", "TASK"}
    hours = connect("DescribeHoursOfOperation", InstanceId=iid, HoursOfOperationId=defaults["hours"])
    assert len(hours["HoursOfOperation"]["Config"]) == 7
    statuses = connect("ListAgentStatuses", InstanceId=iid)["AgentStatusSummaryList"]
    assert {(s["Name"], s["Type"]) for s in statuses} == {("Available", "ROUTABLE"), ("Offline", "OFFLINE")}
    assert connect("DescribeUserHierarchyStructure", InstanceId=iid) == {"HierarchyStructure": {}}


def test_routing_profile_queue_configs(connect, iid, make_queue, make_rp):
    queues = [make_queue(f"Q{i}")["QueueId"] for i in range(3)]
    rp = make_rp(QueueConfigs=configs(queues[:2]))
    connect("AssociateRoutingProfileQueues", InstanceId=iid, RoutingProfileId=rp, QueueConfigs=configs(queues[2:]))
    connect(
        "UpdateRoutingProfileQueues",
        InstanceId=iid,
        RoutingProfileId=rp,
        QueueConfigs=[{"QueueReference": {"QueueId": queues[0], "Channel": "VOICE"}, "Priority": 5, "Delay": 30}],
    )
    connect(
        "DisassociateRoutingProfileQueues",
        InstanceId=iid,
        RoutingProfileId=rp,
        QueueReferences=[{"QueueId": queues[1], "Channel": "VOICE"}],
    )

    listed = connect("ListRoutingProfileQueues", InstanceId=iid, RoutingProfileId=rp)
    rows = {r["QueueName"]: (r["Priority"], r["Delay"]) for r in listed["RoutingProfileQueueConfigSummaryList"]}
    assert rows == {"Q0": (5, 30), "Q2": (1, 0)}
    described = connect("DescribeRoutingProfile", InstanceId=iid, RoutingProfileId=rp)["RoutingProfile"]
    assert described["NumberOfAssociatedQueues"] == 2
    assert sorted(described["AssociatedQueueIds"]) == sorted([queues[0], queues[2]])


def test_at_most_ten_queue_configs_per_call(connect, iid, make_queue, make_rp):
    queues = [make_queue(f"Q{i}")["QueueId"] for i in range(11)]
    with pytest.raises(InvalidParameterException):
        make_rp(QueueConfigs=configs(queues))
    rp = make_rp(QueueConfigs=configs(queues[:10]))
    with pytest.raises(InvalidParameterException):
        connect(
            "AssociateRoutingProfileQueues",
            InstanceId=iid,
            RoutingProfileId=rp,
            QueueConfigs=configs(queues, channel="CHAT"),
        )


def test_associating_a_queue_twice_on_a_channel_is_refused(connect, iid, make_queue, make_rp):
    q = make_queue("Q")["QueueId"]
    rp = make_rp(QueueConfigs=configs([q]))
    with pytest.raises(InvalidParameterException):
        connect("AssociateRoutingProfileQueues", InstanceId=iid, RoutingProfileId=rp, QueueConfigs=configs([q]))
    connect("AssociateRoutingProfileQueues", InstanceId=iid, RoutingProfileId=rp, QueueConfigs=configs([q], "CHAT"))


def test_queues_per_routing_profile_quota(connect, domain, iid, make_queue, make_rp):
    domain.set_quota("123456789012", "us-east-1", iid, "queues_per_routing_profile", 2)
    queues = [make_queue(f"Q{i}")["QueueId"] for i in range(3)]
    rp = make_rp(QueueConfigs=configs(queues[:2]))
    with pytest.raises(LimitExceededException):
        connect("AssociateRoutingProfileQueues", InstanceId=iid, RoutingProfileId=rp, QueueConfigs=configs(queues[2:]))
    # Manual-assignment queues count up to the quota on their own, beside the routed ones.
    manual = [{"QueueReference": {"QueueId": q, "Channel": "TASK"}} for q in queues]
    connect(
        "AssociateRoutingProfileQueues", InstanceId=iid, RoutingProfileId=rp, ManualAssignmentQueueConfigs=manual[:2]
    )
    with pytest.raises(LimitExceededException):
        connect(
            "AssociateRoutingProfileQueues",
            InstanceId=iid,
            RoutingProfileId=rp,
            ManualAssignmentQueueConfigs=manual[2:],
        )


def test_voice_concurrency_is_one(make_rp):
    with pytest.raises(InvalidParameterException):
        make_rp(MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 2}])


def test_routing_profile_in_use_by_a_user_cannot_be_deleted(connect, iid, make_rp, make_user):
    rp = make_rp()
    uid = make_user("jdoe", RoutingProfileId=rp)["UserId"]
    with pytest.raises(ResourceInUseException) as err:
        connect("DeleteRoutingProfile", InstanceId=iid, RoutingProfileId=rp)
    assert err.value.fields["ResourceType"] == "USER"
    assert err.value.fields["ResourceId"].endswith(f"/agent/{uid}")
    assert (
        connect("DescribeRoutingProfile", InstanceId=iid, RoutingProfileId=rp)["RoutingProfile"][
            "NumberOfAssociatedUsers"
        ]
        == 1
    )
    connect("DeleteUser", InstanceId=iid, UserId=uid)
    connect("DeleteRoutingProfile", InstanceId=iid, RoutingProfileId=rp)


def test_routing_profile_names_and_updates(connect, iid, defaults, make_queue, make_rp):
    rp = make_rp("One")
    make_rp("Two")
    with pytest.raises(DuplicateResourceException):
        make_rp("One")
    with pytest.raises(DuplicateResourceException):
        connect("UpdateRoutingProfileName", InstanceId=iid, RoutingProfileId=rp, Name="Two")
    q = make_queue("Outbound")["QueueId"]
    connect("UpdateRoutingProfileName", InstanceId=iid, RoutingProfileId=rp, Name="Uno", Description="d")
    connect("UpdateRoutingProfileDefaultOutboundQueue", InstanceId=iid, RoutingProfileId=rp, DefaultOutboundQueueId=q)
    connect(
        "UpdateRoutingProfileConcurrency",
        InstanceId=iid,
        RoutingProfileId=rp,
        MediaConcurrencies=[{"Channel": "TASK", "Concurrency": 10}],
    )
    described = connect("DescribeRoutingProfile", InstanceId=iid, RoutingProfileId=rp)["RoutingProfile"]
    assert (described["Name"], described["Description"], described["DefaultOutboundQueueId"]) == ("Uno", "d", q)
    assert described["MediaConcurrencies"] == [{"Channel": "TASK", "Concurrency": 10}]
    with pytest.raises(ResourceNotFoundException):
        connect(
            "UpdateRoutingProfileDefaultOutboundQueue",
            InstanceId=iid,
            RoutingProfileId=rp,
            DefaultOutboundQueueId="nope",
        )


def test_search_routing_profiles_by_associated_queue(connect, iid, make_queue, make_rp):
    q = make_queue("Special")["QueueId"]
    make_rp("With", QueueConfigs=configs([q]), Tags={"bu": "x"})
    make_rp("Without")
    cond = {"StringCondition": {"FieldName": "associatedQueueIds", "Value": q, "ComparisonType": "EXACT"}}
    out = connect("SearchRoutingProfiles", InstanceId=iid, SearchCriteria=cond)
    assert [rp["Name"] for rp in out["RoutingProfiles"]] == ["With"]
    assert out["RoutingProfiles"][0]["Tags"] == {"bu": "x"}
    tagged = connect(
        "SearchRoutingProfiles", InstanceId=iid, SearchFilter={"TagFilter": {"TagCondition": {"TagKey": "bu"}}}
    )
    assert [rp["Name"] for rp in tagged["RoutingProfiles"]] == ["With"]


def test_queue_lifecycle(connect, iid, defaults, make_queue):
    hours2 = connect(
        "CreateHoursOfOperation",
        InstanceId=iid,
        Name="Weekdays",
        TimeZone="Europe/Paris",
        Config=[{"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 0}}],
    )["HoursOfOperationId"]
    qid = make_queue("Support", Description="help", MaxContacts=5, Tags={"bu": "support"})["QueueId"]
    connect("UpdateQueueName", InstanceId=iid, QueueId=qid, Name="Support EU")
    connect("UpdateQueueHoursOfOperation", InstanceId=iid, QueueId=qid, HoursOfOperationId=hours2)
    connect("UpdateQueueMaxContacts", InstanceId=iid, QueueId=qid, MaxContacts=9)
    connect("UpdateQueueStatus", InstanceId=iid, QueueId=qid, Status="DISABLED")
    queue = connect("DescribeQueue", InstanceId=iid, QueueId=qid)["Queue"]
    assert (queue["Name"], queue["Description"], queue["HoursOfOperationId"]) == ("Support EU", "help", hours2)
    assert (queue["MaxContacts"], queue["Status"], queue["Tags"]) == (9, "DISABLED", {"bu": "support"})

    with pytest.raises(ResourceInUseException):
        connect("DeleteHoursOfOperation", InstanceId=iid, HoursOfOperationId=hours2)
    with pytest.raises(DuplicateResourceException):
        make_queue("BasicQueue")
    with pytest.raises(ResourceNotFoundException):
        make_queue("NoHours", HoursOfOperationId="nope")

    connect("DeleteQueue", InstanceId=iid, QueueId=qid)
    connect("DeleteHoursOfOperation", InstanceId=iid, HoursOfOperationId=hours2)


def test_queue_in_a_routing_profile_cannot_be_deleted(connect, iid, defaults):
    with pytest.raises(ResourceInUseException):
        connect("DeleteQueue", InstanceId=iid, QueueId=defaults["queue"])


def test_queue_quota_counts_standard_queues_only(connect, domain, iid, make_queue, make_user):
    domain.set_quota("123456789012", "us-east-1", iid, "Queues per instance", 2)  # BasicQueue is one
    make_user("agent-queue-does-not-count")
    make_queue("Second")
    with pytest.raises(LimitExceededException):
        make_queue("Third")


def test_outbound_caller_config_references_a_claimed_number_and_flow(connect, iid, make_queue):
    flows = connect("ListContactFlows", InstanceId=iid, ContactFlowTypes=["OUTBOUND_WHISPER"])
    flow = flows["ContactFlowSummaryList"][0]["Id"]
    with pytest.raises(ResourceNotFoundException):
        make_queue("Q", OutboundCallerConfig={"OutboundCallerIdNumberId": "nope"})
    number = connect("ClaimPhoneNumber", InstanceId=iid, PhoneNumber="+14155550100")["PhoneNumberId"]
    qid = make_queue("Q", OutboundCallerConfig={"OutboundCallerIdName": "Acme", "OutboundCallerIdNumberId": number})[
        "QueueId"
    ]
    cfg = {"OutboundCallerIdName": "Acme", "OutboundCallerIdNumberId": number, "OutboundFlowId": flow}
    connect("UpdateQueueOutboundCallerConfig", InstanceId=iid, QueueId=qid, OutboundCallerConfig=cfg)
    assert connect("DescribeQueue", InstanceId=iid, QueueId=qid)["Queue"]["OutboundCallerConfig"] == cfg


def test_search_queues_with_tags_and_criteria(connect, iid, make_queue):
    make_queue("Sales EU", Tags={"bu": "sales"})
    make_queue("Sales US", Tags={"bu": "sales", "region": "us"})
    crit = {"StringCondition": {"FieldName": "name", "Value": "sales", "ComparisonType": "STARTS_WITH"}}
    out = connect(
        "SearchQueues",
        InstanceId=iid,
        SearchCriteria=crit,
        SearchFilter={
            "TagFilter": {
                "AndConditions": [{"TagKey": "bu", "TagValue": "sales"}, {"TagKey": "region", "TagValue": "us"}]
            }
        },
    )
    assert [q["Name"] for q in out["Queues"]] == ["Sales US"]
    assert out["Queues"][0]["Tags"] == {"bu": "sales", "region": "us"}
    std = connect("SearchQueues", InstanceId=iid, SearchCriteria={"QueueTypeCondition": "STANDARD"})
    assert std["ApproximateTotalCount"] == 3


def test_quick_connects_on_queues(connect, iid, defaults, make_queue, make_user):
    uid = make_user("jdoe")["UserId"]
    qid = make_queue("Escalation")["QueueId"]
    to_user = connect(
        "CreateQuickConnect",
        InstanceId=iid,
        Name="To John",
        QuickConnectConfig={
            "QuickConnectType": "USER",
            "UserConfig": {"UserId": uid, "ContactFlowId": defaults["agent_transfer"]},
        },
    )["QuickConnectId"]
    to_queue = connect(
        "CreateQuickConnect",
        InstanceId=iid,
        Name="To escalation",
        QuickConnectConfig={
            "QuickConnectType": "QUEUE",
            "QueueConfig": {"QueueId": qid, "ContactFlowId": defaults["queue_transfer"]},
        },
    )["QuickConnectId"]
    to_phone = connect(
        "CreateQuickConnect",
        InstanceId=iid,
        Name="To helpdesk",
        QuickConnectConfig={"QuickConnectType": "PHONE_NUMBER", "PhoneConfig": {"PhoneNumber": "+442071234567"}},
    )["QuickConnectId"]

    connect(
        "AssociateQueueQuickConnects",
        InstanceId=iid,
        QueueId=defaults["queue"],
        QuickConnectIds=[to_user, to_queue, to_phone],
    )
    connect("DisassociateQueueQuickConnects", InstanceId=iid, QueueId=defaults["queue"], QuickConnectIds=[to_queue])
    listed = connect("ListQueueQuickConnects", InstanceId=iid, QueueId=defaults["queue"])
    assert {q["Name"] for q in listed["QuickConnectSummaryList"]} == {"To John", "To helpdesk"}

    users_only = connect("ListQuickConnects", InstanceId=iid, QuickConnectTypes=["USER"])
    assert [q["Name"] for q in users_only["QuickConnectSummaryList"]] == ["To John"]

    connect("DeleteQuickConnect", InstanceId=iid, QuickConnectId=to_phone)
    listed = connect("ListQueueQuickConnects", InstanceId=iid, QueueId=defaults["queue"])
    assert [q["Name"] for q in listed["QuickConnectSummaryList"]] == ["To John"]


def test_quick_connect_checks_its_target_and_flow_type(connect, iid, defaults, make_user):
    uid = make_user("jdoe")["UserId"]
    with pytest.raises(InvalidParameterException):
        connect(
            "CreateQuickConnect",
            InstanceId=iid,
            Name="Wrong flow",
            QuickConnectConfig={
                "QuickConnectType": "USER",
                "UserConfig": {"UserId": uid, "ContactFlowId": defaults["queue_transfer"]},
            },
        )
    with pytest.raises(ResourceNotFoundException):
        connect(
            "CreateQuickConnect",
            InstanceId=iid,
            Name="No user",
            QuickConnectConfig={
                "QuickConnectType": "USER",
                "UserConfig": {"UserId": "nope", "ContactFlowId": defaults["agent_transfer"]},
            },
        )
    with pytest.raises(InvalidParameterException):
        connect(
            "CreateQuickConnect", InstanceId=iid, Name="No config", QuickConnectConfig={"QuickConnectType": "QUEUE"}
        )


def test_quick_connect_updates_and_search(connect, iid, defaults):
    qc = connect(
        "CreateQuickConnect",
        InstanceId=iid,
        Name="Helpdesk",
        Description="old",
        QuickConnectConfig={"QuickConnectType": "PHONE_NUMBER", "PhoneConfig": {"PhoneNumber": "+442071234567"}},
        Tags={"bu": "it"},
    )["QuickConnectId"]
    connect("UpdateQuickConnectName", InstanceId=iid, QuickConnectId=qc, Name="IT helpdesk", Description="new")
    connect(
        "UpdateQuickConnectConfig",
        InstanceId=iid,
        QuickConnectId=qc,
        QuickConnectConfig={
            "QuickConnectType": "QUEUE",
            "QueueConfig": {"QueueId": defaults["queue"], "ContactFlowId": defaults["queue_transfer"]},
        },
    )
    described = connect("DescribeQuickConnect", InstanceId=iid, QuickConnectId=qc)["QuickConnect"]
    assert described["Name"] == "IT helpdesk" and described["Description"] == "new"
    assert described["QuickConnectConfig"]["QuickConnectType"] == "QUEUE"
    assert "PhoneConfig" not in described["QuickConnectConfig"]
    found = connect(
        "SearchQuickConnects", InstanceId=iid, SearchFilter={"TagFilter": {"TagCondition": {"TagKey": "bu"}}}
    )
    assert [q["Name"] for q in found["QuickConnects"]] == ["IT helpdesk"]


def test_fifty_quick_connects_per_association_call(connect, domain, iid, defaults):
    domain.set_quota("123456789012", "us-east-1", iid, "quick_connects", 60)
    ids = [
        connect(
            "CreateQuickConnect",
            InstanceId=iid,
            Name=f"QC{i}",
            QuickConnectConfig={
                "QuickConnectType": "PHONE_NUMBER",
                "PhoneConfig": {"PhoneNumber": f"+4420712345{i:02d}"},
            },
        )["QuickConnectId"]
        for i in range(51)
    ]
    with pytest.raises(InvalidParameterException):
        connect("AssociateQueueQuickConnects", InstanceId=iid, QueueId=defaults["queue"], QuickConnectIds=ids)
    connect("AssociateQueueQuickConnects", InstanceId=iid, QueueId=defaults["queue"], QuickConnectIds=ids[:50])
    page = connect("ListQueueQuickConnects", InstanceId=iid, QueueId=defaults["queue"], MaxResults=100)
    assert len(page["QuickConnectSummaryList"]) == 50


def test_agent_availability_timer(connect, iid, make_rp):
    rp = make_rp()
    connect(
        "UpdateRoutingProfileAgentAvailabilityTimer",
        InstanceId=iid,
        RoutingProfileId=rp,
        AgentAvailabilityTimer="TIME_SINCE_LAST_INBOUND",
    )
    described = connect("DescribeRoutingProfile", InstanceId=iid, RoutingProfileId=rp)["RoutingProfile"]
    assert described["AgentAvailabilityTimer"] == "TIME_SINCE_LAST_INBOUND"
