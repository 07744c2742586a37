# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Map a source bundle onto a target instance before anything is written.

A bundle names its references; most of them name items the import itself creates. The others must
already be in the target, and that is where two instances differ:

- contact flows are matched by name (a `flow_map` renames), and are never created by an import;
- phone numbers are matched by E.164 number where the target claims the same number, else through a
  mapping file (`source number -> target number or phone number ID/ARN`); numbers left over are
  written to a template of that file for the user to fill in;
- the defaults every instance has (`BasicQueue`, `Basic Routing Profile`, `Admin`, `Agent`, ...) are
  mapped to the target's own and never written, so they are never duplicated or overwritten;
- types the user did not ask to import (`include`) are matched by name in the target.

Nothing is dropped silently. A reference that cannot be mapped is listed with every item that uses it;
with `on_unmapped=fail` it is a blocking problem (the play stops before the first write), with
`on_unmapped=skip` an optional reference is left out (a queue keeps no outbound caller ID), a list
entry is left out (a queue config, a quick connect of a queue), and an item whose required reference
is missing is left out of the import together with what needs it. Every such decision is listed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import _flow
from ._reader import title_of
from ._resources import IMPORT_ORDER, RESOURCE_TYPES, Field, type_of

ON_UNMAPPED = ("fail", "skip")
E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")


class TargetView(Protocol):
    def records(self, key: str) -> dict[str, dict[str, Any]]: ...

    def name_of(self, key: str, reference: str | None) -> str | None: ...


@dataclass
class Miss:
    """One reference that could not be mapped, where it is used, and what was done about it."""

    kind: str  # resource type key of the reference (contact_flows, phone_numbers, ...)
    source: str
    used_by: str  # "queue Q_QC_Sales_Inbound"
    effect: str  # "reference left out", "entry left out", "item left out"


@dataclass
class BundleMapping:
    resources: dict[str, Any]  # the bundle's resources, mapped, only what will be imported
    mapped: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # kind -> source/target/how
    misses: list[Miss] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # items left out: type, name, reason

    def unmapped(self) -> dict[str, list[dict[str, Any]]]:
        """kind -> [{source, used_by: [...], effects: [...]}], one entry per source value."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for miss in self.misses:
            entry = out.setdefault(miss.kind, {}).setdefault(
                miss.source, {"source": miss.source, "used_by": [], "effects": []}
            )
            if miss.used_by not in entry["used_by"]:
                entry["used_by"].append(miss.used_by)
            if miss.effect not in entry["effects"]:
                entry["effects"].append(miss.effect)
        return {kind: list(values.values()) for kind, values in out.items()}

    def report(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Per kind: what was mapped to what, and what could not be mapped (the report's `ccaas_mappings`)."""
        unmapped = self.unmapped()
        kinds = list(dict.fromkeys([*self.mapped, *unmapped]))
        return {kind: {"mapped": self.mapped.get(kind, []), "unmapped": unmapped.get(kind, [])} for kind in kinds}


def import_types(resources: Mapping[str, Any], include: list[str] | None) -> list[str]:
    """The bundle keys this run imports, in import order."""
    wanted = set(include) if include else set(IMPORT_ORDER)
    return [key for key in IMPORT_ORDER if key in wanted and key in resources]


def _unwrapped(document: Any, section: str) -> Any:
    """A mapping file's content: the dictionary itself, or the one under its `section` key."""
    if isinstance(document, Mapping) and isinstance(document.get(section), Mapping):
        return document[section]
    return document


def _filled(document: Mapping[Any, Any]) -> dict[str, str]:
    """A mapping's entries with a value: an empty one (a template not filled in yet) maps nothing."""
    return {str(k).strip(): str(v).strip() for k, v in document.items() if v is not None and str(v).strip()}


def _unfilled(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_phone_map(document: Any) -> dict[str, str]:
    """A phone mapping file's content: `{source: target}`, or the same under a `phone_numbers` key.

    Values may be empty (a template not filled in yet): such an entry maps nothing.
    """
    if document is None:
        return {}
    document = _unwrapped(document, "phone_numbers")
    if not isinstance(document, Mapping):
        raise ValueError("a phone mapping must be a dictionary of source number -> target number or ID")
    return _filled(document)


# A phone number's ID (a UUID) or ARN, as a mapping may name a source or a target number.
PHONE_NUMBER_ID = re.compile(
    r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|arn:[a-z-]+:connect:\S+)$"
)
FLOW_NAME_MAX = 127  # CreateContactFlow's Name


def phone_map_problems(document: Any) -> list[str]:
    """What is wrong with a phone mapping's shape, entry by entry, before anything is read."""
    if document is None:
        return []
    document = _unwrapped(document, "phone_numbers")
    if not isinstance(document, Mapping):
        return [
            f"phone_map: a dictionary of source number -> target number or ID is due, not a {type(document).__name__}"
        ]
    problems = []
    for key, value in document.items():
        where = f"phone_map[{str(key)[:40]!r}]"
        if not isinstance(key, str) or not (E164.match(key.strip()) or PHONE_NUMBER_ID.match(key.strip())):
            problems.append(f"{where}: the source must be an E.164 number (+442079460000) or a phone number ID or ARN")
        if _unfilled(value):
            continue  # a template entry not filled in yet: it maps nothing
        if not isinstance(value, str) or not (E164.match(value.strip()) or PHONE_NUMBER_ID.match(value.strip())):
            problems.append(
                f"{where}: the target must be an E.164 number or a phone number ID or ARN, not {str(value)[:40]!r}"
            )
    return problems


def flow_map_problems(document: Any) -> list[str]:
    """What is wrong with a flow mapping (source flow name -> target flow name) before anything is read."""
    if document is None:
        return []
    if not isinstance(document, Mapping):
        return [
            f"flow_map: a dictionary of source flow name -> target flow name is due, not a {type(document).__name__}"
        ]
    problems = []
    for key, value in document.items():
        where = f"flow_map[{str(key)[:40]!r}]"
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{where}: the source flow name must be a non-empty string")
        if not isinstance(value, str) or not value.strip() or len(value) > FLOW_NAME_MAX:
            problems.append(f"{where}: the target flow name must be a string of 1 to {FLOW_NAME_MAX} characters")
    return problems


def _integration_arn(value: Any) -> bool:
    text = value.strip() if isinstance(value, str) else ""
    return bool(_flow.LAMBDA_ARN.match(text) or _flow.LEX_V2_ALIAS_ARN.match(text))


def parse_integration_map(document: Any) -> dict[str, str]:
    """An integration mapping's content: `{source ARN: target ARN}` (Lambda functions, Lex V2 bot aliases),
    or the same under an `integrations` key; empty values (a template not filled in) map nothing."""
    document = _unwrapped(document, "integrations")
    return _filled(document) if isinstance(document, Mapping) else {}


def integration_map_problems(document: Any) -> list[str]:
    """What is wrong with an integration mapping, entry by entry, before anything is read."""
    if document is None:
        return []
    document = _unwrapped(document, "integrations")
    if not isinstance(document, Mapping):
        return [
            "integration_map: a dictionary of source ARN -> target ARN (Lambda functions, Lex V2 bot aliases) is due,"
            f" not a {type(document).__name__}"
        ]
    problems = []
    for key, value in document.items():
        where = f"integration_map[{str(key)[:80]!r}]"
        if not _integration_arn(key):
            problems.append(f"{where}: the source must be a Lambda function ARN or a Lex V2 bot alias ARN")
        if _unfilled(value):
            continue
        if not _integration_arn(value):
            problems.append(f"{where}: the target must be a Lambda function ARN or a Lex V2 bot alias ARN")
        elif _integration_arn(key) and bool(_flow.LAMBDA_ARN.match(str(key).strip())) != bool(
            _flow.LAMBDA_ARN.match(value.strip())
        ):
            problems.append(f"{where}: maps a Lambda function to a Lex bot alias, or the other way round")
    return problems


def integration_map_template(unmapped: list[dict[str, Any]], source: str, target: str) -> str:
    """A mapping file for the Lambda functions and Lex V2 bot aliases nothing mapped, ready to fill in."""
    lines = [
        f"# Lambda functions and Lex V2 bot aliases of {source} that nothing maps in {target}.",
        "# Give each the target's ARN, then run again with -e integration_map=THIS_FILE.",
        "# An entry left empty stays unmapped.",
    ]
    for entry in unmapped:
        lines.append(f"# {'; '.join(entry['used_by'][:5])}")
        lines.append(f'"{entry["source"]}": ""')
    return "\n".join(lines) + "\n"


def source_ids_in(phone_map: Mapping[str, str]) -> list[str]:
    """The keys of a phone mapping that name a source number by ID or ARN instead of by number."""
    return [key for key in phone_map if not E164.match(key)]


def phone_map_by_number(
    phone_map: Mapping[str, str], source_numbers: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Key a phone mapping by source E.164 number, as the bundle spells references.

    `source_numbers` maps the source's phone number IDs and ARNs to their numbers (one read of the
    source); a key it does not know is a problem, not a silent miss.
    """
    out: dict[str, str] = {}
    problems = []
    for key, value in phone_map.items():
        if E164.match(key):
            out[key] = value
        elif key in source_numbers:
            out[source_numbers[key]] = value
        else:
            problems.append(f"phone_map names {key}, which is neither an E.164 number nor a phone number of the source")
    return out, problems


class Mapper:
    def __init__(
        self,
        target: TargetView,
        resources: Mapping[str, Any],
        include: list[str] | None = None,
        phone_map: Mapping[str, str] | None = None,
        flow_map: Mapping[str, str] | None = None,
        on_unmapped: str = "fail",
        integration_map: Mapping[str, str] | None = None,
        update_default_flows: bool = False,
    ) -> None:
        if on_unmapped not in ON_UNMAPPED:
            raise ValueError(f"on_unmapped must be one of {', '.join(ON_UNMAPPED)}, not {on_unmapped!r}")
        self.target = target
        self.source = resources
        self.types = import_types(resources, include)
        self.phone_map = dict(phone_map or {})
        self.flow_map = dict(flow_map or {})
        self.integration_map = parse_integration_map(integration_map)
        # The flows Amazon creates in every instance are the target's own unless the user opts in.
        self.update_default_flows = update_default_flows
        self.on_unmapped = on_unmapped
        # Lambda functions and Lex bots are named after their target ARN: source name -> target name.
        self.renamed: dict[str, dict[str, str]] = {}
        self.result = BundleMapping(resources={})
        self._noted: set[tuple[str, str]] = set()
        self.problems: list[str] = []

    # ---- what a reference becomes in the target ----

    def _note(self, kind: str, source: str, target: str, how: str) -> None:
        if (kind, source) not in self._noted:
            self._noted.add((kind, source))
            self.result.mapped.setdefault(kind, []).append({"source": source, "target": target, "how": how})

    def _in_target(self, kind: str, identity: str) -> bool:
        return identity in self.target.records(kind)

    def resolve(self, kind: str, value: str, imported: dict[str, set[str]]) -> str | None:
        """The target identity a source reference maps to, or None when nothing maps it."""
        if kind not in RESOURCE_TYPES:
            return None  # a type this collection does not carry (a prompt): nothing maps it
        rtype = RESOURCE_TYPES[kind]
        value = self.renamed.get(kind, {}).get(value, value)
        if kind == "contact_flows" and value in self.flow_map:
            return self._flow(value)
        if rtype.bundle_key in imported and not rtype.mapped_only:
            if value in imported[rtype.bundle_key]:
                return value
            if value in rtype.instance_defaults and self._in_target(kind, value):
                self._note("defaults", value, value, f"instance default {RESOURCE_TYPES[kind].title}")
                return value
            if kind != "contact_flows":
                return None
        if kind == "phone_numbers":
            return self._phone_number(value)
        if kind == "contact_flows":
            return self._flow(value)
        if self._in_target(kind, value):
            how = "instance default" if value in rtype.instance_defaults else "same name"
            self._note("defaults" if how == "instance default" else kind, value, value, how)
            return value
        return None

    def _flow(self, name: str) -> str | None:
        """A flow the bundle does not carry, or one a flow_map points at a flow of the target."""
        wanted = self.flow_map.get(name, name)
        if self._in_target("contact_flows", wanted):
            self._note("contact_flows", name, wanted, "flow_map" if name in self.flow_map else "same name")
            return wanted
        return None

    def _numbers(self, numbers: list[dict[str, Any]], misses: list[Miss]) -> list[dict[str, Any]]:
        """The bundle's numbers as the target's (an import writes only which flow each points to): a
        number with an inbound flow that maps to no number of the target is listed, never dropped silently."""
        rtype = RESOURCE_TYPES["phone_numbers"]
        out = []
        for item in numbers:
            number = str(item.get("phone_number"))
            carried = {lk.key: item[lk.key] for lk in rtype.lookups if lk.second_pass and item.get(lk.key)}
            if not carried:
                continue  # nothing of it is written
            mapped = self._phone_number(number)
            if mapped is None:
                flows = ", ".join(f"{k.replace('_', ' ')} '{v}'" for k, v in carried.items())
                misses.append(
                    Miss("phone_numbers", number, f"phone number {number} ({flows})", self._effect(False, False))
                )
                continue
            out.append({"phone_number": mapped, **carried})
        return out

    def _integration(self, key: str, item: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
        """A Lambda function or Lex bot as the target's: (the item named after its target ARN, how), or
        (None, why) when nothing maps it. A map entry decides; else a Lambda function is the function of
        that name in the target's account and region, a Lex V1 bot is named alike everywhere, and a Lex
        V2 alias (IDs that differ per account and region) maps to itself only in the same account and region."""
        arn, name = item.get("arn"), item.get("name")
        target = getattr(self.target, "instance_arn", None)
        wanted: str | None
        if arn and arn in self.integration_map:
            wanted, how = self.integration_map[arn], "integration_map"
        elif key == "lambda_functions":
            wanted, how = (_flow.lambda_target_arn(str(name), target) if target else arn), "same name"
        elif item.get("lex_version") != "V2":
            return item, "same name"
        elif arn and (target is None or _flow.same_place(arn, target)):
            wanted, how = arn, "same account and region"
        else:
            return None, "a Lex V2 bot alias of another account or region: map it in integration_map"
        match = _flow.LAMBDA_ARN.match(wanted or "") or _flow.LEX_V2_ALIAS_ARN.match(wanted or "")
        if not match:
            return None, f"integration_map gives {wanted!r}, which is not a Lambda function or Lex V2 alias ARN"
        return {**item, "name": match["name"], "arn": wanted}, how

    def _phone_number(self, number: str) -> str | None:
        if number in self.phone_map:
            given = self.phone_map[number]
            mapped = self.target.name_of("phone_numbers", given)
            if mapped is not None and self._in_target("phone_numbers", mapped):
                self._note("phone_numbers", number, mapped, "phone_map")
                return mapped
            problem = f"phone_map maps {number} to {given}, which the target has not claimed"
            if problem not in self.problems:
                self.problems.append(problem)
            return None
        if self._in_target("phone_numbers", number):
            # A number the run claims before the import is in the target under the source's number until then.
            planned = self.target.records("phone_numbers")[number].get("planned")
            self._note("phone_numbers", number, number, "to be claimed" if planned else "same number")
            return number
        return None

    # ---- the bundle, mapped ----

    def run(self) -> BundleMapping:
        items = {key: copy.deepcopy(type_of(key).entries(self.source)) for key in self.types}
        unmapped_integrations: list[Miss] = []
        for key in ("lambda_functions", "lex_bots"):
            if key not in items:
                continue
            kept = []
            for item in items[key]:
                mapped, how = self._integration(key, item)
                if mapped is None:
                    effect = self._effect(True, False)
                    used = f"{RESOURCE_TYPES[key].title} {item.get('name')}: {how}"
                    unmapped_integrations.append(Miss(key, str(item.get("arn") or item.get("name")), used, effect))
                    if self.on_unmapped == "fail":
                        kept.append(item)
                    continue
                if mapped["name"] != item["name"] or mapped.get("arn") != item.get("arn"):
                    self.renamed.setdefault(key, {})[item["name"]] = mapped["name"]
                    self._note(key, str(item.get("arn")), str(mapped.get("arn")), how)
                kept.append(mapped)
            items[key] = kept
        if "phone_numbers" in items:
            items["phone_numbers"] = self._numbers(items["phone_numbers"], unmapped_integrations)
        # Instance defaults the target has are the target's: mapped, left out of the write; so are flows a
        # flow_map points at a flow of the target.
        for key in items:
            rtype = type_of(key)
            kept = []
            for item in items[key]:
                name = str(item.get(rtype.identity_key))
                updated = key == "contact_flows" and self.update_default_flows
                if name in rtype.instance_defaults and self._in_target(rtype.key, name) and not updated:
                    self._note("defaults", name, name, f"instance default {rtype.title}")
                elif key == "contact_flows" and name in self.flow_map:
                    self._flow(name)
                elif any(f.flow_language for f in rtype.fields) and "content" not in item:
                    # No content to write: the bundle names a flow (module) the target must have.
                    if self._in_target(rtype.key, name):
                        self._note(rtype.key, name, name, "same name (no content in the bundle)")
                    else:
                        effect = self._effect(True, False)
                        unmapped_integrations.append(Miss(rtype.key, name, f"{rtype.title} {name}: no content", effect))
                        if self.on_unmapped == "fail":
                            kept.append(item)
                else:
                    kept.append(item)
            items[key] = kept
        # Skipping an item can make another unmappable (a quick connect to a skipped queue): repeat
        # until nothing changes. Each pass starts again from the source items so effects are not doubled.
        left_out: dict[str, dict[str, str]] = {key: {} for key in items}
        while True:
            imported = {
                key: {i[type_of(key).identity_key] for i in entries} - set(left_out[key])
                for key, entries in items.items()
            }
            misses: list[Miss] = []
            mapped_items: dict[str, list[dict[str, Any]]] = {}
            newly = False
            for key, entries in items.items():
                rtype = type_of(key)
                mapped_items[key] = []
                for item in entries:
                    name = item[rtype.identity_key]
                    where = f"{rtype.title} {name}"
                    out, item_misses, skip = self._map_struct(rtype.fields, item, imported, where, top=True)
                    for sub in rtype.sublists:
                        if out.get(sub.key):
                            out[sub.key], sub_misses = self._map_sublist(sub, out[sub.key], imported, where)
                            item_misses += sub_misses
                    for lk in rtype.lookups:
                        if out.get(lk.key):
                            found = self.resolve(lk.ref, out[lk.key], imported)
                            if found is None:
                                item_misses.append(Miss(lk.ref, out[lk.key], where, self._effect(False, False)))
                                if self.on_unmapped == "skip":
                                    del out[lk.key]
                            else:
                                out[lk.key] = found
                    # A left-out item is still mapped, so what it misses stays listed in every pass.
                    misses += item_misses
                    if skip and self.on_unmapped == "skip":
                        if name not in left_out[key]:
                            left_out[key][name] = "; ".join(
                                f"{title_of(m.kind)} '{m.source}' not in the target"
                                for m in item_misses
                                if m.effect == "item left out"
                            )
                            newly = True
                        continue
                    mapped_items[key].append(out)
            if not newly:
                break
        self.result.misses = unmapped_integrations + misses
        for key, reasons in left_out.items():
            for name, reason in reasons.items():
                self.result.skipped.append({"type": key, "name": name, "reason": reason})
        resources: dict[str, Any] = {}
        for key in self.types:
            inner = type_of(key).section_entries
            # A section keeps its other members (the hierarchy's level names) as the source has them.
            resources[key] = {**(self.source.get(key) or {}), inner: mapped_items[key]} if inner else mapped_items[key]
        self.result.resources = resources
        return self.result

    def _effect(self, required: bool, in_list: bool) -> str:
        if self.on_unmapped == "fail":
            return "item fails"
        if in_list:
            return "entry left out"
        return "item left out" if required else "reference left out"

    def _map_struct(
        self, fields: tuple[Field, ...], struct: Mapping[str, Any], imported: dict[str, set[str]], where: str, top=False
    ) -> tuple[dict[str, Any], list[Miss], bool]:
        """(mapped structure, misses, whether a required reference is missing)."""
        out = dict(struct)
        misses: list[Miss] = []
        skip = False
        for f in fields:
            value = struct.get(f.key)
            if value is None or value == "":
                continue
            if f.typed_refs:
                content = next((struct.get(c.key) for c in fields if c.flow_language), None)
                out[f.key], ref_misses, ref_skip = self._map_typed(value, imported, where, content)
                misses += ref_misses
                skip |= ref_skip
            elif f.sub and f.many:
                kept: list[dict[str, Any] | str] = []
                for entry in value:
                    mapped, entry_misses, entry_skip = self._map_struct(f.sub, entry, imported, where)
                    for miss in entry_misses:
                        miss.effect = self._effect(False, True) if entry_skip else miss.effect
                    misses += entry_misses
                    if not entry_skip or self.on_unmapped == "fail":
                        kept.append(mapped)
                out[f.key] = kept
                skip |= bool(f.required and value and not kept)
            elif f.sub:
                out[f.key], sub_misses, sub_skip = self._map_struct(f.sub, value, imported, where)
                misses += sub_misses
                skip |= sub_skip
            elif f.ref and f.many:
                kept, own = [], []
                for reference in value:
                    found = self.resolve(f.ref, reference, imported)
                    if found is None:
                        own.append(Miss(f.ref, reference, where, self._effect(False, True)))
                        if self.on_unmapped == "fail":
                            kept.append(reference)
                    else:
                        kept.append(found)
                out[f.key] = kept
                if f.required and value and not kept:
                    skip = True  # nothing of a required list is left: the item itself cannot be written
                    for miss in own:
                        miss.effect = self._effect(True, False)
                misses += own
            elif f.ref:
                found = self.resolve(f.ref, value, imported)
                if found is None:
                    misses.append(Miss(f.ref, value, where, self._effect(f.required, False)))
                    skip |= f.required
                    if self.on_unmapped == "skip" and not f.required:
                        del out[f.key]
                else:
                    out[f.key] = found
        return out, misses, skip

    def _map_typed(
        self, entries: list[Any], imported: dict[str, set[str]], where: str, content: Any
    ) -> tuple[list[Any], list[Miss], bool]:
        """A flow's references (`{arn, type, name}`), each named as the target's: the flow language
        needs every one of them, so one that nothing maps fails the item (or leaves it out)."""
        kept: list[Any] = []
        misses: list[Miss] = []
        document = _flow.parse(content)
        for entry in entries:
            if not isinstance(entry, Mapping):
                continue
            found = self.resolve(str(entry.get("type")), str(entry.get("name")), imported)
            if found is None:
                action = _flow.action_naming(document, str(entry.get("arn")))
                miss = Miss(
                    str(entry.get("type")), str(entry.get("name")), f"{where}, {action}", self._effect(True, False)
                )
                misses.append(miss)
                kept.append(dict(entry))
            else:
                kept.append({**entry, "name": found})
        return kept, misses, bool(misses)

    def _map_sublist(self, sub: Any, entries: list[Any], imported: dict[str, set[str]], where: str):
        misses: list[Miss] = []
        kept: list[Any] = []
        for entry in entries:
            if sub.ref:
                found = self.resolve(sub.ref, entry, imported)
                if found is None:
                    misses.append(Miss(sub.ref, entry, where, self._effect(False, True)))
                    if self.on_unmapped == "fail":
                        kept.append(entry)
                else:
                    kept.append(found)
            elif sub.fields:
                mapped, entry_misses, entry_skip = self._map_struct(sub.fields, entry, imported, where)
                for miss in entry_misses:
                    miss.effect = self._effect(False, True)
                misses += entry_misses
                if not entry_skip or self.on_unmapped == "fail":
                    kept.append(mapped)
            else:
                kept.append(entry)
        return kept, misses


def map_bundle(
    target: TargetView,
    resources: Mapping[str, Any],
    include: list[str] | None = None,
    phone_map: Mapping[str, str] | None = None,
    flow_map: Mapping[str, str] | None = None,
    on_unmapped: str = "fail",
    integration_map: Mapping[str, str] | None = None,
    update_default_flows: bool = False,
) -> tuple[BundleMapping, list[str]]:
    """(the mapping, problems with the mapping files themselves)."""
    mapper = Mapper(target, resources, include, phone_map, flow_map, on_unmapped, integration_map, update_default_flows)
    return mapper.run(), mapper.problems


def phone_map_template(unmapped_numbers: list[dict[str, Any]], source: str, target: str) -> str:
    """A phone mapping file for the numbers nothing mapped, with where each is used, ready to fill in."""
    lines = [
        f"# Phone numbers of {source} that {target} has not claimed.",
        "# Give each the target's number (E.164) or phone number ID, then run again with -e phone_map=THIS_FILE.",
        "# An entry left empty stays unmapped.",
    ]
    for entry in unmapped_numbers:
        used = ", ".join(entry["used_by"][:5]) + (
            f" and {len(entry['used_by']) - 5} more" if len(entry["used_by"]) > 5 else ""
        )
        lines.append(f"# used by {used}")
        lines.append(f'"{entry["source"]}": ""')
    return "\n".join(lines) + "\n"
