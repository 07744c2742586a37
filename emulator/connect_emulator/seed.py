"""Deterministic seed data for the emulator: a realistic source instance and an empty target.

The demo is written as two bundles in the collection's export format (`generate_demo_bundles`); the
default demo's are committed as readable files (`data/demo-source.bundle.json`,
`data/demo-target.bundle.json`). Seeding loads them with the emulator's one bundle loader
(`from_bundle.load`), i.e. through `emulator.call` and the same Connect API the collection uses, so the
seed exercises the emulator's validation and defaults and never reaches into its stores.
The same `seed` always yields the same names and data (`random.Random` streams derived from the seed,
one per concern, consumed in a fixed order; no wall clock, no uuid4); only the IDs the emulator
assigns may differ between runs. Separate streams keep, say, the phone numbers the same whatever the
number of users.

The names below are part of the contract with the integration tests and the docs: change them only
together with those.
"""

from __future__ import annotations

import base64
import json
import random
import string
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from connect_emulator import from_bundle, wav

if TYPE_CHECKING:
    from connect_emulator import demo_flows

__all__ = [
    "BUSINESS_UNITS",
    "BU_TAG_VARIANTS",
    "DEFAULT_ACCOUNT_ID",
    "DEMO_AGENT_STATUSES",
    "DEMO_BUNDLE_FILES",
    "DEMO_BUNDLE_SEED",
    "DEMO_BUNDLE_USERS",
    "DEMO_CONTACT_FLOWS",
    "DEMO_FLOW_MODULES",
    "DEMO_HIERARCHY_GROUPS",
    "DEMO_HIERARCHY_LEVELS",
    "DEMO_HOURS",
    "DEMO_LAMBDA_FUNCTIONS",
    "DEMO_LEX_V1_BOT",
    "DEMO_LEX_V2_BOT",
    "DEMO_PROMPTS",
    "DEMO_QUEUES",
    "DEMO_ROUTING_PROFILES",
    "DEMO_SECURITY_PROFILES",
    "DEMO_SOURCE_ALIAS",
    "DEMO_SOURCE_PHONE_NUMBERS",
    "DEMO_SOURCE_REGION",
    "DEMO_TARGET_ALIAS",
    "DEMO_TARGET_PHONE_NUMBERS",
    "DEMO_TARGET_REGION",
    "DEMO_USER_MIX",
    "MANY_QUEUES_ROUTING_PROFILE",
    "MANY_QUICK_CONNECTS",
    "MANY_QUICK_CONNECTS_QUEUE",
    "SCENARIOS",
    "SHARED_PHONE_NUMBER_KEY",
    "SOURCE_ONLY_FLOW",
    "bu_queue_names",
    "bundle_text",
    "demo_bundles",
    "demo_prompt_items",
    "describe_seed",
    "generate_demo_bundles",
    "seed",
    "write_demo_bundles",
]


class Emulator(Protocol):
    """What the seed needs from the emulator (the framework's in-process `Emulator` provides it)."""

    def call(self, operation: str, params: dict[str, Any], *, region: str, account_id: str = ...) -> dict[str, Any]: ...

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None: ...

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None: ...


# --------------------------------------------------------------------------------------------------
# Scenario data. Plain tuples of frozen dataclasses so tests and docs can import the exact names.
# --------------------------------------------------------------------------------------------------

DEFAULT_ACCOUNT_ID = "123456789012"
SCENARIOS = ("demo", "empty")

DEMO_SOURCE_ALIAS = "acme-contact-centre"
DEMO_SOURCE_REGION = "us-east-1"
# Another region on purpose: IDs, ARNs and phone numbers differ across regions, so a migration that
# leaks a source ID or ARN into the target fails loudly.
DEMO_TARGET_ALIAS = "acme-contact-centre-eu"
DEMO_TARGET_REGION = "eu-west-2"
# The S3 bucket the demo target's operators made for prompts' audio (in the target's region): a migration uploads
# the source's prompts there (-e prompt_bucket=...) before creating them.
DEMO_PROMPT_BUCKET = "acme-connect-prompts-eu"
IDENTITY_MANAGEMENT_TYPE = "CONNECT_MANAGED"

BUSINESS_UNITS = ("Sales", "Support", "Billing")

# Real instances are tagged by hand over years, so key and value case drift; a BU filter that is
# not case-insensitive silently drops resources. Resources below use these variants explicitly and
# users draw from them at random.
BU_TAG_VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "Sales": (("BU", "Sales"), ("BU", "SALES"), ("bu", "sales"), ("Bu", "Sales")),
    "Support": (("Bu", "Support"), ("BU", "SUPPORT"), ("bu", "support"), ("BU", "Support")),
    "Billing": (("BU", "billing"), ("BU", "Billing"), ("bu", "BILLING"), ("bU", "Billing")),
}


def _bu(bu: str, variant: int, **extra: str) -> dict[str, str]:
    key, value = BU_TAG_VARIANTS[bu][variant]
    return {key: value, **extra}


WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
WEEKEND = ("SATURDAY", "SUNDAY")
ALL_DAYS = (*WEEKDAYS, *WEEKEND)


@dataclass(frozen=True)
class HoursSpec:
    name: str
    description: str
    time_zone: str
    days: tuple[str, ...]
    start: tuple[int, int]
    # Connect has no 24:00; 00:00-00:00 is how it spells a whole day (as in the default Basic Hours).
    end: tuple[int, int]
    tags: dict[str, str] = field(default_factory=dict)


DEMO_HOURS: tuple[HoursSpec, ...] = (
    HoursSpec("Sales Hours", "Sales lines, weekdays", "America/New_York", WEEKDAYS, (8, 0), (20, 0), _bu("Sales", 0)),
    HoursSpec("Support 24x7", "Support never closes", "UTC", ALL_DAYS, (0, 0), (0, 0), _bu("Support", 0)),
    HoursSpec("Billing Hours", "Billing office", "America/Chicago", WEEKDAYS, (9, 0), (17, 30), _bu("Billing", 0)),
    HoursSpec("Weekend Hours", "Weekend cover", "America/New_York", WEEKEND, (10, 0), (16, 0), _bu("Sales", 1)),
    HoursSpec("UK Office Hours", "London office", "Europe/London", WEEKDAYS, (9, 0), (17, 0), {"Owner": "facilities"}),
)


@dataclass(frozen=True)
class OverrideSpec:
    """A dated exception to an hours' week: a holiday closure, a special opening, a recurring one."""

    name: str
    description: str
    override_type: str  # STANDARD, OPEN or CLOSED
    effective_from: str
    effective_till: str
    # (day, start, end) slots that apply in the range; none for a closure.
    slots: tuple[tuple[str, tuple[int, int], tuple[int, int]], ...] = ()
    # (frequency, interval, months, days of month): a yearly holiday, say.
    recurrence: tuple[str, int, tuple[int, ...], tuple[int, ...]] | None = None


# A holiday calendar: what a migration that drops it gets wrong on the next bank holiday.
DEMO_HOURS_OVERRIDES: dict[str, tuple[OverrideSpec, ...]] = {
    "Sales Hours": (
        OverrideSpec("Christmas Day", "Closed every 25 December", "CLOSED", "2026-12-25", "2026-12-25",
                     recurrence=("YEARLY", 1, (12,), (25,))),
        OverrideSpec("Black Friday", "Late opening for the sale", "OPEN", "2026-11-27", "2026-11-27",
                     slots=(("FRIDAY", (8, 0), (23, 0)),)),
    ),
    "Billing Hours": (
        OverrideSpec("Year-end close", "Short days while the books close", "STANDARD", "2026-12-29", "2026-12-31",
                     slots=tuple((day, (9, 0), (13, 0)) for day in ("TUESDAY", "WEDNESDAY", "THURSDAY"))),
        OverrideSpec("New Year's Day", "Closed every 1 January", "CLOSED", "2027-01-01", "2027-01-01",
                     recurrence=("YEARLY", 1, (1,), (1,))),
    ),
    "UK Office Hours": (
        OverrideSpec("Boxing Day", "UK bank holiday", "CLOSED", "2026-12-26", "2026-12-28"),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class FlowSpec:
    name: str
    type: str
    description: str
    in_target: bool = True
    tags: dict[str, str] = field(default_factory=dict)
    status: str = "PUBLISHED"


MAIN_IVR_FLOW = "Acme Main IVR"
SALES_WHISPER_FLOW = "Sales Whisper"
OUTBOUND_WHISPER_FLOW = "Acme Outbound Whisper"
QUEUE_TRANSFER_FLOW = "Transfer to Sales"
SUPPORT_TRANSFER_FLOW = "Transfer to Support"
AGENT_TRANSFER_FLOW = "Transfer to Agent"
# Exists only in the source, so the migration has to report a flow it cannot map by name.
SOURCE_ONLY_FLOW = "Billing Legacy IVR"
# The main IVR transfers to this menu and the menu back to the IVR: flows that name each other.
SUPPORT_MENU_FLOW = "Acme Support Menu"
# A draft (SAVED) that is never published.
HOLIDAY_FLOW = "Acme Holiday Greeting"

# In the source, the main IVR, the support menu, the support transfer and the holiday draft have the
# flow-language content of demo_flows.py (with their references); the others, and every flow of the
# target, the small content of `flow_content`.
DEMO_CONTACT_FLOWS: tuple[FlowSpec, ...] = (
    FlowSpec(MAIN_IVR_FLOW, "CONTACT_FLOW", "Main inbound menu", tags={"Owner": "cx-team"}),
    FlowSpec(SALES_WHISPER_FLOW, "AGENT_WHISPER", "Tells the agent a sales call is coming", tags=_bu("Sales", 0)),
    FlowSpec(OUTBOUND_WHISPER_FLOW, "OUTBOUND_WHISPER", "Played to the customer on outbound calls"),
    FlowSpec(QUEUE_TRANSFER_FLOW, "QUEUE_TRANSFER", "Quick connect transfer into a queue", tags=_bu("Sales", 2)),
    FlowSpec(SUPPORT_TRANSFER_FLOW, "QUEUE_TRANSFER", "Quick connect transfer into support", tags=_bu("Support", 1)),
    FlowSpec(AGENT_TRANSFER_FLOW, "AGENT_TRANSFER", "Quick connect transfer to an agent"),
    FlowSpec(SOURCE_ONLY_FLOW, "CONTACT_FLOW", "Old billing menu, not rebuilt in the EU", False, _bu("Billing", 0)),
    FlowSpec(
        SUPPORT_MENU_FLOW,
        "CONTACT_FLOW",
        "Support menu: a Lex bot asks what the caller needs",
        False,
        _bu("Support", 2),
    ),
    FlowSpec(HOLIDAY_FLOW, "CONTACT_FLOW", "Holiday greeting, not yet published", False, {"Owner": "cx-team"}, "SAVED"),
)


@dataclass(frozen=True)
class FlowModuleSpec:
    name: str
    description: str
    tags: dict[str, str] = field(default_factory=dict)


AUTHENTICATE_MODULE = "Acme Authenticate Caller"
CALLBACK_MODULE = "Acme Callback Offer"
# Source only, like everything the collection cannot write yet.
DEMO_FLOW_MODULES: tuple[FlowModuleSpec, ...] = (
    FlowModuleSpec(AUTHENTICATE_MODULE, "Looks the caller up by number (Lambda)", {"Owner": "cx-team"}),
    FlowModuleSpec(CALLBACK_MODULE, "Offers a callback when sales is closed or full", _bu("Sales", 1)),
)

# The source's Lambda functions (the second with the qualifier its association names) and Lex bots, in
# the source's Region and the emulator's account. Source only.
DEMO_LAMBDA_FUNCTIONS = ("acme-authenticate-caller", "acme-callback-scheduler:live")
DEMO_LEX_V2_BOT = "AC7SUPPORT/LIVEALIAS0"  # BOT_ID/ALIAS_ID, as the bundle names a V2 bot
DEMO_LEX_V1_BOT = "AcmeOrderStatus"


def lambda_arn(name: str) -> str:
    """A demo Lambda function's ARN (`name` may carry a qualifier)."""
    return f"arn:aws:lambda:{DEMO_SOURCE_REGION}:{DEFAULT_ACCOUNT_ID}:function:{name}"


def lex_v2_alias_arn() -> str:
    return f"arn:aws:lex:{DEMO_SOURCE_REGION}:{DEFAULT_ACCOUNT_ID}:bot-alias/{DEMO_LEX_V2_BOT}"


@dataclass(frozen=True)
class PhoneNumberSpec:
    key: str
    country: str
    type: str
    description: str
    # E.164 prefix of the number; the remaining digits are drawn from the seed.
    prefix: str
    digits: int
    tags: dict[str, str] = field(default_factory=dict)
    inbound_flow: str | None = None


# Fictional ranges only (NANP 555-01xx, Ofcom drama numbers), so a seeded number can never dial anyone.
DEMO_SOURCE_PHONE_NUMBERS: tuple[PhoneNumberSpec, ...] = (
    PhoneNumberSpec("sales-main", "US", "DID", "Sales main line", "+121255501", 2, _bu("Sales", 0), MAIN_IVR_FLOW),
    PhoneNumberSpec("sales-outbound", "US", "DID", "Sales outbound caller ID", "+164655501", 2, _bu("Sales", 1)),
    PhoneNumberSpec("support-main", "US", "TOLL_FREE", "Support hotline", "+180055501", 2, _bu("Support", 0)),
    PhoneNumberSpec("support-outbound", "US", "DID", "Support outbound caller ID", "+131255501", 2, _bu("Support", 2)),
    PhoneNumberSpec("billing-main", "US", "DID", "Billing line", "+141555501", 2, _bu("Billing", 1), SOURCE_ONLY_FLOW),
    PhoneNumberSpec("general", "US", "TOLL_FREE", "General enquiries", "+188855501", 2),
)
# The target claims the source's support hotline under the same E.164 number (the number is ported),
# so mapping by number works for it, and two new UK numbers that only a mapping file can pair up.
SHARED_PHONE_NUMBER_KEY = "support-main"
DEMO_TARGET_PHONE_NUMBERS: tuple[PhoneNumberSpec, ...] = (
    PhoneNumberSpec("uk-sales", "GB", "DID", "London sales line", "+442079460", 3, _bu("Sales", 0)),
    PhoneNumberSpec("uk-freephone", "GB", "TOLL_FREE", "UK freephone", "+448081570", 3),
)


@dataclass(frozen=True)
class QueueSpec:
    name: str
    bu: str | None
    description: str
    hours: str
    max_contacts: int | None = None
    caller_id_name: str | None = None
    caller_id_number: str | None = None  # a PhoneNumberSpec.key of the source
    outbound_flow: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def _q(
    name: str,
    bu: str | None,
    hours: str,
    variant: int | None,
    max_contacts: int | None = None,
    caller: tuple[str, str] | None = None,
    **extra_tags: str,
) -> QueueSpec:
    tags = _bu(bu, variant, **extra_tags) if bu is not None and variant is not None else dict(extra_tags)
    return QueueSpec(
        name=name,
        bu=bu,
        description=f"{name.removeprefix('Q_QC_').replace('_', ' ')} queue",
        hours=hours,
        max_contacts=max_contacts,
        caller_id_name=caller[0] if caller else None,
        caller_id_number=caller[1] if caller else None,
        outbound_flow=OUTBOUND_WHISPER_FLOW if caller else None,
        tags=tags,
    )


MANY_QUICK_CONNECTS_QUEUE = "Q_QC_Support_Inbound"
MANY_QUICK_CONNECTS = 60  # more than the 50 AssociateQueueQuickConnects takes per call

SALES_CALLER = ("Acme Sales", "sales-outbound")
SUPPORT_CALLER = ("Acme Support", "support-outbound")
BILLING_CALLER = ("Acme Billing", "billing-main")

# `bu` is the business unit the queue belongs to; a queue whose tags lack BU (bu set, variant None)
# belongs to it only by name, which is what a tag-based BU filter must *not* pick up.
DEMO_QUEUES: tuple[QueueSpec, ...] = (
    _q("Q_QC_Sales_Inbound", "Sales", "Sales Hours", 0, 50, SALES_CALLER, CostCentre="CC-1001"),
    _q("Q_QC_Sales_Outbound", "Sales", "Sales Hours", 1, None, SALES_CALLER),
    _q("Sales_Renewals", "Sales", "Sales Hours", 2, 25, SALES_CALLER),
    _q("Sales_Chat", "Sales", "Weekend Hours", 3, 100),
    _q("Q_QC_Sales_Callback", "Sales", "Sales Hours", None, 20),
    _q(MANY_QUICK_CONNECTS_QUEUE, "Support", "Support 24x7", 0, 200, SUPPORT_CALLER, CostCentre="CC-2001"),
    _q("Q_QC_Support_Priority", "Support", "Support 24x7", 1, 30, SUPPORT_CALLER),
    _q("Support_Tier2", "Support", "Support 24x7", 2, 40, SUPPORT_CALLER),
    _q("Support_Chat", "Support", "Support 24x7", 3, 150),
    _q("Support_Tasks", "Support", "Support 24x7", 0),
    _q("Q_QC_Billing_Inbound", "Billing", "Billing Hours", 0, 60, BILLING_CALLER),
    _q("Billing_Disputes", "Billing", "Billing Hours", 1, 15, BILLING_CALLER),
    _q("Billing_Payments", "Billing", "Billing Hours", 2, None, BILLING_CALLER),
    _q("Q_QC_Billing_Collections", "Billing", "Billing Hours", 3, 10, BILLING_CALLER),
    _q("General_Enquiries", None, "UK Office Hours", None, 80, ("Acme", "general")),
    _q("Q_QC_Overflow", None, "Support 24x7", None, 300),
    _q("Reception_Desk", None, "UK Office Hours", None, 5, Owner="facilities"),
)


def bu_queue_names(bu: str, *, prefix: str = "") -> list[str]:
    """The demo queues a case-insensitive `BU` tag filter (and optional name prefix) must select.

    Queues that belong to the unit only by name (untagged) are deliberately not among them.
    """
    return [
        q.name
        for q in DEMO_QUEUES
        if q.name.startswith(prefix) and any(k.lower() == "bu" and v.lower() == bu.lower() for k, v in q.tags.items())
    ]


DEMO_HIERARCHY_LEVELS = ("Region", "Site", "Team")
# (path, BU of the team or None); parents are listed before children, which is the order they must
# be created in.
DEMO_HIERARCHY_GROUPS: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("EMEA",), None),
    (("EMEA", "London"), None),
    (("EMEA", "London", "Sales Team A"), "Sales"),
    (("EMEA", "London", "Sales Team B"), "Sales"),
    (("EMEA", "London", "Support Team A"), "Support"),
    (("EMEA", "Manchester"), None),
    (("EMEA", "Manchester", "Support Team B"), "Support"),
    (("EMEA", "Manchester", "Billing Team A"), "Billing"),
    (("AMER",), None),
    (("AMER", "New York"), None),
    (("AMER", "New York", "Sales Team C"), "Sales"),
    (("AMER", "New York", "Billing Team B"), "Billing"),
    (("AMER", "Austin"), None),
    (("AMER", "Austin", "Support Team C"), "Support"),
    (("AMER", "Austin", "Support Team D"), "Support"),
)


@dataclass(frozen=True)
class SecurityProfileSpec:
    name: str
    description: str
    permissions: tuple[str, ...]
    tags: dict[str, str] = field(default_factory=dict)
    # Tag-based access control: holders see only the resources of these kinds carrying these tags.
    access_control_tags: dict[str, str] = field(default_factory=dict)
    tag_restricted_resources: tuple[str, ...] = ()
    # Third-party applications in the agent workspace: (namespace, permissions).
    applications: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Hierarchy-based access control: holders see the users (and these resources) of this group and below.
    hierarchy_group: str | None = None
    hierarchy_restricted_resources: tuple[str, ...] = ()


_AGENT_BASICS = ("BasicAgentAccess", "OutboundCallAccess", "TransferDestinations.View")
DEMO_SECURITY_PROFILES: tuple[SecurityProfileSpec, ...] = (
    SecurityProfileSpec(
        "Sales Supervisor",
        "Sales floor supervisors",
        (*_AGENT_BASICS, "AccessMetrics", "Users.View", "RoutingPolicies.View", "Queues.View", "ContactSearch.View"),
        _bu("Sales", 0),
        access_control_tags={"BU": "Sales"},
        tag_restricted_resources=("User", "Queue", "RoutingProfile"),
        applications=(("acme-crm", ("ACCESS",)),),
    ),
    SecurityProfileSpec(
        "Support Agent Plus",
        "Support agents who may search contacts",
        (*_AGENT_BASICS, "ContactSearch.View", "HoursOfOperation.View"),
        _bu("Support", 1),
        applications=(("acme-crm", ("ACCESS",)), ("acme-knowledge-base", ("ACCESS",))),
    ),
    SecurityProfileSpec(
        "Billing Auditor",
        "Read-only audit access for billing",
        ("AccessMetrics", "ContactSearch.View", "Queues.View", "Users.View"),
        _bu("Billing", 2),
    ),
    SecurityProfileSpec(
        "London Team Lead",
        "Team leads who see the London teams only",
        (*_AGENT_BASICS, "AccessMetrics", "Users.View", "ContactSearch.View"),
        {"Owner": "wfm"},
        hierarchy_group="EMEA/London",
        hierarchy_restricted_resources=("User",),
    ),
    SecurityProfileSpec(
        "Workforce Planner",
        "Workforce management across all units",
        ("AccessMetrics", "Users.View", "RoutingPolicies.View", "RoutingPolicies.Edit", "HoursOfOperation.Edit"),
        {"Owner": "wfm"},
    ),
)


@dataclass(frozen=True)
class QueueConfig:
    queue: str
    channel: str
    priority: int
    delay: int


@dataclass(frozen=True)
class RoutingProfileSpec:
    name: str
    bu: str | None
    description: str
    default_outbound_queue: str
    concurrency: dict[str, int]  # channel -> concurrency (VOICE is always 1 in Connect)
    queue_configs: tuple[QueueConfig, ...]
    tags: dict[str, str] = field(default_factory=dict)
    # Queues agents pick contacts from themselves (manual assignment): (queue, channel).
    manual_queues: tuple[tuple[str, str], ...] = ()


def _configs(channel: str, queues: Sequence[str], *, priority: int = 1, delay: int = 0) -> tuple[QueueConfig, ...]:
    return tuple(QueueConfig(q, channel, priority, delay) for q in queues)


MANY_QUEUES_ROUTING_PROFILE = "Support Omnichannel"
# Every queue on VOICE plus eight on CHAT: 25 configs, more than the 10 CreateRoutingProfile takes.
_OMNI_CONFIGS = tuple(
    QueueConfig(q.name, "VOICE", 1 + i % 3, 0 if i % 3 == 0 else 30) for i, q in enumerate(DEMO_QUEUES)
) + tuple(QueueConfig(q.name, "CHAT", 2, 15) for q in DEMO_QUEUES[:8])

DEMO_ROUTING_PROFILES: tuple[RoutingProfileSpec, ...] = (
    RoutingProfileSpec(
        "Sales Agents",
        "Sales",
        "Inbound and outbound sales",
        "Q_QC_Sales_Outbound",
        {"VOICE": 1, "CHAT": 2},
        _configs("VOICE", ["Q_QC_Sales_Inbound", "Q_QC_Sales_Outbound", "Sales_Renewals", "Q_QC_Sales_Callback"])
        + _configs("CHAT", ["Sales_Chat"], priority=2, delay=10),
        _bu("Sales", 0),
    ),
    RoutingProfileSpec(
        "Sales Chat Specialists",
        "Sales",
        "Chat-first sales agents",
        "Q_QC_Sales_Inbound",
        {"VOICE": 1, "CHAT": 4, "TASK": 2},
        _configs("CHAT", ["Sales_Chat", "Q_QC_Sales_Inbound"])
        + _configs("VOICE", ["Q_QC_Sales_Callback"], priority=3, delay=60),
        _bu("Sales", 2),
    ),
    RoutingProfileSpec(
        "Support Tier 1",
        "Support",
        "First-line support",
        MANY_QUICK_CONNECTS_QUEUE,
        {"VOICE": 1, "CHAT": 3, "TASK": 5},
        _configs("VOICE", [MANY_QUICK_CONNECTS_QUEUE, "Q_QC_Support_Priority"])
        + _configs("CHAT", ["Support_Chat"])
        + _configs("TASK", ["Support_Tasks"], priority=5, delay=120),
        _bu("Support", 3),
        manual_queues=(("Q_QC_Support_Priority", "TASK"),),
    ),
    RoutingProfileSpec(
        MANY_QUEUES_ROUTING_PROFILE,
        "Support",
        "Senior agents who cover every queue",
        MANY_QUICK_CONNECTS_QUEUE,
        {"VOICE": 1, "CHAT": 3, "TASK": 3},
        _OMNI_CONFIGS,
        _bu("Support", 1),
    ),
    RoutingProfileSpec(
        "Billing Agents",
        "Billing",
        "Billing enquiries and collections",
        "Q_QC_Billing_Collections",
        {"VOICE": 1, "TASK": 3},
        _configs("VOICE", ["Q_QC_Billing_Inbound", "Billing_Disputes", "Billing_Payments", "Q_QC_Billing_Collections"])
        + _configs("TASK", ["Billing_Disputes"], priority=2, delay=0),
        _bu("Billing", 3),
        manual_queues=(("Billing_Payments", "TASK"), ("Billing_Disputes", "CHAT")),
    ),
    RoutingProfileSpec(
        "Overflow Agents",
        None,
        "Temporary staff for peaks",
        "Q_QC_Overflow",
        {"VOICE": 1},
        _configs("VOICE", ["Q_QC_Overflow", "General_Enquiries", "Reception_Desk"]),
        {"Owner": "wfm"},
    ),
)


@dataclass(frozen=True)
class AgentStatusSpec:
    name: str
    description: str
    state: str = "ENABLED"


DEMO_AGENT_STATUSES: tuple[AgentStatusSpec, ...] = (
    AgentStatusSpec("Lunch", "Lunch break"),
    AgentStatusSpec("Training", "In a training session"),
    AgentStatusSpec("Meeting", "Team meeting"),
    AgentStatusSpec("Coaching", "One-to-one coaching"),
    AgentStatusSpec("Project Work", "Off the phones for project work", "DISABLED"),
)

# The source's one customer-managed view, published: the page agents see once a caller is looked up (a view
# template is JSON text, a head and components; its buttons raise the view's actions).
DEMO_VIEW_TEMPLATE = {
    "Head": {"Title": "Customer Lookup", "Configuration": {"Layout": {"Columns": ["12"]}}},
    "Body": [
        {"_id": "account", "Type": "AttributeBar", "Props": {"Attributes": [{"Label": "Account", "Value": "$.Id"}]}},
        {"_id": "confirm", "Type": "Button", "Props": {"Action": "Confirm"}, "Content": ["Confirm caller"]},
        {"_id": "search", "Type": "Button", "Props": {"Action": "SearchAgain"}, "Content": ["Search again"]},
    ],
}


# Predefined attributes for skills-based routing: (name, values, validate values on association).
DEMO_PREDEFINED_ATTRIBUTES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Language", ("English", "Spanish", "French", "German"), True),
    ("Product", ("Broadband", "Mobile", "TV", "Insurance", "Payments"), False),
    ("Certification", ("PCI", "GDPR", "Complaints"), True),
)
# Each business unit's products; most agents are proficient in one or two of them, and in languages.
BU_PRODUCTS: dict[str, tuple[str, ...]] = {
    "Sales": ("Broadband", "Mobile", "TV"),
    "Support": ("Broadband", "Mobile", "TV", "Insurance"),
    "Billing": ("Payments", "Insurance"),
}
PROFICIENT_SHARE = 0.85


@dataclass(frozen=True)
class PromptSpec:
    name: str
    description: str
    # The audio is a tone (Hz, seconds): small, valid 8 kHz mono WAV, the same bytes every time.
    frequency: int
    seconds: float
    tags: dict[str, str] = field(default_factory=dict)


# The source's own prompts (the target has Amazon's defaults only), in the source bundle with their audio
# inline (`demo_prompt_items`): its flows play them, so the bundle holds what its flows name.
DEMO_PROMPTS: tuple[PromptSpec, ...] = (
    PromptSpec("Acme Welcome", "Greeting at the top of the main menu", 440, 0.5, {"Owner": "cx-team"}),
    PromptSpec("Acme Closed Message", "Played outside opening hours", 330, 0.5, {"Owner": "cx-team"}),
    PromptSpec("Acme Hold Music", "Music while a caller is on hold", 523, 0.5, _bu("Support", 0)),
    PromptSpec("Acme Callback Offer", "Offers a callback instead of waiting", 392, 0.5, _bu("Sales", 0)),
)


def demo_prompt_items() -> list[dict[str, Any]]:
    """DEMO_PROMPTS as bundle items for `from_bundle.load`, each with its WAV audio in `audio_base64`."""
    return [
        {
            "name": spec.name,
            "description": spec.description,
            "tags": dict(spec.tags),
            "audio_base64": base64.b64encode(wav.tone(spec.frequency, spec.seconds)).decode(),
        }
        for spec in DEMO_PROMPTS
    ]


@dataclass(frozen=True)
class UserProfileMix:
    """How the users of one business unit are drawn."""

    bu: str
    weight: int
    routing_profiles: tuple[tuple[str, int], ...]  # (name, weight)
    # Every agent has the default `Agent` profile; each of these is added with its probability,
    # which gives 1-3 security profiles per user.
    extra_security_profiles: tuple[tuple[str, float], ...]


DEMO_USER_MIX: tuple[UserProfileMix, ...] = (
    UserProfileMix(
        "Sales",
        4,
        (("Sales Agents", 8), ("Sales Chat Specialists", 2)),
        (("Sales Supervisor", 0.1), ("QualityAnalyst", 0.05)),
    ),
    UserProfileMix(
        "Support",
        4,
        (("Support Tier 1", 7), (MANY_QUEUES_ROUTING_PROFILE, 3)),
        (("Support Agent Plus", 0.4), ("CallCenterManager", 0.05)),
    ),
    UserProfileMix("Billing", 2, (("Billing Agents", 1),), (("Billing Auditor", 0.2), ("Workforce Planner", 0.05))),
)
DEFAULT_AGENT_SECURITY_PROFILE = "Agent"  # created by the domain with every instance
SUPERVISOR_PROFILES = frozenset({"Sales Supervisor", "CallCenterManager", "Workforce Planner"})

FIRST_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Steven", "Sandra",
    "Paul", "Ashley", "Andrew", "Emily", "Joshua", "Michelle", "Kevin", "Amanda", "Brian", "Melissa",
    "Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia", "Jack", "Freya",
    "Mohammed", "Fatima", "Ahmed", "Aisha", "Omar", "Layla", "Wei", "Mei", "Hiroshi", "Yuki",
    "Raj", "Priya", "Arjun", "Ananya", "Carlos", "María", "José", "Lucía", "Pedro", "Sofía",
    "Lukas", "Anna", "Jonas", "Zoë", "Mateo", "Chloé", "François", "Léa", "Søren", "Ingrid",
    "Siobhan", "Niamh", "Ciarán", "Aoife", "Kwame", "Ama", "Chinedu", "Ngozi", "Tomasz", "Agnieszka",
    "Dmitri", "Olga", "Kai", "Leilani", "Mateus", "Beatriz", "Ali", "Zeynep", "Thanh", "Linh",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Patel", "Shah", "Singh", "Kumar", "Khan", "Ahmed", "Chen", "Wang", "Li", "Zhang",
    "Tanaka", "Suzuki", "Kim", "Park", "O'Brien", "O'Connor", "Murphy", "Kelly", "McDonald", "MacLeod",
    "Müller", "Schmidt", "Schneider", "Fischer", "Dubois", "Lefèvre", "Rossi", "Russo", "Nowak", "Kowalski",
    "Jensen", "Nielsen", "Larsson", "Andersson", "Okafor", "Mensah", "Adeyemi", "Silva", "Santos", "Oliveira",
    "Ivanov", "Petrova", "Yilmaz", "Demir", "Cohen", "Levi", "Smith-Jones", "Ellis-Bextor", "da Costa", "van Dijk",
    "Evans", "Hughes", "Price", "Morgan", "Griffiths", "Campbell", "Stewart", "Fraser", "Reid", "Baker",
)  # fmt: skip
EMAIL_DOMAIN = "acme.example.com"

QUICK_CONNECT_USERS = 20  # USER quick connects point at this many users (fewer if fewer users)
PARTNER_LINES = (
    "Head Office Reception", "Field Engineering", "Courier Desk", "Legal Hotline", "IT Service Desk",
    "Fraud Team", "Collections Agency", "Warranty Partner", "Insurance Partner", "Payments Processor",
    "Logistics Partner", "Returns Centre", "Installer Network", "Translation Service", "Escalations Manager",
    "Credit Control", "Facilities", "HR Helpline", "Security Desk", "Marketing Agency",
    "Retail Store London", "Retail Store Manchester", "Retail Store New York", "Retail Store Austin",
    "Retail Store Dublin", "Retail Store Berlin", "Retail Store Paris", "Retail Store Madrid",
    "Retail Store Toronto", "Retail Store Sydney",
)  # fmt: skip

# The demo as bundles: `data/demo-source.bundle.json` and `data/demo-target.bundle.json` are these
# generators' output for DEMO_BUNDLE_USERS and DEMO_BUNDLE_SEED (a unit test keeps them equal);
# `python -m connect_emulator demo-bundle` writes them again after a change to the data above.
DEMO_BUNDLE_USERS = 200
DEMO_BUNDLE_SEED = 7
DEMO_BUNDLE_FILES = {"source": "data/demo-source.bundle.json", "target": "data/demo-target.bundle.json"}
# Fixed, so the same seed gives the same file: the demo bundle is data, not a snapshot of a moment.
DEMO_EXPORTED_AT = "2026-01-01T00:00:00Z"
BUNDLE_FORMAT_VERSION = 1


# --------------------------------------------------------------------------------------------------
# Generating the demo bundles
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _User:
    username: str
    first: str
    last: str
    bu: str


class _Generator:
    """Writes the scenario data above as bundle items (names, not IDs), drawing the random parts.

    Each random stream is consumed in the order the seed has always consumed it (the integration
    tests and docs quote the names it yields), including draws whose result the bundle does not keep.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def stream(self, topic: str) -> random.Random:
        # A string seed is hashed with SHA-512 by `random`, so this is stable across processes and
        # independent of PYTHONHASHSEED.
        return random.Random(f"{self.seed}/{topic}")

    @staticmethod
    def bundle(alias: str, region: str, resources: dict[str, Any], instance_arn: str | None = None) -> dict[str, Any]:
        source = {"region": region, "instance_alias": alias, "identity_management_type": IDENTITY_MANAGEMENT_TYPE}
        if instance_arn is not None:
            source["instance_arn"] = instance_arn
        return {
            "format_version": BUNDLE_FORMAT_VERSION,
            "source": source,
            "exported_at": DEMO_EXPORTED_AT,
            "resources": resources,
        }

    def source(self, users: int) -> dict[str, Any]:
        # Imported here: demo_flows takes its names from this module.
        from connect_emulator import demo_flows

        numbers = self.phone_numbers("source", DEMO_SOURCE_PHONE_NUMBERS)
        created = self.users(users)
        self.skills_and_contacts(created)
        quick_connects = self.quick_connects(created)
        # The support transfer falls back to a duty manager: the first support agent, when there is one.
        duty_manager = next((person.username for _, person in created if person.bu == "Support"), None)
        described = {spec.name: (spec.description, spec.status) for spec in DEMO_CONTACT_FLOWS}
        described.update({spec.name: (spec.description, "PUBLISHED") for spec in DEMO_FLOW_MODULES})
        documents = demo_flows.documents(described, duty_manager)
        return self.bundle(
            DEMO_SOURCE_ALIAS,
            DEMO_SOURCE_REGION,
            {
                "hours_of_operations": [self.hours(spec) for spec in DEMO_HOURS],
                "predefined_attributes": [
                    {
                        "name": name,
                        "values": {"string_list": list(values)},
                        "attribute_configuration": {"enable_value_validation_on_association": validated},
                    }
                    for name, values, validated in DEMO_PREDEFINED_ATTRIBUTES
                ],
                "prompts": demo_prompt_items(),
                "lambda_functions": [{"name": name, "arn": lambda_arn(name)} for name in DEMO_LAMBDA_FUNCTIONS],
                "lex_bots": [
                    {"name": DEMO_LEX_V2_BOT, "lex_version": "V2", "arn": lex_v2_alias_arn()},
                    {"name": DEMO_LEX_V1_BOT, "lex_version": "V1", "lex_region": DEMO_SOURCE_REGION},
                ],
                "contact_flows": [self.contact_flow(spec, documents.get(spec.name)) for spec in DEMO_CONTACT_FLOWS],
                "contact_flow_modules": [self.flow_module(spec, documents[spec.name]) for spec in DEMO_FLOW_MODULES],
                "phone_numbers": numbers,
                "security_profiles": [self.security_profile(spec) for spec in DEMO_SECURITY_PROFILES]
                + self.default_security_profiles([u for u, _ in created]),
                "user_hierarchy": self.hierarchy(),
                "queues": self.queues(numbers, quick_connects),
                "routing_profiles": [self.routing_profile(spec) for spec in DEMO_ROUTING_PROFILES],
                "agent_statuses": [self.agent_status(spec) for spec in DEMO_AGENT_STATUSES],
                "users": [u for u, _ in created],
                "quick_connects": quick_connects,
                "views": [
                    {
                        "name": "Customer Lookup",
                        "description": "The caller's account, to confirm or search again",
                        "status": "PUBLISHED",
                        "content": {"template": json.dumps(DEMO_VIEW_TEMPLATE), "actions": ["Confirm", "SearchAgain"]},
                        "tags": _bu("Support", 3),
                    },
                    # Never published: Amazon's DescribeView finds it only as `ID:$SAVED`.
                    {
                        "name": "Refund Request Draft",
                        "description": "A form the billing team is still designing",
                        "status": "SAVED",
                        "content": {
                            "template": json.dumps({**DEMO_VIEW_TEMPLATE, "Head": {"Title": "Refund request"}}),
                            "actions": ["Submit"],
                        },
                        "tags": _bu("Billing", 0),
                    },
                ],
            },
            demo_flows.ORIGINAL_INSTANCE_ARN,
        )

    def target(self, shared: dict[str, Any]) -> dict[str, Any]:
        # The ported number is claimed without a description or tags of its own.
        numbers = [*self.phone_numbers("target", DEMO_TARGET_PHONE_NUMBERS), {"phone_number": shared["phone_number"]}]
        return self.bundle(
            DEMO_TARGET_ALIAS,
            DEMO_TARGET_REGION,
            {
                "contact_flows": [self.contact_flow(spec) for spec in DEMO_CONTACT_FLOWS if spec.in_target],
                "phone_numbers": numbers,
            },
        )

    # -- items ---------------------------------------------------------------------------------------

    @staticmethod
    def hours(spec: HoursSpec) -> dict[str, Any]:
        config = [
            {
                "day": day,
                "start_time": {"hours": spec.start[0], "minutes": spec.start[1]},
                "end_time": {"hours": spec.end[0], "minutes": spec.end[1]},
            }
            for day in spec.days
        ]
        item = {
            "name": spec.name,
            "description": spec.description,
            "time_zone": spec.time_zone,
            "config": config,
            "tags": dict(spec.tags),
        }
        overrides = [_override(o) for o in DEMO_HOURS_OVERRIDES.get(spec.name, ())]
        if overrides:
            item["overrides"] = overrides
        return item

    @staticmethod
    def contact_flow(spec: FlowSpec, document: demo_flows.Document | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "name": spec.name,
            "type": spec.type,
            "description": spec.description,
            "status": spec.status,
            "content": flow_content(spec) if document is None else document.content(),
            "tags": dict(spec.tags),
        }
        if document is not None:
            item["references"] = document.references()
        return item

    @staticmethod
    def flow_module(spec: FlowModuleSpec, document: demo_flows.Document) -> dict[str, Any]:
        return {
            "name": spec.name,
            "description": spec.description,
            "status": "PUBLISHED",
            "content": document.content(),
            "tags": dict(spec.tags),
            "references": document.references(),
        }

    def phone_numbers(self, role: str, specs: Sequence[PhoneNumberSpec]) -> list[dict[str, Any]]:
        # Numbers are drawn here rather than from SearchAvailablePhoneNumbers so they depend on the
        # seed alone, not on the emulator's inventory.
        rng = self.stream(f"phone-numbers/{role}")
        out = []
        for spec in specs:
            item: dict[str, Any] = {
                "phone_number": _e164(rng, spec.prefix, spec.digits),
                "country_code": spec.country,
                "type": spec.type,
                "description": spec.description,
                "tags": dict(spec.tags),
            }
            if spec.inbound_flow is not None:
                item["contact_flow"] = spec.inbound_flow
            out.append(item)
        return out

    @staticmethod
    def security_profile(spec: SecurityProfileSpec) -> dict[str, Any]:
        item: dict[str, Any] = {
            "name": spec.name,
            "description": spec.description,
            "permissions": list(spec.permissions),
            "tags": dict(spec.tags),
        }
        # Only the members a profile has, so the bundle shows both shapes.
        if spec.access_control_tags:
            item["allowed_access_control_tags"] = dict(spec.access_control_tags)
        if spec.tag_restricted_resources:
            item["tag_restricted_resources"] = list(spec.tag_restricted_resources)
        if spec.hierarchy_group:
            item["allowed_access_control_hierarchy_group"] = spec.hierarchy_group
            item["hierarchy_restricted_resources"] = list(spec.hierarchy_restricted_resources)
        if spec.applications:
            item["applications"] = [
                {"namespace": namespace, "application_permissions": list(permissions)}
                for namespace, permissions in spec.applications
            ]
        return item

    @staticmethod
    def default_security_profiles(users: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """The instance's own profiles the users hold: a bundle holds what its users refer to.

        A load finds them in the new instance by name and leaves them as Amazon created them."""
        from connect_emulator.domain.defaults import SECURITY_PROFILES

        held = {name for user in users for name in user["security_profiles"]}
        return [
            {"name": name, "permissions": list(permissions), "tags": {}}
            for name, permissions in SECURITY_PROFILES.items()
            if name in held
        ]

    @staticmethod
    def hierarchy() -> dict[str, Any]:
        groups = []
        for i, (path, bu) in enumerate(DEMO_HIERARCHY_GROUPS):
            level = {"Level": DEMO_HIERARCHY_LEVELS[len(path) - 1]}
            groups.append({"path": "/".join(path), "tags": _bu(bu, i % 4, **level) if bu else level})
        return {"levels": list(DEMO_HIERARCHY_LEVELS), "groups": groups}

    def queues(
        self, numbers: Sequence[dict[str, Any]], quick_connects: Sequence[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_key = {spec.key: item["phone_number"] for spec, item in zip(DEMO_SOURCE_PHONE_NUMBERS, numbers, strict=True)}
        offered = self.queue_quick_connects([qc["name"] for qc in quick_connects])
        out = []
        for spec in DEMO_QUEUES:
            item: dict[str, Any] = {
                "name": spec.name,
                "description": spec.description,
                "hours_of_operation": spec.hours,
            }
            if spec.max_contacts is not None:
                item["max_contacts"] = spec.max_contacts
            caller: dict[str, str] = {}
            if spec.caller_id_name:
                caller["outbound_caller_id_name"] = spec.caller_id_name
            if spec.caller_id_number:
                caller["outbound_caller_id_number"] = by_key[spec.caller_id_number]
            if spec.outbound_flow:
                caller["outbound_flow"] = spec.outbound_flow
            if caller:
                item["outbound_caller_config"] = caller
            item["tags"] = dict(spec.tags)
            item["quick_connects"] = offered.get(spec.name, [])
            out.append(item)
        return out

    @staticmethod
    def queue_quick_connects(names: Sequence[str]) -> dict[str, list[str]]:
        plan: dict[str, list[str]] = {MANY_QUICK_CONNECTS_QUEUE: list(names[:MANY_QUICK_CONNECTS])}
        # Every other BU queue offers its BU's queue transfers and the main menu: a handful each.
        for spec in DEMO_QUEUES:
            if spec.name in plan or spec.bu is None:
                continue
            plan[spec.name] = [f"Queue {q.name}" for q in DEMO_QUEUES if q.bu == spec.bu and q is not spec]
            plan[spec.name].append("Main Menu")
        return plan

    @staticmethod
    def routing_profile(spec: RoutingProfileSpec) -> dict[str, Any]:
        return {
            "name": spec.name,
            "description": spec.description,
            "default_outbound_queue": spec.default_outbound_queue,
            "media_concurrencies": [{"channel": channel, "concurrency": n} for channel, n in spec.concurrency.items()],
            "queue_configs": [
                {"queue": c.queue, "channel": c.channel, "priority": c.priority, "delay": c.delay}
                for c in spec.queue_configs
            ],
            "tags": dict(spec.tags),
            **(
                {"manual_assignment_queue_configs": [{"queue": q, "channel": c} for q, c in spec.manual_queues]}
                if spec.manual_queues
                else {}
            ),
        }

    @staticmethod
    def agent_status(spec: AgentStatusSpec) -> dict[str, Any]:
        return {"name": spec.name, "description": spec.description, "type": "CUSTOM", "state": spec.state, "tags": {}}

    def users(self, count: int) -> list[tuple[dict[str, Any], _User]]:
        rng = self.stream("users")
        teams = {
            bu: ["/".join(path) for path, group_bu in DEMO_HIERARCHY_GROUPS if group_bu == bu] for bu in BUSINESS_UNITS
        }
        mixes = list(DEMO_USER_MIX)
        mix_weights = [m.weight for m in mixes]
        taken: set[str] = set()
        users: list[tuple[dict[str, Any], _User]] = []
        for _ in range(count):
            mix = rng.choices(mixes, mix_weights)[0]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            username, number = _username(rng, first, last, taken)
            profile_names, profile_weights = zip(*mix.routing_profiles, strict=True)
            routing_profile = rng.choices(profile_names, profile_weights)[0]
            profiles = [DEFAULT_AGENT_SECURITY_PROFILE]
            profiles += [name for name, p in mix.extra_security_profiles if rng.random() < p]
            desk = rng.random() < 0.3
            phone: dict[str, Any] = {
                "phone_type": "DESK_PHONE" if desk else "SOFT_PHONE",
                "auto_accept": rng.random() < 0.2,
                "after_contact_work_time_limit": rng.choice((0, 10, 15, 30, 60, 120, 180)),
            }
            if desk:
                phone["desk_phone_number"] = _e164(
                    rng, rng.choice(("+1212555", "+1646555", "+44161496", "+44117496")), 4
                )
            identity: dict[str, str] = {
                "first_name": first,
                "last_name": last,
                "email": f"{_ascii(first)}.{_ascii(last)}{number}@{EMAIL_DOMAIN}",
            }
            if rng.random() < 0.25:
                identity["mobile"] = _e164(rng, "+1202555", 4)
            key, value = rng.choice(BU_TAG_VARIANTS[mix.bu])
            tags = {key: value, "Role": "Supervisor" if SUPERVISOR_PROFILES.intersection(profiles) else "Agent"}
            # The password is drawn before the team, as the seed always has.
            password = _password(rng)
            user = {
                "username": username,
                "password": password,
                "identity_info": identity,
                "phone_config": phone,
                "routing_profile": routing_profile,
                "security_profiles": profiles,
                "hierarchy_group": rng.choice(teams[mix.bu]),
                "tags": tags,
            }
            users.append((user, _User(username, first, last, mix.bu)))
        return users

    def skills_and_contacts(self, users: Sequence[tuple[dict[str, Any], _User]]) -> None:
        """Proficiencies on most agents and a second e-mail on some, drawn from their own streams.

        Their own streams, so adding them left every other member of the seed as it was."""
        rng = self.stream("proficiencies")
        contacts = self.stream("secondary-email")
        for user, person in users:
            if rng.random() < PROFICIENT_SHARE:
                held = [("Language", "English", rng.choice((3.0, 4.0, 5.0)))]
                if rng.random() < 0.2:
                    held.append(("Language", rng.choice(("Spanish", "French", "German")), rng.choice((2.0, 3.0, 4.0))))
                for product in rng.sample(BU_PRODUCTS[person.bu], rng.choice((1, 2))):
                    held.append(("Product", product, float(rng.randint(1, 5))))
                if rng.random() < 0.1:
                    held.append(("Certification", rng.choice(("PCI", "GDPR", "Complaints")), 5.0))
                user["proficiencies"] = [
                    {"attribute_name": name, "attribute_value": value, "level": level} for name, value, level in held
                ]
            if contacts.random() < 0.1:
                user["identity_info"]["secondary_email"] = (
                    f"{_ascii(person.first)}.{_ascii(person.last)}@{EMAIL_DOMAIN}"
                )

    def quick_connects(self, users: Sequence[tuple[dict[str, Any], _User]]) -> list[dict[str, Any]]:
        """One quick connect of every type, in creation order."""
        made: list[dict[str, Any]] = []
        for spec in DEMO_QUEUES:
            transfer = SUPPORT_TRANSFER_FLOW if spec.bu == "Support" else QUEUE_TRANSFER_FLOW
            config = {"quick_connect_type": "QUEUE", "queue_config": {"queue": spec.name, "contact_flow": transfer}}
            made.append({"name": f"Queue {spec.name}", "quick_connect_config": config, "tags": dict(spec.tags)})
        made.append(
            {
                "name": "Main Menu",
                "quick_connect_config": {"quick_connect_type": "FLOW", "flow_config": {"contact_flow": MAIN_IVR_FLOW}},
                "tags": {"Owner": "cx-team"},
            }
        )
        rng = self.stream("quick-connects")
        people = [person for _, person in users]
        for user in rng.sample(people, min(QUICK_CONNECT_USERS, len(people))):
            config = {
                "quick_connect_type": "USER",
                "user_config": {"user": user.username, "contact_flow": AGENT_TRANSFER_FLOW},
            }
            made.append(
                {
                    "name": f"Agent {user.first} {user.last} ({user.username})",
                    "quick_connect_config": config,
                    "tags": _bu(user.bu, 0),
                }
            )
        # External numbers top the list up so one queue can always carry MANY_QUICK_CONNECTS.
        wanted = max(len(PARTNER_LINES), MANY_QUICK_CONNECTS + 2 - len(made))
        for i in range(wanted):
            label = PARTNER_LINES[i % len(PARTNER_LINES)]
            name = label if i < len(PARTNER_LINES) else f"{label} {i // len(PARTNER_LINES) + 1}"
            number = _e164(rng, rng.choice(("+1202555", "+1312555", "+44161496", "+44113496")), 4)
            config = {"quick_connect_type": "PHONE_NUMBER", "phone_config": {"phone_number": number}}
            made.append({"name": name, "quick_connect_config": config, "tags": {}})
        return made


def generate_demo_bundles(*, users: int = DEMO_BUNDLE_USERS, seed: int = DEMO_BUNDLE_SEED) -> dict[str, dict[str, Any]]:
    """The demo's source and target instances as bundles: {"source": bundle, "target": bundle}."""
    if users < 0:
        raise ValueError("users must be zero or more")
    generator = _Generator(seed)
    source = generator.source(users)
    shared = next(
        item
        for spec, item in zip(DEMO_SOURCE_PHONE_NUMBERS, source["resources"]["phone_numbers"], strict=True)
        if spec.key == SHARED_PHONE_NUMBER_KEY
    )
    return {"source": source, "target": generator.target(shared)}


def demo_bundles(*, users: int = DEMO_BUNDLE_USERS, seed: int = DEMO_BUNDLE_SEED) -> dict[str, dict[str, Any]]:
    """The demo bundles: the committed files for the default demo, generated for any other size or seed."""
    if (users, seed) != (DEMO_BUNDLE_USERS, DEMO_BUNDLE_SEED):
        return generate_demo_bundles(users=users, seed=seed)
    from importlib import resources

    package = resources.files("connect_emulator")
    return {role: json.loads(package.joinpath(path).read_text("utf-8")) for role, path in DEMO_BUNDLE_FILES.items()}


def bundle_text(bundle: dict[str, Any]) -> str:
    """A bundle as the collection's export writes it."""
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"


def write_demo_bundles(
    directory: Path | None = None, *, users: int = DEMO_BUNDLE_USERS, seed: int = DEMO_BUNDLE_SEED
) -> list[Path]:
    """Write the generated demo bundles (by default over the committed files); returns their paths."""
    base = Path(__file__).parent if directory is None else Path(directory)
    written = []
    for role, bundle in generate_demo_bundles(users=users, seed=seed).items():
        path = base / (DEMO_BUNDLE_FILES[role] if directory is None else Path(DEMO_BUNDLE_FILES[role]).name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bundle_text(bundle), encoding="utf-8")
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------------
# Seeding: the bundles loaded by the emulator's one bundle loader
# --------------------------------------------------------------------------------------------------


def _phone_number_keys(specs: Sequence[PhoneNumberSpec], bundle: dict[str, Any]) -> dict[str, str]:
    """Spec key -> E.164 of the numbers a bundle holds (each spec's description is unique)."""
    by_description = {
        item["description"]: item["phone_number"]
        for item in bundle["resources"].get("phone_numbers", [])
        if item.get("description")
    }
    return {spec.key: by_description[spec.description] for spec in specs}


def _summary(
    instance: from_bundle.Instance, loaded: from_bundle.Loaded | None, numbers: dict[str, str]
) -> dict[str, Any]:
    counts = loaded.counts if loaded is not None else {}
    return {
        "instance_id": instance.id,
        "instance_arn": instance.arn,
        "alias": instance.alias,
        "region": instance.region,
        "account_id": instance.account_id,
        "identity_management_type": instance.identity_management_type,
        "counts": {kind: n for kind, n in sorted(counts.items()) if n},
        "phone_numbers": numbers,
    }


def seed(
    emulator: Emulator,
    *,
    scenario: str = "demo",
    users: int = DEMO_BUNDLE_USERS,
    seed: int = DEMO_BUNDLE_SEED,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> dict[str, Any]:
    """Create the scenario's instances and load the demo bundles into them through `emulator.call`.

    Returns {"scenario", "seed", "account_id", "source": {...}, "target": {...}} where each side has
    instance_id, instance_arn, alias, region, account_id, identity_management_type, counts (created
    resources by type) and phone_numbers (key -> E.164).
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    if users < 0:
        raise ValueError("users must be zero or more")
    bundles = demo_bundles(users=users, seed=seed) if scenario == "demo" else None
    source = from_bundle.create_instance(
        emulator,
        region=DEMO_SOURCE_REGION,
        alias=DEMO_SOURCE_ALIAS,
        identity_management_type=IDENTITY_MANAGEMENT_TYPE,
        account_id=account_id,
    )
    target = from_bundle.create_instance(
        emulator,
        region=DEMO_TARGET_REGION,
        alias=DEMO_TARGET_ALIAS,
        identity_management_type=IDENTITY_MANAGEMENT_TYPE,
        account_id=account_id,
    )
    result: dict[str, Any] = {"scenario": scenario, "seed": seed, "account_id": account_id}
    if bundles is None:
        result["source"] = _summary(source, None, {})
        result["target"] = _summary(target, None, {})
        return result
    # Quotas first, on both sides: the target gets the source's users headroom too, so a rehearsal
    # can migrate every user.
    from_bundle.raise_quotas(emulator, source, from_bundle.quota_needs(bundles["source"]))
    target_needs = from_bundle.quota_needs(bundles["target"])
    from_bundle.raise_quotas(emulator, target, {**target_needs, "users": max(users, target_needs["users"])})
    loaded_source = from_bundle.load(emulator, bundles["source"], source)
    loaded_target = from_bundle.load(emulator, bundles["target"], target)
    emulator.put_object(
        account_id,
        DEMO_TARGET_REGION,
        DEMO_PROMPT_BUCKET,
        "README.txt",
        b"Prompts' audio for acme-contact-centre-eu.\n",
    )
    source_numbers = _phone_number_keys(DEMO_SOURCE_PHONE_NUMBERS, bundles["source"])
    target_numbers = _phone_number_keys(DEMO_TARGET_PHONE_NUMBERS, bundles["target"])
    target_numbers[SHARED_PHONE_NUMBER_KEY] = source_numbers[SHARED_PHONE_NUMBER_KEY]
    result["source"] = _summary(source, loaded_source, source_numbers)
    result["target"] = _summary(target, loaded_target, target_numbers)
    return result


def describe_seed(result: dict[str, Any]) -> str:
    """The summary the server CLI prints after seeding (the framework prints the endpoint)."""
    lines = [f"Seeded scenario {result.get('scenario', '?')!r} (seed {result.get('seed', '?')})"]
    for role in ("source", "target"):
        side = result[role]
        lines.append(
            f"  {role}: {side['alias']}  region={side['region']}  id={side['instance_id']}"
            f"  ({side['identity_management_type']})"
        )
        counts = side.get("counts") or {}
        # In the order a load creates them, so the summary reads like the migration it prepares.
        order = from_bundle.COUNT_ORDER
        kinds = [k for k in order if k in counts] + sorted(set(counts) - set(order))
        shown = [f"{counts[kind]} {kind.replace('_', ' ')}" for kind in kinds]
        lines += _wrap(shown or ["instance defaults only"])
        numbers = side.get("phone_numbers") or {}
        if numbers:
            lines += _wrap([f"{k}={v}" for k, v in numbers.items()], lead="phone numbers: ")
    return "\n".join(lines)


def _wrap(items: Sequence[str], lead: str = "", width: int = 100) -> list[str]:
    """Comma-separated items on lines of at most `width`, never splitting an item."""
    lines, line = [], "    " + lead
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if line.strip() and len(line) + 1 + len(piece) > width:
            lines.append(line.rstrip())
            line = "    " + " " * len(lead)
        line += ("" if line.endswith((" ", ": ")) or not line.strip() else " ") + piece
    lines.append(line.rstrip())
    return lines


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def flow_content(spec: FlowSpec) -> str:
    """A small, valid flow-language document for the flow's type.

    Identifiers derive from the flow name (uuid5), so a flow of the same name has the same content in
    source and target and a migration sees no spurious difference.
    """

    def ident(step: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ccaas-connect-seed/{spec.name}/{step}"))

    greet, route, end = ident("greet"), ident("route"), ident("end")
    errors = [{"NextAction": end, "ErrorType": "NoMatchingError"}]
    actions: list[dict[str, Any]] = [
        {
            "Identifier": greet,
            "Type": "MessageParticipant",
            "Parameters": {"Text": f"{spec.description}."},
            "Transitions": {"NextAction": route if spec.type.endswith("_TRANSFER") else end, "Errors": errors},
        }
    ]
    if spec.type.endswith("_TRANSFER"):
        actions.append(
            {
                "Identifier": route,
                "Type": "TransferContactToQueue",
                "Parameters": {},
                "Transitions": {
                    "NextAction": end,
                    "Errors": [
                        {"NextAction": end, "ErrorType": "QueueAtCapacity"},
                        {"NextAction": end, "ErrorType": "NoMatchingError"},
                    ],
                },
            }
        )
    # Whisper flows end by handing the contact back; every other type hangs up at the end.
    final = "EndFlowExecution" if spec.type.endswith("_WHISPER") else "DisconnectParticipant"
    actions.append({"Identifier": end, "Type": final, "Parameters": {}, "Transitions": {}})
    return json.dumps({"Version": "2019-10-30", "StartAction": greet, "Actions": actions}, sort_keys=True)


def _e164(rng: random.Random, prefix: str, digits: int) -> str:
    return prefix + "".join(rng.choices(string.digits, k=digits))


def _username(rng: random.Random, first: str, last: str, taken: set[str]) -> tuple[str, str]:
    """`jdoe1234`: initial, surname, four digits; redrawn until unique in the instance."""
    stem = (_ascii(first)[:1] + _ascii(last))[:12]
    attempt = 0
    while True:
        # Four digits until a stem grows crowded (only with very many users), then more.
        width = 4 + attempt // 20
        number = f"{rng.randrange(10**width):0{width}d}"
        if stem + number not in taken:
            taken.add(stem + number)
            return stem + number, number
        attempt += 1


def _password(rng: random.Random) -> str:
    # Meets Connect's policy (8-64 chars, upper, lower and a digit); these never leave the emulator.
    chars = (
        rng.choices(string.ascii_lowercase, k=6)
        + rng.choices(string.ascii_uppercase, k=3)
        + rng.choices(string.digits, k=3)
        + [rng.choice("!#%*+-=?@")]
    )
    rng.shuffle(chars)
    return "".join(chars)


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalpha())


def _time(hm: tuple[int, int]) -> dict[str, int]:
    return {"hours": hm[0], "minutes": hm[1]}


def _override(spec: OverrideSpec) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name": spec.name,
        "description": spec.description,
        "override_type": spec.override_type,
        "effective_from": spec.effective_from,
        "effective_till": spec.effective_till,
        "config": [{"day": day, "start_time": _time(a), "end_time": _time(b)} for day, a, b in spec.slots],
    }
    if spec.recurrence is not None:
        frequency, interval, months, days = spec.recurrence
        item["recurrence_config"] = {
            "recurrence_pattern": {
                "frequency": frequency,
                "interval": interval,
                "by_month": list(months),
                "by_month_day": list(days),
            }
        }
    return item
