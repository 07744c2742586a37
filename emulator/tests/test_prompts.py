"""Prompts as Amazon serves them: made from a .wav object in S3, described, listed, searched, updated,
deleted, and downloaded again through GetPromptFile's URL; the prompts every instance ships with.

Through the whole in-process emulator (the model's validation on both sides), then boto3 over HTTP
(S3 and Connect on the one port) and the AWS CLI.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from connect_emulator import from_bundle, wav
from connect_emulator.domain import defaults, prompts
from connect_emulator.domain.flow_content import InvalidContactFlowException
from connect_emulator.errors import (
    DuplicateResourceException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from connect_emulator.seed import DEMO_PROMPTS, DEMO_SOURCE_REGION, DEMO_TARGET_REGION, seed
from connect_emulator.server import EmulatorServer
from connect_emulator.testing import DUMMY_CREDENTIALS, EmulatorProcess

REGION = "eu-west-2"
ACCOUNT = "123456789012"
BUCKET = "acme-prompts"
HELLO = wav.tone(440, 0.25)


@pytest.fixture
def uploaded(emulator):
    """`uploaded(key, body)`: an object in the emulator's S3; returns its s3:// URI."""

    def put(key: str, body: bytes = HELLO) -> str:
        emulator.put_object(ACCOUNT, REGION, BUCKET, key, body)
        return f"s3://{BUCKET}/{key}"

    return put


def names(connect, iid: str) -> list[str]:
    return [p["Name"] for p in connect("ListPrompts", InstanceId=iid)["PromptSummaryList"]]


def test_a_new_instance_has_amazons_default_prompts(connect, iid):
    assert names(connect, iid) == list(defaults.PROMPTS)
    assert {"Beep.wav", "CustomerHold.wav", "CustomerQueue.wav"} <= set(defaults.PROMPTS)


def test_a_prompt_is_made_from_an_s3_object_and_described_by_id_or_arn(connect, iid, uploaded):
    made = connect(
        "CreatePrompt",
        InstanceId=iid,
        Name="Welcome",
        Description="Hi",
        S3Uri=uploaded("a/welcome.wav"),
        Tags={"BU": "Sales"},
    )
    assert made["PromptARN"] == f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{iid}/prompt/{made['PromptId']}"
    for ref in (made["PromptId"], made["PromptARN"]):
        prompt = connect("DescribePrompt", InstanceId=iid, PromptId=ref)["Prompt"]
        assert (prompt["Name"], prompt["Description"], prompt["Tags"], prompt["LastModifiedRegion"]) == (
            "Welcome",
            "Hi",
            {"BU": "Sales"},
            REGION,
        )
    assert names(connect, iid)[-1] == "Welcome"


def test_an_https_s3_url_names_an_object_as_well(connect, iid, uploaded):
    uploaded("with space/hold.wav")
    url = f"https://{BUCKET}.s3.{REGION}.amazonaws.com/with%20space/hold.wav?X-Amz-Signature=abc"
    assert connect("CreatePrompt", InstanceId=iid, Name="Hold", S3Uri=url)["PromptId"]


def test_names_are_unique_per_instance_on_create_and_rename(connect, iid, uploaded):
    uri = uploaded("a.wav")
    with pytest.raises(DuplicateResourceException):
        connect("CreatePrompt", InstanceId=iid, Name="Beep.wav", S3Uri=uri)
    made = connect("CreatePrompt", InstanceId=iid, Name="Mine", S3Uri=uri)
    with pytest.raises(DuplicateResourceException):
        connect("UpdatePrompt", InstanceId=iid, PromptId=made["PromptId"], Name="CustomerHold.wav")


@pytest.mark.parametrize(
    ("key", "body", "words"),
    [
        ("missing.wav", None, "does not exist"),
        ("notes.mp3", HELLO, "must be a .wav file"),
        ("text.wav", b"just some text, not audio", "not a WAV file"),
    ],
)
def test_what_amazon_cannot_play_is_refused(connect, iid, emulator, key, body, words):
    if body is not None:
        emulator.put_object(ACCOUNT, REGION, BUCKET, key, body)
    with pytest.raises(InvalidParameterException, match=words):
        connect("CreatePrompt", InstanceId=iid, Name="Bad", S3Uri=f"s3://{BUCKET}/{key}")
    assert "Bad" not in names(connect, iid)


def test_a_file_of_five_minutes_or_more_is_refused(connect, iid, uploaded):
    # A header saying one byte a second, then 300 bytes of data: five minutes of (very slow) audio.
    fmt = (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + (8000).to_bytes(4, "little")
    fmt += (1).to_bytes(4, "little") + (1).to_bytes(2, "little") + (8).to_bytes(2, "little")
    data = bytes(300)
    body = b"WAVE" + b"fmt " + len(fmt).to_bytes(4, "little") + fmt + b"data" + len(data).to_bytes(4, "little") + data
    long_one = b"RIFF" + len(body).to_bytes(4, "little") + body
    assert wav.duration(long_one) == 300
    with pytest.raises(InvalidParameterException, match="less than five minutes"):
        connect("CreatePrompt", InstanceId=iid, Name="Long", S3Uri=uploaded("long.wav", long_one))


def test_a_file_of_50_mb_or_more_is_refused(connect, iid, uploaded, monkeypatch):
    monkeypatch.setattr(prompts, "MAX_BYTES", len(HELLO))  # the real 50 MB, without moving 50 MB in a test
    with pytest.raises(InvalidParameterException, match="less than 50 MB"):
        connect("CreatePrompt", InstanceId=iid, Name="Big", S3Uri=uploaded("big.wav"))


def test_update_changes_name_description_and_audio_and_delete_removes(connect, iid, uploaded, emulator):
    made = connect("CreatePrompt", InstanceId=iid, Name="Old", S3Uri=uploaded("old.wav"))
    other = wav.tone(220, 0.25)
    out = connect(
        "UpdatePrompt",
        InstanceId=iid,
        PromptId=made["PromptId"],
        Name="New",
        Description="Renamed",
        S3Uri=uploaded("new.wav", other),
    )
    assert out == made
    prompt = connect("DescribePrompt", InstanceId=iid, PromptId=made["PromptId"])["Prompt"]
    assert (prompt["Name"], prompt["Description"]) == ("New", "Renamed")
    url = connect("GetPromptFile", InstanceId=iid, PromptId=made["PromptId"])["PromptPresignedUrl"]
    assert emulator.domain.prompt_file(url.rsplit("/", 1)[-1]) == other
    connect("DeletePrompt", InstanceId=iid, PromptId=made["PromptId"])
    with pytest.raises(ResourceNotFoundException):
        connect("DescribePrompt", InstanceId=iid, PromptId=made["PromptId"])
    assert emulator.domain.prompt_file(url.rsplit("/", 1)[-1]) is None
    assert "New" not in names(connect, iid)


def test_search_prompts_by_name_and_tag(connect, iid, uploaded):
    uri = uploaded("x.wav")
    connect("CreatePrompt", InstanceId=iid, Name="Sales welcome", S3Uri=uri, Tags={"BU": "Sales"})
    connect("CreatePrompt", InstanceId=iid, Name="Support welcome", S3Uri=uri, Tags={"BU": "Support"})
    found = connect(
        "SearchPrompts",
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "name", "Value": "welcome", "ComparisonType": "CONTAINS"}},
        SearchFilter={"TagFilter": {"TagCondition": {"TagKey": "BU", "TagValue": "Support"}}},
    )
    assert [p["Name"] for p in found["Prompts"]] == ["Support welcome"] and found["ApproximateTotalCount"] == 1
    assert (
        connect("SearchPrompts", InstanceId=iid, MaxResults=100)["ApproximateTotalCount"] == len(defaults.PROMPTS) + 2
    )


def test_the_prompts_quota_counts_the_default_prompts(connect, iid, uploaded, emulator):
    emulator.set_quota(ACCOUNT, REGION, iid, "Prompts per instance", len(defaults.PROMPTS) + 1)
    connect("CreatePrompt", InstanceId=iid, Name="Last", S3Uri=uploaded("a.wav"))
    with pytest.raises(LimitExceededException, match="Prompts per instance"):
        connect("CreatePrompt", InstanceId=iid, Name="One too many", S3Uri=uploaded("a.wav"))


def test_published_flow_content_may_name_a_prompt_only_if_it_exists(connect, iid, uploaded):
    made = connect("CreatePrompt", InstanceId=iid, Name="Greeting", S3Uri=uploaded("g.wav"))
    missing = made["PromptARN"].rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"

    def content(arn: str) -> str:
        action = {"Identifier": "a", "Type": "MessageParticipant", "Parameters": {"PromptId": arn}, "Transitions": {}}
        return json.dumps({"Version": "2019-10-30", "StartAction": "a", "Actions": [action]})

    connect("CreateContactFlow", InstanceId=iid, Name="Greets", Type="CONTACT_FLOW", Content=content(made["PromptARN"]))
    with pytest.raises(InvalidContactFlowException, match="prompt"):
        connect("CreateContactFlow", InstanceId=iid, Name="Broken", Type="CONTACT_FLOW", Content=content(missing))


def test_the_audio_survives_a_state_dump_and_load(connect, iid, uploaded, emulator):
    made = connect("CreatePrompt", InstanceId=iid, Name="Kept", S3Uri=uploaded("k.wav"))
    state = json.loads(json.dumps(emulator.dump_state(), default=str))
    emulator.load_state(state)
    url = connect("GetPromptFile", InstanceId=iid, PromptId=made["PromptId"])["PromptPresignedUrl"]
    assert emulator.domain.prompt_file(url.rsplit("/", 1)[-1]) == HELLO


def test_a_bundle_carries_prompts_as_files_beside_it_or_inline(emulator, tmp_path):
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "welcome.wav").write_bytes(HELLO)
    inline = wav.tone(300, 0.1)
    bundle = {
        "format_version": 1,
        "source": {"region": REGION, "instance_alias": "bundled"},
        "resources": {
            "prompts": [
                {"name": "Welcome", "description": "From a file", "tags": {"BU": "Sales"}, "file": "audio/welcome.wav"},
                {"name": "Inline", "audio_base64": base64.b64encode(inline).decode()},
            ]
        },
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    iid = from_bundle.load_bundle(emulator, path, region=REGION, alias="bundled")
    listed = emulator.call("ListPrompts", {"InstanceId": iid}, region=REGION)["PromptSummaryList"]
    by_name = {p["Name"]: p["Id"] for p in listed}
    for name, audio in (("Welcome", HELLO), ("Inline", inline)):
        url = emulator.call("GetPromptFile", {"InstanceId": iid, "PromptId": by_name[name]}, region=REGION)
        assert emulator.domain.prompt_file(url["PromptPresignedUrl"].rsplit("/", 1)[-1]) == audio
    described = emulator.call("DescribePrompt", {"InstanceId": iid, "PromptId": by_name["Welcome"]}, region=REGION)
    assert described["Prompt"]["Tags"] == {"BU": "Sales"}
    bundle["resources"]["prompts"] = [{"name": "Nothing"}]
    with pytest.raises(from_bundle.BundleLoadError, match="needs its audio"):
        from_bundle.load_bundle(emulator, bundle, region=REGION, alias="no-audio")


def test_the_demo_source_has_its_own_prompts_and_the_target_only_amazons(emulator):
    result = seed(emulator, users=0)
    source = emulator.call("ListPrompts", {"InstanceId": result["source"]["instance_id"]}, region=DEMO_SOURCE_REGION)
    target = emulator.call("ListPrompts", {"InstanceId": result["target"]["instance_id"]}, region=DEMO_TARGET_REGION)
    assert [p["Name"] for p in source["PromptSummaryList"]] == [*defaults.PROMPTS, *(s.name for s in DEMO_PROMPTS)]
    assert [p["Name"] for p in target["PromptSummaryList"]] == list(defaults.PROMPTS)
    assert result["source"]["counts"]["prompts"] == len(DEMO_PROMPTS)
    for summary in source["PromptSummaryList"][len(defaults.PROMPTS) :]:
        url = emulator.call(
            "GetPromptFile",
            {"InstanceId": result["source"]["instance_id"], "PromptId": summary["Id"]},
            region=DEMO_SOURCE_REGION,
        )
        audio = emulator.domain.prompt_file(url["PromptPresignedUrl"].rsplit("/", 1)[-1])
        assert 1000 < len(audio) < 20000 and 0 < wav.duration(audio) < 1


# -- over HTTP: S3 and Connect on the emulator's one port --------------------------------------------


def _s3(endpoint: str, addressing_style: str):
    return boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url=endpoint,
        config=Config(s3={"addressing_style": addressing_style}),
        **DUMMY_CREDENTIALS,
    )


@pytest.mark.parametrize("addressing_style", ["path", "auto"])
def test_over_http_an_s3_upload_becomes_a_prompt_whose_url_downloads_the_audio(connect_emulator, addressing_style):
    assert isinstance(connect_emulator.emulator.domain.file_url_base, str)
    s3 = _s3(connect_emulator.endpoint, addressing_style)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket=BUCKET, Key="prompts/welcome.wav", Body=HELLO)
    client = connect_emulator.client(region=REGION)
    source = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="src",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    made = client.create_prompt(InstanceId=source, Name="Welcome", S3Uri=f"s3://{BUCKET}/prompts/welcome.wav")
    got = client.get_prompt_file(InstanceId=source, PromptId=made["PromptId"])
    assert got["PromptPresignedUrl"].startswith(connect_emulator.endpoint + "/_emulator/prompt-file/")
    assert got["LastModifiedRegion"] == REGION and got["LastModifiedTime"]
    with urllib.request.urlopen(got["PromptPresignedUrl"], timeout=30) as response:
        assert (response.status, response.headers["Content-Type"], response.read()) == (200, "audio/wav", HELLO)
    # A migration's copy: the URL GetPromptFile gave is a prompt's S3Uri in another instance.
    target = client.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="dst",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    copied = client.create_prompt(InstanceId=target, Name="Welcome", S3Uri=got["PromptPresignedUrl"])
    again = client.get_prompt_file(InstanceId=target, PromptId=copied["PromptId"])["PromptPresignedUrl"]
    with urllib.request.urlopen(again, timeout=30) as response:
        assert response.read() == HELLO
    with pytest.raises(ClientError) as refused:
        client.create_prompt(InstanceId=target, Name="Nope", S3Uri=f"s3://{BUCKET}/prompts/absent.wav")
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(connect_emulator.endpoint + "/_emulator/prompt-file/bm90LWEtdG9rZW4", timeout=30)
    assert gone.value.code == 404


def test_a_server_started_on_its_own_points_prompt_urls_at_itself():
    server = EmulatorServer().start()
    try:
        assert server.emulator.domain.file_url_base == server.endpoint
    finally:
        server.stop()


def test_boto3_paginates_prompts_and_the_aws_cli_lists_and_describes_them(tmp_path) -> None:
    process = EmulatorProcess("--throttle", "off")
    try:
        client = process.client(region=REGION)
        iid = client.create_instance(
            IdentityManagementType="CONNECT_MANAGED",
            InstanceAlias="cli-prompts",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        pages = client.get_paginator("list_prompts").paginate(InstanceId=iid, PaginationConfig={"PageSize": 3})
        listed = [p for page in pages for p in page["PromptSummaryList"]]
        assert [p["Name"] for p in listed] == list(defaults.PROMPTS)
        aws = Path(sys.executable).with_name("aws")
        env = {**os.environ, **process.env(region=REGION)}
        env.pop("AWS_PROFILE", None)

        def cli(*args: str) -> dict:
            out = subprocess.run([str(aws), *args], capture_output=True, text=True, env=env, timeout=60, check=True)
            return json.loads(out.stdout) if out.stdout.strip() else {}

        return_code = subprocess.run(
            [str(aws), "s3api", "create-bucket", "--bucket", BUCKET, "--endpoint-url", process.endpoint,
             "--create-bucket-configuration", f"LocationConstraint={REGION}"],
            capture_output=True, text=True, env=env, timeout=60,
        ).returncode  # fmt: skip
        assert return_code == 0
        wav_file = tmp_path / "hello.wav"
        wav_file.write_bytes(HELLO)
        cli("s3api", "put-object", "--bucket", BUCKET, "--key", "cli/hello.wav", "--body", str(wav_file),
            "--endpoint-url", process.endpoint)  # fmt: skip
        made = cli("connect", "create-prompt", "--instance-id", iid, "--name", "From the CLI",
                   "--s3-uri", f"s3://{BUCKET}/cli/hello.wav")  # fmt: skip
        described = cli("connect", "describe-prompt", "--instance-id", iid, "--prompt-id", made["PromptId"])
        assert described["Prompt"]["Name"] == "From the CLI"
        listed_by_cli = cli("connect", "list-prompts", "--instance-id", iid)["PromptSummaryList"]
        assert [p["Name"] for p in listed_by_cli][-1] == "From the CLI"
    finally:
        process.stop()
