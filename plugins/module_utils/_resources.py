# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One description per Amazon Connect resource type, shared by export, schema, plan and apply.

Each `ResourceType` says, as data:
- how to read the type with the fewest calls (`Read`: a Search API at its largest page size, or a List
  API where no Search exists), and what a record's identity is (a name, an E.164 number, a path);
- which API fields are portable and under which bundle key (`Field`, snake_case, the write modules'
  option names), which of them reference another type (`Field.ref`: the API holds an ID or ARN, the
  bundle holds the referenced item's identity), and which need unit normalisation;
- the lists a Search record lacks and that need one call per item (`SubList`: routing-profile queue
  configs, queue quick connects, security-profile permissions and applications), members only a
  Describe* returns (`Field.search_omits`) and instance-wide look-ups (`Lookup`: a phone number's
  inbound flow);
- room for the write side (`Write`: the create API, the Update* API per field group, association APIs
  and their chunk sizes, tagging).

Pagination, ID->name mapping, tag handling and dependency closure are written once, in `_export`,
and read these descriptions; the bundle schema in `_bundle` is generated from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._flow import REFERENCE_TYPES, STUB_CONTENT

# Tags under this prefix belong to AWS (e.g. aws:cloudformation:stack-name); they cannot be written
# with TagResource, so they never enter a bundle.
AWS_RESERVED_TAG_PREFIX = "aws:"
# A phone number as Connect writes it (E.164). The botocore model's own pattern for it is mis-escaped.
E164 = r"^\+[1-9][0-9]{1,14}$"


def ms_to_seconds(value: int) -> int:
    """A SearchUsers after-contact-work limit (milliseconds) in the seconds the bundle holds.

    Rounded, not floored: a limit set in seconds is always a whole number of seconds."""
    return round(value / 1000)


def sorted_entries(entries: list[dict[str, Any]], sort_by: tuple[str, ...]) -> list[dict[str, Any]]:
    """A list of structures in the stable order the bundle keeps them in (`sort_by` members), if it has one."""
    return sorted(entries, key=lambda e: tuple(str(e.get(k, "")) for k in sort_by)) if sort_by else entries


@dataclass(frozen=True)
class Field:
    """One portable API field and its bundle key.

    `api`/`key` name the member in the API record and in the bundle item. A `ref` field holds, in
    the API, the ID or ARN of an item of another type and, in the bundle, that item's identity.
    `sub` describes the members of a structure (with `many`, a list of structures); `many` alone
    is a list of scalars or references, sorted in the bundle because Connect gives them no order.
    """

    api: str
    key: str
    type: str = "string"  # JSON type of a scalar: string, integer, number (a float) or boolean
    ref: str | None = None
    many: bool = False
    sub: tuple[Field, ...] = ()
    enum: tuple[str, ...] = ()
    required: bool = False
    # SearchUsers reports AfterContactWorkTimeLimit in milliseconds where CreateUser, DescribeUser and
    # UpdateUserPhoneConfig use seconds; the bundle always holds seconds.
    search_reports_ms: bool = False
    # A member the Search API leaves out (a user's e-mail): the export never has it, and an import
    # that sets it, or updates the structure holding it, reads the item's Describe* first so the
    # Update* call carries the members it does not change.
    search_omits: bool = False
    tags: bool = False  # a TagMap: aws:-prefixed keys are dropped
    # A `type="object"` field that is not `tags` is a map of strings compared and written whole
    # (a security profile's AllowedAccessControlTags).
    # Members of lists of structures that identify an entry, used to sort the list deterministically.
    sort_by: tuple[str, ...] = ()
    # The bundle's own rule for a string, where the botocore model has none that Python can use.
    pattern: str | None = None
    # Written by Create* only and never read back by the export (a user's directory ID): an update
    # leaves it alone because no Update* API carries it.
    create_only: bool = False
    # Personal data (a user's e-mail and mobile): carried in bundles and ledgers, never shown in a task's
    # output or a diff (shown as hidden, and whether it changes).
    personal: bool = False
    # What a write module's option takes when a task leaves the member out (a queue config's priority);
    # a bundle still holds the member, and the option is then not required.
    default: Any = None
    # A structure a task may give some members of only (a user's phone settings): the others keep their
    # value in the target, so the write module's options require none of them; a bundle holds them all.
    partial: bool = False
    # Flow language (a flow's or module's content): its references are the item's `references` (see
    # _flow.py), rewritten to the target's ARNs and IDs before it is compared or written.
    flow_language: bool = False
    # Not an API member: the export derives it (a flow's references), the import reads it.
    derived: bool = False
    # Written in a phase of its own (the phase's name), after every type the item's references can
    # name, the item itself included: a flow's content, which may name flows created after it.
    second_pass: str | None = None
    # A list of references each naming its own type (`{arn, type, name}`: a flow's references).
    typed_refs: bool = False


def tags_field() -> Field:
    return Field("Tags", "tags", type="object", tags=True)


def flow_language_fields(second_pass: str) -> tuple[Field, Field]:
    """A flow's or module's content, and the references the export found in it: `{arn, type, name}` per
    resource named (its ARN in the source, its bundle type, its identity), written together after the
    resources they name."""
    return (
        # Optional in a bundle: an item without content names a flow the target already has (mapped, not written).
        Field("Content", "content", flow_language=True, second_pass=second_pass),
        Field(
            "",
            "references",
            many=True,
            derived=True,
            typed_refs=True,
            second_pass=second_pass,
            sort_by=("arn",),
            sub=(
                Field("", "arn", required=True, derived=True),
                Field("", "type", enum=REFERENCE_TYPES, required=True, derived=True),
                Field("", "name", required=True, derived=True),
            ),
        ),
    )


@dataclass(frozen=True)
class Read:
    """How to read every item of a type: one paginated call, at the API's largest page size."""

    api: str
    result_key: str
    max_results: int | None
    id_field: str = "Id"
    arn_field: str = "Arn"
    identity_field: str = "Name"  # the API member whose value is the item's identity in a bundle
    params: tuple[tuple[str, Any], ...] = ()  # fixed request members, e.g. a search criterion
    instance_param: str = "InstanceId"
    # One read per set of request members, the results together (ListBots once per Lex version).
    variants: tuple[tuple[tuple[str, Any], ...], ...] = ((),)
    # An API entry as a record, where the API lists something other than records (ARNs as strings).
    record: Callable[[Any], dict[str, Any]] | None = None

    @property
    def paginated(self) -> bool:
        return self.max_results is not None


@dataclass(frozen=True)
class SubList:
    """A list the read record lacks, read with one paginated List call per exported item.

    Entries are references (`ref`: `entry_id` names the member holding the referenced ID), plain
    strings (`entry_id` None and no `fields`: the entry is the value) or structures (`fields`).
    """

    key: str
    api: str
    item_param: str  # request member naming the item, e.g. RoutingProfileId
    result_key: str
    max_results: int
    ref: str | None = None
    entry_id: str | None = None
    fields: tuple[Field, ...] = ()
    sort_by: tuple[str, ...] = ()
    # Write side: the association APIs and the largest list each call accepts. `member` is the
    # request member of Create*/Update*/Associate* that carries the entries (QueueConfigs), and
    # `reference_member` the one Disassociate* takes (QueueReferences); `entry_to_api` and
    # `reference_to_api` turn a bundle entry, its references already IDs, into the API's shapes.
    associate_api: str | None = None
    disassociate_api: str | None = None
    update_api: str | None = None
    chunk: int | None = None
    member: str | None = None
    reference_member: str | None = None
    entry_to_api: Callable[[dict[str, Any]], Any] | None = None
    reference_to_api: Callable[[dict[str, Any]], Any] | None = None
    on_create: bool = False  # Create* takes the whole list in `member` (a security profile's permissions)
    # Entries that are items of their own, each written by its own call (an hours' overrides): Create*, Update* and
    # Delete* per entry, which name an existing entry by `entry_id` (the List* member and the request member alike);
    # entries are told apart by `sort_by` (their name).
    entry_create_api: str | None = None
    entry_update_api: str | None = None
    entry_delete_api: str | None = None
    # Written in a pass of its own, after the types its entries reference (a queue's quick connects need
    # the quick connects, which need the queue): the phase's name. None: written with the item.
    second_pass: str | None = None


@dataclass(frozen=True)
class Lookup:
    """An instance-wide list that attaches a value to items, read once (e.g. phone number -> flow)."""

    key: str
    api: str
    result_key: str
    max_results: int
    item_field: str  # member holding the item's ID or ARN
    value_field: str  # member holding the referenced ID or ARN
    ref: str
    params: tuple[tuple[str, Any], ...] = ()
    # Write side: the association APIs, the request members naming the item and the value, and the phase
    # that writes them (after every phase of the referenced type: a number points at a flow with content).
    associate_api: str | None = None
    disassociate_api: str | None = None
    item_param: str | None = None
    value_param: str | None = None
    second_pass: str | None = None


@dataclass(frozen=True)
class Describe:
    """A per-item Describe call for members neither Search nor List return (phone number tags)."""

    api: str
    item_param: str
    result_key: str
    instance_param: str | None = "InstanceId"
    # As Write.describe: read by the export for every exported item even when users' contact details are
    # not (security profiles are few). As ResourceType.describe: read with the type by every reader, the
    # planner's too, because the list lacks what is compared (a view's content and tags; views are few).
    always: bool = False
    # The qualifier that reads an item with no published content, which the unqualified ID does not find (a
    # view never published: `:$SAVED`); a published item is read as published, its draft left behind.
    unpublished: str | None = None


@dataclass(frozen=True)
class Update:
    """One Update* API and the bundle keys it writes (Connect updates a type field group by group)."""

    api: str
    keys: tuple[str, ...]
    # API members this Update* spells otherwise than the read record (UpdateContactFlowMetadata's
    # ContactFlowState for a flow's State).
    rename: tuple[tuple[str, str], ...] = ()
    # Every key of the group the item gives is sent whenever one differs (the API requires them together:
    # a module's content with its settings).
    whole: bool = False


@dataclass(frozen=True)
class Write:
    """The write side of a type, read by the planner (_planner.py)."""

    create_api: str | None = None
    create_id_key: str | None = None  # response member holding the new item's ID
    updates: tuple[Update, ...] = ()
    tag_with_resource_api: bool = True  # TagResource/UntagResource by ARN
    create_arn_key: str | None = None  # response member holding the new item's ARN
    id_param: str | None = None  # request member naming an existing item in Update*/Delete*/Associate*
    delete_api: str | None = None
    # API members Create* requires that a bundle may leave out, with the value the console would use.
    create_defaults: tuple[tuple[str, Any], ...] = ()
    # Bundle keys Create* does not take, with the value a new item has: a different wanted value is
    # written by the key's Update* call right after the create (a queue created DISABLED).
    after_create: tuple[tuple[str, Any], ...] = ()
    # The Describe* that returns what the Search record lacks (see Field.search_omits).
    describe: Describe | None = None
    secret_member: str | None = None  # Create* member for a secret the planner never sees (Password)
    # For a type Connect has no Delete* for (an agent status): the bundle keys a rollback sets instead on
    # what the run created (State DISABLED), saying so in its result.
    retire: tuple[tuple[str, Any], ...] = ()
    # An association rather than an item (a Lambda function, a Lex bot): the request members that name it
    # in Associate*/Disassociate*, from its record or its create's members, instead of `id_param`.
    identify: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    # Whether Create*/Delete* name the instance (InstanceId): a phone number belongs to the account and
    # region, so ClaimPhoneNumber takes the instance's ARN and ReleasePhoneNumber only the number.
    scoped: bool = True

    def addressing(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The request members naming an existing item (or association) in Update*/Delete* calls."""
        if self.identify is not None:
            return self.identify(record)
        return {self.id_param or "": record["Id"]}

    def delete_params(self, instance_id: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """The members of the Delete* call of an existing item."""
        return {**({"InstanceId": instance_id} if self.scoped else {}), **self.addressing(record)}

    @property
    def secret_key(self) -> str | None:
        """The secret's key in a bundle entry and a module option (password): write-only, never exported,
        and kept out of every file but the one meant for it."""
        return self.secret_member.lower() if self.secret_member else None


@dataclass(frozen=True)
class ResourceType:
    key: str  # the type's name in `resources`, the bundle and the module result
    title: str  # singular, for messages
    read: Read
    fields: tuple[Field, ...]
    identity_key: str = "name"  # bundle key of the identity
    sublists: tuple[SubList, ...] = ()
    lookups: tuple[Lookup, ...] = ()
    describe: Describe | None = None
    # For types whose identity is not one API member (a hierarchy group's path).
    identity_of: Callable[[dict[str, Any]], str] | None = None
    # References not spelled as a field (a hierarchy group's ancestors): (type, ID) pairs.
    implicit_refs: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None
    write: Write = field(default_factory=Write)
    # Where the type sits in a bundle's `resources`: under its own key as a list, or (`section`) under
    # another key as `{<structure>: ..., <entries>: [...]}` (the hierarchy: its level names and its groups).
    section: str | None = None
    section_entries: str | None = None
    section_structure: str | None = None
    # Mapped to the target's own by the import (names, E.164 numbers), never written by it.
    mapped_only: bool = False
    # What Amazon Connect creates in every new instance, by the name it gives them in every region and
    # account: mapped to the target's own, never created again nor overwritten.
    instance_defaults: tuple[str, ...] = ()
    phase_title: str | None = None  # the import phase's name, where not the title's plural
    # Members the API returns that hold configuration this collection does not carry, with why: the export
    # names each item that has one set (a warning per item), so nothing is dropped silently. The completeness
    # test (tests/unit/.../test_completeness.py) holds every other member of the read shapes to a field.
    not_carried: tuple[tuple[str, str], ...] = ()

    @property
    def bundle_key(self) -> str:
        """The key of the type's section in a bundle's `resources`."""
        return self.section or self.key

    @property
    def phase(self) -> str:
        return self.phase_title or f"{self.title}s"

    @property
    def imported(self) -> bool:
        """Whether an import writes items of this type (creates, updates, tags)."""
        write = self.write
        return not self.mapped_only and write.create_api is not None and (write.id_param or write.identify) is not None

    def entries(self, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The type's items in a bundle's `resources`, wherever its section keeps them."""
        value = resources.get(self.bundle_key)
        if self.section_entries is not None:
            value = value.get(self.section_entries) if isinstance(value, Mapping) else None
        return list(value or [])

    def identity(self, record: dict[str, Any]) -> str | None:
        if self.identity_of is not None:
            return self.identity_of(record)
        return record.get(self.read.identity_field)

    def referenced_types(self) -> set[str]:
        """The types this type's items may point to, for reading what a closure can reach."""
        found = {f.ref for f in walk_fields(self.fields) if f.ref}
        found |= {s.ref for s in self.sublists if s.ref}
        found |= {f.ref for s in self.sublists for f in walk_fields(s.fields) if f.ref}
        found |= {lk.ref for lk in self.lookups}
        if self.implicit_refs is not None:
            found.add(self.key)
        if any(f.flow_language for f in self.fields):
            found |= set(REFERENCE_TYPES)
        return found & set(RESOURCE_TYPES)


def walk_fields(fields: tuple[Field, ...]) -> Iterator[Field]:
    for f in fields:
        yield f
        yield from walk_fields(f.sub)


HIDDEN = "(hidden)"


def hide_personal(rtype: ResourceType, diff: Mapping[str, Any]) -> dict[str, Any]:
    """A diff with the personal members (Field.personal) of its before and after hidden: each shows as
    hidden, and as changed where the two differ, so a reader sees that an e-mail changes, never the e-mail."""

    def walk(fields: tuple[Field, ...], before: Any, after: Any) -> tuple[Any, Any]:
        if not isinstance(before, Mapping) or not isinstance(after, Mapping):
            return before, after
        before, after = dict(before), dict(after)
        for f in fields:
            if f.personal:
                old, new = before.get(f.key), after.get(f.key)
                if f.key in before:
                    before[f.key] = HIDDEN
                if f.key in after:
                    after[f.key] = HIDDEN if old == new else f"{HIDDEN}, changed"
            elif f.sub and not f.many:
                b, a = walk(f.sub, before.get(f.key, {}), after.get(f.key, {}))
                if f.key in before:
                    before[f.key] = b
                if f.key in after:
                    after[f.key] = a
        return before, after

    hidden_before, hidden_after = walk(rtype.fields, diff.get("before") or {}, diff.get("after") or {})
    return {**diff, "before": hidden_before, "after": hidden_after}


# ---------------------------------------------------------------------------------------------------
# Hierarchy groups are identified by their path of names, root first: "EMEA/London/Sales Team A".
# ---------------------------------------------------------------------------------------------------

HIERARCHY_LEVELS = ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")
HIERARCHY_PATH_SEPARATOR = "/"


def _hierarchy_chain(record: dict[str, Any]) -> list[dict[str, Any]]:
    path = record.get("HierarchyPath") or {}
    return [path[level] for level in HIERARCHY_LEVELS if path.get(level)]


def hierarchy_group_path(record: dict[str, Any]) -> str:
    chain = _hierarchy_chain(record) or [record]
    return HIERARCHY_PATH_SEPARATOR.join(step["Name"] for step in chain)


def hierarchy_group_ancestors(record: dict[str, Any]) -> list[tuple[str, str]]:
    return [("user_hierarchy_groups", step["Id"]) for step in _hierarchy_chain(record)[:-1] if step.get("Id")]


# ---------------------------------------------------------------------------------------------------
# The types. Their references decide the order an import creates them in (`_import_phases` below).
# ---------------------------------------------------------------------------------------------------

_DAYS = ("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")
_CHANNELS = ("VOICE", "CHAT", "TASK", "EMAIL")
_TIME = (
    Field("Hours", "hours", type="integer", required=True),
    Field("Minutes", "minutes", type="integer", required=True),
)

HOURS_OF_OPERATIONS = ResourceType(
    key="hours_of_operations",
    title="hours of operation",
    phase_title="hours of operation",
    instance_defaults=("Basic Hours",),
    read=Read("SearchHoursOfOperations", "HoursOfOperations", 100, "HoursOfOperationId", "HoursOfOperationArn"),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        Field("TimeZone", "time_zone", required=True),
        Field(
            "Config",
            "config",
            many=True,
            required=True,
            sort_by=("day", "start_time"),
            sub=(
                Field("Day", "day", enum=_DAYS, required=True),
                Field("StartTime", "start_time", sub=_TIME, required=True),
                Field("EndTime", "end_time", sub=_TIME, required=True),
            ),
        ),
        tags_field(),
    ),
    not_carried=(
        (
            "ParentHoursOfOperations",
            "parent hours of operation (hours that inherit another's overrides) are not carried yet",
        ),
    ),
    sublists=(
        # Holidays and special days: each override a dated exception to the week, written one call each.
        SubList(
            key="overrides",
            api="ListHoursOfOperationOverrides",
            item_param="HoursOfOperationId",
            result_key="HoursOfOperationOverrideList",
            max_results=100,
            entry_id="HoursOfOperationOverrideId",
            fields=(
                Field("Name", "name", required=True),
                Field("Description", "description"),
                Field(
                    "Config",
                    "config",
                    many=True,
                    required=True,
                    sort_by=("day", "start_time"),
                    sub=(
                        Field("Day", "day", enum=_DAYS, required=True),
                        Field("StartTime", "start_time", sub=_TIME, required=True),
                        Field("EndTime", "end_time", sub=_TIME, required=True),
                    ),
                ),
                Field("EffectiveFrom", "effective_from", required=True, pattern=r"^\d{4}-\d{2}-\d{2}$"),
                Field("EffectiveTill", "effective_till", required=True, pattern=r"^\d{4}-\d{2}-\d{2}$"),
                Field("OverrideType", "override_type", enum=("STANDARD", "OPEN", "CLOSED")),
                Field(
                    "RecurrenceConfig",
                    "recurrence_config",
                    sub=(
                        Field(
                            "RecurrencePattern",
                            "recurrence_pattern",
                            required=True,
                            sub=(
                                Field("Frequency", "frequency", enum=("WEEKLY", "MONTHLY", "YEARLY"), required=True),
                                Field("Interval", "interval", type="integer", required=True),
                                Field("ByMonth", "by_month", type="integer", many=True),
                                Field("ByMonthDay", "by_month_day", type="integer", many=True),
                                Field("ByWeekdayOccurrence", "by_weekday_occurrence", type="integer", many=True),
                            ),
                        ),
                    ),
                ),
            ),
            sort_by=("name",),
            entry_create_api="CreateHoursOfOperationOverride",
            entry_update_api="UpdateHoursOfOperationOverride",
            entry_delete_api="DeleteHoursOfOperationOverride",
        ),
    ),
    write=Write(
        create_api="CreateHoursOfOperation",
        create_id_key="HoursOfOperationId",
        create_arn_key="HoursOfOperationArn",
        id_param="HoursOfOperationId",
        delete_api="DeleteHoursOfOperation",
        updates=(Update("UpdateHoursOfOperation", ("description", "time_zone", "config")),),
    ),
)

# The flows Amazon Connect creates in every instance (by the names it gives them): mapped to the target's
# own and left alone.
DEFAULT_FLOWS = (
    "Default agent hold",
    "Default agent whisper",
    "Default agent transfer",
    "Default customer hold",
    "Default customer queue",
    "Default customer whisper",
    "Default outbound",
    "Default queue transfer",
    "Sample inbound flow (first contact experience)",
    "Sample AB test",
    "Sample disconnect flow",
    "Sample interruptible queue flow with callback",
    "Sample Lambda integration",
    "Sample note for screenpop",
    "Sample queue configurations flow",
    "Sample queue customer",
    "Sample recording behavior",
    "Sample secure input with no agent",
)
FLOW_TYPES = (
    "CONTACT_FLOW",
    "CUSTOMER_QUEUE",
    "CUSTOMER_HOLD",
    "CUSTOMER_WHISPER",
    "AGENT_HOLD",
    "AGENT_WHISPER",
    "OUTBOUND_WHISPER",
    "AGENT_TRANSFER",
    "QUEUE_TRANSFER",
    "CAMPAIGN",
)

CONTACT_FLOWS = ResourceType(
    key="contact_flows",
    title="contact flow",
    instance_defaults=DEFAULT_FLOWS,
    # Search returns each flow's published content (a published flow's unpublished draft is not what runs).
    read=Read("SearchContactFlows", "ContactFlows", 100),
    fields=(
        Field("Name", "name", required=True),
        Field("Type", "type", required=True, enum=FLOW_TYPES),
        Field("Description", "description"),
        Field("State", "state", enum=("ACTIVE", "ARCHIVED")),
        # Chosen when the flow is created; no Connect API publishes or unpublishes it afterwards.
        Field("Status", "status", enum=("PUBLISHED", "SAVED")),
        *flow_language_fields("contact flow content"),
        tags_field(),
    ),
    write=Write(
        create_api="CreateContactFlow",
        create_id_key="ContactFlowId",
        create_arn_key="ContactFlowArn",
        id_param="ContactFlowId",
        delete_api="DeleteContactFlow",
        # Created with a stub (its content may name flows made after it), its content written in a second pass.
        create_defaults=(("Content", STUB_CONTENT),),
        after_create=(("state", "ACTIVE"),),
        updates=(
            Update("UpdateContactFlowContent", ("content",)),
            Update("UpdateContactFlowMetadata", ("description", "state"), rename=(("State", "ContactFlowState"),)),
        ),
    ),
)

CONTACT_FLOW_MODULES = ResourceType(
    key="contact_flow_modules",
    title="flow module",
    read=Read("SearchContactFlowModules", "ContactFlowModules", 100),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        Field("State", "state", enum=("ACTIVE", "ARCHIVED")),
        # CreateContactFlowModule publishes; a module only saved (a draft) cannot be created as such.
        Field("Status", "status", enum=("PUBLISHED", "SAVED")),
        *flow_language_fields("flow module content"),
        # The module's inputs, outputs and result branches (JSON), written with its content.
        Field("Settings", "settings", second_pass="flow module content"),
        tags_field(),
    ),
    not_carried=(
        (
            "ExternalInvocationConfiguration",
            "whether a module can be invoked from outside a flow is set by CreateContactFlowModule only and is not "
            "carried yet",
        ),
    ),
    write=Write(
        create_api="CreateContactFlowModule",
        create_id_key="Id",
        create_arn_key="Arn",
        id_param="ContactFlowModuleId",
        delete_api="DeleteContactFlowModule",
        create_defaults=(("Content", STUB_CONTENT),),
        after_create=(("state", "ACTIVE"), ("status", "PUBLISHED")),
        updates=(
            Update("UpdateContactFlowModuleContent", ("content", "settings"), whole=True),
            Update("UpdateContactFlowModuleMetadata", ("description", "state")),
        ),
    ),
)


# The prompts Amazon Connect puts in every instance: mapped to the target's own, never created again.
DEFAULT_PROMPTS = (
    "Beep.wav",
    "CustomerHold.wav",
    "CustomerQueue.wav",
    "Music_Jazz_MyTimetoFly_Inst.wav",
    "Music_Pop_ThisAndThatIsLife_Inst.wav",
    "Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav",
    "Music_Rock_EverywhereTheSunShines_Inst.wav",
)

PROMPTS = ResourceType(
    key="prompts",
    title="prompt",
    instance_defaults=DEFAULT_PROMPTS,
    read=Read("SearchPrompts", "Prompts", 100, "PromptId", "PromptARN"),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        # The audio travels as a file beside the bundle (GetPromptFile downloads it; see _prompts.py), named by
        # its SHA-256 and given relative to the bundle's directory; the import uploads it to S3 and creates the
        # prompt from there. Connect has no API that reads a prompt's audio except the download.
        Field("", "file", derived=True),
        Field("", "sha256", derived=True, pattern="^[0-9a-f]{64}$"),
        # Where the import uploaded the audio (s3://bucket/key): CreatePrompt's source, never exported.
        Field("S3Uri", "s3_uri", create_only=True),
        tags_field(),
    ),
    write=Write(
        create_api="CreatePrompt",
        create_id_key="PromptId",
        create_arn_key="PromptARN",
        id_param="PromptId",
        delete_api="DeletePrompt",
        updates=(Update("UpdatePrompt", ("description",)),),
    ),
)


def _lambda_record(arn: str) -> dict[str, Any]:
    return {"FunctionArn": arn, "Name": arn.split(":function:", 1)[-1]}


LAMBDA_FUNCTIONS = ResourceType(
    key="lambda_functions",
    title="Lambda function",
    # ListLambdaFunctions lists the ARNs the instance may invoke; the identity is the function's name
    # (with its qualifier, if the association names a version or alias).
    read=Read("ListLambdaFunctions", "LambdaFunctions", 25, "FunctionArn", "FunctionArn", record=_lambda_record),
    fields=(
        Field("Name", "name", required=True),
        Field("FunctionArn", "arn", required=True),
    ),
    write=Write(
        create_api="AssociateLambdaFunction",
        delete_api="DisassociateLambdaFunction",
        tag_with_resource_api=False,
        identify=lambda r: {"FunctionArn": r["FunctionArn"]},
    ),
)


def _lex_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    v2 = entry.get("LexV2Bot") or {}
    if v2.get("AliasArn"):
        arn = v2["AliasArn"]
        return {"Name": arn.split("bot-alias/", 1)[-1], "LexVersion": "V2", "AliasArn": arn, "Id": arn}
    bot = entry.get("LexBot") or entry
    return {"Name": bot.get("Name"), "LexVersion": "V1", "LexRegion": bot.get("LexRegion"), "Id": bot.get("Name")}


def _lex_identify(r: Mapping[str, Any]) -> dict[str, Any]:
    if r.get("LexVersion") == "V2" or r.get("AliasArn"):
        return {"LexV2Bot": {"AliasArn": r["AliasArn"]}}
    return {"LexBot": {"Name": r["Name"], "LexRegion": r["LexRegion"]}}


LEX_BOTS = ResourceType(
    key="lex_bots",
    title="Lex bot",
    # A Lex V1 bot is named by its name (and region); a Lex V2 bot by an alias ARN, `BOT_ID/ALIAS_ID` here.
    read=Read(
        "ListBots",
        "LexBots",
        25,
        "Id",
        "AliasArn",
        variants=((("LexVersion", "V1"),), (("LexVersion", "V2"),)),
        record=_lex_record,
    ),
    fields=(
        Field("Name", "name", required=True),
        Field("LexVersion", "lex_version", enum=("V1", "V2"), required=True),
        Field("LexRegion", "lex_region"),
        Field("AliasArn", "arn"),
    ),
    write=Write(
        create_api="AssociateBot",
        delete_api="DisassociateBot",
        tag_with_resource_api=False,
        identify=_lex_identify,
    ),
)

PHONE_NUMBERS = ResourceType(
    key="phone_numbers",
    title="phone number",
    # Matched by number or through a phone map; the planner never claims numbers (connect_claim_phone_numbers
    # does, before the preflight, see _claims.py). Each mapped number is pointed at the flow its source number
    # pointed to, once the flows exist ("phone number flows"). A rollback releases a number the run claimed.
    mapped_only=True,
    # No Search API for claimed numbers: ListPhoneNumbersV2 pages 1,000 at a time, and its summaries
    # lack tags, which only DescribePhoneNumber returns (one call per number; instances hold few).
    read=Read(
        "ListPhoneNumbersV2",
        "ListPhoneNumbersSummaryList",
        1000,
        "PhoneNumberId",
        "PhoneNumberArn",
        identity_field="PhoneNumber",
    ),
    identity_key="phone_number",
    fields=(
        Field("PhoneNumber", "phone_number", required=True, pattern=E164),
        Field("PhoneNumberCountryCode", "country_code"),
        Field("PhoneNumberType", "type"),
        Field("PhoneNumberDescription", "description"),
        tags_field(),
    ),
    describe=Describe("DescribePhoneNumber", "PhoneNumberId", "ClaimedPhoneNumberSummary", instance_param=None),
    lookups=(
        Lookup(
            key="contact_flow",
            api="ListFlowAssociations",
            result_key="FlowAssociationSummaryList",
            max_results=1000,
            item_field="ResourceId",
            value_field="FlowId",
            ref="contact_flows",
            params=(("ResourceType", "VOICE_PHONE_NUMBER"),),
            associate_api="AssociatePhoneNumberContactFlow",
            disassociate_api="DisassociatePhoneNumberContactFlow",
            item_param="PhoneNumberId",
            value_param="ContactFlowId",
            second_pass="phone number flows",
        ),
    ),
    write=Write(
        create_api="ClaimPhoneNumber",
        create_id_key="PhoneNumberId",
        create_arn_key="PhoneNumberArn",
        updates=(Update("UpdatePhoneNumberMetadata", ("description",)),),
        id_param="PhoneNumberId",
        delete_api="ReleasePhoneNumber",
        scoped=False,
    ),
)

SECURITY_PROFILES = ResourceType(
    key="security_profiles",
    title="security profile",
    instance_defaults=("Admin", "Agent", "CallCenterManager", "QualityAnalyst"),
    read=Read("SearchSecurityProfiles", "SecurityProfiles", 100, identity_field="SecurityProfileName"),
    fields=(
        Field("SecurityProfileName", "name", required=True),
        Field("Description", "description"),
        # Tag-based access control. SearchSecurityProfiles does not return it: the export reads
        # DescribeSecurityProfile for each exported profile (profiles are few), an import for each
        # existing profile whose task mentions it.
        Field("AllowedAccessControlTags", "allowed_access_control_tags", type="object", search_omits=True),
        Field("TagRestrictedResources", "tag_restricted_resources", many=True, search_omits=True),
        # Hierarchy-based access control: a supervisor sees the users (and what HierarchyRestrictedResources
        # names) of this group and below. The reference puts security profiles after the hierarchy.
        Field(
            "AllowedAccessControlHierarchyGroupId",
            "allowed_access_control_hierarchy_group",
            ref="user_hierarchy_groups",
            search_omits=True,
        ),
        Field("HierarchyRestrictedResources", "hierarchy_restricted_resources", many=True, search_omits=True),
        # Data-table access by primary attribute values.
        Field(
            "GranularAccessControlConfiguration",
            "granular_access_control_configuration",
            search_omits=True,
            sub=(
                Field(
                    "DataTableAccessControlConfiguration",
                    "data_table_access_control_configuration",
                    sub=(
                        Field(
                            "PrimaryAttributeAccessControlConfiguration",
                            "primary_attribute_access_control_configuration",
                            sub=(
                                Field(
                                    "PrimaryAttributeValues",
                                    "primary_attribute_values",
                                    many=True,
                                    sort_by=("attribute_name", "access_type"),
                                    sub=(
                                        Field("AccessType", "access_type", enum=("ALLOW",)),
                                        Field("AttributeName", "attribute_name"),
                                        Field("Values", "values", many=True),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        tags_field(),
    ),
    sublists=(
        SubList(
            key="permissions",
            api="ListSecurityProfilePermissions",
            item_param="SecurityProfileId",
            result_key="Permissions",
            max_results=1000,
            update_api="UpdateSecurityProfile",
            member="Permissions",
            on_create=True,
        ),
        # Third-party applications; neither Search nor Describe returns them. Compared as a set of
        # namespaces, each with its set of permissions.
        SubList(
            key="applications",
            api="ListSecurityProfileApplications",
            item_param="SecurityProfileId",
            result_key="Applications",
            max_results=1000,
            fields=(
                Field("Namespace", "namespace", required=True),
                Field("ApplicationPermissions", "application_permissions", many=True, required=True),
                Field("Type", "type", enum=("MCP", "THIRD_PARTY_APPLICATION")),
            ),
            sort_by=("namespace",),
            update_api="UpdateSecurityProfile",
            member="Applications",
            on_create=True,
        ),
    ),
    write=Write(
        create_api="CreateSecurityProfile",
        create_id_key="SecurityProfileId",
        create_arn_key="SecurityProfileArn",
        id_param="SecurityProfileId",
        delete_api="DeleteSecurityProfile",
        describe=Describe("DescribeSecurityProfile", "SecurityProfileId", "SecurityProfile", always=True),
        updates=(
            Update(
                "UpdateSecurityProfile",
                (
                    "description",
                    "allowed_access_control_tags",
                    "tag_restricted_resources",
                    "allowed_access_control_hierarchy_group",
                    "hierarchy_restricted_resources",
                    "granular_access_control_configuration",
                    "permissions",
                    "applications",
                ),
            ),
        ),
    ),
)

USER_HIERARCHY_GROUPS = ResourceType(
    key="user_hierarchy_groups",
    title="user hierarchy group",
    # In a bundle: {"levels": [names, root first], "groups": [...]}; the level names are written first.
    section="user_hierarchy",
    section_entries="groups",
    section_structure="levels",
    phase_title="user hierarchy",
    read=Read("SearchUserHierarchyGroups", "UserHierarchyGroups", 100),
    identity_key="path",
    identity_of=hierarchy_group_path,
    implicit_refs=hierarchy_group_ancestors,
    fields=(tags_field(),),
    write=Write(
        create_api="CreateUserHierarchyGroup",
        create_id_key="HierarchyGroupId",
        create_arn_key="HierarchyGroupArn",
        id_param="HierarchyGroupId",
        delete_api="DeleteUserHierarchyGroup",
        updates=(Update("UpdateUserHierarchyGroupName", ("path",)),),
    ),
)
# The level names (DescribeUserHierarchyStructure, one call) travel with the groups under
# `user_hierarchy` in a bundle; UpdateUserHierarchyStructure writes them.
HIERARCHY_STRUCTURE_READ = "DescribeUserHierarchyStructure"
HIERARCHY_STRUCTURE_WRITE = "UpdateUserHierarchyStructure"

QUEUES = ResourceType(
    key="queues",
    title="queue",
    instance_defaults=("BasicQueue",),
    # SearchQueues does not return a queue's type; the criterion keeps the per-user AGENT queues out.
    read=Read(
        "SearchQueues",
        "Queues",
        500,
        "QueueId",
        "QueueArn",
        params=(("SearchCriteria", {"QueueTypeCondition": "STANDARD"}),),
    ),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        Field("HoursOfOperationId", "hours_of_operation", ref="hours_of_operations", required=True),
        Field("MaxContacts", "max_contacts", type="integer"),
        Field("Status", "status", enum=("ENABLED", "DISABLED")),
        Field(
            "OutboundCallerConfig",
            "outbound_caller_config",
            sub=(
                Field("OutboundCallerIdName", "outbound_caller_id_name"),
                Field("OutboundCallerIdNumberId", "outbound_caller_id_number", ref="phone_numbers"),
                Field("OutboundFlowId", "outbound_flow", ref="contact_flows"),
            ),
        ),
        tags_field(),
    ),
    sublists=(
        SubList(
            key="quick_connects",
            api="ListQueueQuickConnects",
            item_param="QueueId",
            result_key="QuickConnectSummaryList",
            max_results=100,
            ref="quick_connects",
            entry_id="Id",
            associate_api="AssociateQueueQuickConnects",
            disassociate_api="DisassociateQueueQuickConnects",
            chunk=50,
            member="QuickConnectIds",
            reference_member="QuickConnectIds",
            second_pass="queue quick connects",
        ),
    ),
    not_carried=(
        (
            "OutboundEmailConfig",
            "e-mail addresses are not carried, so a queue's outbound e-mail address cannot be mapped",
        ),
    ),
    write=Write(
        create_api="CreateQueue",
        create_id_key="QueueId",
        create_arn_key="QueueArn",
        id_param="QueueId",
        delete_api="DeleteQueue",
        after_create=(("status", "ENABLED"),),
        updates=(
            Update("UpdateQueueName", ("description",)),
            Update("UpdateQueueHoursOfOperation", ("hours_of_operation",)),
            Update("UpdateQueueMaxContacts", ("max_contacts",)),
            Update("UpdateQueueOutboundCallerConfig", ("outbound_caller_config",)),
            Update("UpdateQueueStatus", ("status",)),
        ),
    ),
)

ROUTING_PROFILES = ResourceType(
    key="routing_profiles",
    title="routing profile",
    instance_defaults=("Basic Routing Profile",),
    read=Read("SearchRoutingProfiles", "RoutingProfiles", 500, "RoutingProfileId", "RoutingProfileArn"),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        Field("DefaultOutboundQueueId", "default_outbound_queue", ref="queues", required=True),
        Field(
            "MediaConcurrencies",
            "media_concurrencies",
            many=True,
            required=True,
            sort_by=("channel",),
            sub=(
                Field("Channel", "channel", enum=_CHANNELS, required=True),
                Field("Concurrency", "concurrency", type="integer", required=True),
                Field(
                    "CrossChannelBehavior",
                    "cross_channel_behavior",
                    sub=(
                        Field(
                            "BehaviorType", "behavior_type", enum=("ROUTE_CURRENT_CHANNEL_ONLY", "ROUTE_ANY_CHANNEL")
                        ),
                    ),
                ),
                Field(
                    "WorkloadTypeConcurrencies",
                    "workload_type_concurrencies",
                    many=True,
                    sort_by=("workload_type",),
                    sub=(
                        Field("WorkloadType", "workload_type", required=True),
                        Field("Concurrency", "concurrency", type="integer", required=True),
                        Field(
                            "CrossChannelWorkloadBehavior",
                            "cross_channel_workload_behavior",
                            sub=(Field("ChannelWorkloadBehaviorType", "channel_workload_behavior_type"),),
                        ),
                    ),
                ),
            ),
        ),
        Field(
            "AgentAvailabilityTimer",
            "agent_availability_timer",
            enum=("TIME_SINCE_LAST_ACTIVITY", "TIME_SINCE_LAST_INBOUND"),
        ),
        tags_field(),
    ),
    sublists=(
        SubList(
            key="queue_configs",
            api="ListRoutingProfileQueues",
            item_param="RoutingProfileId",
            result_key="RoutingProfileQueueConfigSummaryList",
            max_results=100,
            fields=(
                Field("QueueId", "queue", ref="queues", required=True),
                Field("Channel", "channel", enum=_CHANNELS, required=True),
                Field("Priority", "priority", type="integer", required=True, default=1),
                Field("Delay", "delay", type="integer", required=True, default=0),
            ),
            sort_by=("queue", "channel"),
            associate_api="AssociateRoutingProfileQueues",
            disassociate_api="DisassociateRoutingProfileQueues",
            update_api="UpdateRoutingProfileQueues",
            chunk=10,
            member="QueueConfigs",
            reference_member="QueueReferences",
            entry_to_api=lambda e: {
                "QueueReference": {"QueueId": e["QueueId"], "Channel": e["Channel"]},
                "Priority": e.get("Priority", 1),
                "Delay": e.get("Delay", 0),
            },
            reference_to_api=lambda e: {"QueueId": e["QueueId"], "Channel": e["Channel"]},
        ),
        # Queues agents pick contacts from themselves (manual assignment), per channel; no priority or delay.
        SubList(
            key="manual_assignment_queue_configs",
            api="ListRoutingProfileManualAssignmentQueues",
            item_param="RoutingProfileId",
            result_key="RoutingProfileManualAssignmentQueueConfigSummaryList",
            max_results=100,
            fields=(
                Field("QueueId", "queue", ref="queues", required=True),
                Field("Channel", "channel", enum=_CHANNELS, required=True),
            ),
            sort_by=("queue", "channel"),
            associate_api="AssociateRoutingProfileQueues",
            disassociate_api="DisassociateRoutingProfileQueues",
            chunk=10,
            member="ManualAssignmentQueueConfigs",
            reference_member="ManualAssignmentQueueReferences",
            entry_to_api=lambda e: {"QueueReference": {"QueueId": e["QueueId"], "Channel": e["Channel"]}},
            reference_to_api=lambda e: {"QueueId": e["QueueId"], "Channel": e["Channel"]},
        ),
    ),
    write=Write(
        create_api="CreateRoutingProfile",
        create_id_key="RoutingProfileId",
        create_arn_key="RoutingProfileArn",
        id_param="RoutingProfileId",
        delete_api="DeleteRoutingProfile",
        updates=(
            Update("UpdateRoutingProfileName", ("description",)),
            Update("UpdateRoutingProfileConcurrency", ("media_concurrencies",)),
            Update("UpdateRoutingProfileDefaultOutboundQueue", ("default_outbound_queue",)),
            Update("UpdateRoutingProfileAgentAvailabilityTimer", ("agent_availability_timer",)),
        ),
    ),
)

PREDEFINED_ATTRIBUTES = ResourceType(
    key="predefined_attributes",
    title="predefined attribute",
    # Named, not numbered: the name is the ID every API takes (and what a user's proficiency names).
    read=Read("SearchPredefinedAttributes", "PredefinedAttributes", 100, "Name", "Name"),
    fields=(
        Field("Name", "name", required=True),
        # Values are optional: an attribute used for contact segments only may have none.
        Field("Values", "values", sub=(Field("StringList", "string_list", many=True, required=True),)),
        Field("Purposes", "purposes", many=True),
        Field(
            "AttributeConfiguration",
            "attribute_configuration",
            sub=(
                Field("EnableValueValidationOnAssociation", "enable_value_validation_on_association", type="boolean"),
            ),
        ),
    ),
    write=Write(
        create_api="CreatePredefinedAttribute",
        id_param="Name",
        delete_api="DeletePredefinedAttribute",
        tag_with_resource_api=False,
        updates=(Update("UpdatePredefinedAttribute", ("values", "purposes", "attribute_configuration")),),
    ),
)

_PER_CHANNEL = (Field("Channel", "channel", enum=_CHANNELS, required=True),)
USERS = ResourceType(
    key="users",
    title="user",
    read=Read("SearchUsers", "Users", 500, identity_field="Username"),
    identity_key="username",
    fields=(
        Field("Username", "username", required=True),
        # The user's ID in an existing directory (EXISTING_DIRECTORY instances), for CreateUser only.
        Field("DirectoryUserId", "directory_user_id", create_only=True),
        # SearchUsers returns first and last name only; e-mail and mobile would cost a DescribeUser per user,
        # so the export leaves them out and an import that sets them reads DescribeUser for that user only.
        Field(
            "IdentityInfo",
            "identity_info",
            sub=(
                Field("FirstName", "first_name"),
                Field("LastName", "last_name"),
                Field("Email", "email", search_omits=True, personal=True),
                Field("SecondaryEmail", "secondary_email", search_omits=True, personal=True),
                Field("Mobile", "mobile", search_omits=True, personal=True),
            ),
        ),
        Field(
            "PhoneConfig",
            "phone_config",
            required=True,
            partial=True,
            sub=(
                Field("PhoneType", "phone_type", enum=("SOFT_PHONE", "DESK_PHONE"), required=True),
                Field("AutoAccept", "auto_accept", type="boolean"),
                Field(
                    "AfterContactWorkTimeLimit", "after_contact_work_time_limit", type="integer", search_reports_ms=True
                ),
                Field("DeskPhoneNumber", "desk_phone_number", pattern=E164),
                Field("PersistentConnection", "persistent_connection", type="boolean"),
            ),
        ),
        Field("RoutingProfileId", "routing_profile", ref="routing_profiles", required=True),
        Field("SecurityProfileIds", "security_profiles", ref="security_profiles", many=True, required=True),
        Field("HierarchyGroupId", "hierarchy_group", ref="user_hierarchy_groups"),
        Field(
            "AutoAcceptConfigs",
            "auto_accept_configs",
            many=True,
            sort_by=("channel",),
            sub=(
                *_PER_CHANNEL,
                Field("AutoAccept", "auto_accept", type="boolean"),
                Field("AgentFirstCallbackAutoAccept", "agent_first_callback_auto_accept", type="boolean"),
            ),
        ),
        Field(
            "AfterContactWorkConfigs",
            "after_contact_work_configs",
            many=True,
            sort_by=("channel",),
            sub=(
                *_PER_CHANNEL,
                Field(
                    "AfterContactWorkConfig",
                    "after_contact_work_config",
                    sub=(
                        Field(
                            "AfterContactWorkTimeLimit",
                            "after_contact_work_time_limit",
                            type="integer",
                            search_reports_ms=True,
                        ),
                    ),
                ),
                # After-contact work following an agent-first callback. Seconds in Search and Describe alike (an
                # assumption: Amazon documents milliseconds for the channel's own limit only).
                Field(
                    "AgentFirstCallbackAfterContactWorkConfig",
                    "agent_first_callback_after_contact_work_config",
                    sub=(Field("AfterContactWorkTimeLimit", "after_contact_work_time_limit", type="integer"),),
                ),
            ),
        ),
        Field(
            "PhoneNumberConfigs",
            "phone_number_configs",
            many=True,
            sort_by=("channel",),
            sub=(
                *_PER_CHANNEL,
                Field("PhoneType", "phone_type", enum=("SOFT_PHONE", "DESK_PHONE")),
                Field("PhoneNumber", "phone_number"),
            ),
        ),
        Field(
            "PersistentConnectionConfigs",
            "persistent_connection_configs",
            many=True,
            sort_by=("channel",),
            sub=(*_PER_CHANNEL, Field("PersistentConnection", "persistent_connection", type="boolean")),
        ),
        Field(
            "VoiceEnhancementConfigs",
            "voice_enhancement_configs",
            many=True,
            sort_by=("channel",),
            sub=(*_PER_CHANNEL, Field("VoiceEnhancementMode", "voice_enhancement_mode")),
        ),
        tags_field(),
    ),
    sublists=(
        # Skills for skills-based routing: a level (1.0-5.0) per value of a predefined attribute, which is
        # named by its name (its identity in both instances). One ListUserProficiencies per user.
        SubList(
            key="proficiencies",
            api="ListUserProficiencies",
            item_param="UserId",
            result_key="UserProficiencyList",
            max_results=100,
            fields=(
                Field("AttributeName", "attribute_name", ref="predefined_attributes", required=True),
                Field("AttributeValue", "attribute_value", required=True),
                Field("Level", "level", type="number", required=True),
            ),
            sort_by=("attribute_name", "attribute_value"),
            associate_api="AssociateUserProficiencies",
            disassociate_api="DisassociateUserProficiencies",
            update_api="UpdateUserProficiencies",
            chunk=20,
            member="UserProficiencies",
            reference_to_api=lambda e: {"AttributeName": e["AttributeName"], "AttributeValue": e["AttributeValue"]},
        ),
    ),
    write=Write(
        create_api="CreateUser",
        create_id_key="UserId",
        create_arn_key="UserArn",
        id_param="UserId",
        delete_api="DeleteUser",
        # Connect requires a phone configuration; a soft phone is what the console gives a new agent.
        create_defaults=(("PhoneConfig", {"PhoneType": "SOFT_PHONE"}),),
        describe=Describe("DescribeUser", "UserId", "User"),
        secret_member="Password",
        updates=(
            Update("UpdateUserIdentityInfo", ("identity_info",)),
            Update("UpdateUserPhoneConfig", ("phone_config",)),
            Update("UpdateUserRoutingProfile", ("routing_profile",)),
            Update("UpdateUserSecurityProfiles", ("security_profiles",)),
            Update("UpdateUserHierarchy", ("hierarchy_group",)),
            Update(
                "UpdateUserConfig",
                (
                    "auto_accept_configs",
                    "after_contact_work_configs",
                    "phone_number_configs",
                    "persistent_connection_configs",
                    "voice_enhancement_configs",
                ),
            ),
        ),
    ),
)

QUICK_CONNECTS = ResourceType(
    key="quick_connects",
    title="quick connect",
    read=Read("SearchQuickConnects", "QuickConnects", 100, "QuickConnectId", "QuickConnectARN"),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        Field(
            "QuickConnectConfig",
            "quick_connect_config",
            required=True,
            sub=(
                Field(
                    "QuickConnectType",
                    "quick_connect_type",
                    enum=("USER", "QUEUE", "PHONE_NUMBER", "FLOW"),
                    required=True,
                ),
                Field(
                    "UserConfig",
                    "user_config",
                    sub=(
                        Field("UserId", "user", ref="users", required=True),
                        Field("ContactFlowId", "contact_flow", ref="contact_flows", required=True),
                    ),
                ),
                Field(
                    "QueueConfig",
                    "queue_config",
                    sub=(
                        Field("QueueId", "queue", ref="queues", required=True),
                        Field("ContactFlowId", "contact_flow", ref="contact_flows", required=True),
                    ),
                ),
                # An external number: kept as it is, not a reference to a claimed number.
                Field(
                    "PhoneConfig",
                    "phone_config",
                    sub=(Field("PhoneNumber", "phone_number", required=True, pattern=E164),),
                ),
                Field(
                    "FlowConfig",
                    "flow_config",
                    sub=(Field("ContactFlowId", "contact_flow", ref="contact_flows", required=True),),
                ),
            ),
        ),
        tags_field(),
    ),
    write=Write(
        create_api="CreateQuickConnect",
        create_id_key="QuickConnectId",
        create_arn_key="QuickConnectARN",
        id_param="QuickConnectId",
        delete_api="DeleteQuickConnect",
        updates=(
            Update("UpdateQuickConnectName", ("description",)),
            Update("UpdateQuickConnectConfig", ("quick_connect_config",)),
        ),
    ),
)

AGENT_STATUSES = ResourceType(
    key="agent_statuses",
    title="agent status",
    phase_title="agent statuses",
    # Every instance has them (Type ROUTABLE and OFFLINE); only CUSTOM statuses can be created.
    instance_defaults=("Available", "Offline"),
    read=Read("SearchAgentStatuses", "AgentStatuses", 100, "AgentStatusId", "AgentStatusARN"),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        # ROUTABLE and OFFLINE are the instance's built-in Available/Offline; only CUSTOM can be created,
        # and no API changes a status's type.
        Field("Type", "type", enum=("ROUTABLE", "CUSTOM", "OFFLINE")),
        Field("State", "state", enum=("ENABLED", "DISABLED"), required=True),
        Field("DisplayOrder", "display_order", type="integer"),
        tags_field(),
    ),
    write=Write(
        create_api="CreateAgentStatus",
        create_id_key="AgentStatusId",
        create_arn_key="AgentStatusARN",
        id_param="AgentStatusId",
        # CreateAgentStatus has no Type member: what it creates is CUSTOM.
        after_create=(("type", "CUSTOM"),),
        updates=(Update("UpdateAgentStatus", ("description", "state", "display_order")),),
        # No DeleteAgentStatus exists: a rollback disables the statuses the run created.
        retire=(("state", "DISABLED"),),
    ),
)

VIEWS = ResourceType(
    key="views",
    title="view",
    # Customer-managed views only: the AWS-managed ones are every instance's own. ListViews returns no content or
    # tags, so each view is described as it is read (Describe.always; instances hold few views).
    read=Read("ListViews", "ViewsSummaryList", 100, params=(("Type", "CUSTOMER_MANAGED"),)),
    describe=Describe("DescribeView", "ViewId", "View", always=True, unpublished=":$SAVED"),
    fields=(
        Field("Name", "name", required=True),
        Field("Description", "description"),
        # The $LATEST content and whether it is published; versions are the target's own to number.
        Field("Status", "status", enum=("PUBLISHED", "SAVED"), required=True),
        Field(
            "Content",
            "content",
            required=True,
            sub=(
                # The view's template (JSON, as text) and the actions its components can raise.
                Field("Template", "template", required=True),
                Field("Actions", "actions", many=True),
            ),
        ),
        tags_field(),
    ),
    write=Write(
        create_api="CreateView",
        # CreateView answers with the whole view.
        create_id_key="View.Id",
        create_arn_key="View.Arn",
        id_param="ViewId",
        delete_api="DeleteView",
        updates=(
            Update("UpdateViewContent", ("status", "content"), whole=True),
            Update("UpdateViewMetadata", ("description",)),
        ),
    ),
)

# Every type, keyed by name; the export and the bundle list types in this order, and it breaks ties in the import order.
RESOURCE_TYPES: dict[str, ResourceType] = {
    t.key: t
    for t in (
        HOURS_OF_OPERATIONS,
        PROMPTS,
        LAMBDA_FUNCTIONS,
        LEX_BOTS,
        CONTACT_FLOW_MODULES,
        CONTACT_FLOWS,
        PHONE_NUMBERS,
        SECURITY_PROFILES,
        USER_HIERARCHY_GROUPS,
        QUEUES,
        ROUTING_PROFILES,
        AGENT_STATUSES,
        PREDEFINED_ATTRIBUTES,
        USERS,
        QUICK_CONNECTS,
        VIEWS,
    )
}


@dataclass(frozen=True)
class Phase:
    """One step of an import: a type's items, whole or without what a second pass writes, or
    (`second_pass`) only their identity and what that pass writes (`carries`)."""

    name: str
    type_key: str
    second_pass: str | None = None  # the sub-list or the second pass's name this phase writes alone
    deferred: tuple[str, ...] = ()  # sub-lists and fields left to a second pass
    carries: tuple[str, ...] = ()  # what a second pass writes: the sub-list, or the fields of that pass

    @property
    def rtype(self) -> ResourceType:
        return RESOURCE_TYPES[self.type_key]

    @property
    def chunked(self) -> bool:
        """Written in chunks of chunk_size items; a type whose items refer to each other (a group's
        parent) is one task, parents first within it."""
        return self.rtype.implicit_refs is None

    def items(self, resources: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The entries this phase writes, as the import passes them to the planner."""
        entries = self.rtype.entries(resources)
        if self.second_pass is not None:
            identity = self.rtype.identity_key
            return [
                {identity: e[identity], **{k: e[k] for k in self.carries if k in e}}
                for e in entries
                if any(k in e for k in self.carries)
            ]
        return [{k: v for k, v in e.items() if k not in self.deferred} for e in entries]

    def structure(self, resources: Mapping[str, Any]) -> Any:
        """The section's singleton this phase writes first (the hierarchy's level names), if any."""
        key = self.rtype.section_structure
        if key is None or self.second_pass is not None:
            return None
        section = resources.get(self.rtype.bundle_key)
        return section.get(key) if isinstance(section, Mapping) else None


def _import_phases() -> tuple[Phase, ...]:
    """The import's phases in dependency order, derived from the descriptions' references.

    A type comes after every imported type its fields and sub-lists refer to; a sub-list or a field
    marked `second_pass` is left out of its type's phase and written by a phase of its own after the
    types it refers to (a queue's quick connects need the quick connects, which need the queue; a
    flow's content may name any type, other flows and itself included). Ties keep the order of
    RESOURCE_TYPES, so the order is stable and reads like the documented one.
    """
    imported = [t for t in RESOURCE_TYPES.values() if t.imported]
    keys = {t.key for t in imported}
    nodes: dict[str, tuple[Phase, set[str]]] = {}
    for rtype in imported:
        later_fields = tuple(f.key for f in rtype.fields if f.second_pass)
        later = tuple(s.key for s in rtype.sublists if s.second_pass)
        needs = {f.ref for top in rtype.fields if not top.second_pass for f in walk_fields((top,)) if f.ref}
        needs |= {s.ref for s in rtype.sublists if s.ref and s.key not in later}
        needs |= {f.ref for s in rtype.sublists if s.key not in later for f in walk_fields(s.fields) if f.ref}
        nodes[rtype.key] = (Phase(rtype.phase, rtype.key, deferred=later + later_fields), (needs & keys) - {rtype.key})
        for sub in rtype.sublists:
            if sub.second_pass:
                refs = {r for r in (sub.ref, *(f.ref for f in walk_fields(sub.fields))) if r}
                nodes[f"{rtype.key}.{sub.key}"] = (
                    Phase(sub.second_pass, rtype.key, second_pass=sub.key, carries=(sub.key,)),
                    ({rtype.key} | refs) & keys,
                )
        for name in dict.fromkeys(f.second_pass for f in rtype.fields if f.second_pass):
            carried = tuple(f.key for f in rtype.fields if f.second_pass == name)
            refs = {f.ref for f in rtype.fields if f.second_pass == name for f in walk_fields((f,)) if f.ref}
            if any(f.flow_language for f in rtype.fields if f.second_pass == name):
                refs |= set(REFERENCE_TYPES)
            nodes[f"{rtype.key}.{name}"] = (
                Phase(name, rtype.key, second_pass=name, carries=carried),
                ({rtype.key} | refs) & keys,
            )
    for rtype in RESOURCE_TYPES.values():
        for lk in rtype.lookups:
            if lk.second_pass and lk.associate_api:
                # After every phase of the referenced type (its second passes too) and of the type itself.
                after = {n for n in nodes if n.split(".", 1)[0] in (lk.ref, rtype.key)}
                nodes[f"{rtype.key}.{lk.key}"] = (
                    Phase(lk.second_pass, rtype.key, second_pass=lk.key, carries=(lk.key,)),
                    after,
                )
    rank = {name: n for n, name in enumerate(nodes)}
    done: list[str] = []
    while len(done) < len(nodes):
        ready = [n for n, (_p, needs) in nodes.items() if n not in done and needs <= set(done)]
        if not ready:
            cycle = sorted(n for n in nodes if n not in done)
            raise ValueError(f"the resource types refer to each other in a cycle: {', '.join(cycle)}")
        done.append(min(ready, key=rank.__getitem__))
    return tuple(nodes[n][0] for n in done)


# The import's phases, in order: the one definition of the import order, from which
# the preflight, the import role, rollback's delete order and verify all follow.
IMPORT_PHASES: tuple[Phase, ...] = _import_phases()
# The bundle sections an import writes, in the order it first writes them.
IMPORT_ORDER: tuple[str, ...] = tuple(dict.fromkeys(p.rtype.bundle_key for p in IMPORT_PHASES))
# Types in the order an import creates them; rollback deletes in the reverse order.
CREATE_ORDER: tuple[str, ...] = tuple(dict.fromkeys(p.type_key for p in IMPORT_PHASES))
TYPE_OF_SECTION: dict[str, str] = {t.bundle_key: t.key for t in RESOURCE_TYPES.values()}


def type_of(bundle_key: str) -> ResourceType:
    """The type a bundle section holds."""
    return RESOURCE_TYPES[TYPE_OF_SECTION[bundle_key]]


def without_secrets(resources: Mapping[str, Any]) -> dict[str, Any]:
    """A bundle's resources with every write-only secret (a user's password) left out: what a file or
    a result that is not meant for secrets may hold."""
    out = dict(resources)
    for rtype in RESOURCE_TYPES.values():
        secret, entries = rtype.write.secret_key, out.get(rtype.bundle_key)
        if secret and isinstance(entries, list):
            out[rtype.bundle_key] = [
                {k: v for k, v in e.items() if k != secret} if isinstance(e, Mapping) else e for e in entries
            ]
    return out


# The names users pick from in `resources` (the module option); `user_hierarchy` is the structure and
# the groups together.
RESOURCE_CHOICES: dict[str, tuple[str, ...]] = {
    "users": ("users",),
    "routing_profiles": ("routing_profiles",),
    "security_profiles": ("security_profiles",),
    "user_hierarchy": ("user_hierarchy_groups",),
    "queues": ("queues",),
    "quick_connects": ("quick_connects",),
    "hours_of_operations": ("hours_of_operations",),
    "contact_flows": ("contact_flows",),
    "contact_flow_modules": ("contact_flow_modules",),
    "prompts": ("prompts",),
    "lambda_functions": ("lambda_functions",),
    "lex_bots": ("lex_bots",),
    "phone_numbers": ("phone_numbers",),
    "agent_statuses": ("agent_statuses",),
    "predefined_attributes": ("predefined_attributes",),
    "views": ("views",),
}
