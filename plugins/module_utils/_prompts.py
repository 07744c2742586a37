# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A prompt's audio, carried from one instance to another.

Connect keeps a prompt's audio to itself: `GetPromptFile` answers a short-lived presigned URL, and
`CreatePrompt` takes the audio from an S3 object (`S3Uri`). So the export downloads each prompt's file
next to the bundle, named by its SHA-256 (`prompts/<sha256>.wav`: the same audio is one file, and a
file is never overwritten with other content), and the bundle item says which file and which hash.
The import uploads the file to a bucket the user names in the target's region, under a key made of
the same hash (so a rerun uploads nothing new and the key says what it holds), and creates the prompt
from there. A file that is missing, or whose content does not match its hash, fails its prompt by name
before anything is written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ansible.module_utils.urls import open_url

from ._client import reading
from ._errors import CcaasError

# Amazon's limit on a prompt's file (Administrator Guide, "Create prompts": .wav, at most 50 MB).
MAX_AUDIO_BYTES = 50 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60.0
DEFAULT_PREFIX = "ccaas-connect/prompts/"

# The options of a task that writes prompts (connect_prompt, connect_import).
PROMPT_OPTIONS: dict[str, Any] = {
    "prompt_bucket": {"type": "str"},
    "prompt_prefix": {"type": "str", "default": DEFAULT_PREFIX},
}


class PromptAudioError(CcaasError):
    """A prompt's audio cannot be had (download refused, file missing, content not what the bundle says)."""


def file_name(sha256: str) -> str:
    return f"{sha256}.wav"


def download(client: Any, instance_id: str, prompt_id: str, directory: str | Path) -> tuple[str, str]:
    """Download a prompt's audio into `directory` (created 0700): (its file name, its SHA-256)."""
    answer = reading(lambda: client.get_prompt_file(InstanceId=instance_id, PromptId=prompt_id))
    url = answer.get("PromptPresignedUrl") or ""
    if urlparse(url).scheme not in ("https", "http"):
        raise PromptAudioError(f"GetPromptFile gave no usable URL for prompt {prompt_id}")
    response = open_url(url, timeout=DOWNLOAD_TIMEOUT)  # the scheme is checked above
    try:
        data = response.read(MAX_AUDIO_BYTES + 1)
    finally:
        response.close()
    if len(data) > MAX_AUDIO_BYTES:
        raise PromptAudioError(f"prompt {prompt_id}: its audio is larger than Amazon's 50 MB limit")
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(directory)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / file_name(digest)
    if not path.exists():
        partial = path.with_suffix(".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    return path.name, digest


def resolve_files(items: list[dict[str, Any]], base: str | Path) -> list[str]:
    """Make each item's `file` absolute (relative to `base`, the bundle's directory) and check it holds
    the audio its `sha256` says: the problems, each naming its prompt."""
    problems = []
    for item in items:
        given = item.get("file")
        if not given:
            continue
        path = Path(given) if Path(given).is_absolute() else Path(base) / given
        moved = Path(base) / "prompts" / Path(given).name  # a bundle moved with its prompts/ folder
        if not path.exists() and moved.exists():
            path = moved
        item["file"] = str(path)
        problem = _check(path, item.get("sha256"))
        if problem:
            problems.append(f"prompt {item.get('name')}: {problem}")
    return problems


def _check(path: Path, sha256: Any) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"its audio file {path} cannot be read ({exc.strerror or exc})"
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        return f"its audio file {path} does not hold the audio the bundle names (SHA-256 differs)"
    return None


def s3_uri(bucket: str, prefix: str, sha256: str) -> str:
    return f"s3://{bucket}/{prefix}{file_name(sha256)}"


def stage(items: list[dict[str, Any]], params: Mapping[str, Any]) -> None:
    """Give each prompt with audio the S3 URI its create will name (the upload follows, see `upload`)."""
    bucket = params.get("prompt_bucket")
    for item in items:
        if item.get("sha256") and bucket and not item.get("s3_uri"):
            item["s3_uri"] = s3_uri(bucket, params.get("prompt_prefix") or "", item["sha256"])


def missing_audio(item: Mapping[str, Any], params: Mapping[str, Any]) -> str | None:
    """Why a prompt that is to be created cannot be, if so."""
    if item.get("s3_uri"):
        return None
    if not item.get("sha256"):
        return "the bundle carries no audio for it (export it with prompt_dir) and no s3_uri"
    if not params.get("prompt_bucket"):
        return "prompt_bucket is not set: the audio must be uploaded to a bucket in the target's region"
    return None


def _loopback(url: str | None) -> bool:
    host = urlparse(url or "").hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def s3_client(module: Any) -> Any:
    """The S3 client the audio goes up with. Its endpoint is S3's own (AWS_ENDPOINT_URL_S3 if set), never the
    Connect endpoint the module was given; but when Connect is a local emulator and no S3 endpoint is set,
    the emulator's (it serves S3 too), so a rehearsal never sends audio to AWS."""
    connect = module.params.get("endpoint_url") or os.environ.get("AWS_ENDPOINT_URL_CONNECT")
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint and _loopback(connect):
        endpoint = connect
    return module.client("s3", endpoint=endpoint)


def upload(s3: Any, item: Mapping[str, Any]) -> None:
    """Put the item's audio at its S3 URI, checking the file still holds what the bundle says."""
    uri = urlparse(str(item["s3_uri"]))
    path = Path(str(item.get("file") or ""))
    problem = _check(path, item.get("sha256")) if item.get("file") else "its audio file is not named"
    if problem:
        raise PromptAudioError(problem)
    s3.put_object(Bucket=uri.netloc, Key=uri.path.lstrip("/"), Body=path.read_bytes(), ContentType="audio/wav")
