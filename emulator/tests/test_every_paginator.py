"""Every List/Search API the emulator serves, walked by boto3's own paginator, as clients walk it.

The largest page the model allows and a small page size must yield the same items, and each page
must hold no more than was asked for: a client that reads 10,000 users in pages of 500 depends on it.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import botocore.session
import pytest

from connect_emulator.domain import ConnectDomain

SESSION = botocore.session.get_session()
MODEL = SESSION.get_service_model("connect")
PAGINATORS = SESSION.get_paginator_model("connect")
SMALL_PAGE = 7


def paginated_operations() -> list[str]:
    names = []
    for operation in sorted(ConnectDomain.OPERATIONS):
        try:
            PAGINATORS.get_paginator(operation)
        except ValueError:
            continue
        names.append(operation)
    return names


def max_page_size(operation: str) -> int:
    return MODEL.operation_model(operation).input_shape.members["MaxResults"].metadata["max"]


@pytest.fixture(scope="module")
def seeded(connect_emulator_server):
    connect_emulator_server.reset()
    seeded = connect_emulator_server.seed(scenario="demo", users=60)
    client = connect_emulator_server.client(region=seeded["source"]["region"])
    instance_id = seeded["source"]["instance_id"]
    instance_arn = client.describe_instance(InstanceId=instance_id)["Instance"]["Arn"]
    # The demo has no Lambda or Lex associations yet: enough to fill more than one page of 25.
    region, account = seeded["source"]["region"], seeded["source"]["account_id"]
    for n in range(30):
        client.associate_lambda_function(
            InstanceId=instance_id, FunctionArn=f"arn:aws:lambda:{region}:{account}:function:fn-{n:02}"
        )
        client.associate_bot(
            InstanceId=instance_id,
            LexV2Bot={"AliasArn": f"arn:aws:lex:{region}:{account}:bot-alias/BOT{n:07d}/ALIAS{n:05d}"},
        )
        client.associate_lex_bot(InstanceId=instance_id, LexBot={"Name": f"bot{n:02}", "LexRegion": region})
    yield client, instance_id, instance_arn
    connect_emulator_server.reset()


def params_for(operation: str, client, instance_id: str, instance_arn: str) -> dict:
    """The required identifiers of each operation, picked where the seed puts the most items."""
    if operation == "ListPhoneNumbersV2":
        return {"TargetArn": instance_arn}
    if operation == "SearchAvailablePhoneNumbers":
        # Hundreds of US numbers, ten a page at most: many pages.
        return {"TargetArn": instance_arn, "PhoneNumberCountryCode": "US", "PhoneNumberType": "DID"}
    params = {"InstanceId": instance_id}
    if operation == "ListBots":
        params["LexVersion"] = "V2"
    elif operation == "ListQueueQuickConnects":
        queues = client.list_queues(InstanceId=instance_id, QueueTypes=["STANDARD"])["QueueSummaryList"]
        params["QueueId"] = max(
            (queue["Id"] for queue in queues),
            key=lambda queue_id: len(
                client.list_queue_quick_connects(InstanceId=instance_id, QueueId=queue_id, MaxResults=100)[
                    "QuickConnectSummaryList"
                ]
            ),
        )
    elif operation == "ListRoutingProfileQueues":
        profiles = client.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"]
        params["RoutingProfileId"] = max(
            (profile["Id"] for profile in profiles),
            key=lambda profile_id: len(
                client.list_routing_profile_queues(InstanceId=instance_id, RoutingProfileId=profile_id, MaxResults=100)[
                    "RoutingProfileQueueConfigSummaryList"
                ]
            ),
        )
    elif operation == "ListSecurityProfilePermissions":
        profiles = client.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
        params["SecurityProfileId"] = next(profile["Id"] for profile in profiles if profile["Name"] == "Admin")
    elif operation == "ListContactFlowVersions":
        flows = client.list_contact_flows(InstanceId=instance_id)["ContactFlowSummaryList"]
        flow_id = next(f["Id"] for f in flows if f["Name"] == "Acme Main IVR")
        if not client.list_contact_flow_versions(InstanceId=instance_id, ContactFlowId=flow_id)[
            "ContactFlowVersionSummaryList"
        ]:
            for _ in range(2 * SMALL_PAGE + 1):
                client.create_contact_flow_version(InstanceId=instance_id, ContactFlowId=flow_id)
        params["ContactFlowId"] = flow_id
    elif operation == "ListHoursOfOperationOverrides":
        hours = client.list_hours_of_operations(InstanceId=instance_id)["HoursOfOperationSummaryList"]
        hours_id = next(h["Id"] for h in hours if h["Name"] == "Support 24x7")
        if not client.list_hours_of_operation_overrides(InstanceId=instance_id, HoursOfOperationId=hours_id)[
            "HoursOfOperationOverrideList"
        ]:
            for n in range(2 * SMALL_PAGE + 1):
                client.create_hours_of_operation_override(
                    InstanceId=instance_id,
                    HoursOfOperationId=hours_id,
                    Name=f"Closure {n}",
                    Config=[],
                    EffectiveFrom=f"2027-02-{n + 1:02}",
                    EffectiveTill=f"2027-02-{n + 1:02}",
                    OverrideType="CLOSED",
                )
        params["HoursOfOperationId"] = hours_id
    elif operation == "ListUserProficiencies":
        users = client.search_users(InstanceId=instance_id, MaxResults=100)["Users"]
        params["UserId"] = max(
            (u["Id"] for u in users),
            key=lambda user_id: len(
                client.list_user_proficiencies(InstanceId=instance_id, UserId=user_id)["UserProficiencyList"]
            ),
        )
    elif operation == "ListRoutingProfileManualAssignmentQueues":
        profiles = client.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"]
        params["RoutingProfileId"] = next(p["Id"] for p in profiles if p["Name"] == "Billing Agents")
    elif operation == "ListViewVersions":
        views = client.list_views(InstanceId=instance_id, Type="CUSTOMER_MANAGED")["ViewsSummaryList"]
        view_id = next(v["Id"] for v in views if v["Name"] == "Customer Lookup")
        if not client.list_view_versions(InstanceId=instance_id, ViewId=view_id)["ViewVersionSummaryList"]:
            # A version is made of changed content only: publish a new template before each.
            for n in range(2 * SMALL_PAGE + 1):
                content = {"Template": json.dumps({"Head": {"Title": f"v{n}"}, "Body": []}), "Actions": []}
                client.update_view_content(InstanceId=instance_id, ViewId=view_id, Status="PUBLISHED", Content=content)
                client.create_view_version(InstanceId=instance_id, ViewId=view_id)
        params["ViewId"] = view_id
    elif operation == "ListSecurityProfileApplications":
        profiles = client.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
        params["SecurityProfileId"] = next(p["Id"] for p in profiles if p["Name"] == "Support Agent Plus")
    return params


def walk(client, operation: str, params: dict, page_size: int) -> list[list[str]]:
    paginator = client.get_paginator(botocore.xform_name(operation))
    result_key = PAGINATORS.get_paginator(operation)["result_key"]
    return [
        [json.dumps(item, sort_keys=True, default=str) for item in page[result_key]]
        for page in paginator.paginate(**params, PaginationConfig={"PageSize": page_size})
    ]


def test_the_emulator_serves_a_paginator_for_every_list_and_search_family():
    operations = paginated_operations()
    assert {"SearchUsers", "SearchQueues", "SearchRoutingProfiles", "ListQueueQuickConnects"} <= set(operations)


@pytest.mark.parametrize("operation", paginated_operations())
def test_paginator_walks_every_item_at_the_largest_and_a_small_page_size(seeded, operation):
    client, instance_id, instance_arn = seeded
    params = params_for(operation, client, instance_id, instance_arn)
    largest = max_page_size(operation)

    big_pages = walk(client, operation, params, largest)
    small_pages = walk(client, operation, params, SMALL_PAGE)
    items = [item for page in big_pages for item in page]

    assert items == [item for page in small_pages for item in page]
    assert all(len(page) <= largest for page in big_pages)
    assert all(len(page) <= SMALL_PAGE for page in small_pages)
    assert len(big_pages) == max(1, math.ceil(len(items) / largest))
    assert len(small_pages) == max(1, math.ceil(len(items) / SMALL_PAGE))


def test_the_aws_cli_searches_users_against_the_emulator_unchanged(connect_emulator):
    seeded = connect_emulator.seed(scenario="demo", users=12)
    source = seeded["source"]
    aws = Path(sys.executable).with_name("aws")
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [
            str(aws),
            "connect",
            "search-users",
            "--instance-id",
            source["instance_id"],
            "--region",
            source["region"],
            "--endpoint-url",
            connect_emulator.endpoint,
            "--output",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    users = json.loads(done.stdout)["Users"]
    assert len(users) == 12
    assert all(user["Username"] and user["RoutingProfileId"] for user in users)
