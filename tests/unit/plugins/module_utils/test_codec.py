"""The one walk between API form and bundle form: decoding, encoding, normalizing, references."""

from __future__ import annotations

from ansible_collections.ccaas.connect.plugins.module_utils._codec import (
    convert,
    convert_struct,
    decode_list,
    decoding,
    encoding,
    normalizing,
    references,
)
from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES, Field

NAMES = {"q-1": "Sales", "q-2": "Support", "rp-1": "Sales RP"}
IDS = {name: rid for rid, name in NAMES.items()}
QUEUE_LIST = Field("QueueIds", "queues", ref="queues", many=True)
PROFILE = Field("RoutingProfileId", "routing_profile", ref="routing_profiles")
TAGS = Field("Tags", "tags", tags=True)
STRUCT = Field("Config", "config", sub=(PROFILE, Field("Note", "note"), Field("Dir", "dir", create_only=True)))


def test_decoding_names_references_sorts_lists_and_drops_aws_tags():
    policy = decoding(lambda _kind, ref: NAMES.get(ref))
    assert convert(QUEUE_LIST, ["q-2", "q-1"], policy) == ["Sales", "Support"]
    assert convert(TAGS, {"b": "2", "aws:x": "1", "a": "1"}, policy) == {"a": "1", "b": "2"}
    assert convert(TAGS, None, policy) == {}  # Connect omits an empty tag map


def test_the_export_reports_what_a_list_cannot_name_and_leaves_out_create_only_members():
    dropped: list[tuple[str, int]] = []
    policy = decoding(lambda _kind, ref: NAMES.get(ref), portable=True, dropped=lambda k, n: dropped.append((k, n)))
    assert convert(QUEUE_LIST, ["q-1", "q-gone"], policy) == ["Sales"]
    assert dropped == [("queues", 1)]
    assert convert(STRUCT, {"RoutingProfileId": "rp-1", "Dir": "d-1"}, policy) == {"routing_profile": "Sales RP"}
    assert convert(STRUCT, {"Dir": "d-1"}, policy) is None  # an empty structure says nothing


def test_a_list_entry_whose_own_reference_cannot_be_named_is_no_entry():
    sub = RESOURCE_TYPES["routing_profiles"].sublists[0]
    dropped: list[tuple[str, int]] = []
    policy = decoding(lambda _kind, ref: NAMES.get(ref), portable=True, dropped=lambda k, n: dropped.append((k, n)))
    entries = [
        {"QueueId": "q-1", "Channel": "VOICE", "Priority": 1, "Delay": 0},
        {"QueueId": "q-gone", "Channel": "VOICE", "Priority": 1, "Delay": 0},
    ]
    assert [e["queue"] for e in decode_list(sub, entries, policy)] == ["Sales"]
    assert dropped == [(sub.key, 1)]


def test_encoding_gives_the_targets_ids_in_the_order_given_and_shows_what_did_not_resolve():
    policy = encoding(lambda _kind, name: IDS.get(name))
    assert convert(QUEUE_LIST, ["Support", "Sales"], policy) == ["q-2", "q-1"]
    assert convert_struct((PROFILE, Field("Note", "note")), {"routing_profile": "Nowhere", "note": "x"}, policy) == {
        "RoutingProfileId": None,
        "Note": "x",
    }


def test_normalizing_names_an_id_given_for_a_name_and_keeps_names_as_given():
    policy = normalizing(lambda _kind, ref: NAMES.get(ref, ref))
    assert convert(QUEUE_LIST, ["Support", "q-1"], policy) == ["Sales", "Support"]
    assert convert(PROFILE, "Sales RP", policy) == "Sales RP"


def test_references_with_their_paths_and_whether_they_stand_alone():
    fields = (PROFILE, QUEUE_LIST, Field("Entries", "entries", many=True, sub=(PROFILE,)))
    item = {"routing_profile": "A", "queues": ["Q1", "Q2"], "entries": [{"routing_profile": "B"}]}
    found = [(r.path, r.kind, r.value, r.single) for r in references(fields, item, where="$")]
    assert found == [
        ("$.routing_profile", "routing_profiles", "A", True),
        ("$.queues[0]", "queues", "Q1", False),
        ("$.queues[1]", "queues", "Q2", False),
        ("$.entries[0].routing_profile", "routing_profiles", "B", False),
    ]
    api = [(r.kind, r.value) for r in references(fields, {"RoutingProfileId": "rp-1"}, api=True)]
    assert api == [("routing_profiles", "rp-1")]
