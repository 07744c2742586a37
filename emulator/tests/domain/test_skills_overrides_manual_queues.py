"""Predefined attributes and user proficiencies, hours-of-operation overrides, manual-assignment queues."""

from __future__ import annotations

import pytest

from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
)


@pytest.fixture
def language(connect, iid):
    connect(
        "CreatePredefinedAttribute",
        InstanceId=iid,
        Name="Language",
        Values={"StringList": ["English", "Spanish"]},
        AttributeConfiguration={"EnableValueValidationOnAssociation": True},
    )
    return "Language"


def proficiency(value, level=3.0, name="Language"):
    return {"AttributeName": name, "AttributeValue": value, "Level": level}


# --- predefined attributes --------------------------------------------------------------------------
def test_a_predefined_attribute_is_created_described_listed_searched_updated_and_deleted(connect, iid, language):
    described = connect("DescribePredefinedAttribute", InstanceId=iid, Name=language)["PredefinedAttribute"]
    assert described["Values"] == {"StringList": ["English", "Spanish"]}
    assert described["AttributeConfiguration"] == {"EnableValueValidationOnAssociation": True, "IsReadOnly": False}
    assert "Purposes" not in described
    listed = connect("ListPredefinedAttributes", InstanceId=iid)["PredefinedAttributeSummaryList"]
    assert [a["Name"] for a in listed] == ["Language"]
    found = connect(
        "SearchPredefinedAttributes",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "name", "Value": "lang", "ComparisonType": "STARTS_WITH"}},
    )
    assert [a["Name"] for a in found["PredefinedAttributes"]] == ["Language"] and found["ApproximateTotalCount"] == 1
    connect("UpdatePredefinedAttribute", InstanceId=iid, Name=language, Values={"StringList": ["English", "French"]})
    described = connect("DescribePredefinedAttribute", InstanceId=iid, Name=language)["PredefinedAttribute"]
    assert described["Values"]["StringList"] == ["English", "French"]
    assert described["AttributeConfiguration"]["EnableValueValidationOnAssociation"] is True  # untouched
    connect("DeletePredefinedAttribute", InstanceId=iid, Name=language)
    with pytest.raises(ResourceNotFoundException):
        connect("DescribePredefinedAttribute", InstanceId=iid, Name=language)


def test_predefined_attribute_names_are_unique_and_counted_against_the_quota(connect, iid, domain, language):
    with pytest.raises(DuplicateResourceException):
        connect("CreatePredefinedAttribute", InstanceId=iid, Name=language, Values={"StringList": ["x"]})
    domain.set_quota("123456789012", "us-east-1", iid, "Predefined attributes per instance", 2)
    connect("CreatePredefinedAttribute", InstanceId=iid, Name="Product", Values={"StringList": ["TV"]})
    with pytest.raises(LimitExceededException, match="Predefined attributes per instance"):
        connect("CreatePredefinedAttribute", InstanceId=iid, Name="Third", Values={"StringList": ["x"]})
    with pytest.raises(InvalidParameterException, match="more than once"):
        connect("UpdatePredefinedAttribute", InstanceId=iid, Name="Product", Values={"StringList": ["TV", "TV"]})


def test_predefined_attributes_take_no_tags(connect, iid, instance, language):
    # No ARN names one, so TagResource cannot reach it.
    with pytest.raises(ResourceNotFoundException):
        connect("TagResource", resourceArn=f"{instance.arn}//{language}", tags={"a": "b"})


# --- user proficiencies ----------------------------------------------------------------------------
def test_proficiencies_are_associated_updated_listed_and_disassociated(connect, iid, make_user, language):
    user = make_user()["UserId"]
    connect(
        "AssociateUserProficiencies",
        InstanceId=iid,
        UserId=user,
        UserProficiencies=[proficiency("English", 5.0), proficiency("Spanish", 2.0)],
    )
    connect("UpdateUserProficiencies", InstanceId=iid, UserId=user, UserProficiencies=[proficiency("Spanish", 3.5)])
    listed = connect("ListUserProficiencies", InstanceId=iid, UserId=user)
    assert listed["UserProficiencyList"] == [proficiency("English", 5.0), proficiency("Spanish", 3.5)]
    assert listed["LastModifiedRegion"] == "us-east-1"
    connect(
        "DisassociateUserProficiencies",
        InstanceId=iid,
        UserId=user,
        UserProficiencies=[{"AttributeName": "Language", "AttributeValue": "English"}],
    )
    assert connect("ListUserProficiencies", InstanceId=iid, UserId=user)["UserProficiencyList"] == [
        proficiency("Spanish", 3.5)
    ]


@pytest.mark.parametrize(
    ("operation", "entries", "message"),
    [
        ("AssociateUserProficiencies", [proficiency("English")], "already holds"),
        ("AssociateUserProficiencies", [proficiency("Klingon")], "not a value"),
        ("AssociateUserProficiencies", [proficiency("x", name="Shoe size")], "does not exist"),
        ("AssociateUserProficiencies", [proficiency("Spanish"), proficiency("Spanish")], "more than once"),
        ("UpdateUserProficiencies", [proficiency("Spanish")], "holds no proficiency"),
        ("DisassociateUserProficiencies", [{"AttributeName": "Language", "AttributeValue": "Spanish"}], "holds no"),
    ],
)
def test_proficiency_changes_that_cannot_hold_are_refused_and_change_nothing(
    connect, iid, make_user, language, operation, entries, message
):
    user = make_user()["UserId"]
    connect("AssociateUserProficiencies", InstanceId=iid, UserId=user, UserProficiencies=[proficiency("English")])
    with pytest.raises(InvalidParameterException, match=message):
        connect(operation, InstanceId=iid, UserId=user, UserProficiencies=entries)
    assert connect("ListUserProficiencies", InstanceId=iid, UserId=user)["UserProficiencyList"] == [
        proficiency("English")
    ]


def test_a_user_holds_at_most_the_quota_of_proficiencies(connect, iid, make_user):
    values = [f"v{n}" for n in range(11)]
    connect("CreatePredefinedAttribute", InstanceId=iid, Name="Skill", Values={"StringList": values})
    user = make_user()["UserId"]
    entries = [proficiency(v, name="Skill") for v in values]
    with pytest.raises(InvalidParameterException, match="Proficiencies per agent"):
        connect("AssociateUserProficiencies", InstanceId=iid, UserId=user, UserProficiencies=entries)
    connect("AssociateUserProficiencies", InstanceId=iid, UserId=user, UserProficiencies=entries[:10])


def test_an_attribute_users_hold_cannot_be_deleted_nor_lose_the_values_they_hold(connect, iid, make_user, language):
    user = make_user()["UserId"]
    connect("AssociateUserProficiencies", InstanceId=iid, UserId=user, UserProficiencies=[proficiency("English")])
    with pytest.raises(ResourceInUseException):
        connect("DeletePredefinedAttribute", InstanceId=iid, Name=language)
    with pytest.raises(InvalidParameterException, match="English"):
        connect("UpdatePredefinedAttribute", InstanceId=iid, Name=language, Values={"StringList": ["Spanish"]})
    connect("DeleteUser", InstanceId=iid, UserId=user)
    connect("DeletePredefinedAttribute", InstanceId=iid, Name=language)


def test_proficiencies_survive_a_state_dump_and_load(connect, domain, iid, make_user, language):
    user = make_user()["UserId"]
    connect("AssociateUserProficiencies", InstanceId=iid, UserId=user, UserProficiencies=[proficiency("English")])
    domain.load_state(domain.dump_state())
    assert connect("ListUserProficiencies", InstanceId=iid, UserId=user)["UserProficiencyList"] == [
        proficiency("English")
    ]
    with pytest.raises(ResourceInUseException):
        connect("DeletePredefinedAttribute", InstanceId=iid, Name=language)


# --- hours-of-operation overrides --------------------------------------------------------------------
def closure(name="Christmas", day="2026-12-25", **extra):
    return {"Name": name, "Config": [], "EffectiveFrom": day, "EffectiveTill": day, "OverrideType": "CLOSED", **extra}


def slot(day, start, end):
    return {"Day": day, "StartTime": {"Hours": start, "Minutes": 0}, "EndTime": {"Hours": end, "Minutes": 0}}


def test_an_override_is_created_described_listed_updated_searched_and_deleted(connect, iid, defaults):
    hours = defaults["hours"]
    yearly = {"RecurrencePattern": {"Frequency": "YEARLY", "Interval": 1, "ByMonth": [12], "ByMonthDay": [25]}}
    override_id = connect(
        "CreateHoursOfOperationOverride",
        InstanceId=iid,
        HoursOfOperationId=hours,
        **closure(Description="Closed", RecurrenceConfig=yearly),
    )["HoursOfOperationOverrideId"]
    described = connect(
        "DescribeHoursOfOperationOverride",
        InstanceId=iid,
        HoursOfOperationId=hours,
        HoursOfOperationOverrideId=override_id,
    )["HoursOfOperationOverride"]
    assert described["HoursOfOperationId"] == hours and described["RecurrenceConfig"] == yearly
    assert described["Config"] == [] and described["OverrideType"] == "CLOSED"
    connect(
        "UpdateHoursOfOperationOverride",
        InstanceId=iid,
        HoursOfOperationId=hours,
        HoursOfOperationOverrideId=override_id,
        OverrideType="OPEN",
        Config=[slot("FRIDAY", 10, 14)],
    )
    listed = connect("ListHoursOfOperationOverrides", InstanceId=iid, HoursOfOperationId=hours)
    assert [(o["Name"], o["OverrideType"], o["Description"]) for o in listed["HoursOfOperationOverrideList"]] == [
        ("Christmas", "OPEN", "Closed")
    ]
    found = connect(
        "SearchHoursOfOperationOverrides",
        InstanceId=iid,
        SearchCriteria={
            "AndConditions": [
                {"StringCondition": {"FieldName": "Name", "Value": "christ", "ComparisonType": "CONTAINS"}},
                {
                    "DateCondition": {
                        "FieldName": "EffectiveFrom",
                        "Value": "2026-12-01",
                        "ComparisonType": "GREATER_THAN_OR_EQUAL_TO",
                    }
                },
            ]
        },
    )
    assert [o["HoursOfOperationOverrideId"] for o in found["HoursOfOperationOverrides"]] == [override_id]
    connect(
        "DeleteHoursOfOperationOverride",
        InstanceId=iid,
        HoursOfOperationId=hours,
        HoursOfOperationOverrideId=override_id,
    )
    with pytest.raises(ResourceNotFoundException):
        connect(
            "DescribeHoursOfOperationOverride",
            InstanceId=iid,
            HoursOfOperationId=hours,
            HoursOfOperationOverrideId=override_id,
        )


@pytest.mark.parametrize(
    ("override", "error", "message"),
    [
        (closure(day="2026-13-01"), InvalidParameterException, "not a date"),
        ({**closure(), "EffectiveFrom": "2026-12-26"}, InvalidParameterException, "not be later"),
        ({**closure(), "Config": [slot("MONDAY", 14, 9)]}, InvalidParameterException, "end time"),
        (
            closure(RecurrenceConfig={"RecurrencePattern": {"Frequency": "YEARLY", "Interval": 1, "ByMonth": [13]}}),
            InvalidParameterException,
            "out of range",
        ),
        (closure(name="Taken"), DuplicateResourceException, "Taken"),
    ],
)
def test_overrides_that_cannot_hold_are_refused(connect, iid, defaults, override, error, message):
    connect("CreateHoursOfOperationOverride", InstanceId=iid, HoursOfOperationId=defaults["hours"], **closure("Taken"))
    with pytest.raises(error, match=message):
        connect("CreateHoursOfOperationOverride", InstanceId=iid, HoursOfOperationId=defaults["hours"], **override)


def test_an_hours_holds_at_most_fifty_overrides_and_takes_them_when_deleted(connect, iid):
    hours = connect(
        "CreateHoursOfOperation", InstanceId=iid, Name="Temp", TimeZone="UTC", Config=[slot("MONDAY", 9, 17)]
    )["HoursOfOperationId"]
    for n in range(50):
        connect("CreateHoursOfOperationOverride", InstanceId=iid, HoursOfOperationId=hours, **closure(f"C{n}"))
    with pytest.raises(LimitExceededException, match="Overrides per hours of operation"):
        connect("CreateHoursOfOperationOverride", InstanceId=iid, HoursOfOperationId=hours, **closure("C50"))
    connect("DeleteHoursOfOperation", InstanceId=iid, HoursOfOperationId=hours)
    with pytest.raises(ResourceNotFoundException):
        connect("ListHoursOfOperationOverrides", InstanceId=iid, HoursOfOperationId=hours)


# --- manual-assignment queues ----------------------------------------------------------------------
def test_manual_assignment_queues_are_listed_apart_from_routed_ones(connect, iid, defaults, make_queue):
    queue = make_queue("Worklist")["QueueId"]
    profile = connect(
        "CreateRoutingProfile",
        InstanceId=iid,
        Name="Pickers",
        Description="agents who pick their tasks",
        DefaultOutboundQueueId=defaults["queue"],
        MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}],
        ManualAssignmentQueueConfigs=[{"QueueReference": {"QueueId": queue, "Channel": "TASK"}}],
    )["RoutingProfileId"]
    manual = connect("ListRoutingProfileManualAssignmentQueues", InstanceId=iid, RoutingProfileId=profile)
    assert [(q["QueueName"], q["Channel"]) for q in manual["RoutingProfileManualAssignmentQueueConfigSummaryList"]] == [
        ("Worklist", "TASK")
    ]
    routed = connect("ListRoutingProfileQueues", InstanceId=iid, RoutingProfileId=profile)
    assert routed["RoutingProfileQueueConfigSummaryList"] == []
    connect(
        "DisassociateRoutingProfileQueues",
        InstanceId=iid,
        RoutingProfileId=profile,
        ManualAssignmentQueueReferences=[{"QueueId": queue, "Channel": "TASK"}],
    )
    manual = connect("ListRoutingProfileManualAssignmentQueues", InstanceId=iid, RoutingProfileId=profile)
    assert manual["RoutingProfileManualAssignmentQueueConfigSummaryList"] == []
