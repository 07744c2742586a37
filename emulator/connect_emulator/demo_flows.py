"""The demo source's flows and flow modules in the flow language, each with the references it makes.

They are written as the export of a fictional original instance (`ORIGINAL_INSTANCE_ARN`, in the demo
source's Region and the emulator's account) holds them: queues, hours, flows, modules and users are named
by their ARNs in that instance (where the designer's `Metadata` repeats a reference, sometimes by the bare
ID), Lambda functions and the Lex V2 bot by their own ARNs, and each document lists what it names as the
bundle's `references` do. Every load of the demo (`--seed demo`) therefore rewrites all of them to the
loaded instance (`from_bundle`), and the emulator's check of published content shows none was missed.

Action types, their `Parameters` and `Transitions` follow Amazon Connect's flow-language reference; the
`Metadata` (positions, the `{"id", "text"}` repetitions) is representative of what the flow designer
writes, not a copy of one export. IDs in the original instance and action identifiers are uuid5s of
names, so the documents depend on names alone and no random stream is drawn for them. The reference
names no action that takes an agent status, so the demo's quick-connect transfer names a user instead
(`CheckMetricData` and `UpdateContactTargetQueue` by `AgentId`).

seed.py imports this module when it builds the source bundle (not at import time: the names below are
seed.py's).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from connect_emulator.seed import (
    AUTHENTICATE_MODULE,
    CALLBACK_MODULE,
    DEFAULT_ACCOUNT_ID,
    DEMO_LAMBDA_FUNCTIONS,
    DEMO_LEX_V2_BOT,
    DEMO_PROMPTS,
    DEMO_SOURCE_ALIAS,
    DEMO_SOURCE_REGION,
    HOLIDAY_FLOW,
    MAIN_IVR_FLOW,
    MANY_QUICK_CONNECTS_QUEUE,
    SALES_WHISPER_FLOW,
    SUPPORT_MENU_FLOW,
    SUPPORT_TRANSFER_FLOW,
    lambda_arn,
    lex_v2_alias_arn,
)

AUTHENTICATE_LAMBDA, CALLBACK_LAMBDA = DEMO_LAMBDA_FUNCTIONS
# Prompts the demo source holds: messages play them instead of text to speech where one fits.
PROMPTS: frozenset[str] = frozenset(spec.name for spec in DEMO_PROMPTS)


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "ccaas-connect-seed/" + "/".join(parts)))


ORIGINAL_INSTANCE_ID = _uuid("original-instance", DEMO_SOURCE_ALIAS)
ORIGINAL_INSTANCE_ARN = f"arn:aws:connect:{DEMO_SOURCE_REGION}:{DEFAULT_ACCOUNT_ID}:instance/{ORIGINAL_INSTANCE_ID}"
# Bundle type -> the ARN segment of its items in an instance.
_SEGMENTS = {
    "queues": "queue",
    "hours_of_operations": "operating-hours",
    "contact_flows": "contact-flow",
    "contact_flow_modules": "flow-module",
    "users": "agent",
    "prompts": "prompt",
}


def original_id(kind: str, name: str) -> str:
    """The ID the item named `name` of bundle type `kind` had in the original instance."""
    return _uuid("original", kind, name)


def original_arn(kind: str, name: str) -> str:
    return f"{ORIGINAL_INSTANCE_ARN}/{_SEGMENTS[kind]}/{original_id(kind, name)}"


class Document:
    """One flow or module being written: its actions, the designer's metadata, the references it makes."""

    def __init__(self, name: str, description: str, flow_type: str | None, status: str = "PUBLISHED") -> None:
        self.name = name
        self.description = description
        self.flow_type = flow_type  # None: a module
        self.status = status
        self.actions: list[dict[str, Any]] = []
        self.metadata: dict[str, Any] = {}
        self._references: dict[str, dict[str, str]] = {}

    def step(self, label: str) -> str:
        return _uuid("flow", self.name, label)

    def connect(self, kind: str, name: str) -> str:
        """The ARN of an item of the original instance, recorded as a reference."""
        arn = original_arn(kind, name)
        self._references[arn] = {"arn": arn, "type": kind, "name": name}
        return arn

    def external(self, kind: str, name: str, arn: str) -> str:
        """The ARN of a Lambda function or Lex bot, recorded as a reference."""
        self._references[arn] = {"arn": arn, "type": kind, "name": name}
        return arn

    def action(
        self,
        label: str,
        action_type: str,
        parameters: dict[str, Any],
        *,
        then: str | None = None,
        conditions: Sequence[tuple[str, str, str]] = (),
        errors: Sequence[tuple[str, str]] = (),
        meta: dict[str, Any] | None = None,
    ) -> None:
        """One action; `conditions` are (operator, operand, next label), `errors` (error type, next label)."""
        transitions: dict[str, Any] = {}
        if then is not None:
            transitions["NextAction"] = self.step(then)
        if errors:
            transitions["Errors"] = [{"NextAction": self.step(to), "ErrorType": kind} for kind, to in errors]
        if conditions:
            transitions["Conditions"] = [
                {"NextAction": self.step(to), "Condition": {"Operator": operator, "Operands": [operand]}}
                for operator, operand, to in conditions
            ]
        index = len(self.actions)
        self.actions.append(
            {"Parameters": parameters, "Identifier": self.step(label), "Type": action_type, "Transitions": transitions}
        )
        position = {"x": 40 + 260 * (index % 5), "y": 40 + 240 * (index // 5)}
        self.metadata[self.step(label)] = {"position": position, **(meta or {})}

    def content(self) -> str:
        described: dict[str, Any] = {"name": self.name, "description": self.description}
        if self.flow_type is not None:
            words = self.flow_type.lower().split("_")
            described["type"] = words[0] + "".join(word.title() for word in words[1:])
            described["status"] = self.status.lower()
        metadata = {"entryPointPosition": {"x": 15, "y": 40}, "ActionMetadata": self.metadata, **described}
        document = {
            "Version": "2019-10-30",
            "StartAction": self.actions[0]["Identifier"],
            "Metadata": metadata,
            "Actions": self.actions,
        }
        return json.dumps(document, ensure_ascii=False)

    def references(self) -> list[dict[str, str]]:
        """As a bundle lists them: sorted by ARN."""
        return [self._references[arn] for arn in sorted(self._references)]


# -- the pieces every document uses ----------------------------------------------------------------


def _message(doc: Document, label: str, text: str, prompt: str | None, *, then: str) -> None:
    """A message: the prompt if the demo has it, else text to speech."""
    if prompt in PROMPTS:
        assert prompt is not None
        arn = doc.connect("prompts", prompt)
        parameters: dict[str, Any] = {"PromptId": arn}
        meta: dict[str, Any] = {"promptName": prompt, "parameters": {"PromptId": {"displayName": prompt}}}
    else:
        parameters, meta = {"Text": text}, {}
    doc.action(label, "MessageParticipant", parameters, then=then, errors=[("NoMatchingError", then)], meta=meta)


def _working_queue(doc: Document, label: str, queue: str, *, then: str, failed: str) -> None:
    arn = doc.connect("queues", queue)
    meta = {"parameters": {"QueueId": {"displayName": queue}}, "queue": {"id": arn, "text": queue}}
    doc.action(
        label, "UpdateContactTargetQueue", {"QueueId": arn}, then=then, errors=[("NoMatchingError", failed)], meta=meta
    )


def _transfer(doc: Document, label: str, *, full: str, failed: str) -> None:
    errors = [("QueueAtCapacity", full), ("NoMatchingError", failed)]
    doc.action(label, "TransferContactToQueue", {}, errors=errors)


# -- the documents -----------------------------------------------------------------------------------


def main_ivr(description: str) -> Document:
    """Hours check, welcome, the caller looked up by a module, a menu: sales queue or the support menu."""
    doc = Document(MAIN_IVR_FLOW, description, "CONTACT_FLOW")
    whisper = doc.connect("contact_flows", SALES_WHISPER_FLOW)
    doc.action(
        "agent-whisper",
        "UpdateContactEventHooks",
        {"EventHooks": {"AgentWhisper": whisper}},
        then="check-hours",
        errors=[("NoMatchingError", "check-hours")],
        meta={
            "parameters": {"EventHooks": {"AgentWhisper": {"displayName": SALES_WHISPER_FLOW}}},
            "contactFlow": {"id": whisper, "text": SALES_WHISPER_FLOW},
        },
    )
    hours = doc.connect("hours_of_operations", "Sales Hours")
    doc.action(
        "check-hours",
        "CheckHoursOfOperation",
        {"HoursOfOperationId": hours},
        conditions=[("Equals", "True", "welcome"), ("Equals", "False", "closed")],
        errors=[("NoMatchingError", "closed")],
        # The designer repeats some references by their bare ID.
        meta={"Hours": {"id": original_id("hours_of_operations", "Sales Hours"), "text": "Sales Hours"}},
    )
    _message(doc, "welcome", "Thank you for calling Acme.", "Acme Welcome", then="authenticate")
    authenticate = doc.connect("contact_flow_modules", AUTHENTICATE_MODULE)
    doc.action(
        "authenticate",
        "InvokeFlowModule",
        {"FlowModuleId": authenticate},
        then="menu",
        errors=[("NoMatchingError", "menu")],
        meta={
            "FlowModule": {"id": original_id("contact_flow_modules", AUTHENTICATE_MODULE), "text": AUTHENTICATE_MODULE}
        },
    )
    doc.action(
        "menu",
        "GetParticipantInput",
        {"Text": "For sales, press 1. For support, press 2.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
        conditions=[("Equals", "1", "sales-queue"), ("Equals", "2", "support-menu")],
        errors=[
            ("InputTimeLimitExceeded", "sales-queue"),
            ("NoMatchingCondition", "sales-queue"),
            ("NoMatchingError", "sales-queue"),
        ],
    )
    _working_queue(doc, "sales-queue", "Q_QC_Sales_Inbound", then="transfer", failed="disconnect")
    _transfer(doc, "transfer", full="callback", failed="disconnect")
    support = doc.connect("contact_flows", SUPPORT_MENU_FLOW)
    doc.action(
        "support-menu",
        "TransferToFlow",
        {"ContactFlowId": support},
        errors=[("NoMatchingError", "disconnect")],
        meta={"ContactFlow": {"id": support, "text": SUPPORT_MENU_FLOW}},
    )
    _message(doc, "closed", "Our sales lines are closed.", "Acme Closed Message", then="callback")
    callback = doc.connect("contact_flow_modules", CALLBACK_MODULE)
    doc.action(
        "callback",
        "InvokeFlowModule",
        {"FlowModuleId": callback},
        then="disconnect",
        errors=[("NoMatchingError", "disconnect")],
        meta={"FlowModule": {"id": callback, "text": CALLBACK_MODULE}},
    )
    doc.action("disconnect", "DisconnectParticipant", {})
    return doc


def support_menu(description: str) -> Document:
    """A Lex V2 bot asks what the caller needs: back to the main menu (a cycle), priority, or tier 2 if staffed."""
    doc = Document(SUPPORT_MENU_FLOW, description, "CONTACT_FLOW")
    alias = doc.external("lex_bots", DEMO_LEX_V2_BOT, lex_v2_alias_arn())
    doc.action(
        "ask",
        "ConnectParticipantWithLexBot",
        {
            "Text": "In a few words, what do you need help with?",
            "LexV2Bot": {"AliasArn": alias},
            "LexSessionAttributes": {"channel": "voice"},
        },
        conditions=[("Equals", "MainMenu", "main-menu"), ("Equals", "Escalate", "priority")],
        errors=[
            ("InputTimeLimitExceeded", "support-queue"),
            ("NoMatchingCondition", "support-queue"),
            ("NoMatchingError", "support-queue"),
        ],
        meta={
            "parameters": {"LexV2Bot": {"AliasArn": {"displayName": "live", "useLexBotDropdown": True}}},
            "lexV2BotName": "AcmeSupportBot",
        },
    )
    main = doc.connect("contact_flows", MAIN_IVR_FLOW)
    doc.action(
        "main-menu",
        "TransferToFlow",
        {"ContactFlowId": main},
        errors=[("NoMatchingError", "disconnect")],
        meta={"ContactFlow": {"id": original_id("contact_flows", MAIN_IVR_FLOW), "text": MAIN_IVR_FLOW}},
    )
    _working_queue(doc, "priority", "Q_QC_Support_Priority", then="transfer", failed="disconnect")
    _working_queue(doc, "support-queue", MANY_QUICK_CONNECTS_QUEUE, then="tier2-staffed", failed="disconnect")
    tier2 = doc.connect("queues", "Support_Tier2")
    doc.action(
        "tier2-staffed",
        "CheckMetricData",
        {"MetricType": "NumberOfAgentsAvailable", "QueueId": tier2},
        conditions=[("NumberGreaterThan", "0", "tier2")],
        errors=[("NoMatchingError", "transfer")],
        meta={"queue": {"id": tier2, "text": "Support_Tier2"}},
    )
    _working_queue(doc, "tier2", "Support_Tier2", then="transfer", failed="transfer")
    _transfer(doc, "transfer", full="overflow", failed="disconnect")
    _working_queue(doc, "overflow", "Q_QC_Overflow", then="transfer-overflow", failed="disconnect")
    _transfer(doc, "transfer-overflow", full="disconnect", failed="disconnect")
    doc.action("disconnect", "DisconnectParticipant", {})
    return doc


def support_transfer(description: str, duty_manager: str | None) -> Document:
    """The support queues' quick-connect transfer: the queue if staffed, else the duty manager, else overflow."""
    doc = Document(SUPPORT_TRANSFER_FLOW, description, "QUEUE_TRANSFER")
    _message(doc, "announce", "Please hold while we transfer you to support.", None, then="staffed")
    fallback = "overflow" if duty_manager is None else "duty-manager"
    doc.action(
        "staffed",
        "CheckMetricData",
        {"MetricType": "NumberOfAgentsAvailable"},  # the quick connect's queue
        conditions=[("NumberGreaterThan", "0", "transfer")],
        errors=[("NoMatchingError", fallback)],
    )
    if duty_manager is not None:
        agent = doc.connect("users", duty_manager)
        doc.action(
            "duty-manager",
            "CheckMetricData",
            {"MetricType": "NumberOfAgentsAvailable", "AgentId": agent},
            conditions=[("NumberGreaterThan", "0", "to-duty-manager")],
            errors=[("NoMatchingError", "overflow")],
            meta={"agent": {"id": original_id("users", duty_manager), "text": duty_manager}},
        )
        doc.action(
            "to-duty-manager",
            "UpdateContactTargetQueue",
            {"AgentId": agent},
            then="transfer",
            errors=[("NoMatchingError", "overflow")],
            meta={
                "parameters": {"AgentId": {"displayName": duty_manager}},
                "agent": {"id": agent, "text": duty_manager},
            },
        )
    _working_queue(doc, "overflow", "Q_QC_Overflow", then="transfer", failed="end")
    _transfer(doc, "transfer", full="end", failed="end")
    doc.action("end", "DisconnectParticipant", {})
    return doc


def holiday_greeting(description: str) -> Document:
    """A draft (the demo keeps it SAVED) tried against the main IVR's own draft: a qualified ARN (`:$SAVED`)."""
    doc = Document(HOLIDAY_FLOW, description, "CONTACT_FLOW")
    hours = doc.connect("hours_of_operations", "UK Office Hours")
    doc.action(
        "check-hours",
        "CheckHoursOfOperation",
        {"HoursOfOperationId": hours},
        conditions=[("Equals", "True", "main-ivr"), ("Equals", "False", "closed")],
        errors=[("NoMatchingError", "closed")],
        meta={"Hours": {"id": hours, "text": "UK Office Hours"}},
    )
    draft = doc.connect("contact_flows", MAIN_IVR_FLOW) + ":$SAVED"
    doc.action(
        "main-ivr",
        "TransferToFlow",
        {"ContactFlowId": draft},
        errors=[("NoMatchingError", "closed")],
        meta={"ContactFlow": {"id": draft, "text": MAIN_IVR_FLOW}},
    )
    _message(doc, "closed", "Acme is closed for the holidays.", "Acme Closed Message", then="disconnect")
    doc.action("disconnect", "DisconnectParticipant", {})
    return doc


def authenticate_module(description: str) -> Document:
    """Looks the caller up by number through a Lambda function and keeps what it answers."""
    doc = Document(AUTHENTICATE_MODULE, description, None)
    function = doc.external("lambda_functions", AUTHENTICATE_LAMBDA, lambda_arn(AUTHENTICATE_LAMBDA))
    doc.action(
        "lookup",
        "InvokeLambdaFunction",
        {
            "LambdaFunctionARN": function,
            "InvocationTimeLimitSeconds": "3",
            "InvocationType": "SYNCHRONOUS",
            "LambdaInvocationAttributes": {"callerNumber": "$.CustomerEndpoint.Address"},
            "ResponseValidation": {"ResponseType": "STRING_MAP"},
        },
        then="remember",
        errors=[("NoMatchingError", "end")],
        meta={
            "parameters": {"LambdaFunctionARN": {"displayName": AUTHENTICATE_LAMBDA}},
            "dynamicMetadata": {"callerNumber": True},
        },
    )
    doc.action(
        "remember",
        "UpdateContactAttributes",
        {
            "Attributes": {"customerId": "$.External.customerId", "authenticated": "$.External.authenticated"},
            "TargetContact": "Current",
        },
        then="end",
        errors=[("NoMatchingError", "end")],
    )
    doc.action("end", "EndFlowModuleExecution", {})
    return doc


def callback_module(description: str) -> Document:
    """Offers a callback: on 1, the callback queue and a Lambda function (a qualified ARN) that books it."""
    doc = Document(CALLBACK_MODULE, description, None)
    offer: dict[str, Any] = {"StoreInput": "False", "InputTimeLimitSeconds": "5"}
    if "Acme Callback Offer" in PROMPTS:
        offer["PromptId"] = doc.connect("prompts", "Acme Callback Offer")
    else:
        offer["Text"] = "Press 1 and we will call you back."
    doc.action(
        "offer",
        "GetParticipantInput",
        offer,
        conditions=[("Equals", "1", "callback-queue")],
        errors=[("InputTimeLimitExceeded", "end"), ("NoMatchingCondition", "end"), ("NoMatchingError", "end")],
    )
    _working_queue(doc, "callback-queue", "Q_QC_Sales_Callback", then="schedule", failed="end")
    function = doc.external("lambda_functions", CALLBACK_LAMBDA, lambda_arn(CALLBACK_LAMBDA))
    doc.action(
        "schedule",
        "InvokeLambdaFunction",
        {
            "LambdaFunctionARN": function,
            "InvocationTimeLimitSeconds": "8",
            "InvocationType": "SYNCHRONOUS",
            "ResponseValidation": {"ResponseType": "JSON"},
        },
        then="confirm",
        errors=[("NoMatchingError", "end")],
        meta={"parameters": {"LambdaFunctionARN": {"displayName": CALLBACK_LAMBDA}}},
    )
    _message(doc, "confirm", "Thank you. We will call you back shortly.", None, then="end")
    doc.action("end", "EndFlowModuleExecution", {})
    return doc


def documents(described: dict[str, tuple[str, str]], duty_manager: str | None) -> dict[str, Document]:
    """The source's documents by flow or module name; `described` gives each its (description, status)."""
    built = (
        main_ivr(described[MAIN_IVR_FLOW][0]),
        support_menu(described[SUPPORT_MENU_FLOW][0]),
        support_transfer(described[SUPPORT_TRANSFER_FLOW][0], duty_manager),
        holiday_greeting(described[HOLIDAY_FLOW][0]),
        authenticate_module(described[AUTHENTICATE_MODULE][0]),
        callback_module(described[CALLBACK_MODULE][0]),
    )
    for doc in built:
        doc.status = described[doc.name][1]
    return {doc.name: doc for doc in built}
