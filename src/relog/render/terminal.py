"""The Rich console every view prints through, which shows journal text's control characters.

A name, a summary or a note may hold bytes a terminal obeys: ESC starts a
sequence that can clear the screen or move the cursor, CR returns to the start
of the line, and U+202E turns the rest of a line around. Text from contact
imports and mail comes from strangers, so no view may send it raw. Every
string and `Text` a view hands this console, in a table, a panel or a line of
its own, is shown through `visible` (see `relog.render.console`) at the moment
it is rendered; the styles Rich itself writes are left alone.

Rich drops BS, BEL, VT, FF and CR from a `Text` when it is made, before this
console sees it; those five are then simply absent. Plain strings reach the
console whole and show them as escapes, as every other control character.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Span, Text

from relog.render.console import CONTROL, visible

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import ConsoleOptions, RenderableType
    from rich.segment import Segment


class ShownConsole(Console):
    """A Rich console that renders every string and `Text` with its control characters visible."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible(text), **options)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        if isinstance(renderable, Text):
            renderable = visible_text(renderable)
        return super().render(renderable, options)


def visible_text(text: Text) -> Text:
    """`text` with its control characters made visible, each style kept on the same characters."""
    plain = text.plain
    if CONTROL.search(plain) is None:
        return text
    moved = [0] * (len(plain) + 1)
    """Where each character of `plain` starts in the visible text."""
    position = 0
    for index, character in enumerate(plain):
        moved[index] = position
        position += len(visible(character))
    moved[len(plain)] = position
    shown = text.blank_copy(visible(plain))
    shown.spans = [Span(moved[span.start], moved[span.end], span.style) for span in text.spans]
    return shown
