# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Amazon Connect's default quotas, as data: the one place the collection keeps them.

API_RATES: the per-API request throttling quotas (steady requests per second and burst, per AWS
account and Region, per API). Source: Amazon Connect Administrator Guide, "Amazon Connect service
quotas", section "Amazon Connect API throttling quotas"
(https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html#api-throttling-quotas),
and the Connect API Reference, which states the default: "for all other operations, a RateLimit of
2 per second, and a BurstLimit of 5 per second". Every API not listed takes DEFAULT_RATE. The
emulator keeps the same table as JSON (emulator/connect_emulator/data/api_rates.json); a unit test
holds the two in agreement. AWS raises these on request: override per API with the `api_rates`
option rather than editing this file.

RESOURCE_QUOTAS: which per-instance resource quota an API fills, so a LimitExceededException or
ServiceQuotaExceededException can say which quota is full (Service Quotas names and codes, same
page, section "Amazon Connect quotas").

Kept as a Python module, not JSON, because Ansible ships only a module's Python imports to the host.
"""

from __future__ import annotations

# (rate per second, burst)
DEFAULT_RATE: tuple[float, float] = (2.0, 5.0)

API_RATES: dict[str, tuple[float, float]] = {
    "GetMetricData": (5.0, 8.0),
    "GetCurrentMetricData": (5.0, 8.0),
    "GetMetricDataV2": (10.0, 10.0),
    "SearchContacts": (0.5, 1.0),
    "GetContactAttributes": (10.0, 15.0),
    "UpdateContactAttributes": (10.0, 15.0),
    "DescribeContact": (10.0, 15.0),
    "StopContact": (10.0, 15.0),
    "UpdateContact": (10.0, 15.0),
    "ListContactReferences": (10.0, 15.0),
    "BatchPutContact": (10.0, 15.0),
    "TagContact": (20.0, 25.0),
    "UntagContact": (20.0, 25.0),
    "UpdateContactRoutingData": (20.0, 20.0),
}

# API -> (quota name, Service Quotas code or None when the limit is a fixed feature specification)
RESOURCE_QUOTAS: dict[str, tuple[str, str | None]] = {
    "CreateUser": ("Users per instance", "L-9A46857E"),
    "CreateQueue": ("Queues per instance", "L-19A87C94"),
    "CreateRoutingProfile": ("Routing profiles per instance", "L-D3E7BE26"),
    "AssociateRoutingProfileQueues": ("Queues per routing profile per instance", "L-516BC0EB"),
    "UpdateRoutingProfileQueues": ("Queues per routing profile per instance", "L-516BC0EB"),
    "CreateSecurityProfile": ("Security profiles per instance", "L-F325A715"),
    "CreateHoursOfOperation": ("Hours of operation per instance", "L-20CD02F7"),
    "CreateQuickConnect": ("Quick connects per instance", "L-68BBE2E8"),
    "AssociateQueueQuickConnects": ("Quick connects you can assign to a queue", None),
    "CreateUserHierarchyGroup": ("User hierarchy groups per instance", "L-D68AAAE4"),
    "CreateAgentStatus": ("Agent status per instance", "L-D945C9A8"),
    "CreateContactFlow": ("Contact flows per instance", "L-22922690"),
    "CreatePrompt": ("Prompts per instance", "L-0865B754"),
    "CreateContactFlowModule": ("Flow modules per instance", "L-19755C7E"),
    "AssociateLambdaFunction": ("AWS Lambda functions per instance", "L-E3D2F503"),
    "AssociateLexBot": ("Amazon Lex bots per instance", "L-B93A6612"),
    "AssociateBot": ("Amazon Lex bots per instance (V1) or Amazon Lex V2 bot aliases per instance", None),
}

# Per-instance resource quotas an import can outgrow, at Amazon's defaults for a new account (same
# page, section "Amazon Connect quotas"; the emulator's data/quotas.json holds the same numbers and a
# unit test keeps them equal). Keyed by the bundle's type; (quota name, Service Quotas code, default).
# Amazon raises them per instance on request, so a preflight takes the instance's values as overrides.
INSTANCE_QUOTAS: dict[str, tuple[str, str | None, int]] = {
    "hours_of_operations": ("Hours of operation per instance", "L-20CD02F7", 100),
    "security_profiles": ("Security profiles per instance", "L-F325A715", 100),
    "user_hierarchy_groups": ("User hierarchy groups per instance", "L-D68AAAE4", 500),
    "queues": ("Queues per instance", "L-19A87C94", 50),
    "routing_profiles": ("Routing profiles per instance", "L-D3E7BE26", 100),
    "users": ("Users per instance", "L-9A46857E", 500),
    "quick_connects": ("Quick connects per instance", "L-68BBE2E8", 100),
    # Not adjustable: Amazon does not raise it (the built-in Available and Offline count against it).
    "agent_statuses": ("Agent status per instance", "L-D945C9A8", 50),
    "contact_flows": ("Contact flows per instance", "L-22922690", 100),
    "prompts": ("Prompts per instance", "L-0865B754", 500),
    "contact_flow_modules": ("Flow modules per instance", "L-19755C7E", 200),
    "lambda_functions": ("AWS Lambda functions per instance", "L-E3D2F503", 50),
    # Lex V1 bots; V2 bot aliases have a quota of their own (L-CCEA7427, 100), counted here with them.
    "lex_bots": ("Amazon Lex bots per instance", "L-B93A6612", 70),
    # Per item: queue/channel combinations of one routing profile, quick connects of one queue.
    "queues_per_routing_profile": ("Queues per routing profile per instance", "L-516BC0EB", 50),
    "quick_connects_per_queue": ("Quick connects you can assign to a queue", None, 700),
}
# The emulator's and Service Quotas' names for the same quotas, accepted in overrides.
INSTANCE_QUOTA_ALIASES: dict[str, str] = {
    "hours_of_operation": "hours_of_operations",
    "hierarchy_groups": "user_hierarchy_groups",
    "user_hierarchy": "user_hierarchy_groups",
    "flow_modules": "contact_flow_modules",
    **{code.lower(): key for key, (_name, code, _default) in INSTANCE_QUOTAS.items() if code},
}
