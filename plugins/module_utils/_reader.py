# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one reader of a Connect instance: the export reads its source with it, the planner, preflight,
verify and rollback read their target with it.

Each type is read once, on first need, the way its description says (_resources.py: the Search API
at its largest page, else List), and kept, indexed by identity (name, hierarchy path, E.164 number)
and by ID and ARN: resolving 10,000 users' references then costs a handful of calls, not one
Describe per user. Identities are matched case-sensitively, as Connect matches names. Every call goes
through the client it is given (the paced client), so reading through it costs what the API quotas
allow and the call counts a run reports are the reader's.

Beside the reads, a reader holds what the run itself makes known: items a write created (`add`)
and, in check mode, items an earlier task or phase of the same run creates (`assume`). An `overlay`
is a view that sees every read of its base but keeps such additions to itself (a preflight phase).
"""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from typing import Any

from ._client import paginate, reading
from ._files import write_private
from ._resources import HIERARCHY_LEVELS, HIERARCHY_STRUCTURE_READ, RESOURCE_TYPES, Describe, ResourceType, SubList

try:
    from botocore import xform_name
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore itself

Record = dict[str, Any]
# Which type each per-item list belongs to (a routing profile's queues): per-item reads are kept by type.
SUBLIST_OWNERS = {(sub.api, sub.key): rtype.key for rtype in RESOURCE_TYPES.values() for sub in rtype.sublists}
# Per-item reads in flight at once per API (a Describe per user): enough to keep one API's bucket at its
# rate while each call waits on the network; the rate limiter, not this number, sets the pace.
READ_WORKERS = 8


class Lane:
    """One API's per-item reads: up to `workers` threads take them in the order sent.

    Amazon paces each API apart, so each API gets workers of its own (`lane`): a user's DescribeUser and
    its ListUserProficiencies then run side by side, each at its own quota, instead of one pool's workers
    all queueing on the slower bucket while the other API idles. The threads end when the lane is empty
    and are daemons, so a module that exits does not wait for reads nobody took.
    """

    def __init__(self, name: str, workers: int = READ_WORKERS) -> None:
        self.name = name
        self.workers = workers
        self._queue: deque[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()
        self._lock = threading.Lock()
        self._running = 0

    def submit(self, read: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            self._queue.append((future, read, args))
            if self._running >= self.workers:
                return future
            self._running += 1
        threading.Thread(target=self._work, name=f"read-{self.name}", daemon=True).start()
        return future

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._running -= 1
                    return
                future, read, args = self._queue.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(read(*args))
            except BaseException as exc:  # handed to whoever takes the answer
                future.set_exception(exc)


_lanes: dict[str, Lane] = {}
_lanes_lock = threading.Lock()


def lane(api: str) -> Lane:
    """The lane of one API's per-item reads, shared by every reader of the process (see Lane)."""
    with _lanes_lock:
        return _lanes.setdefault(api, Lane(api))


def title_of(key: str) -> str:
    """A type's title for messages; a type this collection does not carry (a prompt) by its key, singular."""
    if key in RESOURCE_TYPES:
        return RESOURCE_TYPES[key].title
    return key[:-1].replace("_", " ") if key.endswith("s") else key


class Reader:
    """One instance as a run reads it; each type is read at most once per reader.

    `complete`: a type with a per-item Describe for what its list lacks (a phone number's tags) is
    read with that Describe for every item, as the export needs. `keep_lists`: per-item lists and
    instance-wide look-ups are kept once read (the export follows them, then writes them); a planner
    reads each item's lists once per plan and must see them as they are now, so it does not keep them.
    """

    def __init__(
        self,
        client: Any,
        instance_id: str,
        instance_arn: str | None = None,
        *,
        complete: bool = False,
        keep_lists: bool = False,
        keep_item_reads: bool = False,
    ) -> None:
        self.client = client
        self.instance_id = instance_id
        self.instance_arn = instance_arn
        self.complete = complete
        self.keep_lists = keep_lists
        self._base: Reader | None = None
        self._params: dict[str, dict[str, Any]] = {}  # type -> request members replacing its fixed ones
        self._records: dict[str, dict[str, Record]] = {}  # type -> identity -> record
        self._ids: dict[str, dict[str, str]] = {}  # type -> ID or ARN -> identity
        self._by_ref: dict[str, dict[str, Record]] = {}  # type -> ID or ARN -> record
        self._read_order: dict[str, list[Record]] = {}  # type -> every record read, as read
        self._sublists: dict[tuple[str, str, str], list[Any]] = {}
        # Per-item reads sent ahead (prefetch), each taken once by the sublist() or describe() that wants it.
        self._ahead: dict[tuple[str, ...], Future[Any]] = {}
        self._ahead_lock = threading.Lock()
        self._lookups: dict[tuple[str, str], dict[str, str]] = {}
        # Per-item reads (key as in _ahead -> (type, answer)): made here and kept for a later task
        # (`keep_item_reads`, the preflight), or given by an earlier task's (`give_item_reads`), each taken once.
        self._kept: dict[tuple[str, ...], tuple[str, Any]] | None = {} if keep_item_reads else None
        self._given: dict[tuple[str, ...], tuple[str, Any]] = {}
        self._given_taken: dict[str, set[str]] = {}  # type -> items whose given answers were taken

    @classmethod
    def of(cls, client: Any, instance: Mapping[str, Any], **options: Any) -> Reader:
        """A reader of the instance a DescribeInstance result describes (its ID and ARN)."""
        return cls(client, instance["Id"], instance.get("Arn"), **options)

    # ---- reading a type ---------------------------------------------------------------------------

    def read_with(self, key: str, params: Mapping[str, Any]) -> None:
        """Read type `key` with these request members instead of its description's fixed ones
        (every queue, AGENT queues included, instead of the STANDARD ones); before its first read."""
        if key in self._records:
            raise ValueError(f"{title_of(key)}s were read already")
        self._params[key] = dict(params)

    def _ensure(self, key: str) -> None:
        if key in self._records:
            return
        if self._base is not None:
            self._base._ensure(key)
            self._records[key] = dict(self._base._records[key])
            self._ids[key] = dict(self._base._ids[key])
            self._by_ref[key] = dict(self._base._by_ref[key])
            self._read_order[key] = self._base._read_order[key]
            return
        self._read(key, {})

    def _read(self, key: str, extra: dict[str, Any]) -> None:
        """One read pass of a type (or one search narrowed by `extra`) into the indexes."""
        rtype = RESOURCE_TYPES[key]
        read = rtype.read
        fixed = self._params[key] if key in self._params else dict(read.params)
        found: Any = []
        for variant in read.variants:
            params = {read.instance_param: self.instance_id, **fixed, **dict(variant), **extra}
            page = paginate(self.client, read.api, params, read.result_key, read.max_results)
            found.extend(map(read.record, page) if read.record else page)
        if rtype.describe is not None and (self.complete or rtype.describe.always):
            # Every item is described, as listed, before any is indexed: part of the list, so read now, never
            # taken from what an earlier task gave (verify lists every type afresh).
            ids = [r[read.id_field] for r in found]
            self.forget_item_reads(ids)
            described = self.each_described(rtype, ids, rtype.describe)
            found = [{**r, **d} for r, d in zip(found, described, strict=True)]
        self._index(key, found)

    def _index(self, key: str, found: list[Record]) -> None:
        rtype = RESOURCE_TYPES[key]
        read = rtype.read
        by_identity: dict[str, Record] = {}
        ids: dict[str, str] = {}
        by_ref: dict[str, Record] = {}
        in_order: list[Record] = []
        for raw in found:
            identity = rtype.identity(raw)
            if not identity:
                continue  # an AGENT queue has no name: it belongs to its user, not to the bundle
            record = {**raw, "Id": raw.get(read.id_field), "Arn": raw.get(read.arn_field) or raw.get(read.id_field)}
            by_identity[identity] = record
            in_order.append(record)
            for reference in (record["Id"], record["Arn"]):
                if reference:
                    ids[reference] = identity
                    by_ref[reference] = record
        self._records[key], self._ids[key] = by_identity, ids
        self._by_ref[key], self._read_order[key] = by_ref, in_order

    def has_read(self, key: str) -> bool:
        return key in self._records

    # ---- a read kept for later tasks ----------------------------------------------------------------

    def snapshot(self) -> dict[str, list[Record]]:
        """Every type read so far, as read (what this run added left out): for `load` in a later task."""
        return {key: list(self._read_order[key]) for key in self._records}

    def load(self, read: Mapping[str, list[Record]]) -> None:
        """Take types as an earlier `snapshot` of the same instance holds them instead of reading them."""
        for key, records in read.items():
            if key in RESOURCE_TYPES and key not in self._records:
                self._index(key, list(records))

    def item_reads(self) -> list[list[Any]]:
        """The per-item reads (Describe*, sub-lists) this reader made and kept (`keep_item_reads`), and
        those it was given and nobody took yet, as `[type, key, answer]` rows: for `give_item_reads`."""
        root = self._root()
        with root._ahead_lock:
            pool = {**(root._kept or {}), **root._given}
        return [[rtype, list(key), answer] for key, (rtype, answer) in pool.items()]

    def give_item_reads(self, rows: Iterable[Any], types: Iterable[str]) -> None:
        """Take these per-item reads of `types` (rows of an earlier `item_reads` of the same instance) as
        answers: the next describe() or sublist() of such an item takes its answer from here, once."""
        wanted = set(types)
        root = self._root()
        with root._ahead_lock:
            for row in rows:
                if isinstance(row, list) and len(row) == 3 and row[0] in wanted and isinstance(row[1], list):
                    root._given[tuple(str(part) for part in row[1])] = (row[0], row[2])

    def forget_item_reads(self, item_ids: Iterable[str]) -> None:
        """Drop the given answers about these items: their next per-item reads go to the instance."""
        dropped = {str(item_id) for item_id in item_ids}
        root = self._root()
        with root._ahead_lock:
            for key in [key for key in root._given if key[-1] in dropped]:
                del root._given[key]

    def given_taken(self) -> dict[str, int]:
        """Per type, how many items' per-item reads were answered from what an earlier task gave."""
        root = self._root()
        with root._ahead_lock:
            return {rtype: len(items) for rtype, items in root._given_taken.items() if items}

    def _root(self) -> Reader:
        reader = self
        while reader._base is not None:
            reader = reader._base
        return reader

    def _given_answer(self, key: tuple[str, ...]) -> tuple[bool, Any]:
        root = self._root()
        with root._ahead_lock:
            given = root._given.pop(key, None)
            if given is not None:
                root._given_taken.setdefault(given[0], set()).add(key[-1])
        return (True, given[1]) if given is not None else (False, None)

    def _keep(self, rtype: str, key: tuple[str, ...], answer: Any) -> None:
        root = self._root()
        if root._kept is not None:
            with root._ahead_lock:
                root._kept[key] = (rtype, answer)

    # ---- what was read ------------------------------------------------------------------------------

    def records(self, key: str) -> dict[str, Record]:
        """Every item of type `key`, by identity, with `Id` and `Arn` set (plus what this run added)."""
        self._ensure(key)
        return self._records[key]

    def listed(self, key: str) -> list[Record]:
        """Every item of type `key` the read returned, in the order it returned them; two items of
        one identity are both here (`records` keeps the last)."""
        self._ensure(key)
        return self._read_order[key]

    def by_ref(self, key: str, reference: str | None) -> Record | None:
        """The item an ID or ARN names; None when there is none (an identity is not an ID here)."""
        if not reference:
            return None
        self._ensure(key)
        return self._by_ref[key].get(reference)

    def id_of(self, key: str, reference: str) -> str | None:
        """The ID for an identity (or an ID/ARN given as such); None when the instance has no such item."""
        records = self.records(key)
        if reference in records:
            return records[reference]["Id"]
        identity = self._ids[key].get(reference)
        return records[identity]["Id"] if identity is not None else None

    def name_of(self, key: str, reference: str | None) -> str | None:
        """The identity of an ID or ARN, as a bundle spells it; anything else comes back as it is."""
        if reference is None:
            return None
        self._ensure(key)
        return self._ids[key].get(reference, reference)

    # ---- what the run makes known -------------------------------------------------------------------

    def add(self, key: str, identity: str, record: Record) -> None:
        """Make an item this run creates known to later look-ups in the same run."""
        self.records(key)[identity] = record
        for reference in (record.get("Id"), record.get("Arn")):
            if reference:
                self._ids[key][reference] = identity
                self._by_ref[key][reference] = record

    def assume(self, key: str, identity: str) -> None:
        """Check mode: an item an earlier task of the same run creates counts as there.

        Its placeholder ID is never sent (check mode sends nothing) and maps back to the identity,
        so a dry run of a whole import into an empty target plans what the real run will do instead
        of failing on references the real run will have created by then.
        """
        if identity not in self.records(key):
            placeholder = f"(created by an earlier task) {identity}"
            self.add(key, identity, {"Id": placeholder, "Arn": placeholder, "planned": True, "pending": True})

    def overlay(self) -> Reader:
        """A view that reads through this reader (each type still read once, for both) and keeps
        what is added to it (`add`, `assume`) to itself: one preflight phase's view of the target."""
        view = Reader(self.client, self.instance_id, self.instance_arn, complete=self.complete)
        view._base = self
        return view

    def _copy_without(self, key: str) -> Reader:
        view = Reader(self.client, self.instance_id, self.instance_arn, complete=self.complete)
        view._params = dict(self._params)
        view._records.update({k: v for k, v in self._records.items() if k != key})
        view._ids.update({k: v for k, v in self._ids.items() if k != key})
        view._by_ref.update({k: v for k, v in self._by_ref.items() if k != key})
        view._read_order.update({k: v for k, v in self._read_order.items() if k != key})
        return view

    def reread(self, key: str) -> Reader:
        """A view of the instance with type `key` read again now and every other type as already read.

        For settling a write whose answer was lost (_reconcile.py): only the item's own type can have
        changed under the run; its references were read by this run. Safe beside running workers:
        the view shares nothing it changes.
        """
        return self._copy_without(key)

    def reread_one(self, key: str, identity: str) -> Reader:
        """Like `reread`, but a Search* type is searched for that one name (exactly) instead of read whole.

        Settling one lost answer among 10,000 users then costs one call, not twenty pages. A type read
        by List, or a hierarchy group (a path, not one searchable name), is read whole; so is a type whose
        Search* refuses the criterion.
        """
        rtype = RESOURCE_TYPES[key]
        read = rtype.read
        if not read.api.startswith("Search") or rtype.identity_of is not None:
            return self.reread(key)
        field_name = "username" if rtype.identity_key == "username" else "name"
        condition = {"StringCondition": {"FieldName": field_name, "Value": identity, "ComparisonType": "EXACT"}}
        fixed = dict(read.params).get("SearchCriteria")
        criteria = {"AndConditions": [fixed, condition]} if fixed else condition
        view = self._copy_without(key)
        try:
            view._read(key, {"SearchCriteria": criteria})
        except ClientError as exc:
            refused = ("InvalidParameterException", "InvalidRequestException")
            if exc.response.get("Error", {}).get("Code") not in refused:
                raise
            return self.reread(key)
        return view

    # ---- per-item reads -----------------------------------------------------------------------------

    def sublist(self, sub: SubList, item_id: str) -> list[Any]:
        """An item's per-item list (a routing profile's queues), read with one paginated List call."""
        key = (sub.api, sub.key, item_id)
        if key in self._sublists:
            return self._sublists[key]
        given, entries = self._given_answer(("sublist", *key))
        if not given:
            ahead = self._take(("sublist", *key))
            entries = ahead.result() if ahead is not None else self._read_sublist(sub, item_id)
            self._keep(SUBLIST_OWNERS.get((sub.api, sub.key), ""), ("sublist", *key), entries)
        if self.keep_lists:
            self._sublists[key] = entries
        return entries

    def _read_sublist(self, sub: SubList, item_id: str) -> list[Any]:
        params = {"InstanceId": self.instance_id, sub.item_param: item_id}
        return list(paginate(self.client, sub.api, params, sub.result_key, sub.max_results))

    # ---- reads sent ahead ------------------------------------------------------------------------

    def prefetch(
        self,
        rtype: ResourceType,
        item_ids: Iterable[str],
        *,
        sublists: Iterable[SubList] = (),
        describe: Describe | None = None,
    ) -> None:
        """Send these items' per-item reads now, each API in its own lane (see `lane`), so that the
        reads a pass needs one item at a time are in flight together at every API's quota. The next
        sublist() or describe() of an item takes its answer (or its error) from here, once."""
        subs = list(sublists)
        for item_id in item_ids:
            for sub in subs:
                if (sub.api, sub.key, item_id) not in self._sublists:
                    self._ahead_of(("sublist", sub.api, sub.key, item_id), sub.api, self._read_sublist, sub, item_id)
            if describe is not None:
                key = ("describe", describe.api, item_id)
                self._ahead_of(key, describe.api, self._describe_now, rtype, item_id, describe)

    def _ahead_of(self, key: tuple[str, ...], api: str, read: Any, *args: Any) -> None:
        if key in self._root()._given:
            return  # an earlier task's answer is here already
        with self._ahead_lock:
            if key not in self._ahead:
                self._ahead[key] = lane(api).submit(read, *args)

    def _take(self, key: tuple[str, ...]) -> Future[Any] | None:
        with self._ahead_lock:
            return self._ahead.pop(key, None)

    def lookup(self, rtype: ResourceType, index: int) -> dict[str, str]:
        """Item ID or ARN -> referenced ID or ARN, from one instance-wide paginated list."""
        lk = rtype.lookups[index]
        key = (rtype.key, lk.key)
        if key in self._lookups:
            return self._lookups[key]
        params = {"InstanceId": self.instance_id, **dict(lk.params)}
        table = {
            entry[lk.item_field]: entry[lk.value_field]
            for entry in paginate(self.client, lk.api, params, lk.result_key, lk.max_results)
            if entry.get(lk.item_field) and entry.get(lk.value_field)
        }
        if self.keep_lists:
            self._lookups[key] = table
        return table

    def describe(self, rtype: ResourceType, item_id: str, describe: Describe | None = None) -> Record:
        """One item's Describe* result (by default the one its write side names)."""
        describe = describe or rtype.write.describe
        if describe is None:
            raise ValueError(f"{rtype.title} has no Describe API in its description")
        key = ("describe", describe.api, item_id)
        given, answer = self._given_answer(key)
        if not given:
            ahead = self._take(key)
            answer = ahead.result() if ahead is not None else self._describe_now(rtype, item_id, describe)
            self._keep(rtype.key, key, answer)
        return answer

    def _describe_now(self, rtype: ResourceType, item_id: str, describe: Describe) -> Record:
        params = {describe.item_param: item_id}
        if describe.instance_param:
            params[describe.instance_param] = self.instance_id
        call = getattr(self.client, xform_name(describe.api))
        try:
            return reading(lambda: call(**params)).get(describe.result_key) or {}
        except ClientError as exc:
            if describe.unpublished is None or exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
        # Never published: only its saved content exists.
        params[describe.item_param] = item_id + describe.unpublished
        return reading(lambda: call(**params)).get(describe.result_key) or {}

    def each_described(
        self, rtype: ResourceType, item_ids: list[str], describe: Describe | None = None
    ) -> list[Record]:
        """The Describe* results of many items, in their order, read several at a time in the API's lane:
        the client's rate limiter paces them, so enough of them wait on the API's bucket to keep it at its quota."""
        describe = describe or rtype.write.describe
        if len(item_ids) > 1:
            self.prefetch(rtype, item_ids, describe=describe)
        return [self.describe(rtype, rid, describe) for rid in item_ids]

    def hierarchy_levels(self) -> list[str]:
        """The names of the hierarchy levels in use, first level first; one call each time asked."""
        call = getattr(self.client, xform_name(HIERARCHY_STRUCTURE_READ))
        structure = reading(lambda: call(InstanceId=self.instance_id))
        levels = structure.get("HierarchyStructure") or {}
        return [levels[name]["Name"] for name in HIERARCHY_LEVELS if (levels.get(name) or {}).get("Name")]


class PhaseSnapshot:
    """A read of the target kept in a file by one task of a run for the later tasks that may reuse it.

    Every task of a phase (a chunk of 500 users) needs the phase's type and the types it references, read
    whole: read again by each task, that costs N/500 SearchUsers pages per chunk, N²/250,000 in all (400
    pages in a rerun of 10,000 users). Within one phase nothing but its own tasks writes those types (the
    run holds the target's lease), and a task writes only its own items, which no other chunk plans: the
    first task's read is as true for a later chunk's items as a fresh one. So the first task writes what it
    read to `path` (0600: it names users), with the per-item reads (Describe*, sub-lists) of items it did
    not plan, and later tasks of the same phase, instance and mapped bundle load it; anything else (no file,
    another phase or bundle, an unreadable file) reads the target as before. A lost answer is still settled
    by reading the target (Reader.reread_one).

    The preflight keeps its whole read the same way (phase `preflight`, with every per-item read): the first
    task of a phase takes from it the phase's own type when no earlier phase writes that type (`load`'s
    `types`), so a rerun of 10,000 users describes each user once before the import, not twice.
    """

    FORMAT = 2
    PREFLIGHT = "preflight"

    def __init__(self, path: str | None, phase: str, bundle: str) -> None:
        self.path = path
        self.phase = phase
        self.bundle = bundle

    def _stamp(self, instance_id: str) -> dict[str, Any]:
        try:
            mtime = os.stat(self.bundle).st_mtime_ns
        except OSError:
            mtime = None
        return {"format": self.FORMAT, "instance": instance_id, "phase": self.phase, "bundle": [self.bundle, mtime]}

    def save(self, reader: Reader) -> str | None:
        """Write the reader's read; a problem is returned for the caller to warn about (a later task then reads)."""
        if not self.path:
            return None
        document = {**self._stamp(reader.instance_id), "types": reader.snapshot(), "item_reads": reader.item_reads()}
        PhaseSnapshot._parsed = {}
        try:
            write_private(self.path, json.dumps(document, default=str))
        except (OSError, TypeError, ValueError) as exc:
            return f"could not keep the read of the target in {self.path} ({exc}): the next task reads it again"
        return None

    def load(self, reader: Reader, types: Iterable[str] | None = None, *, lists: bool = True) -> str | None:
        """Give the reader the read in `path` (only `types`, when given; without `lists`, only the per-item
        reads), if it is this phase's of this instance and bundle; otherwise say why the reader reads the
        target (None: no file, or not this one's)."""
        if not self.path:
            return None
        try:
            document = self._document()
        except FileNotFoundError:
            return None  # the task meant to keep it kept none (it could not run): this one reads the target
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return f"the read of the target kept in {self.path} is unreadable ({exc}): reading the target"
        stamp = self._stamp(reader.instance_id)
        if not isinstance(document, dict) or any(
            document.get(k) != v for k, v in json.loads(json.dumps(stamp)).items()
        ):
            return None  # another run's, phase's or bundle's: read the target
        kept = document.get("types")
        if not isinstance(kept, dict):
            return None
        wanted = set(kept) if types is None else set(types) & set(kept)
        if lists:
            reader.load({k: v for k, v in kept.items() if k in wanted and isinstance(v, list)})
        rows = document.get("item_reads")
        rows = rows if isinstance(rows, list) else []
        reader.give_item_reads(rows, wanted)
        # Given once: a later load in this process (the next phase of the same task) gets the other types only,
        # and no two readers share a record.
        for key in wanted:
            kept.pop(key, None)
        document["item_reads"] = [row for row in rows if not (isinstance(row, list) and row and row[0] in wanted)]
        return None

    # The last file parsed in this process, by path, modification time and size: a task that runs several
    # phases loads the preflight's read for each, and parsing 10,000 users' reads takes a noticeable fraction of
    # a second.
    _parsed: dict[tuple[str, int, int], Any] = {}

    def _document(self) -> Any:
        path = str(self.path)
        stat = os.stat(path)
        key = (os.path.abspath(path), stat.st_mtime_ns, stat.st_size)
        if key not in PhaseSnapshot._parsed:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
            PhaseSnapshot._parsed = {key: document}
        return PhaseSnapshot._parsed[key]
