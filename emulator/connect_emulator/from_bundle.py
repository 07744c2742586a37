"""Load a ccaas.connect bundle (an export of a real or emulated instance) into a new emulated instance.

So an import can be rehearsed offline against a copy of the real source, and so the export can be
checked end to end: exporting an instance, loading the bundle here and exporting again must give the
same bundle (apart from the export time).

It is also how the demo seed fills its instances (`seed.py` writes the demo as bundles), so there is
one reading of each resource type in the emulator, not two.

Everything goes through `emulator.call`, the same API the collection uses. The order is derived from
the references each step declares (`STEPS`, sorted topologically; declaration order only breaks ties),
and a step that looks up a type it did not declare fails, so the declarations cannot drift from the
code. Items whose name the new instance already has (the defaults Amazon creates with every instance, such
as `BasicQueue` or the `Agent` security profile) are left as they are. Users of a CONNECT_MANAGED
instance get a generated password: a bundle never holds passwords.

Contact flows and flow modules whose bundle entry lists its `references` (each an item of the source
named by ARN, type and identity) are loaded in two passes, so flows that reference each other load: first
each with a stub content, then, once everything else exists, its own content with every reference
rewritten to the loaded item (the ARN, qualified or not, and the bare ID), published as the bundle says
and checked as Amazon checks published content. Content that still names something the bundle does not
describe is stored unchecked and reported (`Loaded.unchecked`): an export of a real instance may name
what it does not carry. Entries without `references` (older bundles) are stored as exported, unchecked.
Lambda functions and Lex bots are associated before any flow.

This is a second, independent reading of the bundle format (the collection's import is the first), so
the round trip also checks that the format says what both sides think it says.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import string
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, Protocol

from .domain.flow_content import SAVED_QUALIFIER, references_unchecked
from .errors import ConnectError

DEFAULT_ACCOUNT_ID = "123456789012"
SUPPORTED_FORMAT_VERSION = 1
ROUTING_PROFILE_QUEUE_CHUNK = 10  # CreateRoutingProfile / AssociateRoutingProfileQueues take at most 10
QUEUE_QUICK_CONNECT_CHUNK = 50  # AssociateQueueQuickConnects takes at most 50
HIERARCHY_LEVEL_KEYS = ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")


class Emulator(Protocol):
    def call(self, operation: str, params: dict[str, Any], *, region: str, account_id: str = ...) -> dict[str, Any]: ...

    def set_quota(self, account_id: str, region: str, instance_id: str, quota_name: str, value: int) -> None: ...

    def put_object(self, account_id: str, region: str, bucket: str, key: str, body: bytes) -> None: ...


class BundleLoadError(Exception):
    """The bundle cannot be loaded (wrong format version, a reference to something it lacks)."""


@dataclass(frozen=True)
class Instance:
    """An emulated instance a bundle is loaded into."""

    id: str
    arn: str
    region: str
    alias: str
    account_id: str = DEFAULT_ACCOUNT_ID
    identity_management_type: str = "CONNECT_MANAGED"


@dataclass
class Loaded:
    """What `load` created: IDs by type and identity (defaults included), and counts of what it created."""

    instance: Instance
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    # The same items' ARNs (a Lambda function's or Lex V2 alias's as associated; a Lex V1 bot has none).
    arns: dict[str, dict[str, str]] = field(default_factory=dict)
    # Keyed like the domain's quotas (`hours_of_operation`, `hierarchy_groups`, ...) plus the
    # associations each pass made; in load order.
    counts: Counter[str] = field(default_factory=Counter)
    # Published flows and modules stored although their content names what this instance lacks (what
    # the bundle's references do not describe): "contact flow NAME" -> the problems Amazon would report.
    unchecked: dict[str, list[str]] = field(default_factory=dict)


def read_bundle(bundle: dict[str, Any] | str | Path) -> dict[str, Any]:
    """A bundle from a dict, JSON text or a file, with its format version checked."""
    if isinstance(bundle, Path):
        bundle = bundle.read_text("utf-8")
    if isinstance(bundle, str):
        bundle = json.loads(bundle)
    if not isinstance(bundle, dict):
        raise BundleLoadError("a bundle is a JSON object")
    if bundle.get("format_version") != SUPPORTED_FORMAT_VERSION:
        raise BundleLoadError(
            f"format_version {bundle.get('format_version')!r} is not supported; expected {SUPPORTED_FORMAT_VERSION}"
        )
    return bundle


def create_instance(
    emulator: Emulator,
    *,
    region: str,
    alias: str,
    identity_management_type: str = "CONNECT_MANAGED",
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> Instance:
    out = emulator.call(
        "CreateInstance",
        {
            "IdentityManagementType": identity_management_type,
            "InstanceAlias": alias,
            "InboundCallsEnabled": True,
            "OutboundCallsEnabled": True,
        },
        region=region,
        account_id=account_id,
    )
    return Instance(out["Id"], out["Arn"], region, alias, account_id, identity_management_type)


def quota_needs(bundle: dict[str, Any]) -> dict[str, int]:
    """The per-instance quotas (domain keys) a load of `bundle` may outgrow, with what it needs.

    Only the types a new instance holds none of by default: for them the bundle's count is the need.
    """
    found = bundle.get("resources") or {}
    return {"users": len(found.get("users") or []), "phone_numbers": len(found.get("phone_numbers") or [])}


def raise_quotas(emulator: Emulator, instance: Instance, needs: dict[str, int]) -> None:
    """Raise each quota `needs` would exceed to exactly what it needs, as an AWS quota increase would.

    A quota the need fits in is left at Amazon's default (never lowered)."""
    for key, needed in needs.items():
        if needed > quota_default(key) and hasattr(emulator, "set_quota"):
            emulator.set_quota(instance.account_id, instance.region, instance.id, key, needed)


def quota_default(key: str) -> int:
    table = json.loads(
        importlib_resources.files("connect_emulator").joinpath("data/quotas.json").read_text(encoding="utf-8")
    )
    return int(table["quotas"][key]["default"])


def load(
    emulator: Emulator, bundle: dict[str, Any] | str | Path, instance: Instance, *, base_dir: Path | None = None
) -> Loaded:
    """Create everything in `bundle` in `instance`, in the order its references require.

    A prompt's `file` is read relative to `base_dir`: by default the bundle file's directory, or the
    current directory for a bundle given in memory."""
    if base_dir is None and isinstance(bundle, Path):
        base_dir = bundle.parent
    loader = _Loader(emulator, instance, base_dir or Path.cwd())
    loader.run(read_bundle(bundle).get("resources") or {})
    return loader.loaded


def load_into_new_instance(
    emulator: Emulator,
    bundle: dict[str, Any] | str | Path,
    *,
    region: str,
    alias: str,
    identity_management_type: str = "CONNECT_MANAGED",
    account_id: str = DEFAULT_ACCOUNT_ID,
    base_dir: Path | None = None,
) -> Loaded:
    """Create an instance holding everything in `bundle`; returns what was loaded (the instance included)."""
    if base_dir is None and isinstance(bundle, Path):
        base_dir = bundle.parent
    bundle = read_bundle(bundle)
    instance = create_instance(
        emulator,
        region=region,
        alias=alias,
        identity_management_type=identity_management_type,
        account_id=account_id,
    )
    raise_quotas(emulator, instance, quota_needs(bundle))
    return load(emulator, bundle, instance, base_dir=base_dir)


def load_bundle(
    emulator: Emulator,
    bundle: dict[str, Any] | str | Path,
    *,
    region: str,
    alias: str,
    identity_management_type: str = "CONNECT_MANAGED",
    account_id: str = DEFAULT_ACCOUNT_ID,
    base_dir: Path | None = None,
) -> str:
    """Create an instance holding everything in `bundle`; returns its instance ID."""
    loaded = load_into_new_instance(
        emulator,
        bundle,
        region=region,
        alias=alias,
        identity_management_type=identity_management_type,
        account_id=account_id,
        base_dir=base_dir,
    )
    return loaded.instance.id


def _tags(item: dict[str, Any]) -> dict[str, Any]:
    # TagMap has a minimum of one entry: an untagged item is created without `Tags`.
    return {"Tags": dict(item["tags"])} if item.get("tags") else {}


def _optional(**members: Any) -> dict[str, Any]:
    return {k: v for k, v in members.items() if v is not None}


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _password() -> str:
    # Connect's policy: 8-64 characters with upper case, lower case and a digit.
    alphabet = string.ascii_letters + string.digits
    core = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
    ]
    return "".join(core + [secrets.choice(alphabet) for _ in range(13)])


# A reference's `type` (the bundle key of what it names) -> the loader's name for that type.
REFERENCE_TYPES: dict[str, str] = {
    "queues": "queues",
    "hours_of_operations": "hours_of_operations",
    "contact_flows": "contact_flows",
    "contact_flow_modules": "contact_flow_modules",
    "prompts": "prompts",
    "users": "users",
    "quick_connects": "quick_connects",
    "routing_profiles": "routing_profiles",
    "agent_statuses": "agent_statuses",
    "security_profiles": "security_profiles",
    "user_hierarchy_groups": "user_hierarchy",
    "phone_numbers": "phone_numbers",
    "lambda_functions": "lambda_functions",
    "lex_bots": "lex_bots",
    "views": "views",
}
# Not Amazon Connect resources: named by their own ARN, the same in every instance that associates them,
# and never by a bare ID.
EXTERNAL_REFERENCE_TYPES = frozenset({"lambda_functions", "lex_bots"})
INVALID_CONTENT = frozenset({"InvalidContactFlowException", "InvalidContactFlowModuleException"})
# Flow types whose content may hang up; the others (whispers, holds, ...) end their flow instead.
_DISCONNECTING_FLOW_TYPES = frozenset({"CONTACT_FLOW", "AGENT_TRANSFER", "QUEUE_TRANSFER", "CUSTOMER_QUEUE"})


def stub_content(flow_type: str | None) -> str:
    """The smallest valid content of a flow of `flow_type` (a module's: None), held until its own is written."""
    if flow_type is None:
        end = "EndFlowModuleExecution"
    else:
        end = "DisconnectParticipant" if flow_type in _DISCONNECTING_FLOW_TYPES else "EndFlowExecution"
    action = {"Identifier": "stub", "Type": end, "Parameters": {}, "Transitions": {}}
    return json.dumps({"Version": "2019-10-30", "StartAction": "stub", "Actions": [action]})


def rewritten(content: str, replacements: dict[str, str]) -> str:
    """`content` with every ARN or ID that is a key of `replacements` replaced by its value.

    Only whole ARNs and IDs are replaced: an ARN may be followed by a qualifier (`:$SAVED`, a version),
    which is kept; a bare ID inside some other ARN is left alone (that ARN names something else).
    The text is edited in place, so the rest of the content stays byte for byte as exported."""
    if not replacements:
        return content
    words = "|".join(re.escape(old) for old in sorted(replacements, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w/:-])(?:{words})(?![\w/-])")
    return pattern.sub(lambda found: replacements[found.group(0)], content)


def _bare_id(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _agent_queue(user_arn: str) -> str | None:
    """A user's own queue's ARN (`…/queue/agent/ID`), which flows name to route to that agent."""
    head, sep, user_id = user_arn.rpartition("/agent/")
    return f"{head}/queue/agent/{user_id}" if sep else None


@dataclass(frozen=True)
class Step:
    """One step of a load: the bundle section it reads, the types whose IDs it looks up, what it counts."""

    name: str  # the type whose IDs it records, or the pass it makes
    section: str
    needs: tuple[str, ...]
    counts: tuple[str, ...]
    run: Callable[[_Loader, Any], None]


def _derived_order(steps: Sequence[Step]) -> tuple[Step, ...]:
    """`steps` sorted so each comes after every step it needs; declaration order breaks ties."""
    produced = {s.name for s in steps}
    for s in steps:
        unknown = set(s.needs) - produced
        if unknown:
            raise ValueError(f"step {s.name} needs {sorted(unknown)}, which no step loads")
    done: set[str] = set()
    order: list[Step] = []
    waiting = list(steps)
    while waiting:
        ready = next((s for s in waiting if set(s.needs) <= done), None)
        if ready is None:
            raise ValueError(f"the steps {[s.name for s in waiting]} need each other")
        order.append(ready)
        done.add(ready.name)
        waiting.remove(ready)
    return tuple(order)


def prompt_bucket(instance: Instance) -> str:
    """The emulator-side S3 bucket a load puts prompt audio in (one per account and Region, as a user's would be)."""
    return f"ccaas-emulator-prompts-{instance.account_id}-{instance.region}"


def _prompt_audio(item: dict[str, Any], base_dir: Path) -> tuple[bytes, str]:
    """(audio, file name) of a bundle's prompt: its `file` (relative to the bundle) or its `audio_base64`."""
    if item.get("file"):
        path = base_dir / item["file"]
        try:
            return path.read_bytes(), path.name
        except OSError as exc:
            raise BundleLoadError(f"prompt {item['name']}: cannot read {path}: {exc.strerror}") from None
    if item.get("audio_base64"):
        try:
            audio = base64.b64decode(item["audio_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise BundleLoadError(f"prompt {item['name']}: audio_base64 is not base64") from None
        return audio, re.sub(r"[^A-Za-z0-9_.-]+", "-", item["name"]).strip("-") + ".wav"
    raise BundleLoadError(f"prompt {item['name']}: a prompt needs its audio, as `file` or `audio_base64`")


class _Loader:
    def __init__(self, emulator: Emulator, instance: Instance, base_dir: Path | None = None) -> None:
        self.emulator = emulator
        self.instance = instance
        self.base_dir = base_dir or Path.cwd()
        self.instance_id = instance.id
        self.instance_arn = instance.arn
        self.identity_management_type = instance.identity_management_type
        self.loaded = Loaded(instance)
        # type -> identity -> ID, for existing and created items
        self.ids = self.loaded.ids
        self.arns = self.loaded.arns
        self.counts = self.loaded.counts
        self.step: Step | None = None
        # Names of the flows and modules created with a stub, whose own content a second pass writes.
        self.stubbed: dict[str, set[str]] = {"contact_flows": set(), "contact_flow_modules": set()}

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.emulator.call(operation, params, region=self.instance.region, account_id=self.instance.account_id)

    def i(self, **params: Any) -> dict[str, Any]:
        return {"InstanceId": self.instance_id, **params}

    def id_of(self, kind: str, name: str, where: str) -> str:
        step = self.step
        if step is not None and kind != step.name and kind not in step.needs:
            # A lookup the step does not declare would make the derived order wrong.
            raise AssertionError(f"step {step.name} looks up {kind} but does not declare it in STEPS")
        try:
            return self.ids[kind][name]
        except KeyError:
            raise BundleLoadError(f"{where} refers to {kind} '{name}', which the bundle does not hold") from None

    def created(self, kind: str, count_key: str, name: str, resource_id: str, arn: str | None) -> None:
        self.ids[kind][name] = resource_id
        if arn is not None:
            self.arns.setdefault(kind, {})[name] = arn
        self.counts[count_key] += 1

    def _all(self, operation: str, list_key: str, **extra: Any) -> list[dict[str, Any]]:
        """Every summary a List* operation pages through."""
        rows: list[dict[str, Any]] = []
        params = self.i(**extra)
        while True:
            page = self.call(operation, params)
            rows.extend(page.get(list_key, []))
            if not page.get("NextToken"):
                return rows
            params = {**self.i(**extra), "NextToken": page["NextToken"]}

    def existing(self, kind: str, operation: str, list_key: str, name_key: str = "Name", **extra: Any) -> None:
        rows = [row for row in self._all(operation, list_key, **extra) if row.get(name_key)]
        self.ids[kind] = {row[name_key]: row["Id"] for row in rows}
        self.arns[kind] = {row[name_key]: row["Arn"] for row in rows}

    # ---- the load ---------------------------------------------------------------------------------

    def run(self, resources: dict[str, Any]) -> None:
        for step in LOAD_ORDER:
            self.step = step
            default: Any = {} if step.section == "user_hierarchy" else []
            step.run(self, resources.get(step.section) or default)
        self.step = None

    def hours(self, items: list[dict[str, Any]]) -> None:
        self.existing("hours_of_operations", "ListHoursOfOperations", "HoursOfOperationSummaryList")
        for item in items:
            if item["name"] in self.ids["hours_of_operations"]:
                continue
            config = [
                {
                    "Day": c["day"],
                    "StartTime": {"Hours": c["start_time"]["hours"], "Minutes": c["start_time"]["minutes"]},
                    "EndTime": {"Hours": c["end_time"]["hours"], "Minutes": c["end_time"]["minutes"]},
                }
                for c in item["config"]
            ]
            params = self.i(Name=item["name"], TimeZone=item["time_zone"], Config=config, **_tags(item))
            params.update(_optional(Description=item.get("description")))
            out = self.call("CreateHoursOfOperation", params)
            self.created(
                "hours_of_operations",
                "hours_of_operation",
                item["name"],
                out["HoursOfOperationId"],
                out["HoursOfOperationArn"],
            )
            for override in item.get("overrides") or ():
                self.call(
                    "CreateHoursOfOperationOverride",
                    self.i(HoursOfOperationId=out["HoursOfOperationId"], **_camel(override)),
                )
                self.counts["hours_of_operation_overrides"] += 1

    def predefined_attributes(self, items: list[dict[str, Any]]) -> None:
        # Named, not numbered: the name is the attribute's ID.
        listed = self._all("ListPredefinedAttributes", "PredefinedAttributeSummaryList")
        self.ids["predefined_attributes"] = {a["Name"]: a["Name"] for a in listed}
        for item in items:
            if item["name"] in self.ids["predefined_attributes"]:
                continue
            params = self.i(Name=item["name"])
            params.update(
                _optional(
                    Values=_camel(item["values"]) if item.get("values") is not None else None,
                    Purposes=item.get("purposes") or None,
                )
            )
            configuration = item.get("attribute_configuration") or {}
            if "enable_value_validation_on_association" in configuration:
                params["AttributeConfiguration"] = {
                    "EnableValueValidationOnAssociation": configuration["enable_value_validation_on_association"]
                }
            self.call("CreatePredefinedAttribute", params)
            self.created("predefined_attributes", "predefined_attributes", item["name"], item["name"], None)

    # ---- Lambda functions and Lex bots: associated before any flow names them -------------------

    def lambda_functions(self, items: list[dict[str, Any]]) -> None:
        self.ids["lambda_functions"] = {}
        for item in items:
            self.call("AssociateLambdaFunction", self.i(FunctionArn=item["arn"]))
            self.created("lambda_functions", "lambda_functions", item["name"], item["arn"], item["arn"])

    def lex_bots(self, items: list[dict[str, Any]]) -> None:
        self.ids["lex_bots"] = {}
        for item in items:
            if item.get("lex_version") == "V2":
                self.call("AssociateBot", self.i(LexV2Bot={"AliasArn": item["arn"]}))
                self.created("lex_bots", "lex_v2_bot_aliases", item["name"], item["arn"], item["arn"])
                continue
            if not item.get("lex_region"):
                raise BundleLoadError(f"Lex V1 bot {item['name']} has no lex_region")
            self.call("AssociateLexBot", self.i(LexBot={"Name": item["name"], "LexRegion": item["lex_region"]}))
            # A V1 bot is named by its name and region, not by an ARN.
            self.created("lex_bots", "lex_bots", item["name"], item["name"], None)

    # ---- flows and modules: first pass -----------------------------------------------------------

    def prompts(self, items: list[dict[str, Any]]) -> None:
        """Each prompt's audio into the emulator's S3, then CreatePrompt from it, as a user would."""
        self.existing("prompts", "ListPrompts", "PromptSummaryList")
        bucket = prompt_bucket(self.instance)
        for item in items:
            if item["name"] in self.ids["prompts"]:
                continue
            audio, file_name = _prompt_audio(item, self.base_dir)
            key = f"{self.instance_id}/{file_name}"
            self.emulator.put_object(self.instance.account_id, self.instance.region, bucket, key, audio)
            params = self.i(Name=item["name"], S3Uri=f"s3://{bucket}/{key}", **_tags(item))
            params.update(_optional(Description=item.get("description")))
            out = self.call("CreatePrompt", params)
            self.created("prompts", "prompts", item["name"], out["PromptId"], out["PromptARN"])

    def contact_flows(self, items: list[dict[str, Any]]) -> None:
        self.existing("contact_flows", "ListContactFlows", "ContactFlowSummaryList")
        for item in items:
            if item["name"] in self.ids["contact_flows"]:
                continue
            two_passes = item.get("references") is not None
            content = stub_content(item["type"]) if two_passes else item.get("content") or "{}"
            params = self.i(Name=item["name"], Type=item["type"], Content=content, **_tags(item))
            params.update(_optional(Description=item.get("description"), Status=item.get("status")))
            out = self._first_pass("CreateContactFlow", params, two_passes)
            self.created("contact_flows", "contact_flows", item["name"], out["ContactFlowId"], out["ContactFlowArn"])
            if two_passes:
                self.stubbed["contact_flows"].add(item["name"])
            elif item.get("state") == "ARCHIVED":
                self.call(
                    "UpdateContactFlowMetadata", self.i(ContactFlowId=out["ContactFlowId"], ContactFlowState="ARCHIVED")
                )

    def contact_flow_modules(self, items: list[dict[str, Any]]) -> None:
        self.existing("contact_flow_modules", "ListContactFlowModules", "ContactFlowModulesSummaryList")
        for item in items:
            if item["name"] in self.ids["contact_flow_modules"]:
                continue
            two_passes = item.get("references") is not None
            content = stub_content(None) if two_passes else item.get("content") or "{}"
            params = self.i(Name=item["name"], Content=content, **_tags(item))
            params.update(_optional(Description=item.get("description")))
            out = self._first_pass("CreateContactFlowModule", params, two_passes)
            self.created("contact_flow_modules", "flow_modules", item["name"], out["Id"], out["Arn"])
            if two_passes:
                self.stubbed["contact_flow_modules"].add(item["name"])
            elif item.get("state") == "ARCHIVED":
                self.call("UpdateContactFlowModuleMetadata", self.i(ContactFlowModuleId=out["Id"], State="ARCHIVED"))

    def _first_pass(self, operation: str, params: dict[str, Any], stub: bool) -> dict[str, Any]:
        if stub:
            return self.call(operation, params)
        # Without references the content is stored as exported: it names the instance it came from.
        with references_unchecked():
            return self.call(operation, params)

    # ---- flows and modules: second pass, once everything they may name exists --------------------

    def contact_flow_contents(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["name"] not in self.stubbed["contact_flows"]:
                continue
            where = f"contact flow {item['name']}"
            flow_id = self.ids["contact_flows"][item["name"]]
            # By its plain ID: a published flow publishes its content (checked), a saved one stays saved.
            self._content("UpdateContactFlowContent", {"ContactFlowId": flow_id}, item, where, "contact_flow")
            if item.get("state") == "ARCHIVED":
                self.call("UpdateContactFlowMetadata", self.i(ContactFlowId=flow_id, ContactFlowState="ARCHIVED"))

    def contact_flow_module_contents(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["name"] not in self.stubbed["contact_flow_modules"]:
                continue
            where = f"contact flow module {item['name']}"
            module_id = self.ids["contact_flow_modules"][item["name"]]
            # A module is created published; a saved one's content becomes a draft beside the stub.
            target = module_id + SAVED_QUALIFIER if item.get("status") == "SAVED" else module_id
            params = {"ContactFlowModuleId": target}
            self._content("UpdateContactFlowModuleContent", params, item, where, "contact_flow_module")
            if item.get("state") == "ARCHIVED":
                self.call("UpdateContactFlowModuleMetadata", self.i(ContactFlowModuleId=module_id, State="ARCHIVED"))

    def _content(self, operation: str, params: dict[str, Any], item: dict[str, Any], where: str, counted: str) -> None:
        """Write the item's own content, its references rewritten; `counted` prefixes what is counted."""
        references = item["references"]
        request = self.i(**params, Content=rewritten(item.get("content") or "{}", self.replacements(references, where)))
        self.counts[f"{counted}_references"] += len(references)
        try:
            self.call(operation, request)
        except ConnectError as error:
            if error.code not in INVALID_CONTENT:
                raise
            # It names what the bundle does not describe: kept as the rehearsal of a real export needs
            # it, and reported.
            listed: Any = error.fields.get("problems") or error.fields.get("Problems") or [{"message": error.message}]
            try:
                with references_unchecked():
                    self.call(operation, request)
            except ConnectError as unreadable:
                if unreadable.code not in INVALID_CONTENT:
                    raise
                raise BundleLoadError(f"{where}: {unreadable.message}") from None
            self.loaded.unchecked[where] = [str(problem["message"]) for problem in listed]
            self.counts[f"{counted}s_unchecked"] += 1

    def replacements(self, references: list[dict[str, Any]], where: str) -> dict[str, str]:
        """What each reference is in the source -> what it is in this instance: ARNs, and for Amazon
        Connect's own resources their bare IDs too."""
        found: dict[str, str] = {}
        for ref in references:
            if ref.get("type") not in REFERENCE_TYPES:
                raise BundleLoadError(f"{where} has a reference of unknown type {ref.get('type')!r}")
            kind = REFERENCE_TYPES[ref["type"]]
            new_id = self.id_of(kind, ref["name"], where)
            new_arn = self.arns.get(kind, {}).get(ref["name"])
            if new_arn is None:
                continue  # a Lex V1 bot: named by name and region, the same in this instance
            found[ref["arn"]] = new_arn
            if ref["type"] in EXTERNAL_REFERENCE_TYPES:
                continue
            found[_bare_id(ref["arn"])] = new_id
            old_queue, new_queue = _agent_queue(ref["arn"]), _agent_queue(new_arn)
            if ref["type"] == "users" and old_queue and new_queue:
                found[old_queue] = new_queue
        return found

    def phone_numbers(self, items: list[dict[str, Any]]) -> None:
        self.ids["phone_numbers"] = {}
        for item in items:
            params: dict[str, Any] = {"TargetArn": self.instance_arn, "PhoneNumber": item["phone_number"]}
            params.update(_optional(PhoneNumberDescription=item.get("description")))
            params.update(_tags(item))
            out = self.call("ClaimPhoneNumber", params)
            self.created(
                "phone_numbers", "phone_numbers", item["phone_number"], out["PhoneNumberId"], out["PhoneNumberArn"]
            )

    def phone_number_flows(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("contact_flow"):
                where = f"phone number {item['phone_number']}"
                self.call(
                    "AssociatePhoneNumberContactFlow",
                    {
                        "PhoneNumberId": self.id_of("phone_numbers", item["phone_number"], where),
                        "InstanceId": self.instance_id,
                        "ContactFlowId": self.id_of("contact_flows", item["contact_flow"], where),
                    },
                )
                self.counts["phone_number_flow_associations"] += 1

    def security_profiles(self, items: list[dict[str, Any]]) -> None:
        self.existing("security_profiles", "ListSecurityProfiles", "SecurityProfileSummaryList")
        for item in items:
            if item["name"] in self.ids["security_profiles"]:
                continue
            params = self.i(SecurityProfileName=item["name"], Permissions=list(item.get("permissions", [])))
            params.update(
                _optional(
                    Description=item.get("description"),
                    AllowedAccessControlTags=item.get("allowed_access_control_tags") or None,
                    TagRestrictedResources=item.get("tag_restricted_resources") or None,
                    Applications=[_camel(app) for app in item["applications"]] if item.get("applications") else None,
                    AllowedAccessControlHierarchyGroupId=self.id_of(
                        "user_hierarchy",
                        item["allowed_access_control_hierarchy_group"],
                        f"security profile {item['name']}",
                    )
                    if item.get("allowed_access_control_hierarchy_group")
                    else None,
                    HierarchyRestrictedResources=item.get("hierarchy_restricted_resources") or None,
                    GranularAccessControlConfiguration=_camel(item["granular_access_control_configuration"])
                    if item.get("granular_access_control_configuration")
                    else None,
                )
            )
            params.update(_tags(item))
            out = self.call("CreateSecurityProfile", params)
            self.created(
                "security_profiles",
                "security_profiles",
                item["name"],
                out["SecurityProfileId"],
                out["SecurityProfileArn"],
            )

    def hierarchy(self, hierarchy: dict[str, Any]) -> None:
        levels = hierarchy.get("levels") or []
        if levels:
            structure = {key: {"Name": name} for key, name in zip(HIERARCHY_LEVEL_KEYS, levels, strict=False)}
            self.call("UpdateUserHierarchyStructure", self.i(HierarchyStructure=structure))
        self.ids["user_hierarchy"] = {}
        groups = {group["path"]: group for group in hierarchy.get("groups") or []}
        # In bundle order, each group after its parent: a child listed before its parent pulls the
        # parent forward, so a bundle in parent-first order is created exactly in its own order.
        for path in groups:
            self.hierarchy_group(groups, path, path)

    def hierarchy_group(self, groups: dict[str, dict[str, Any]], path: str, asked_by: str) -> str:
        if path in self.ids["user_hierarchy"]:
            return self.ids["user_hierarchy"][path]
        if path not in groups:
            raise BundleLoadError(f"group {asked_by} refers to user_hierarchy '{path}', which the bundle does not hold")
        steps = path.split("/")
        params = self.i(Name=steps[-1], **_tags(groups[path]))
        if len(steps) > 1:
            params["ParentGroupId"] = self.hierarchy_group(groups, "/".join(steps[:-1]), path)
        out = self.call("CreateUserHierarchyGroup", params)
        self.created("user_hierarchy", "hierarchy_groups", path, out["HierarchyGroupId"], out["HierarchyGroupArn"])
        return out["HierarchyGroupId"]

    def queues(self, items: list[dict[str, Any]]) -> None:
        self.existing("queues", "ListQueues", "QueueSummaryList", QueueTypes=["STANDARD"])
        for item in items:
            if item["name"] in self.ids["queues"]:
                continue
            where = f"queue {item['name']}"
            params = self.i(
                Name=item["name"],
                HoursOfOperationId=self.id_of("hours_of_operations", item["hours_of_operation"], where),
                **_tags(item),
            )
            params.update(_optional(Description=item.get("description"), MaxContacts=item.get("max_contacts")))
            caller = item.get("outbound_caller_config") or {}
            config = _optional(
                OutboundCallerIdName=caller.get("outbound_caller_id_name"),
                OutboundCallerIdNumberId=self.id_of("phone_numbers", caller["outbound_caller_id_number"], where)
                if caller.get("outbound_caller_id_number")
                else None,
                OutboundFlowId=self.id_of("contact_flows", caller["outbound_flow"], where)
                if caller.get("outbound_flow")
                else None,
            )
            if config:
                params["OutboundCallerConfig"] = config
            out = self.call("CreateQueue", params)
            self.created("queues", "queues", item["name"], out["QueueId"], out["QueueArn"])
            if item.get("status") == "DISABLED":
                self.call("UpdateQueueStatus", self.i(QueueId=out["QueueId"], Status="DISABLED"))

    def routing_profiles(self, items: list[dict[str, Any]]) -> None:
        self.existing("routing_profiles", "ListRoutingProfiles", "RoutingProfileSummaryList")
        for item in items:
            if item["name"] in self.ids["routing_profiles"]:
                continue
            where = f"routing profile {item['name']}"
            configs = [
                {
                    "QueueReference": {"QueueId": self.id_of("queues", c["queue"], where), "Channel": c["channel"]},
                    "Priority": c["priority"],
                    "Delay": c["delay"],
                }
                for c in item.get("queue_configs", [])
            ]
            manual = [
                {"QueueReference": {"QueueId": self.id_of("queues", c["queue"], where), "Channel": c["channel"]}}
                for c in item.get("manual_assignment_queue_configs", [])
            ]
            concurrencies = [_camel(m) for m in item["media_concurrencies"]]
            params = self.i(
                Name=item["name"],
                Description=item.get("description", ""),
                DefaultOutboundQueueId=self.id_of("queues", item["default_outbound_queue"], where),
                MediaConcurrencies=concurrencies,
                **_tags(item),
            )
            params.update(_optional(AgentAvailabilityTimer=item.get("agent_availability_timer")))
            if configs:
                params["QueueConfigs"] = configs[:ROUTING_PROFILE_QUEUE_CHUNK]
            out = self.call("CreateRoutingProfile", params)
            profile_id = out["RoutingProfileId"]
            self.created("routing_profiles", "routing_profiles", item["name"], profile_id, out["RoutingProfileArn"])
            self.counts["routing_profile_queue_configs"] += len(configs)
            for chunk in _chunks(configs[ROUTING_PROFILE_QUEUE_CHUNK:], ROUTING_PROFILE_QUEUE_CHUNK):
                self.call("AssociateRoutingProfileQueues", self.i(RoutingProfileId=profile_id, QueueConfigs=chunk))
            for chunk in _chunks(manual, ROUTING_PROFILE_QUEUE_CHUNK):
                self.call(
                    "AssociateRoutingProfileQueues",
                    self.i(RoutingProfileId=profile_id, ManualAssignmentQueueConfigs=chunk),
                )
            self.counts["routing_profile_manual_assignment_queue_configs"] += len(manual)

    def agent_statuses(self, items: list[dict[str, Any]]) -> None:
        self.existing("agent_statuses", "ListAgentStatuses", "AgentStatusSummaryList")
        for item in items:
            # Only CUSTOM statuses can be created; Available and Offline come with every instance.
            if item["name"] in self.ids["agent_statuses"] or item.get("type", "CUSTOM") != "CUSTOM":
                continue
            params = self.i(Name=item["name"], State=item["state"], **_tags(item))
            params.update(_optional(Description=item.get("description"), DisplayOrder=item.get("display_order")))
            out = self.call("CreateAgentStatus", params)
            self.created("agent_statuses", "agent_statuses", item["name"], out["AgentStatusId"], out["AgentStatusARN"])

    def users(self, items: list[dict[str, Any]]) -> None:
        self.ids["users"] = {}
        for item in items:
            where = f"user {item['username']}"
            phone = item["phone_config"]
            params = self.i(
                Username=item["username"],
                PhoneConfig=_optional(
                    PhoneType=phone["phone_type"],
                    AutoAccept=phone.get("auto_accept"),
                    AfterContactWorkTimeLimit=phone.get("after_contact_work_time_limit"),  # seconds
                    DeskPhoneNumber=phone.get("desk_phone_number"),
                    PersistentConnection=phone.get("persistent_connection"),
                ),
                RoutingProfileId=self.id_of("routing_profiles", item["routing_profile"], where),
                SecurityProfileIds=[self.id_of("security_profiles", n, where) for n in item["security_profiles"]],
                **_tags(item),
            )
            identity = item.get("identity_info") or {}
            if identity:
                params["IdentityInfo"] = _optional(
                    FirstName=identity.get("first_name"),
                    LastName=identity.get("last_name"),
                    Email=identity.get("email"),
                    SecondaryEmail=identity.get("secondary_email"),
                    Mobile=identity.get("mobile"),
                )
            if item.get("hierarchy_group"):
                params["HierarchyGroupId"] = self.id_of("user_hierarchy", item["hierarchy_group"], where)
            if self.identity_management_type == "CONNECT_MANAGED":
                # A bundle may carry a (write-only) password; otherwise one is made up.
                params["Password"] = item.get("password") or _password()
            for key, member in (
                ("auto_accept_configs", "AutoAcceptConfigs"),
                ("after_contact_work_configs", "AfterContactWorkConfigs"),
                ("phone_number_configs", "PhoneNumberConfigs"),
                ("persistent_connection_configs", "PersistentConnectionConfigs"),
                ("voice_enhancement_configs", "VoiceEnhancementConfigs"),
            ):
                if item.get(key):
                    params[member] = [_camel(entry) for entry in item[key]]
            out = self.call("CreateUser", params)
            self.created("users", "users", item["username"], out["UserId"], out["UserArn"])
            proficiencies = [
                {
                    "AttributeName": self.id_of("predefined_attributes", entry["attribute_name"], where),
                    "AttributeValue": entry["attribute_value"],
                    "Level": entry["level"],
                }
                for entry in item.get("proficiencies") or ()
            ]
            if proficiencies:
                self.call("AssociateUserProficiencies", self.i(UserId=out["UserId"], UserProficiencies=proficiencies))
                self.counts["user_proficiencies"] += len(proficiencies)

    def quick_connects(self, items: list[dict[str, Any]]) -> None:
        self.existing("quick_connects", "ListQuickConnects", "QuickConnectSummaryList")
        for item in items:
            if item["name"] in self.ids["quick_connects"]:
                continue
            where = f"quick connect {item['name']}"
            config = item["quick_connect_config"]
            api_config: dict[str, Any] = {"QuickConnectType": config["quick_connect_type"]}
            if "user_config" in config:
                api_config["UserConfig"] = {
                    "UserId": self.id_of("users", config["user_config"]["user"], where),
                    "ContactFlowId": self.id_of("contact_flows", config["user_config"]["contact_flow"], where),
                }
            if "queue_config" in config:
                api_config["QueueConfig"] = {
                    "QueueId": self.id_of("queues", config["queue_config"]["queue"], where),
                    "ContactFlowId": self.id_of("contact_flows", config["queue_config"]["contact_flow"], where),
                }
            if "phone_config" in config:
                api_config["PhoneConfig"] = {"PhoneNumber": config["phone_config"]["phone_number"]}
            if "flow_config" in config:
                api_config["FlowConfig"] = {
                    "ContactFlowId": self.id_of("contact_flows", config["flow_config"]["contact_flow"], where)
                }
            params = self.i(Name=item["name"], QuickConnectConfig=api_config, **_tags(item))
            params.update(_optional(Description=item.get("description")))
            out = self.call("CreateQuickConnect", params)
            self.created(
                "quick_connects", "quick_connects", item["name"], out["QuickConnectId"], out["QuickConnectARN"]
            )

    def views(self, items: list[dict[str, Any]]) -> None:
        """Customer-managed views, with their content as the bundle holds it (`$LATEST`, published or saved)."""
        self.existing("views", "ListViews", "ViewsSummaryList", Type="CUSTOMER_MANAGED")
        for item in items:
            if item["name"] in self.ids["views"]:
                continue
            content = item.get("content") or {}
            params = self.i(
                Name=item["name"],
                Status=item.get("status") or "PUBLISHED",
                Content=_optional(Template=content.get("template"), Actions=list(content.get("actions") or [])),
                **_tags(item),
            )
            params.update(_optional(Description=item.get("description")))
            view = self.call("CreateView", params)["View"]
            self.created("views", "views", item["name"], view["Id"], view["Arn"])

    def queue_quick_connects(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            names = item.get("quick_connects") or []
            where = f"queue {item['name']}"
            ids = [self.id_of("quick_connects", name, where) for name in names]
            for chunk in _chunks(ids, QUEUE_QUICK_CONNECT_CHUNK):
                self.call(
                    "AssociateQueueQuickConnects",
                    self.i(QueueId=self.id_of("queues", item["name"], where), QuickConnectIds=chunk),
                )
            self.counts["queue_quick_connect_associations"] += len(ids)


def _camel(value: Any) -> Any:
    """snake_case bundle keys back to the API's PascalCase members (per-channel user configs)."""
    if isinstance(value, dict):
        return {"".join(part.title() for part in key.split("_")): _camel(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_camel(inner) for inner in value]
    return value


# Every type a flow's or module's references may name that a load creates.
_REFERENCED: tuple[str, ...] = tuple(sorted(set(REFERENCE_TYPES.values())))

# What a load does, each step once. The order is derived from `needs`; a step's own type counts as
# looked up, so a pass over a section (queue quick connects) declares the types it associates.
STEPS: tuple[Step, ...] = (
    Step("lambda_functions", "lambda_functions", (), ("lambda_functions",), _Loader.lambda_functions),
    Step("lex_bots", "lex_bots", (), ("lex_bots", "lex_v2_bot_aliases"), _Loader.lex_bots),
    Step("prompts", "prompts", (), ("prompts",), _Loader.prompts),
    Step(
        "hours_of_operations",
        "hours_of_operations",
        (),
        ("hours_of_operation", "hours_of_operation_overrides"),
        _Loader.hours,
    ),
    Step(
        "predefined_attributes",
        "predefined_attributes",
        (),
        ("predefined_attributes",),
        _Loader.predefined_attributes,
    ),
    Step("contact_flows", "contact_flows", (), ("contact_flows",), _Loader.contact_flows),
    Step("contact_flow_modules", "contact_flow_modules", (), ("flow_modules",), _Loader.contact_flow_modules),
    Step("phone_numbers", "phone_numbers", (), ("phone_numbers",), _Loader.phone_numbers),
    Step("user_hierarchy", "user_hierarchy", (), ("hierarchy_groups",), _Loader.hierarchy),
    Step(
        "security_profiles",
        "security_profiles",
        ("user_hierarchy",),
        ("security_profiles",),
        _Loader.security_profiles,
    ),
    Step(
        "queues",
        "queues",
        ("hours_of_operations", "phone_numbers", "contact_flows"),
        ("queues",),
        _Loader.queues,
    ),
    Step(
        "routing_profiles",
        "routing_profiles",
        ("queues",),
        ("routing_profiles", "routing_profile_queue_configs", "routing_profile_manual_assignment_queue_configs"),
        _Loader.routing_profiles,
    ),
    Step("agent_statuses", "agent_statuses", (), ("agent_statuses",), _Loader.agent_statuses),
    Step("views", "views", (), ("views",), _Loader.views),
    Step(
        "users",
        "users",
        ("routing_profiles", "security_profiles", "user_hierarchy", "predefined_attributes"),
        ("users", "user_proficiencies"),
        _Loader.users,
    ),
    Step(
        "quick_connects",
        "quick_connects",
        ("users", "queues", "contact_flows"),
        ("quick_connects",),
        _Loader.quick_connects,
    ),
    Step(
        "queue_quick_connects",
        "queues",
        ("queues", "quick_connects"),
        ("queue_quick_connect_associations",),
        _Loader.queue_quick_connects,
    ),
    Step(
        "phone_number_flows",
        "phone_numbers",
        ("phone_numbers", "contact_flows"),
        ("phone_number_flow_associations",),
        _Loader.phone_number_flows,
    ),
    # The second pass over flows and modules: after everything their content may name.
    Step(
        "contact_flow_module_contents",
        "contact_flow_modules",
        _REFERENCED,
        ("contact_flow_module_references", "contact_flow_modules_unchecked"),
        _Loader.contact_flow_module_contents,
    ),
    Step(
        "contact_flow_contents",
        "contact_flows",
        _REFERENCED,
        ("contact_flow_references", "contact_flows_unchecked"),
        _Loader.contact_flow_contents,
    ),
)
LOAD_ORDER: tuple[Step, ...] = _derived_order(STEPS)
# The counts a load reports, in the order it makes them (the seed's summary prints them so).
COUNT_ORDER: tuple[str, ...] = tuple(key for step in LOAD_ORDER for key in step.counts)
