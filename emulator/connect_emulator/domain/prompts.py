"""Prompts: the audio files flows play, made from an object in S3.

`CreatePrompt` and `UpdatePrompt` read the object the `S3Uri` names (`s3://bucket/key`, a
virtual-hosted `https://bucket.s3.REGION.amazonaws.com/key` URL, or a URL `GetPromptFile` gave, as
Amazon accepts its own presigned URLs), check it as Amazon does (a `.wav` file of less than 50 MB and
less than five minutes) and keep the audio in the instance's state, by its SHA-256, so a state dump
carries it. `GetPromptFile` answers a URL on the emulator itself (`/_emulator/prompt-file/TOKEN`) from
which a plain GET downloads the audio.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any
from urllib.parse import unquote

from .. import wav
from ..errors import InvalidParameterException, LimitExceededException
from .registry import Ctx, operation
from .search import common_fields, run_search, tag_filter_matches
from .store import InstanceState, Record, compact, paginate, tags_checked, to_datetime

KIND = "prompt"
MAX_BYTES = 50 * 1024 * 1024  # "less than 50MB"
MAX_SECONDS = 5 * 60  # "less than five minutes"
FILE_PATH = "/_emulator/prompt-file/"

_S3 = re.compile(r"^s3://(?P<bucket>[^/]+)/(?P<key>.+)$")
_HTTPS = re.compile(r"^https://(?P<bucket>[^/]+?)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com/(?P<key>[^?#]+)")
_EMULATOR = re.compile(r"^https?://[^/]+" + re.escape(FILE_PATH) + r"(?P<token>[A-Za-z0-9_-]+)$")


def file_token(account_id: str, region: str, instance_id: str, prompt_id: str) -> str:
    raw = json.dumps([account_id, region, instance_id, prompt_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def token_parts(token: str) -> tuple[str, str, str, str] | None:
    """(account, region, instance, prompt) a `GetPromptFile` token names, or None if it is not one."""
    try:
        parts = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not (isinstance(parts, list) and len(parts) == 4 and all(isinstance(p, str) for p in parts)):
        return None
    return parts[0], parts[1], parts[2], parts[3]


def audio_of(inst: InstanceState, rec: Record) -> bytes:
    return base64.b64decode(inst.audio[rec["AudioSha256"]])


def checked_audio(audio: bytes, where: str) -> bytes:
    """The audio, if Amazon would take it as a prompt."""
    if len(audio) >= MAX_BYTES:
        raise InvalidParameterException(f"The prompt file {where} is {len(audio)} bytes; it must be less than 50 MB.")
    seconds = wav.duration(audio)
    if seconds is None:
        raise InvalidParameterException(f"The prompt file {where} is not a WAV file.")
    if seconds >= MAX_SECONDS:
        raise InvalidParameterException(
            f"The prompt file {where} is {seconds:.0f} seconds long; it must be less than five minutes."
        )
    return audio


def _fetch(ctx: Ctx, uri: str) -> bytes:
    """The audio `uri` names: an object of the emulator's S3, or a prompt `GetPromptFile` pointed at."""
    own = _EMULATOR.match(uri)
    if own:
        audio = ctx.domain.prompt_file(own["token"])
        if audio is None:
            raise InvalidParameterException(f"The prompt file URL {uri} names no prompt.")
        return audio
    found = _S3.match(uri) or _HTTPS.match(uri)
    if not found:
        raise InvalidParameterException(f"S3Uri {uri!r} does not name an S3 object.")
    bucket, key = found["bucket"], found["key"] if uri.startswith("s3://") else unquote(found["key"])
    if not key.lower().endswith(".wav"):
        raise InvalidParameterException(f"The prompt file {uri} must be a .wav file.")
    audio = ctx.domain.objects.get_object(ctx.account_id, bucket, key)
    if audio is None:
        raise InvalidParameterException(f"The prompt file {uri} does not exist or cannot be read.")
    return checked_audio(audio, uri)


def _store_audio(inst: InstanceState, audio: bytes) -> str:
    digest = hashlib.sha256(audio).hexdigest()
    inst.audio.setdefault(digest, base64.b64encode(audio).decode())
    return digest


def _forget_unused_audio(inst: InstanceState, digest: str) -> None:
    if not any(p["AudioSha256"] == digest for p in inst.table(KIND).values()):
        inst.audio.pop(digest, None)


def create(inst: InstanceState, p: dict[str, Any], audio: bytes) -> Record:
    rec: Record = {
        "Name": p["Name"],
        "Description": p.get("Description"),
        "AudioSha256": _store_audio(inst, audio),
        "Tags": tags_checked(None, p.get("Tags")),
    }
    try:
        return inst.add(KIND, rec, quota_error=LimitExceededException)
    except Exception:
        _forget_unused_audio(inst, rec["AudioSha256"])
        raise


def render(p: Record) -> dict[str, Any]:
    return compact(
        {
            "PromptARN": p["Arn"],
            "PromptId": p["Id"],
            "Name": p["Name"],
            "Description": p.get("Description"),
            "Tags": dict(p["Tags"]),
            "LastModifiedTime": to_datetime(p["LastModifiedTime"]),
            "LastModifiedRegion": p["LastModifiedRegion"],
        }
    )


def _prompt(inst: InstanceState, prompt_id: str) -> Record:
    # Flows name a prompt by its ARN; the API takes that as well as the ID.
    return inst.require(KIND, prompt_id.rsplit("/", 1)[-1])


@operation("CreatePrompt")
def create_prompt(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    inst.table(KIND).check_name_free(p["Name"])  # before reading the file, as a name clash costs nothing
    rec = create(inst, p, _fetch(ctx, p["S3Uri"]))
    return {"PromptARN": rec["Arn"], "PromptId": rec["Id"]}


@operation("DescribePrompt")
def describe_prompt(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    return {"Prompt": render(_prompt(inst, p["PromptId"]))}


@operation("ListPrompts")
def list_prompts(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    page, token = paginate(inst.table(KIND).values(), p, "ListPrompts", 1000)
    rows = [
        {
            "Id": x["Id"],
            "Arn": x["Arn"],
            "Name": x["Name"],
            "LastModifiedTime": to_datetime(x["LastModifiedTime"]),
            "LastModifiedRegion": x["LastModifiedRegion"],
        }
        for x in page
    ]
    return compact({"PromptSummaryList": rows, "NextToken": token})


@operation("SearchPrompts")
def search_prompts(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    tag_filter = (p.get("SearchFilter") or {}).get("TagFilter")
    return run_search(
        inst.table(KIND).values(),
        p,
        op="SearchPrompts",
        result_key="Prompts",
        maximum=100,
        render=render,
        fields=common_fields(),
        keep=lambda x: tag_filter_matches(tag_filter, x["Tags"]),
    )


@operation("UpdatePrompt")
def update_prompt(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = dict(_prompt(inst, p["PromptId"]))
    old_audio = rec["AudioSha256"]
    if p.get("Name"):
        inst.table(KIND).check_name_free(p["Name"], exclude_id=rec["Id"])
        rec["Name"] = p["Name"]
    if p.get("Description") is not None:
        rec["Description"] = p["Description"]
    if p.get("S3Uri"):
        rec["AudioSha256"] = _store_audio(inst, _fetch(ctx, p["S3Uri"]))
    inst.replace(KIND, rec["Id"], rec)
    if old_audio != rec["AudioSha256"]:
        _forget_unused_audio(inst, old_audio)
    return {"PromptARN": rec["Arn"], "PromptId": rec["Id"]}


@operation("DeletePrompt")
def delete_prompt(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = inst.remove(KIND, _prompt(inst, p["PromptId"])["Id"])
    _forget_unused_audio(inst, rec["AudioSha256"])
    return {}


@operation("GetPromptFile")
def get_prompt_file(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    inst = ctx.instance(p)
    rec = _prompt(inst, p["PromptId"])
    token = file_token(inst.account_id, inst.region, inst.id, rec["Id"])
    return {
        "PromptPresignedUrl": f"{ctx.domain.file_url_base.rstrip('/')}{FILE_PATH}{token}",
        "LastModifiedTime": to_datetime(rec["LastModifiedTime"]),
        "LastModifiedRegion": rec["LastModifiedRegion"],
    }
