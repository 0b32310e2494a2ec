"""Rich styles of component classes, for Line API widgets that layer several of them.

``get_component_rich_style(partial=True)`` drops alpha blending and ``auto`` colours, and
the full style repeats the widget's background (so a later layer would wipe an earlier
one's). :func:`layer_style` keeps only what the component rule sets, with colours
blended against the widget's background as the full style computes them.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def layer_style(widget: Widget, name: str) -> Style:
    styles = widget.get_component_styles(name)
    full = styles.rich_style
    return Style(
        color=full.color if styles.has_rule("color") else None,
        bgcolor=full.bgcolor if styles.has_rule("background") else None,
    ) + styles.text_style


def combined_style(widget: Widget, names: tuple[str, ...]) -> Style:
    """The widget's own style with each component layered on, later names on top."""
    style = widget.rich_style
    for name in names:
        style = style + layer_style(widget, name)
    return style
