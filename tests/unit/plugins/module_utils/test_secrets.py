from __future__ import annotations

import json
import stat

import pytest

from ansible_collections.ccaas.connect.plugins.module_utils._secrets import (
    PasswordError,
    generate_password,
    passwords_for,
    policy_problem,
    write_password_file,
)


def test_generated_passwords_meet_connects_policy_and_differ():
    passwords = {generate_password() for _n in range(200)}
    assert len(passwords) == 200
    assert all(policy_problem(p) is None for p in passwords)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Ab1", "must be 8 to 64 characters long"),
        ("A1" + "b" * 63, "must be 8 to 64 characters long"),
        ("abcdefg1", "needs an upper-case letter"),
        ("ABCDEFG1", "needs a lower-case letter"),
        ("Abcdefgh", "needs a digit"),
    ],
)
def test_a_password_outside_the_policy_is_named_for_its_problem(password, problem):
    assert policy_problem(password) == problem


def test_given_passwords_are_used_and_missing_ones_generated_when_asked():
    chosen, generated, errors = passwords_for(["a", "b"], "CONNECT_MANAGED", {"a": "Given123x"}, generate=True)
    assert chosen["a"] == "Given123x"
    assert set(generated) == {"b"} and chosen["b"] == generated["b"]
    assert errors == {}


def test_a_new_user_without_a_password_fails_alone_and_the_message_holds_no_password():
    chosen, _generated, errors = passwords_for(
        ["a", "b"], "CONNECT_MANAGED", {"a": "Given123x", "b": "short"}, generate=False
    )
    assert set(chosen) == {"a"}
    assert "must be 8 to 64" in errors["b"]
    assert "short" not in errors["b"]


@pytest.mark.parametrize("identity", ["SAML", "EXISTING_DIRECTORY"])
def test_saml_and_directory_users_get_no_password(identity):
    assert passwords_for(["a"], identity, {"a": "Given123x"}, generate=True) == ({}, {}, {})


def test_the_password_file_is_0600_and_keeps_earlier_entries(tmp_path):
    path = tmp_path / "passwords.json"
    write_password_file(str(path), {"a": "Pw1aaaaaa"})
    write_password_file(str(path), {"b": "Pw2bbbbbb"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"a": "Pw1aaaaaa", "b": "Pw2bbbbbb"}
    assert [p.name for p in tmp_path.iterdir()] == ["passwords.json"]


def test_nothing_generated_writes_no_file(tmp_path):
    write_password_file(str(tmp_path / "passwords.json"), {})
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_password_map_is_not_overwritten(tmp_path):
    path = tmp_path / "passwords.json"
    path.write_text("not json")
    with pytest.raises(PasswordError):
        write_password_file(str(path), {"a": "Pw1aaaaaa"})
    assert path.read_text() == "not json"
