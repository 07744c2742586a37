"""The route table, parsing and validation, straight from botocore's Connect model."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from connect_emulator import errors
from connect_emulator.protocol import Protocol, service_model

ARN = "arn:aws:connect:us-east-1:123456789012:instance/0f0e/queue/q-1"


@pytest.fixture(scope="module")
def protocol() -> Protocol:
    return Protocol(validate_output=True)


def test_every_operation_of_the_model_routes_to_itself(protocol: Protocol) -> None:
    model = service_model()
    for name in model.operation_names:
        http = model.operation_model(name).http
        path = re.sub(r"\{[^}]+\}", "x-1", http["requestUri"].split("?")[0])
        matched = protocol.match(http["method"], path)
        assert matched is not None and matched[0] == name, (name, path)


def test_literal_segments_win_over_labels(protocol: Protocol) -> None:
    assert protocol.match("GET", "/users/i-1/u-1")[0] == "DescribeUser"
    assert protocol.match("GET", "/users-summary/i-1")[0] == "ListUsers"
    assert protocol.match("POST", "/users/i-1/u-1/routing-profile")[0] == "UpdateUserRoutingProfile"


def test_an_encoded_arn_is_one_label_and_is_decoded(protocol: Protocol) -> None:
    encoded = ARN.replace(":", "%3A").replace("/", "%2F")
    assert protocol.match("GET", f"/tags/{encoded}") == ("ListTagsForResource", {"resourceArn": ARN})


def test_an_unencoded_arn_is_swallowed_by_the_last_label(protocol: Protocol) -> None:
    assert protocol.match("POST", f"/tags/{ARN}") == ("TagResource", {"resourceArn": ARN})


def test_unknown_paths_and_methods_do_not_match(protocol: Protocol) -> None:
    assert protocol.match("GET", "/no-such-thing") is None
    assert protocol.match("PATCH", "/users/i-1") is None


def test_uri_query_header_and_body_merge_into_typed_params(protocol: Protocol) -> None:
    params = protocol.parse_request("ListUsers", {"InstanceId": "i-1"}, "maxResults=25&nextToken=abc", {}, b"")
    assert params == {"InstanceId": "i-1", "MaxResults": 25, "NextToken": "abc"}
    untag = protocol.parse_request("UntagResource", {"resourceArn": ARN}, "tagKeys=a&tagKeys=b", {}, b"")
    assert untag == {"resourceArn": ARN, "tagKeys": ["a", "b"]}


def test_body_timestamps_become_datetimes(protocol: Protocol) -> None:
    params = protocol.parse_request(
        "GetCurrentUserData",
        {"InstanceId": "i-1"},
        "",
        {},
        b'{"Filters": {"Agents": ["a"]}}',
    )
    assert params["Filters"] == {"Agents": ["a"]}
    # SearchContacts carries epoch timestamps in its TimeRange
    search = protocol.parse_request(
        "SearchContacts",
        {},
        "",
        {},
        b'{"InstanceId": "i-1", "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": 0, "EndTime": 60}}',
    )
    assert search["TimeRange"]["EndTime"] == datetime(1970, 1, 1, 0, 1, tzinfo=UTC)


def test_validation_errors_name_every_problem_like_amazon(protocol: Protocol) -> None:
    body = b'{"Username": "' + b"u" * 101 + b'", "PhoneConfig": {"PhoneType": "CELL_PHONE"}}'
    with pytest.raises(errors.InvalidParameterException) as caught:
        protocol.parse_request("CreateUser", {"InstanceId": "i-1"}, "", {}, body)
    message = caught.value.message
    assert message.startswith("4 validation errors detected: ")
    assert "Value null at 'securityProfileIds' failed to satisfy constraint: Member must not be null" in message
    assert "at 'username' failed to satisfy constraint: Member must have length less than or equal to 100" in message
    assert "Value 'CELL_PHONE' at 'phoneConfig.phoneType'" in message


def test_numeric_ranges_and_types_are_checked(protocol: Protocol) -> None:
    with pytest.raises(errors.InvalidParameterException, match="less than or equal to 1000"):
        protocol.parse_request("ListUsers", {"InstanceId": "i-1"}, "maxResults=1001", {}, b"")
    with pytest.raises(errors.InvalidParameterException, match="must be of type integer"):
        protocol.parse_request("ListUsers", {"InstanceId": "i-1"}, "maxResults=many", {}, b"")


def test_a_body_that_is_not_json_is_a_serialization_error(protocol: Protocol) -> None:
    with pytest.raises(errors.SerializationException):
        protocol.parse_request("CreateUser", {"InstanceId": "i-1"}, "", {}, b"{not json")


def test_output_drops_none_and_sends_epoch_seconds(protocol: Protocol) -> None:
    status, body = protocol.serialize_result(
        "DescribeUser",
        {"User": {"Id": "u", "HierarchyGroupId": None, "LastModifiedTime": datetime(2026, 1, 1, tzinfo=UTC)}},
    )
    assert status == 200
    assert body == b'{"User":{"Id":"u","LastModifiedTime":1767225600.0}}'


def test_output_validation_catches_answers_the_model_does_not_allow(protocol: Protocol) -> None:
    with pytest.raises(errors.InternalServiceException, match="Member must be of type string"):
        protocol.serialize_result("DescribeUser", {"User": {"Id": 7}})
    with pytest.raises(errors.InternalServiceException, match="Unknown output member 'Users'"):
        protocol.serialize_result("DescribeUser", {"Users": []})


def test_error_status_comes_from_the_model_and_extra_members_are_kept(protocol: Protocol) -> None:
    status, headers, body = protocol.error_response(
        errors.ResourceInUseException("in use", ResourceType="USER", ResourceId="u-1")
    )
    assert status == 409
    assert ("x-amzn-ErrorType", "ResourceInUseException") in headers
    assert body == b'{"Message": "in use", "ResourceType": "USER", "ResourceId": "u-1"}'


def test_output_may_be_shorter_than_the_input_minimum(protocol: Protocol) -> None:
    # TagMap has min 1 for TagResource, yet an untagged resource lists as {"tags": {}}.
    assert protocol.serialize_result("ListTagsForResource", {"tags": {}}) == (200, b'{"tags":{}}')
