"""Keyboard scrolling shared by the Line API views (article pane, diff view)."""

from __future__ import annotations


class KeyboardScrolling:
    """Line, page and end-to-end scroll actions for a ScrollView, without animation."""

    def _scroll_now(self, y: float) -> None:
        self.scroll_to(y=y, animate=False, immediate=True)  # type: ignore[attr-defined]

    def action_line_down(self) -> None:
        self._scroll_now(self.scroll_y + 1)  # type: ignore[attr-defined]

    def action_line_up(self) -> None:
        self._scroll_now(self.scroll_y - 1)  # type: ignore[attr-defined]

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # type: ignore[attr-defined]

    def action_page_down(self) -> None:
        self._scroll_now(self.scroll_y + self._page())  # type: ignore[attr-defined]

    def action_page_up(self) -> None:
        self._scroll_now(self.scroll_y - self._page())  # type: ignore[attr-defined]

    def action_top(self) -> None:
        self._scroll_now(0)

    def action_bottom(self) -> None:
        self._scroll_now(self.max_scroll_y)  # type: ignore[attr-defined]
