"""Nothing the API stores is dropped without a decision: every member of every output shape the
collection reads is carried by a description's field, or is on one of the short lists below.

For each type, the shapes walked are its read (Search*/List*), its Describe* (if the description has one)
and each per-item sub-list's List*. A member AWS adds to any of them fails this test until someone
decides: carry it (a `Field`), name it as configuration not carried yet (`ResourceType.not_carried`:
the export then warns for every item that has it set), or, if it cannot or should not be migrated,
add it here with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import botocore.session
import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES, Field, ResourceType

MODEL = botocore.session.get_session().get_service_model("connect")

# Members of every shape that say which item this is or when it changed, never what it is: an item's own ID
# and ARN (the target gives its own), timestamps and the Region of the last change.
READ_ONLY_ANYWHERE = {
    "Id": "the item's ID in the source; the target gives its own",
    "Arn": "the item's ARN in the source",
    "LastModifiedTime": "when the source item changed",
    "LastModifiedRegion": "where the source item changed",
    "InstanceId": "the source instance",
}

# Members of one type's shapes that cannot or should not be migrated, with why.
READ_ONLY: dict[str, dict[str, str]] = {
    "hours_of_operations": {
        "HoursOfOperationId": "ID",
        "HoursOfOperationArn": "ARN",
    },
    "hours_of_operations.overrides": {
        "HoursOfOperationId": "the hours the override belongs to, which carry it",
        "HoursOfOperationArn": "the hours the override belongs to, which carry it",
    },
    "prompts": {"PromptId": "ID", "PromptARN": "ARN"},
    "lex_bots": {
        # The record is rebuilt from these (_lex_record): name, version, region and alias ARN are the fields.
        "LexBot": "carried as name, lex_version and lex_region",
        "LexBot.Name": "carried as name",
        "LexBot.LexRegion": "carried as lex_region",
        "LexV2Bot": "carried as name and arn",
        "LexV2Bot.AliasArn": "carried as arn",
    },
    "contact_flows": {
        "FlowContentSha256": "a hash of the content, which is carried",
        "Version": "the source's version number; the target numbers its own",
        "VersionDescription": "belongs to a version, which the target numbers itself",
    },
    "contact_flow_modules": {
        "FlowModuleContentSha256": "a hash of the content, which is carried",
        "Version": "the source's version number; the target numbers its own",
        "VersionDescription": "belongs to a version, which the target numbers itself",
    },
    "phone_numbers": {
        "PhoneNumberId": "ID",
        "PhoneNumberArn": "ARN",
        "TargetArn": "the source instance or traffic distribution group the number is claimed to",
        "SourcePhoneNumberArn": "the End User Messaging number it was imported from, an account's own",
        "PhoneNumberStatus": "the claim's progress",
        "PhoneNumberStatus.Status": "the claim's progress",
        "PhoneNumberStatus.Message": "the claim's progress",
    },
    "security_profiles": {
        "OrganizationResourceId": "the source's organisation",
        "Type": "who manages the profile (set by Amazon Connect, not by CreateSecurityProfile)",
    },
    "user_hierarchy_groups": {
        # The group's identity is its path of names (hierarchy_group_path); the level follows from the path.
        "Name": "carried in the path",
        "LevelId": "follows from the path's length",
        **{
            f"HierarchyPath{suffix}": "carried as the path"
            for level in ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")
            for suffix in (
                "",
                f".{level}",
                f".{level}.Id",
                f".{level}.Arn",
                f".{level}.Name",
                f".{level}.LastModifiedTime",
                f".{level}.LastModifiedRegion",
            )
        },
    },
    "queues": {"QueueId": "ID", "QueueArn": "ARN"},
    "queues.quick_connects": {
        "QuickConnectType": "the referenced quick connect's, carried with it",
    },
    "routing_profiles": {
        "RoutingProfileId": "ID",
        "RoutingProfileArn": "ARN",
        "NumberOfAssociatedQueues": "a count of queue_configs, which are carried",
        "NumberOfAssociatedManualAssignmentQueues": "a count of manual_assignment_queue_configs, which are carried",
        "NumberOfAssociatedUsers": "a count of the users naming the profile",
        "IsDefault": "the instance's default profile is the target's own (an instance default)",
        "AssociatedQueueIds": "the queue_configs' queues, which are carried",
        "AssociatedManualAssignmentQueueIds": "the manual_assignment_queue_configs' queues, which are carried",
    },
    "routing_profiles.queue_configs": {
        "QueueArn": "the referenced queue's",
        "QueueName": "the referenced queue's",
    },
    "routing_profiles.manual_assignment_queue_configs": {
        "QueueArn": "the referenced queue's",
        "QueueName": "the referenced queue's",
    },
    "predefined_attributes": {
        "AttributeConfiguration.IsReadOnly": "set by Amazon Connect for its own attributes; no API input carries it",
    },
    "agent_statuses": {"AgentStatusId": "ID", "AgentStatusARN": "ARN"},
    "quick_connects": {"QuickConnectId": "ID", "QuickConnectARN": "ARN"},
    "views": {
        "Type": "CUSTOMER_MANAGED for every view read (AWS-managed views are every instance's own)",
        "Version": "the source's version number; the target numbers its own",
        "VersionDescription": "belongs to a version, which the target numbers itself",
        "ViewContentSha256": "a hash of the content, which is carried",
        "CreatedTime": "when the source view was made",
        "Content.InputSchema": "derived by Amazon Connect from the template; CreateView does not take it",
    },
}


def members(shape, prefix: str = "") -> Iterator[str]:
    """Every member path of a shape (lists looked through), e.g. IdentityInfo.Email."""
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            yield prefix + name
            yield from members(member, f"{prefix}{name}.")
    elif shape.type_name == "list":
        yield from members(shape.member, prefix)


def carried(fields: tuple[Field, ...], prefix: str = "") -> Iterator[str]:
    for f in fields:
        if f.api:
            yield prefix + f.api
            yield from carried(f.sub, f"{prefix}{f.api}.")


def result_shape(api: str, result_key: str):
    return MODEL.operation_model(api).output_shape.members[result_key]


def shapes_of(rtype: ResourceType) -> Iterator[tuple[str, object, set[str]]]:
    """(where, shape, what the description carries there) for each output shape the type is read from."""
    fields = set(carried(rtype.fields)) | {member for member, _why in rtype.not_carried}
    yield rtype.key, result_shape(rtype.read.api, rtype.read.result_key), fields
    describe = rtype.describe or rtype.write.describe
    if describe is not None:
        yield rtype.key, result_shape(describe.api, describe.result_key), fields
    for sub in rtype.sublists:
        entry = {sub.entry_id} if sub.entry_id else set()
        if sub.ref and not sub.fields:
            entry |= {"Name"}  # a reference entry names the referenced item, which is carried by its identity
        yield f"{rtype.key}.{sub.key}", result_shape(sub.api, sub.result_key), set(carried(sub.fields)) | entry


CASES = [(where, shape, fields) for rtype in RESOURCE_TYPES.values() for where, shape, fields in shapes_of(rtype)]


@pytest.mark.parametrize(("where", "shape", "fields"), CASES, ids=[f"{w}:{s.name}" for w, s, _f in CASES])
def test_every_member_the_api_returns_is_carried_or_decided(where, shape, fields):
    allowed = set(READ_ONLY_ANYWHERE) | set(READ_ONLY.get(where, {}))
    rtype = RESOURCE_TYPES[where.split(".", 1)[0]]
    whole = tuple(f"{member}." for member, _why in rtype.not_carried) if "." not in where else ()
    undecided = [p for p in members(shape) if p not in fields and p not in allowed and not p.startswith(whole or "\0")]
    assert undecided == [], (
        f"{where}: {shape.name} has members no description carries and no list explains: carry them (a Field), "
        "name them in the type's not_carried, or add them to this test's READ_ONLY with why"
    )


def test_the_lists_name_nothing_the_model_does_not_have():
    """An entry for a member AWS removed, or a typo, would hide nothing and mislead the next reader."""
    every = {where: set() for where, _shape, _fields in CASES}
    for where, shape, _fields in CASES:
        every[where] |= set(members(shape))
    stale = [f"{where}: {path}" for where, paths in READ_ONLY.items() for path in paths if path not in every[where]]
    stale += [
        f"{rtype.key}: {member}"
        for rtype in RESOURCE_TYPES.values()
        for member, _why in rtype.not_carried
        if member not in every[rtype.key]
    ]
    assert stale == []
