"""A prompt's audio between instances: named by its hash, checked before it is trusted, uploaded once."""

from __future__ import annotations

import hashlib
import io
import stat
from typing import Any

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils import _prompts

AUDIO = b"RIFF....WAVEfmt fake audio"
SHA = hashlib.sha256(AUDIO).hexdigest()


class FakeConnect:
    def __init__(self, url: str) -> None:
        self.url = url

    def get_prompt_file(self, InstanceId: str, PromptId: str) -> dict[str, Any]:
        return {"PromptPresignedUrl": self.url}


class FakeS3:
    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}

    def put_object(self, Bucket: str, Key: str, Body: bytes, ContentType: str) -> dict[str, Any]:
        self.objects[(Bucket, Key)] = Body
        return {}


def test_a_download_is_named_by_its_hash_written_privately_and_shared_by_equal_recordings(tmp_path, monkeypatch):
    monkeypatch.setattr(_prompts, "open_url", lambda url, timeout: io.BytesIO(AUDIO))
    folder = tmp_path / "prompts"
    first = _prompts.download(FakeConnect("http://127.0.0.1:1/p"), "i", "p1", folder)
    second = _prompts.download(FakeConnect("http://127.0.0.1:1/p"), "i", "p2", folder)
    assert first == second == (f"{SHA}.wav", SHA)
    assert (folder / f"{SHA}.wav").read_bytes() == AUDIO
    assert stat.S_IMODE((folder / f"{SHA}.wav").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == [f"{SHA}.wav"]


def test_a_url_that_is_not_http_is_refused(tmp_path):
    with pytest.raises(_prompts.PromptAudioError, match="no usable URL"):
        _prompts.download(FakeConnect("file:///etc/passwd"), "i", "p1", tmp_path)


def test_files_resolve_against_the_bundles_directory_and_an_altered_or_missing_one_is_named(tmp_path):
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / f"{SHA}.wav").write_bytes(AUDIO)
    (tmp_path / "prompts" / "other.wav").write_bytes(b"not the same")
    items = [
        {"name": "Welcome", "file": f"prompts/{SHA}.wav", "sha256": SHA},
        {"name": "Closed", "file": "prompts/other.wav", "sha256": SHA},
        {"name": "Gone", "file": "prompts/gone.wav", "sha256": SHA},
        {"name": "No audio"},
    ]
    problems = _prompts.resolve_files(items, tmp_path)
    assert items[0]["file"] == str(tmp_path / "prompts" / f"{SHA}.wav")
    assert len(problems) == 2
    assert problems[0].startswith("prompt Closed: its audio file") and "SHA-256 differs" in problems[0]
    assert problems[1].startswith("prompt Gone: its audio file") and "cannot be read" in problems[1]


def test_the_s3_key_is_the_hash_so_a_rerun_names_the_same_object_and_the_upload_checks_the_file(tmp_path):
    path = tmp_path / "a.wav"
    path.write_bytes(AUDIO)
    item = {"name": "Welcome", "file": str(path), "sha256": SHA}
    params = {"prompt_bucket": "acme-prompts", "prompt_prefix": "connect/"}
    _prompts.stage([item], params)
    assert item["s3_uri"] == f"s3://acme-prompts/connect/{SHA}.wav"
    assert _prompts.missing_audio(item, params) is None
    s3 = FakeS3()
    _prompts.upload(s3, item)
    assert s3.objects == {("acme-prompts", f"connect/{SHA}.wav"): AUDIO}
    path.write_bytes(b"changed since the export")
    with pytest.raises(_prompts.PromptAudioError, match="SHA-256 differs"):
        _prompts.upload(s3, item)


def test_a_prompt_without_audio_or_without_a_bucket_says_why_it_cannot_be_created():
    assert "no audio" in (_prompts.missing_audio({"name": "x"}, {}) or "")
    assert "prompt_bucket is not set" in (_prompts.missing_audio({"name": "x", "sha256": SHA}, {}) or "")
    assert _prompts.missing_audio({"name": "x", "s3_uri": "s3://b/k.wav"}, {}) is None
