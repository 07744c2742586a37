"""Flow language across instances: what the export finds in it, and the import's rewrite and comparison."""

from __future__ import annotations

import json
from typing import Any

from test_planner import FakeClient

from ansible_collections.ccaas.connect.plugins.module_utils import _flow
from ansible_collections.ccaas.connect.plugins.module_utils._planner import Planner
from ansible_collections.ccaas.connect.plugins.module_utils._reader import Reader
from ansible_collections.ccaas.connect.plugins.module_utils._resources import (
    CONTACT_FLOW_MODULES,
    CONTACT_FLOWS,
    LAMBDA_FUNCTIONS,
    LEX_BOTS,
    PHONE_NUMBERS,
)

SOURCE = "arn:aws:connect:us-east-1:111111111111:instance/aaaaaaaa-0000-4000-8000-000000000000"
TARGET = "arn:aws:connect:eu-west-2:222222222222:instance/bbbbbbbb-0000-4000-8000-000000000000"


def sid(n: int) -> str:
    return f"aaaaaaaa-0000-4000-8000-{n:012d}"


def tid(n: int) -> str:
    return f"bbbbbbbb-0000-4000-8000-{n:012d}"


SRC_LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:crm-lookup"
TGT_LAMBDA = "arn:aws:lambda:eu-west-2:222222222222:function:crm-lookup"


def ivr(queue: str, module: str, flow: str, lam: str) -> str:
    return json.dumps(
        {
            "Version": "2019-10-30",
            "StartAction": "a1",
            "Metadata": {"ActionMetadata": {"a2": {"queue": {"id": queue, "text": "Sales"}}}},
            "Actions": [
                {"Identifier": "a1", "Type": "InvokeFlowModule", "Parameters": {"FlowModuleId": module}},
                {"Identifier": "a2", "Type": "UpdateContactTargetQueue", "Parameters": {"QueueId": queue}},
                {"Identifier": "a3", "Type": "TransferToFlow", "Parameters": {"ContactFlowId": flow}},
                {"Identifier": "a4", "Type": "InvokeLambdaFunction", "Parameters": {"LambdaFunctionARN": lam}},
            ],
        }
    )


SOURCE_CONTENT = ivr(f"{SOURCE}/queue/{sid(1)}", sid(2), f"{SOURCE}/contact-flow/{sid(3)}:$SAVED", SRC_LAMBDA)
TARGET_CONTENT = ivr(f"{TARGET}/queue/{tid(1)}", tid(2), f"{TARGET}/contact-flow/{tid(3)}:$SAVED", TGT_LAMBDA)
REFERENCES = [
    {"arn": f"{SOURCE}/queue/{sid(1)}", "type": "queues", "name": "Sales"},
    {"arn": f"{SOURCE}/flow-module/{sid(2)}", "type": "contact_flow_modules", "name": "Auth"},
    {"arn": f"{SOURCE}/contact-flow/{sid(3)}", "type": "contact_flows", "name": "Support Menu"},
    {"arn": SRC_LAMBDA, "type": "lambda_functions", "name": "crm-lookup"},
]


def target(flows: list[dict[str, Any]] | None = None) -> Reader:
    records = {
        "queues": [{"Name": "Sales", "QueueId": tid(1), "QueueArn": f"{TARGET}/queue/{tid(1)}"}],
        "contact_flow_modules": [{"Name": "Auth", "Id": tid(2), "Arn": f"{TARGET}/flow-module/{tid(2)}"}],
        "contact_flows": [
            {"Name": "Support Menu", "Id": tid(3), "Arn": f"{TARGET}/contact-flow/{tid(3)}", "Type": "CONTACT_FLOW"},
            *(flows or []),
        ],
        "lambda_functions": [TGT_LAMBDA],
        "lex_bots": [],
    }
    return Reader(FakeClient(records), "bbbbbbbb-0000-4000-8000-000000000000", TARGET)


def main_ivr(**extra: Any) -> dict[str, Any]:
    return {"name": "Main IVR", "content": SOURCE_CONTENT, "references": REFERENCES, **extra}


def test_the_export_finds_arns_qualified_arns_bare_ids_and_integrations_but_not_another_instances_arns():
    document = json.loads(SOURCE_CONTENT)
    document["Actions"].append(
        {
            "Identifier": "x",
            "Type": "X",
            "Parameters": {"Q": "arn:aws:connect:us-east-1:111111111111:instance/other/queue/q"},
        }
    )
    found = _flow.scan(document, SOURCE, lambda text: "contact_flow_modules" if text == sid(2) else None)
    assert sorted((f.type, f.id, f.arn) for f in found) == sorted(
        [
            ("queues", sid(1), f"{SOURCE}/queue/{sid(1)}"),  # Metadata
            ("queues", sid(1), f"{SOURCE}/queue/{sid(1)}"),  # Parameters
            ("contact_flow_modules", sid(2), sid(2)),
            ("contact_flows", sid(3), f"{SOURCE}/contact-flow/{sid(3)}"),
            ("lambda_functions", SRC_LAMBDA, SRC_LAMBDA),
        ]
    )


def test_an_agents_own_queue_follows_its_user_in_the_target():
    user = f"{TARGET}/agent/{tid(9)}"
    assert _flow.target_arn(f"{SOURCE}/queue/agent/{sid(9)}", user) == f"{TARGET}/queue/agent/{tid(9)}"
    assert _flow.target_arn(f"{SOURCE}/agent/{sid(9)}", user) == user


def test_a_new_flow_is_created_with_a_stub_and_its_content_written_rewritten_by_the_second_pass():
    view = target()
    [create] = Planner(CONTACT_FLOWS, view).plan([{"name": "Main IVR", "type": "CONTACT_FLOW", "status": "PUBLISHED"}])
    assert create.action == "created"
    assert create.calls[0].api == "CreateContactFlow"
    assert create.calls[0].params["Content"] == _flow.STUB_CONTENT
    # The second pass, in a dry run where the first pass's flow is only assumed: its content is still written.
    view.assume("contact_flows", "Main IVR")
    [second] = Planner(CONTACT_FLOWS, view).plan([main_ivr()])
    assert [c.api for c in second.calls] == ["UpdateContactFlowContent"]
    assert json.loads(second.calls[0].params["Content"]) == json.loads(TARGET_CONTENT)


def test_content_equal_after_the_rewrite_writes_nothing_whatever_its_formatting():
    stored = json.dumps(json.loads(TARGET_CONTENT), indent=4, sort_keys=True)
    view = target([{"Name": "Main IVR", "Id": tid(5), "Arn": f"{TARGET}/contact-flow/{tid(5)}", "Content": stored}])
    [plan] = Planner(CONTACT_FLOWS, view).plan([main_ivr()])
    assert plan.action == "unchanged", plan.calls


def test_content_that_differs_is_updated_with_every_reference_rewritten_and_nothing_of_the_source_left():
    view = target([{"Name": "Main IVR", "Id": tid(5), "Arn": f"{TARGET}/contact-flow/{tid(5)}", "Content": "{}"}])
    [plan] = Planner(CONTACT_FLOWS, view).plan([main_ivr()])
    assert [c.api for c in plan.calls] == ["UpdateContactFlowContent"]
    written = plan.calls[0].params["Content"]
    assert SOURCE not in written and sid(1) not in written and sid(2) not in written and SRC_LAMBDA not in written


def test_the_written_content_keeps_the_sources_text_but_for_the_references_it_rewrites():
    # As stored, so a source and its migrated target read the same, byte for byte, but for IDs and ARNs.
    view = target([{"Name": "Main IVR", "Id": tid(5), "Arn": f"{TARGET}/contact-flow/{tid(5)}", "Content": "{}"}])
    pretty = json.dumps(json.loads(main_ivr()["content"]), indent=3, ensure_ascii=False)
    [plan] = Planner(CONTACT_FLOWS, view).plan([{**main_ivr(), "content": pretty}])
    written = plan.calls[0].params["Content"]
    assert json.dumps(json.loads(written), indent=3, ensure_ascii=False) == written
    assert written.count("\n") == pretty.count("\n") and SOURCE not in written and tid(1) in written


def test_content_whose_text_cannot_be_edited_in_place_is_written_as_compact_json():
    # An ARN that is also a key (or spelt with escapes) cannot be replaced as text without changing the key.
    document = {"Version": "2019-10-30", "Metadata": {"x": {SOURCE: SOURCE}}}
    table = {SOURCE: TARGET}
    text = json.dumps(document, indent=2)
    rewritten = _flow.rewrite(document, table)
    assert _flow.rewritten_text(text, document, rewritten) == _flow.dumps(rewritten)
    escaped = json.dumps({"A": SOURCE}).replace("/", "\\/")
    assert json.loads(_flow.rewritten_text(escaped, {"A": SOURCE}, {"A": TARGET})) == {"A": TARGET}


def test_a_reference_the_target_lacks_fails_the_flow_naming_the_action_and_the_reference():
    refs = [*REFERENCES[:3], {"arn": SRC_LAMBDA, "type": "lambda_functions", "name": "missing-fn"}]
    [plan] = Planner(CONTACT_FLOWS, target()).plan([main_ivr(references=refs)])
    assert plan.error is not None and plan.calls == []
    assert "action 'a4' (InvokeLambdaFunction)" in plan.error
    assert "Lambda function 'missing-fn', not found in target" in plan.error


def test_an_arn_no_reference_maps_fails_the_flow_rather_than_publishing_the_source():
    [plan] = Planner(CONTACT_FLOWS, target()).plan([main_ivr(references=REFERENCES[1:])])
    assert plan.error is not None
    assert "action 'a2' (UpdateContactTargetQueue)" in plan.error
    assert f"{SOURCE}/queue/{sid(1)}" in plan.error


def test_a_modules_settings_go_with_its_content_in_one_call():
    view = target()
    module = {"name": "Auth", "content": SOURCE_CONTENT, "references": REFERENCES, "settings": '{"a": 1}'}
    view_records = view.records("contact_flow_modules")
    view_records["Auth"].update({"Content": TARGET_CONTENT, "Settings": '{"a": 0}'})
    [plan] = Planner(CONTACT_FLOW_MODULES, view).plan([module])
    assert [c.api for c in plan.calls] == ["UpdateContactFlowModuleContent"]
    assert plan.calls[0].params["Settings"] == '{"a": 1}'
    assert json.loads(plan.calls[0].params["Content"]) == json.loads(TARGET_CONTENT)


def test_an_archived_flow_is_created_then_archived_with_the_member_the_metadata_api_takes():
    [plan] = Planner(CONTACT_FLOWS, target()).plan([{"name": "Old", "type": "CONTACT_FLOW", "state": "ARCHIVED"}])
    assert [c.api for c in plan.calls] == ["CreateContactFlow", "UpdateContactFlowMetadata"]
    assert plan.calls[1].params["ContactFlowState"] == "ARCHIVED"


def test_associations_send_only_what_names_them():
    view = target()
    [lam] = Planner(LAMBDA_FUNCTIONS, view).plan(
        [{"name": "billing", "arn": TGT_LAMBDA.replace("crm-lookup", "billing")}]
    )
    assert lam.calls[0].api == "AssociateLambdaFunction"
    assert lam.calls[0].params == {
        "InstanceId": view.instance_id,
        "FunctionArn": TGT_LAMBDA.replace("crm-lookup", "billing"),
    }
    alias = "arn:aws:lex:eu-west-2:222222222222:bot-alias/BOT0000001/ALIAS00001"
    [v2, v1] = Planner(LEX_BOTS, view).plan(
        [
            {"name": "BOT0000001/ALIAS00001", "lex_version": "V2", "arn": alias},
            {"name": "OrderFlowers", "lex_version": "V1", "lex_region": "us-east-1"},
        ]
    )
    assert v2.calls[0].params == {"InstanceId": view.instance_id, "LexV2Bot": {"AliasArn": alias}}
    assert v1.calls[0].params == {
        "InstanceId": view.instance_id,
        "LexBot": {"Name": "OrderFlowers", "LexRegion": "us-east-1"},
    }
    [gone] = Planner(LAMBDA_FUNCTIONS, view).plan([{"name": "crm-lookup"}], state="absent")
    assert gone.calls[0].api == "DisassociateLambdaFunction"
    assert gone.calls[0].params == {"InstanceId": view.instance_id, "FunctionArn": TGT_LAMBDA}


def test_an_association_given_tags_fails_rather_than_tagging_a_function():
    [plan] = Planner(LAMBDA_FUNCTIONS, target()).plan([{"name": "crm-lookup", "arn": TGT_LAMBDA, "tags": {"a": "b"}}])
    assert plan.error and "tags" in plan.error


def numbers_target(associated: str | None) -> Reader:
    number_arn = "arn:aws:connect:eu-west-2:222222222222:phone-number/" + tid(7)
    records = {
        "phone_numbers": [{"PhoneNumber": "+442079460631", "PhoneNumberId": tid(7), "PhoneNumberArn": number_arn}],
        "contact_flows": [
            {"Name": "Main IVR", "Id": tid(5), "Arn": f"{TARGET}/contact-flow/{tid(5)}"},
            {"Name": "Support Menu", "Id": tid(3), "Arn": f"{TARGET}/contact-flow/{tid(3)}"},
        ],
    }
    flows = [{"ResourceId": number_arn, "FlowId": associated}] if associated else []
    lists = {"list_flow_associations": ("FlowAssociationSummaryList", flows)}
    return Reader(FakeClient(records, lists), "bbbbbbbb-0000-4000-8000-000000000000", TARGET)


def test_a_mapped_number_is_pointed_at_its_flow_once_and_then_left_alone():
    [plan] = Planner(PHONE_NUMBERS, numbers_target(tid(3))).plan(
        [{"phone_number": "+442079460631", "contact_flow": "Main IVR"}]
    )
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "AssociatePhoneNumberContactFlow",
            {"InstanceId": "bbbbbbbb-0000-4000-8000-000000000000", "PhoneNumberId": tid(7), "ContactFlowId": tid(5)},
        )
    ]
    assert plan.diff == {"before": {"contact_flow": "Support Menu"}, "after": {"contact_flow": "Main IVR"}}
    [again] = Planner(PHONE_NUMBERS, numbers_target(tid(5))).plan(
        [{"phone_number": "+442079460631", "contact_flow": "Main IVR"}]
    )
    assert again.action == "unchanged"


def test_a_number_the_target_has_not_claimed_fails_rather_than_being_claimed_by_the_flows_phase():
    [plan] = Planner(PHONE_NUMBERS, numbers_target(None)).plan(
        [{"phone_number": "+15550100", "contact_flow": "Main IVR"}]
    )
    assert plan.error and "the target has no phone number +15550100" in plan.error


def test_a_rollback_takes_the_flow_off_a_number_that_had_none():
    [plan] = Planner(PHONE_NUMBERS, numbers_target(tid(5))).plan(
        [{"phone_number": "+442079460631", "contact_flow": None}]
    )
    assert [(c.api, c.params) for c in plan.calls] == [
        (
            "DisassociatePhoneNumberContactFlow",
            {"InstanceId": "bbbbbbbb-0000-4000-8000-000000000000", "PhoneNumberId": tid(7)},
        )
    ]
