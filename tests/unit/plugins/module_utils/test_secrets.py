from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from ansible_collections.ccaas.connect.plugins.module_utils._executor import Call, Executor, ItemPlan
from ansible_collections.ccaas.connect.plugins.module_utils._secrets import (
    JournalingClient,
    PasswordError,
    PasswordFile,
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


# ---- the write-ahead journal: a password is on disk before its CreateUser is sent ----------------


def client_error(code: str, status: int, retries: int = 0) -> ClientError:
    metadata = {"HTTPStatusCode": status, "RetryAttempts": retries}
    return ClientError({"Error": {"Code": code, "Message": "no"}, "ResponseMetadata": metadata}, "CreateUser")


class RecordingConnect:
    """Records what the disk holds at the moment each CreateUser is sent, then answers or raises."""

    def __init__(self, store: PasswordFile, errors: dict[str, Exception] | None = None) -> None:
        self.store = store
        self.errors = errors or {}
        self.seen: dict[str, tuple[str, int]] = {}
        self.lock = threading.Lock()

    def create_user(self, **params):
        journal = Path(self.store.journal)
        with self.lock:
            self.seen[params["Username"]] = (journal.read_text(), stat.S_IMODE(journal.stat().st_mode))
        if params["Username"] in self.errors:
            raise self.errors[params["Username"]]
        return {"UserId": f"id-{params['Username']}", "UserArn": f"arn:{params['Username']}"}


def create_plans(users: dict[str, str]) -> list[ItemPlan]:
    return [
        ItemPlan(f"user {u}", u, "created", [Call("CreateUser", {"Username": u, "Password": p}, {"id": "UserId"})])
        for u, p in users.items()
    ]


def test_each_generated_password_is_journaled_0600_before_its_create_user_is_sent(tmp_path):
    store = PasswordFile(str(tmp_path / "passwords.json"))
    generated = {f"agent{n}": generate_password() for n in range(20)}
    # The fake Connect fails every call after looking at the disk, as a killed process would leave it.
    connect = RecordingConnect(store, {u: BotoCoreError() for u in generated})
    Executor(JournalingClient(connect, store, generated, {}), workers=8).run(create_plans(generated))
    for username, password in generated.items():
        journal, mode = connect.seen[username]
        assert {"user": username, "password": password} in [json.loads(line) for line in journal.splitlines()]
        assert mode == 0o600
    # No answer came back: each of them may exist, so each keeps its password.
    assert store.compact() == generated
    assert json.loads((tmp_path / "passwords.json").read_text()) == generated
    assert [p.name for p in tmp_path.iterdir()] == ["passwords.json"]


def test_a_password_whose_create_user_was_refused_outright_is_dropped_when_the_journal_is_folded(tmp_path):
    store = PasswordFile(str(tmp_path / "passwords.json"))
    generated = {u: generate_password() for u in ("refused", "retried", "server-error", "duplicate", "created")}
    errors = {
        "refused": client_error("InvalidParameterException", 400),
        "retried": client_error("ThrottlingException", 429, retries=9),  # an earlier attempt may have landed
        "server-error": client_error("InternalServiceException", 500),
        "duplicate": client_error("DuplicateResourceException", 409),  # an earlier attempt created it
    }
    report = Executor(JournalingClient(RecordingConnect(store, errors), store, generated, {}), 4).run(
        create_plans(generated)
    )
    assert [item.outcome for item in report.items] == ["failed"] * 4 + ["created"]
    assert store.compact() == {u: p for u, p in generated.items() if u != "refused"}


def test_a_journal_a_killed_task_left_is_folded_into_the_map_at_the_next_start(tmp_path):
    path = tmp_path / "passwords.json"
    path.write_text(json.dumps({"chunk1": "Earlier1xx"}))
    path.chmod(0o644)  # made by hand, or by an older version: the file promised 0600 becomes 0600
    journal = tmp_path / "passwords.json.journal"
    lines = [{"user": "a", "password": "Killed1aaa"}, {"user": "b", "password": "Killed2bbb"}, {"user": "b", "drop": 1}]
    journal.write_text("".join(json.dumps(line) + "\n" for line in lines) + '{"user": "c", "pass')  # a torn write
    assert PasswordFile(str(path)).compact() == {"chunk1": "Earlier1xx", "a": "Killed1aaa"}
    assert json.loads(path.read_text()) == {"chunk1": "Earlier1xx", "a": "Killed1aaa"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not journal.exists()


def test_a_journal_that_cannot_be_read_whole_stops_the_fold_and_both_files_are_left_as_they_were(tmp_path):
    path = tmp_path / "passwords.json"
    path.write_text(json.dumps({"a": "Earlier1xx"}))
    journal = tmp_path / "passwords.json.journal"
    journal.write_text('not json\n{"user": "b", "password": "Killed2bbb"}\n')
    with pytest.raises(PasswordError, match="line 1"):
        PasswordFile(str(path)).compact()
    assert json.loads(path.read_text()) == {"a": "Earlier1xx"}
    assert journal.read_text().endswith('"Killed2bbb"}\n')


def test_a_user_the_file_already_names_is_created_again_with_that_password_not_a_new_one():
    # The killed run may have sent it: the password on record is the one the user has, if it exists at all.
    chosen, generated, _errors = passwords_for(["a", "b"], "CONNECT_MANAGED", {}, True, on_record={"a": "Killed1aaa"})
    assert chosen["a"] == generated["a"] == "Killed1aaa"
    assert generated["b"] != "Killed1aaa"


def test_a_given_password_replaces_an_old_generated_one_on_record_before_create_user_is_sent(tmp_path):
    store = PasswordFile(str(tmp_path / "passwords.json"))
    store.record("a", "Killed1aaa")
    connect = RecordingConnect(store)
    Executor(JournalingClient(connect, store, {}, {"a": "Killed1aaa"}), 1).run(create_plans({"a": "Given123xx"}))
    assert "Given123xx" not in connect.seen["a"][0]
    assert store.compact() == {}


def test_no_create_user_is_sent_when_its_password_cannot_be_journaled(tmp_path):
    store = PasswordFile(str(tmp_path / "missing-directory" / "passwords.json"))
    connect = RecordingConnect(store)
    [item] = (
        Executor(JournalingClient(connect, store, {"a": "Pw1aaaaaa"}, {}), 1)
        .run(create_plans({"a": "Pw1aaaaaa"}))
        .items
    )
    assert item.outcome == "failed" and "not sent" in (item.reason or "")
    assert "Pw1aaaaaa" not in (item.reason or "")
    assert connect.seen == {}


def test_parallel_writers_lose_no_line_to_each_other_or_to_a_fold(tmp_path):
    path = str(tmp_path / "passwords.json")
    expected = {f"u{n}": f"Pw{n}aaaaaa" for n in range(200)}
    stores = [PasswordFile(path) for _n in range(4)]  # as four tasks in four processes would hold it

    def write(number: int) -> None:
        for n in range(number, 200, 4):
            stores[number].record(f"u{n}", f"Pw{n}aaaaaa")
            if n % 25 == 0:
                stores[number].compact()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert PasswordFile(path).compact() == expected


def test_a_journal_someone_left_readable_is_made_private_before_a_password_goes_into_it(tmp_path):
    journal = tmp_path / "passwords.json.journal"
    journal.write_text("")
    journal.chmod(0o644)
    PasswordFile(str(tmp_path / "passwords.json")).record("a", "Pw1aaaaaa")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
