"""What Amazon Connect creates in every new instance.

A fresh instance has the `Basic Hours` (open around the clock), the `BasicQueue`, the
`Basic Routing Profile`, the four predefined security profiles, the default and sample flows, the
`Available` and `Offline` agent statuses, the prompts Amazon ships (`Beep.wav`, hold and queue
music, ...), an empty user hierarchy and Amazon's own (AWS-managed) views, which views.py serves from
`AWS_MANAGED_VIEWS` rather than from the instance's tables. A migration has to recognise
these in the target rather than create them again, so the emulator seeds them too.
"""

from __future__ import annotations

import json
from functools import cache

from .. import wav
from . import misc, prompts, queues, routing, security
from .store import InstanceState, PhoneBook

DAYS = ("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")
BASIC_HOURS = "Basic Hours"
BASIC_QUEUE = "BasicQueue"
BASIC_ROUTING_PROFILE = "Basic Routing Profile"

# (name, type) of the flows a new instance lists.
FLOWS = (
    ("Default agent hold", "AGENT_HOLD"),
    ("Default agent whisper", "AGENT_WHISPER"),
    ("Default agent transfer", "AGENT_TRANSFER"),
    ("Default customer hold", "CUSTOMER_HOLD"),
    ("Default customer queue", "CUSTOMER_QUEUE"),
    ("Default customer whisper", "CUSTOMER_WHISPER"),
    ("Default outbound", "OUTBOUND_WHISPER"),
    ("Default queue transfer", "QUEUE_TRANSFER"),
    ("Sample inbound flow (first contact experience)", "CONTACT_FLOW"),
    ("Sample AB test", "CONTACT_FLOW"),
    ("Sample disconnect flow", "CONTACT_FLOW"),
    ("Sample interruptible queue flow with callback", "CUSTOMER_QUEUE"),
    ("Sample Lambda integration", "CONTACT_FLOW"),
    ("Sample note for screenpop", "CONTACT_FLOW"),
    ("Sample queue configurations flow", "CONTACT_FLOW"),
    ("Sample queue customer", "CONTACT_FLOW"),
    ("Sample recording behavior", "CONTACT_FLOW"),
    ("Sample secure input with no agent", "CONTACT_FLOW"),
)

# The prompts every new instance lists (as a real instance's ListPrompts shows them). Their audio here
# is a short tone of its own per prompt, not Amazon's recordings.
PROMPTS = (
    "Beep.wav",
    "CustomerHold.wav",
    "CustomerQueue.wav",
    "Music_Jazz_MyTimetoFly_Inst.wav",
    "Music_Pop_ThisAndThatIsLife_Inst.wav",
    "Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav",
    "Music_Rock_EverywhereTheSunShines_Inst.wav",
)


# The AWS-managed views every instance lists (views.py): (ARN name, display name, the actions they raise).
# Their ARN is Amazon's, not the instance's (`arn:aws:connect:REGION:aws:view/NAME`), and the same in every
# instance of a Region; they have one version, are read-only, and their template here is a small stand-in.
AWS_MANAGED_VIEWS = (
    ("cards", "Cards", ("Back", "Next")),
    ("confirmation", "Confirmation", ("Next",)),
    ("detail", "Detail", ("Back", "Next")),
    ("form", "Form", ("Cancel", "Submit")),
    ("list", "List", ("Back", "Next")),
)


@cache
def prompt_audio(name: str) -> bytes:
    """A tenth of a second of a tone whose pitch comes from the name: small, and the same every time."""
    return wav.tone(300 + sum(name.encode()) % 600, 0.1)


_ROUTING_ADMIN = [
    f"{area}.{verb}"
    for area in (
        "Users",
        "SecurityProfiles",
        "AgentGrouping",
        "AgentStates",
        "RoutingPolicies",
        "Queues",
        "TransferDestinations",
        "HoursOfOperation",
        "ContactFlows",
        "ContactFlowModules",
        "Prompts",
        "PhoneNumbers",
    )
    for verb in ("View", "Create", "Edit", "Delete")
]
_REPORTING = ["AccessMetrics", "MetricsReports.View", "ContactSearch.View", "ListenCallRecordings"]

SECURITY_PROFILES = {
    "Admin": [
        "BasicAgentAccess",
        "OutboundCallAccess",
        *_REPORTING,
        "DownloadCallRecordings",
        "ManagerListenIn",
        "ManagerBargeIn",
        *_ROUTING_ADMIN,
        "Users.EditPermission",
        "AuditReports.View",
    ],
    "Agent": ["BasicAgentAccess", "OutboundCallAccess"],
    "CallCenterManager": [
        "BasicAgentAccess",
        "OutboundCallAccess",
        *_REPORTING,
        "ManagerListenIn",
        "Users.View",
        "Users.Edit",
        "AgentGrouping.View",
        "AgentStates.View",
        "RoutingPolicies.View",
        "Queues.View",
        "TransferDestinations.View",
        "HoursOfOperation.View",
    ],
    "QualityAnalyst": [*_REPORTING, "ManagerListenIn", "Users.View", "Queues.View"],
}


def _flow_content(name: str) -> str:
    """A small, valid flow-language document; the real defaults are larger but equally opaque here."""
    return json.dumps(
        {
            "Version": "2019-10-30",
            "StartAction": "disconnect",
            "Metadata": {"name": name},
            "Actions": [
                {"Identifier": "disconnect", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
            ],
        },
        separators=(",", ":"),
    )


def seed(inst: InstanceState, phones: PhoneBook) -> None:
    whole_day = {"StartTime": {"Hours": 0, "Minutes": 0}, "EndTime": {"Hours": 0, "Minutes": 0}}
    hours = misc.create_hours(
        inst,
        {
            "Name": BASIC_HOURS,
            "Description": "This is the basic hours of operation.",
            "TimeZone": "UTC",
            "Config": [{"Day": day, **whole_day} for day in DAYS],
        },
    )
    for name, flow_type in FLOWS:
        misc.create_flow(inst, {"Name": name, "Type": flow_type, "Content": _flow_content(name)})
    queue = queues.create(
        inst,
        phones,
        {"Name": BASIC_QUEUE, "Description": "A simple, basic voice queue.", "HoursOfOperationId": hours["Id"]},
    )
    for name, permissions in SECURITY_PROFILES.items():
        security.create(inst, {"SecurityProfileName": name, "Permissions": permissions})
    routing.create(
        inst,
        {
            "Name": BASIC_ROUTING_PROFILE,
            "Description": "A simple, basic routing profile.",
            "DefaultOutboundQueueId": queue["Id"],
            "MediaConcurrencies": [
                {
                    "Channel": "VOICE",
                    "Concurrency": 1,
                    "CrossChannelBehavior": {"BehaviorType": "ROUTE_CURRENT_CHANNEL_ONLY"},
                },
                {
                    "Channel": "CHAT",
                    "Concurrency": 2,
                    "CrossChannelBehavior": {"BehaviorType": "ROUTE_CURRENT_CHANNEL_ONLY"},
                },
                {
                    "Channel": "TASK",
                    "Concurrency": 1,
                    "CrossChannelBehavior": {"BehaviorType": "ROUTE_CURRENT_CHANNEL_ONLY"},
                },
            ],
            "QueueConfigs": [
                {"QueueReference": {"QueueId": queue["Id"], "Channel": channel}, "Priority": 1, "Delay": 0}
                for channel in ("VOICE", "CHAT", "TASK")
            ],
            "AgentAvailabilityTimer": "TIME_SINCE_LAST_ACTIVITY",
        },
        is_default=True,
    )
    for name in PROMPTS:
        prompts.create(inst, {"Name": name}, prompt_audio(name))
    misc.create_agent_status(inst, {"Name": "Available", "State": "ENABLED", "DisplayOrder": 1}, status_type="ROUTABLE")
    misc.create_agent_status(inst, {"Name": "Offline", "State": "ENABLED", "DisplayOrder": 2}, status_type="OFFLINE")
