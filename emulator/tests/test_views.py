"""Views as Amazon serves them: $SAVED and $LATEST content, versions, Amazon's own views, tags, the state file,
bundles and the demo seed.

Through the whole in-process emulator (the model's validation on both sides), then boto3 over HTTP.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from connect_emulator.domain.flow_content import InvalidContactFlowException
from connect_emulator.domain.views import content_sha256
from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    InvalidRequestException,
    ResourceInUseException,
    ResourceNotFoundException,
    ValidationError,
)
from connect_emulator.from_bundle import load_into_new_instance

REGION = "eu-west-2"
ACCOUNT = "123456789012"
MANAGED = ["Cards", "Confirmation", "Detail", "Form", "List"]


def template(title: str = "Lookup", *actions: str) -> str:
    body = [{"_id": a.lower(), "Type": "Button", "Props": {"Action": a}} for a in actions]
    return json.dumps({"Head": {"Title": title}, "Body": body})


def content(title: str = "Lookup", *actions: str) -> dict[str, Any]:
    return {"Template": template(title, *actions), "Actions": list(actions)}


@pytest.fixture
def view(connect, iid) -> dict[str, Any]:
    """A published view with tags."""
    return connect(
        "CreateView",
        InstanceId=iid,
        Name="Lookup",
        Description="Find the caller",
        Status="PUBLISHED",
        Content=content("Lookup", "Next", "Back"),
        Tags={"BU": "Support"},
    )["View"]


def describe(connect, iid: str, ref: str) -> dict[str, Any]:
    return connect("DescribeView", InstanceId=iid, ViewId=ref)["View"]


def test_a_published_view_is_described_by_id_arn_and_latest(connect, iid, view):
    assert view["Arn"] == f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{iid}/view/{view['Id']}"
    assert (view["Type"], view["Status"], view["Tags"]) == ("CUSTOMER_MANAGED", "PUBLISHED", {"BU": "Support"})
    assert view["ViewContentSha256"] == content_sha256(content("Lookup", "Next", "Back"))
    assert len(view["ViewContentSha256"]) == 64
    for ref in (view["Id"], view["Arn"], f"{view['Id']}:$LATEST", f"{view['Arn']}:$LATEST", f"{view['Id']}:$SAVED"):
        got = describe(connect, iid, ref)
        assert (got["Id"], got["Name"], got["Description"], got["Status"]) == (
            view["Id"],
            "Lookup",
            "Find the caller",
            "PUBLISHED",
        )
        assert got["Content"] == content("Lookup", "Next", "Back") and "Version" not in got


def test_a_saved_view_has_no_latest_until_it_is_published(connect, iid):
    made = connect("CreateView", InstanceId=iid, Name="Draft", Status="SAVED", Content=content("Draft"))["View"]
    assert made["Status"] == "SAVED"
    with pytest.raises(ResourceNotFoundException, match=r"\$SAVED"):
        describe(connect, iid, made["Id"])
    with pytest.raises(ResourceNotFoundException):
        describe(connect, iid, f"{made['Id']}:$LATEST")
    assert describe(connect, iid, f"{made['Id']}:$SAVED")["Status"] == "SAVED"
    listed = connect("ListViews", InstanceId=iid, Type="CUSTOMER_MANAGED")["ViewsSummaryList"]
    assert [(v["Name"], v["Status"]) for v in listed] == [("Draft", "SAVED")]
    connect("UpdateViewContent", InstanceId=iid, ViewId=made["Id"], Status="PUBLISHED", Content=content("Done"))
    assert describe(connect, iid, made["Id"])["Content"] == content("Done")


def test_saving_leaves_the_published_content_in_latest(connect, iid, view):
    saved = connect(
        "UpdateViewContent", InstanceId=iid, ViewId=view["Arn"], Status="SAVED", Content=content("Next draft")
    )["View"]
    assert (saved["Status"], saved["Content"]) == ("SAVED", content("Next draft"))
    latest = describe(connect, iid, view["Id"])
    assert (latest["Status"], latest["Content"]) == ("PUBLISHED", content("Lookup", "Next", "Back"))
    draft = describe(connect, iid, f"{view['Id']}:$SAVED")
    assert (draft["Status"], draft["Content"]) == ("SAVED", content("Next draft"))
    assert draft["ViewContentSha256"] == content_sha256(content("Next draft")) != latest["ViewContentSha256"]


def test_names_are_unique_and_metadata_renames_without_touching_the_content_time(connect, iid, view):
    with pytest.raises(DuplicateResourceException):
        connect("CreateView", InstanceId=iid, Name="Lookup", Status="SAVED", Content=content())
    other = connect("CreateView", InstanceId=iid, Name="Other", Status="SAVED", Content=content())["View"]
    with pytest.raises(DuplicateResourceException):
        connect("UpdateViewMetadata", InstanceId=iid, ViewId=other["Id"], Name="Lookup")
    with pytest.raises(InvalidParameterException, match="Name or a Description"):
        connect("UpdateViewMetadata", InstanceId=iid, ViewId=view["Id"])
    connect("UpdateViewMetadata", InstanceId=iid, ViewId=view["Id"], Name="Caller Lookup", Description="Who calls")
    got = describe(connect, iid, view["Id"])
    assert (got["Name"], got["Description"]) == ("Caller Lookup", "Who calls")
    assert got["LastModifiedTime"] == view["LastModifiedTime"]
    connect("CreateView", InstanceId=iid, Name="Lookup", Status="SAVED", Content=content())  # the old name is free


def test_a_create_is_idempotent_by_client_token_and_refuses_the_token_for_another_request(connect, iid):
    first = connect("CreateView", InstanceId=iid, Name="A", Status="PUBLISHED", Content=content(), ClientToken="t-1")
    again = connect("CreateView", InstanceId=iid, Name="A", Status="PUBLISHED", Content=content(), ClientToken="t-1")
    assert again == first
    with pytest.raises(ResourceInUseException) as refused:
        connect("CreateView", InstanceId=iid, Name="B", Status="PUBLISHED", Content=content(), ClientToken="t-1")
    assert refused.value.fields["ResourceId"] == first["View"]["Arn"]
    assert len(connect("ListViews", InstanceId=iid, Type="CUSTOMER_MANAGED")["ViewsSummaryList"]) == 1


def test_content_must_be_a_json_template_within_400_kb(connect, iid, view):
    for bad in ({"Template": "{not json", "Actions": []}, {"Actions": ["Next"]}):
        with pytest.raises(InvalidParameterException):
            connect("CreateView", InstanceId=iid, Name="Bad", Status="SAVED", Content=bad)
        with pytest.raises(InvalidParameterException):
            connect("UpdateViewContent", InstanceId=iid, ViewId=view["Id"], Status="SAVED", Content=bad)
    # A draft need only be JSON; a published template is a JSON object.
    connect("CreateView", InstanceId=iid, Name="List draft", Status="SAVED", Content={"Template": "[]"})
    with pytest.raises(InvalidParameterException, match="JSON object"):
        connect("CreateView", InstanceId=iid, Name="List", Status="PUBLISHED", Content={"Template": "[]"})
    huge = {"Template": json.dumps({"Body": "x" * (400 * 1024)}), "Actions": []}
    with pytest.raises(InvalidParameterException, match="400 kB"):
        connect("CreateView", InstanceId=iid, Name="Huge", Status="PUBLISHED", Content=huge)
    with pytest.raises(ValidationError):  # the model's enum, before the domain
        connect("CreateView", InstanceId=iid, Name="Odd", Status="DRAFT", Content=content())
    assert describe(connect, iid, view["Id"])["Content"] == content("Lookup", "Next", "Back")


def test_versions_snapshot_latest_and_are_read_only(connect, iid, view):
    vid = view["Id"]
    first = connect("CreateViewVersion", InstanceId=iid, ViewId=vid, VersionDescription="launch")["View"]
    assert (first["Version"], first["VersionDescription"], first["Status"]) == (1, "launch", "PUBLISHED")
    # Nothing changed since version 1: Amazon answers the highest version again.
    assert connect("CreateViewVersion", InstanceId=iid, ViewId=vid)["View"]["Version"] == 1
    # A saved draft is not $LATEST: still no change.
    connect("UpdateViewContent", InstanceId=iid, ViewId=vid, Status="SAVED", Content=content("Draft"))
    assert connect("CreateViewVersion", InstanceId=iid, ViewId=vid)["View"]["Version"] == 1
    connect("UpdateViewContent", InstanceId=iid, ViewId=vid, Status="PUBLISHED", Content=content("Two", "Next"))
    with pytest.raises(InvalidRequestException, match="ViewContentSha256"):
        connect("CreateViewVersion", InstanceId=iid, ViewId=vid, ViewContentSha256=view["ViewContentSha256"])
    latest_sha = describe(connect, iid, vid)["ViewContentSha256"]
    second = connect("CreateViewVersion", InstanceId=iid, ViewId=view["Arn"], ViewContentSha256=latest_sha)["View"]
    assert second["Version"] == 2 and "VersionDescription" not in second

    old = describe(connect, iid, f"{vid}:1")
    assert (old["Version"], old["VersionDescription"], old["Content"]) == (
        1,
        "launch",
        content("Lookup", "Next", "Back"),
    )
    assert describe(connect, iid, f"{view['Arn']}:2")["Content"] == content("Two", "Next")
    with pytest.raises(ResourceNotFoundException):
        describe(connect, iid, f"{vid}:3")
    listed = connect("ListViewVersions", InstanceId=iid, ViewId=vid)["ViewVersionSummaryList"]
    assert [(v["Version"], v.get("VersionDescription")) for v in listed] == [(2, None), (1, "launch")]
    assert {v["Arn"] for v in listed} == {view["Arn"]}

    for operation, extra in (
        ("UpdateViewContent", {"Status": "PUBLISHED", "Content": content("Three")}),
        ("UpdateViewMetadata", {"Description": "x"}),
        ("DeleteView", {}),
    ):
        with pytest.raises(InvalidRequestException, match="read-only"):
            connect(operation, InstanceId=iid, ViewId=f"{vid}:1", **extra)

    connect("DeleteViewVersion", InstanceId=iid, ViewId=vid, ViewVersion=2)
    with pytest.raises(ResourceNotFoundException):
        describe(connect, iid, f"{vid}:2")
    with pytest.raises(ResourceNotFoundException):
        connect("DeleteViewVersion", InstanceId=iid, ViewId=vid, ViewVersion=2)
    connect("UpdateViewContent", InstanceId=iid, ViewId=vid, Status="PUBLISHED", Content=content("Four"))
    assert connect("CreateViewVersion", InstanceId=iid, ViewId=vid)["View"]["Version"] == 3  # 2 is not reused


def test_a_view_never_published_has_no_version(connect, iid):
    made = connect("CreateView", InstanceId=iid, Name="Draft", Status="SAVED", Content=content())["View"]
    with pytest.raises(InvalidRequestException, match=r"\$LATEST"):
        connect("CreateViewVersion", InstanceId=iid, ViewId=made["Id"])
    assert connect("ListViewVersions", InstanceId=iid, ViewId=made["Id"])["ViewVersionSummaryList"] == []


def test_deleting_a_view_deletes_its_versions(connect, iid, view):
    connect("CreateViewVersion", InstanceId=iid, ViewId=view["Id"])
    connect("DeleteView", InstanceId=iid, ViewId=view["Arn"])
    for ref in (view["Id"], f"{view['Id']}:1"):
        with pytest.raises(ResourceNotFoundException):
            describe(connect, iid, ref)
    for operation, extra in (("DeleteView", {}), ("ListViewVersions", {}), ("CreateViewVersion", {})):
        with pytest.raises(ResourceNotFoundException):
            connect(operation, InstanceId=iid, ViewId=view["Id"], **extra)
    with pytest.raises(ResourceNotFoundException):
        connect("DeleteViewVersion", InstanceId=iid, ViewId=view["Id"], ViewVersion=1)
    assert connect("ListViews", InstanceId=iid, Type="CUSTOMER_MANAGED")["ViewsSummaryList"] == []


def test_aws_managed_views_are_listed_described_by_arn_and_read_only(connect, iid, view):
    listed = connect("ListViews", InstanceId=iid)["ViewsSummaryList"]
    # "sorted primarily by type, and secondarily by name"
    assert [(v["Type"], v["Name"]) for v in listed] == [
        *(("AWS_MANAGED", name) for name in MANAGED),
        ("CUSTOMER_MANAGED", "Lookup"),
    ]
    managed = connect("ListViews", InstanceId=iid, Type="AWS_MANAGED")["ViewsSummaryList"]
    assert [v["Name"] for v in managed] == MANAGED
    form = next(v for v in managed if v["Name"] == "Form")
    assert form["Arn"] == f"arn:aws:connect:{REGION}:aws:view/form" and form["Status"] == "PUBLISHED"
    for ref in (form["Arn"], f"{form['Arn']}:1", f"{form['Arn']}:$LATEST"):
        got = describe(connect, iid, ref)
        assert (got["Name"], got["Type"], got["Version"]) == ("Form", "AWS_MANAGED", 1)
        assert json.loads(got["Content"]["Template"]) and got["Content"]["Actions"] == ["Cancel", "Submit"]
    versions = connect("ListViewVersions", InstanceId=iid, ViewId=form["Arn"])["ViewVersionSummaryList"]
    assert [v["Version"] for v in versions] == [1]
    for ref in (form["Id"], f"{form['Arn']}:2", "arn:aws:connect:us-east-1:aws:view/form", f"{form['Arn'][:-4]}nope"):
        with pytest.raises(ResourceNotFoundException):
            describe(connect, iid, ref)
    for operation, extra in (
        ("UpdateViewContent", {"Status": "PUBLISHED", "Content": content()}),
        ("UpdateViewMetadata", {"Name": "Mine"}),
        ("CreateViewVersion", {}),
        ("DeleteViewVersion", {"ViewVersion": 1}),
        ("DeleteView", {}),
    ):
        with pytest.raises(InvalidRequestException, match="AWS managed"):
            connect(operation, InstanceId=iid, ViewId=form["Arn"], **extra)
    with pytest.raises(ResourceNotFoundException):
        connect("TagResource", resourceArn=form["Arn"], tags={"a": "b"})


def test_a_view_of_another_instance_is_not_found(connect, iid, view):
    other = connect(
        "CreateInstance",
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="other-instance",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    for ref in (view["Id"], view["Arn"]):
        with pytest.raises(ResourceNotFoundException):
            describe(connect, other, ref)
        with pytest.raises(ResourceNotFoundException):
            connect("DeleteView", InstanceId=other, ViewId=ref)


def test_views_are_tagged_like_any_resource(connect, iid, view):
    connect("TagResource", resourceArn=view["Arn"], tags={"Owner": "cx"})
    assert connect("ListTagsForResource", resourceArn=view["Arn"])["tags"] == {"BU": "Support", "Owner": "cx"}
    connect("UntagResource", resourceArn=view["Arn"], tagKeys=["BU"])
    assert describe(connect, iid, view["Id"])["Tags"] == {"Owner": "cx"}
    with pytest.raises(InvalidParameterException):
        connect("TagResource", resourceArn=view["Arn"], tags={"aws:x": "y"})
    with pytest.raises(InvalidParameterException):
        connect("CreateView", InstanceId=iid, Name="T", Status="SAVED", Content=content(), Tags={"aws:x": "y"})


def test_list_views_pages_at_most_100(connect, iid):
    for n in range(4):
        connect("CreateView", InstanceId=iid, Name=f"v{n}", Status="SAVED", Content=content())
    seen, token = [], None
    while True:
        page = connect("ListViews", InstanceId=iid, MaxResults=3, **({"NextToken": token} if token else {}))
        assert len(page["ViewsSummaryList"]) <= 3
        seen += [v["Name"] for v in page["ViewsSummaryList"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [*MANAGED, "v0", "v1", "v2", "v3"]
    with pytest.raises(ValidationError):
        connect("ListViews", InstanceId=iid, MaxResults=101)
    with pytest.raises(InvalidParameterException):
        connect("ListViews", InstanceId=iid, NextToken="bm90LWEtdG9rZW4")


def test_views_versions_and_tokens_survive_the_state_file(connect, iid, emulator):
    made = connect("CreateView", InstanceId=iid, Name="A", Status="PUBLISHED", Content=content(), ClientToken="t-9")
    connect("CreateViewVersion", InstanceId=iid, ViewId=made["View"]["Id"], VersionDescription="one")
    state = json.loads(json.dumps(emulator.dump_state()))
    emulator.reset()
    emulator.load_state(state)
    assert describe(connect, iid, f"{made['View']['Id']}:1")["VersionDescription"] == "one"
    again = connect("CreateView", InstanceId=iid, Name="A", Status="PUBLISHED", Content=content(), ClientToken="t-9")
    assert again["View"]["Id"] == made["View"]["Id"]
    with pytest.raises(DuplicateResourceException):
        connect("CreateView", InstanceId=iid, Name="A", Status="SAVED", Content=content())


def test_published_flows_may_name_this_instances_views_only(connect, iid, view):
    def flow(arn: str) -> str:
        action = {"Identifier": "show", "Type": "ShowView", "Parameters": {"ViewResource": {"Id": arn}}}
        end = {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
        action["Transitions"] = {"NextAction": "end"}
        return json.dumps({"Version": "2019-10-30", "StartAction": "show", "Actions": [action, end]})

    for n, arn in enumerate((view["Arn"], f"{view['Arn']}:$LATEST", f"arn:aws:connect:{REGION}:aws:view/form")):
        connect("CreateContactFlow", InstanceId=iid, Name=f"Guide {n}", Type="CONTACT_FLOW", Content=flow(arn))
    missing = view["Arn"].replace(view["Id"], "00000000-0000-0000-0000-000000000000")
    with pytest.raises(InvalidContactFlowException, match="does not exist in this instance"):
        connect("CreateContactFlow", InstanceId=iid, Name="Broken guide", Type="CONTACT_FLOW", Content=flow(missing))


def test_a_bundles_views_are_created_published_or_saved_with_their_tags(emulator):
    views = [
        {
            "name": "Lookup",
            "description": "Find the caller",
            "status": "PUBLISHED",
            "content": {"template": template("Lookup", "Next"), "actions": ["Next"]},
            "tags": {"BU": "Support"},
        },
        {"name": "Draft", "status": "SAVED", "content": {"template": template("Draft")}, "tags": {}},
    ]
    bundle = {"format_version": 1, "resources": {"views": views}}
    loaded = load_into_new_instance(emulator, bundle, region=REGION, alias="views-rehearsal")
    iid = loaded.instance.id
    assert loaded.counts["views"] == 2 and set(loaded.ids["views"]) == {"Lookup", "Draft"}
    lookup = emulator.call("DescribeView", {"InstanceId": iid, "ViewId": loaded.ids["views"]["Lookup"]}, region=REGION)
    assert lookup["View"]["Content"] == content("Lookup", "Next") and lookup["View"]["Tags"] == {"BU": "Support"}
    assert lookup["View"]["Arn"] == loaded.arns["views"]["Lookup"]
    draft_ref = loaded.ids["views"]["Draft"] + ":$SAVED"
    draft = emulator.call("DescribeView", {"InstanceId": iid, "ViewId": draft_ref}, region=REGION)["View"]
    assert (draft["Status"], draft["Content"]["Actions"], "Tags" in draft) == ("SAVED", [], False)
    # Loaded again into the same instance: the views it has are left alone.
    from connect_emulator.from_bundle import load

    again = load(emulator, bundle, loaded.instance)
    assert again.counts["views"] == 0 and again.ids["views"] == loaded.ids["views"]


def test_boto3_serves_views_over_http_and_the_demo_source_has_a_published_one_and_a_draft(connect_emulator):
    seeded = connect_emulator.seed(scenario="demo", users=3)
    client = connect_emulator.client(region=seeded["source"]["region"])
    iid = seeded["source"]["instance_id"]
    demo, draft = client.list_views(InstanceId=iid, Type="CUSTOMER_MANAGED")["ViewsSummaryList"]
    assert (demo["Name"], demo["Status"]) == ("Customer Lookup", "PUBLISHED")
    assert (draft["Name"], draft["Status"]) == ("Refund Request Draft", "SAVED")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_view(InstanceId=iid, ViewId=draft["Id"])
    assert client.describe_view(InstanceId=iid, ViewId=draft["Id"] + ":$SAVED")["View"]["Status"] == "SAVED"
    described = client.describe_view(InstanceId=iid, ViewId=demo["Arn"] + ":$LATEST")["View"]
    assert described["Content"]["Actions"] == ["Confirm", "SearchAgain"] and json.loads(
        described["Content"]["Template"]
    )
    assert described["Tags"] and described["ViewContentSha256"] == content_sha256(described["Content"])
    target = connect_emulator.client(region=seeded["target"]["region"])
    assert (
        target.list_views(InstanceId=seeded["target"]["instance_id"], Type="CUSTOMER_MANAGED")["ViewsSummaryList"] == []
    )

    for n in range(4):
        client.create_view(InstanceId=iid, Name=f"Extra {n}", Status="SAVED", Content=content(f"E{n}"))
    pages = client.get_paginator("list_views").paginate(InstanceId=iid, PaginationConfig={"PageSize": 2})
    names = [v["Name"] for page in pages for v in page["ViewsSummaryList"]]
    assert names == [*MANAGED, "Customer Lookup", "Extra 0", "Extra 1", "Extra 2", "Extra 3", "Refund Request Draft"]

    made = client.create_view(InstanceId=iid, Name="Http", Status="PUBLISHED", Content=content("H"))["View"]
    version = client.create_view_version(
        InstanceId=iid, ViewId=made["Arn"], VersionDescription="v1", ViewContentSha256=made["ViewContentSha256"]
    )["View"]
    assert version["Version"] == 1
    assert client.describe_view(InstanceId=iid, ViewId=f"{made['Arn']}:1")["View"]["VersionDescription"] == "v1"
    client.update_view_metadata(InstanceId=iid, ViewId=made["Id"], Description="over http")
    assert client.list_view_versions(InstanceId=iid, ViewId=made["Id"])["ViewVersionSummaryList"][0]["Version"] == 1
    client.delete_view_version(InstanceId=iid, ViewId=made["Id"], ViewVersion=1)
    client.delete_view(InstanceId=iid, ViewId=made["Id"])
    with pytest.raises(ClientError) as missing:
        client.describe_view(InstanceId=iid, ViewId=made["Id"])
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as duplicate:
        client.create_view(InstanceId=iid, Name="Customer Lookup", Status="SAVED", Content=content())
    assert duplicate.value.response["Error"]["Code"] == "DuplicateResourceException"
    with pytest.raises(ClientError) as managed:
        client.delete_view(InstanceId=iid, ViewId=f"arn:aws:connect:{seeded['source']['region']}:aws:view/cards")
    assert managed.value.response["Error"]["Code"] == "InvalidRequestException"
