"""A Connect client for verify and rollback tests: records by type, sub-lists, writes recorded, not applied."""

from __future__ import annotations

from typing import Any

from botocore import xform_name

from ansible_collections.ccaas.connect.plugins.module_utils._resources import RESOURCE_TYPES

READS = {xform_name(t.read.api): t.key for t in RESOURCE_TYPES.values()}


class FakeConnect:
    def __init__(
        self,
        records: dict[str, list[dict[str, Any]]],
        lists: dict[str, tuple[str, list[Any]]] | None = None,
        levels: list[str] | None = None,
    ) -> None:
        self.records = records
        self.lists = lists or {}
        self.levels = levels or []
        self.reads: list[str] = []
        self.writes: list[tuple[str, dict[str, Any]]] = []

    def describe_user_hierarchy_structure(self, InstanceId: str) -> dict[str, Any]:
        levels = ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")
        return {"HierarchyStructure": {level: {"Name": name} for level, name in zip(levels, self.levels, strict=False)}}

    def __getattr__(self, method: str):
        if method in READS:
            rtype = RESOURCE_TYPES[READS[method]]

            def read(**_params: Any) -> dict[str, Any]:
                self.reads.append(method)
                return {rtype.read.result_key: self.records.get(rtype.key, [])}

            return read
        if method in self.lists:
            result_key, entries = self.lists[method]

            def sublist(**_params: Any) -> dict[str, Any]:
                self.reads.append(method)
                return {result_key: entries}

            return sublist
        if method.startswith(("list_", "search_", "describe_")):
            raise AttributeError(method)

        def write(**params: Any) -> dict[str, Any]:
            self.writes.append((method, params))
            return {}

        return write
