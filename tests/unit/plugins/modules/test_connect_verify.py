from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.ccaas.connect.plugins.module_utils import _bundle
from ansible_collections.ccaas.connect.plugins.modules import connect_verify

INSTANCE_ID = "8a1f5b3c-0d2e-4f6a-9b7c-1d2e3f4a5b6c"


def run_module(monkeypatch, capsys, bundle):
    """Run connect_verify with `bundle`; no Connect client may be built (the bundle is judged first)."""
    monkeypatch.setattr(AnsibleAWSModule, "client", lambda *_a, **_k: pytest.fail("a client before a valid bundle"))
    args = {"region": "us-east-1", "instance": INSTANCE_ID, "bundle": bundle}
    with patch_module_args(args), pytest.raises(SystemExit) as exited:
        connect_verify.main()
    return exited.value.code, json.loads(capsys.readouterr().out)


def test_a_bundle_of_another_format_fails_the_task_naming_the_problem(monkeypatch, capsys):
    code, result = run_module(monkeypatch, capsys, {"format_version": 2, "resources": {}})
    assert code == 1
    assert result["failed"] is True
    assert result["msg"].startswith("invalid bundle (1 problem)")
    assert result["problems"] == ["$.format_version: 2 is not supported; this collection reads format_version 1"]
    assert "api_calls" not in result  # nothing was called


def test_bare_resources_are_validated_like_a_bundle(monkeypatch, capsys):
    code, result = run_module(monkeypatch, capsys, {"queues": [{"name": "Q1", "max_contacts": "many"}]})
    assert code == 1
    assert any("$.resources.queues[0].max_contacts" in problem for problem in result["problems"])


def test_a_bundle_file_that_cannot_be_read_fails_the_task(monkeypatch, capsys, tmp_path):
    code, result = run_module(monkeypatch, capsys, str(tmp_path / "missing.json"))
    assert code == 1
    assert "cannot read" in result["msg"] and "missing.json" in result["msg"]


def test_without_jsonschema_the_task_fails_with_what_to_install_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setattr(_bundle, "HAS_JSONSCHEMA", False)
    code, result = run_module(monkeypatch, capsys, {"format_version": 1, "resources": {}})
    assert code == 1
    assert result["failed"] is True
    assert "pip install jsonschema" in result["msg"]
    assert "exception" not in result
