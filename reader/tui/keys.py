"""Key bindings: the help listing and the user's keymap from the config file.

Every ``Binding`` in the app has an ``id``; the ``[keys]`` table of the config file
(``platformdirs.user_config_path("reader") / "config.toml"``) maps ids to keys, e.g.::

    [keys]
    "sidebar.down" = "j,down,ctrl+n"
    "app.quit" = "q,ctrl+q"

and is applied with ``App.set_keymap``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class KeyRow:
    section: str
    keys: tuple[str, ...]  # as typed in BINDINGS or the keymap ("j", "down", "question_mark")
    description: str
    binding_id: str


def bindings_of(owner: type) -> list[Binding]:
    out: list[Binding] = []
    for item in getattr(owner, "BINDINGS", []):
        out.append(_as_binding(item))
    return out


def _as_binding(item: BindingType) -> Binding:
    if isinstance(item, Binding):
        return item
    key, action, *rest = item
    return Binding(key, action, rest[0] if rest else "")


def key_rows(sections: Sequence[tuple[str, type]], keymap: dict[str, str]) -> list[KeyRow]:
    """Every binding of every section with the keys in effect (the keymap wins)."""
    rows: list[KeyRow] = []
    for section, owner in sections:
        for binding in bindings_of(owner):
            if binding.system:
                continue
            keys = keymap.get(binding.id or "", binding.key)
            description = binding.description or binding.action
            if binding.tooltip:
                description = f"{description} — {binding.tooltip}"
            rows.append(KeyRow(section, tuple(k.strip() for k in keys.split(",") if k.strip()), description, binding.id or ""))
    return rows


def binding_ids(sections: Iterable[tuple[str, type]]) -> set[str]:
    return {b.id for _, owner in sections for b in bindings_of(owner) if b.id}


def check_keymap(keymap: dict[str, str], known_ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """The usable part of a user keymap and the ids it names that do not exist."""
    usable = {k: v for k, v in keymap.items() if k in known_ids and isinstance(v, str) and v.strip()}
    unknown = sorted(k for k in keymap if k not in known_ids)
    return usable, unknown
