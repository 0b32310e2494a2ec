"""The entity panel: entities of the open article (or of its cluster) with their counts.

Enter jumps to the next mention of the highlighted entity in the article; ``f`` filters
the sidebar to the clusters that mention it; ``c`` switches between article and cluster.
A few dozen entities at most, so a plain ``OptionList`` is right here.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.text.terminal_safety import safe_line
from reader.tui.store_access import EntityCount
from reader.tui.widgets.styling import layer_style

TYPE_MARKS = {"PERSON": ("P", "person"), "ORG": ("O", "org"), "PLACE": ("L", "place"), "OTHER": ("·", "other")}


class EntityList(OptionList):
    BINDINGS = [
        Binding("enter", "jump", "Mention", id="entities.jump", tooltip="jump to the next mention in the article"),
        Binding("f", "filter", "Stories", id="entities.filter", tooltip="only the stories that mention it"),
        Binding("c", "scope", "Scope", id="entities.scope", tooltip="entities of the article or of its story"),
    ]

    def action_jump(self) -> None:
        self._request(EntityPanel.JumpToMention)

    def action_filter(self) -> None:
        self._request(EntityPanel.FilterClusters)

    def action_scope(self) -> None:
        panel = self.panel
        panel.scope = "cluster" if panel.scope == "article" else "article"
        panel.post_message(EntityPanel.ScopeChanged(panel, panel.scope))

    @property
    def panel(self) -> "EntityPanel":
        return self.query_ancestor(EntityPanel)

    def _request(self, message_type: type["EntityPanel._EntityMessage"]) -> None:
        entity = self.panel.highlighted_entity()
        if entity is not None:
            self.post_message(message_type(self.panel, entity))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter is handled by action_jump; a click selects and jumps
        self.action_jump()


class EntityPanel(Vertical):
    """Entities with counts; messages up for the screen to act on."""

    COMPONENT_CLASSES = {"entities--count", "entities--person", "entities--org", "entities--place", "entities--other"}

    class _EntityMessage(Message):
        def __init__(self, panel: "EntityPanel", entity: EntityCount) -> None:
            super().__init__()
            self.panel = panel
            self.entity = entity

    class JumpToMention(_EntityMessage):
        """Show the next mention of this entity in the article."""

    class FilterClusters(_EntityMessage):
        """Filter the sidebar to the clusters that mention this entity."""

    class ScopeChanged(Message):
        def __init__(self, panel: "EntityPanel", scope: str) -> None:
            super().__init__()
            self.panel = panel
            self.scope = scope

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.scope = "article"
        self._entities: list[EntityCount] = []

    def compose(self) -> ComposeResult:
        yield Static("Entities", id="entities-title")
        yield EntityList(id="entity-list")

    @property
    def entity_list(self) -> EntityList:
        return self.query_one(EntityList)

    def show_entities(self, entities: Sequence[EntityCount], title: str, note: str = "") -> None:
        self._entities = list(entities)
        self.query_one("#entities-title", Static).update(Text(f"{title} · {self.scope} (c)", end=""))
        options: list[Option] = []
        width = self.size.width or (26 if self.screen.has_class("-narrow") else 32)  # before the first layout
        room = max(8, width - 10)  # border, scrollbar, count and type mark: names never wrap
        for number, entity in enumerate(self._entities):
            mark, kind = TYPE_MARKS.get(entity.type, TYPE_MARKS["OTHER"])
            prompt = Text(end="", no_wrap=True, overflow="ellipsis")
            prompt.append(f"{entity.count:>3} ", style=layer_style(self, "entities--count"))
            prompt.append(f"{mark} ", style=layer_style(self, f"entities--{kind}"))
            prompt.append(safe_line(entity.name, room) or "?")
            options.append(Option(prompt, id=f"e{number}"))
        entity_list = self.entity_list
        entity_list.clear_options()
        if options:
            entity_list.add_options(options)
            entity_list.highlighted = 0
        else:
            entity_list.add_option(Option(Text(note or "no entities", style="dim"), disabled=True))

    @property
    def entities(self) -> list[EntityCount]:
        return list(self._entities)

    def highlighted_entity(self) -> EntityCount | None:
        index = self.entity_list.highlighted
        if index is None or not 0 <= index < len(self._entities):
            return None
        return self._entities[index]
