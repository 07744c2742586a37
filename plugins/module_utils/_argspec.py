# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A write module's item options, generated from its type's description (_resources.py).

The options a task gives for one item (or for each entry of `items`) are the bundle's keys of the
type, so a bundle's list goes into the module as it is. They are written nowhere by hand: each
description Field becomes an option of the Ansible type its JSON type says, with `choices` from its
enum, `elements`/`options` for lists and structures, and the description's defaults; a SubList
becomes a list option; the type's write-only secret (a user's password) an option with `no_log`.

No top-level option is required: which ones an item needs depends on the task (a create, an update
of some fields, a delete by identity), so the planner judges that, item by item. Inside a structure
a member is required where the bundle requires it, unless it has a default or the structure may be
given in part (`Field.partial`).
"""

from __future__ import annotations

from typing import Any

from ._resources import Field, ResourceType, SubList

# JSON type of a description Field -> Ansible option type.
_ANSIBLE_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "object": "dict"}


def item_options(rtype: ResourceType) -> dict[str, dict[str, Any]]:
    """The options of one item of `rtype`, without `tags` (every write module adds those itself)."""
    options: dict[str, dict[str, Any]] = {}
    if rtype.identity_key not in {f.key for f in rtype.fields}:
        options[rtype.identity_key] = {"type": "str"}  # an identity no API member holds (a group's path)
    for f in rtype.fields:
        if not f.tags:
            options[f.key] = _option(f, top=True)
    if rtype.write.secret_key:
        options[rtype.write.secret_key] = {"type": "str", "no_log": True}
    for sub in rtype.sublists:
        options[sub.key] = _sublist_option(sub)
    return options


def _option(f: Field, top: bool = False, in_partial: bool = False) -> dict[str, Any]:
    spec: dict[str, Any]
    if f.sub:
        spec = {"type": "list", "elements": "dict"} if f.many else {"type": "dict"}
        spec["options"] = {s.key: _option(s, in_partial=f.partial) for s in f.sub}
    elif f.many:
        spec = {"type": "list", "elements": _ANSIBLE_TYPES[f.type]}
    else:
        spec = {"type": _ANSIBLE_TYPES[f.type]}
    if f.enum:
        spec["choices"] = list(f.enum)
    if f.default is not None:
        spec["default"] = f.default
    elif f.required and not (top or in_partial):
        spec["required"] = True
    return spec


def _sublist_option(sub: SubList) -> dict[str, Any]:
    if sub.fields:
        return {"type": "list", "elements": "dict", "options": {f.key: _option(f) for f in sub.fields}}
    return {"type": "list", "elements": "str"}  # references by name, or plain strings (permissions)
