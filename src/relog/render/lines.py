"""Many one-line rows, written as fast as the terminal or pipe can take them.

Rich lays out every cell of a table and every segment of a line on its own,
which costs seconds for ten thousand rows and minutes for a million. Listings
(`relog log`, `relog client list`, the portfolio table) are one line per row,
so they are written here instead: each line is a few (text, style) segments,
joined as plain text when the output is not styled (a pipe, NO_COLOR) and
wrapped in the ANSI codes Rich itself renders for each style when it is. Lines
go out as they are made, so output starts at once and memory stays flat.
"""

from __future__ import annotations

import json
import sys
import textwrap
from typing import TYPE_CHECKING

from relog.render.console import json_text, visible

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pydantic import BaseModel
    from rich.console import Console

Segment = tuple[str, str]
"""A piece of a line and its Rich style ("" for none)."""

_MARK = "\ue000"
"""A character of Unicode's private use area, which no style's codes hold."""


class LineWriter:
    """Writes lines of styled segments to a console's file, buffered."""

    def __init__(self, console: Console, *, buffer: int = 256) -> None:
        self.console = console
        self.styled = console.is_terminal and not console.no_color
        self._codes: dict[str, tuple[str, str]] = {}
        self._pending: list[str] = []
        self._buffer = buffer

    def _wrap(self, style: str) -> tuple[str, str]:
        codes = self._codes.get(style)
        if codes is None:
            from rich.text import Text

            with self.console.capture() as captured:
                self.console.print(Text(_MARK, style=style), end="", soft_wrap=True)
            before, _, after = captured.get().partition(_MARK)
            codes = self._codes[style] = (before, after)
        return codes

    def line(self, segments: Iterable[Segment]) -> None:
        """One line; control characters in the text, a line break too, are shown as escapes
        (see `relog.render.console.visible`), so a row is always one line of its own."""
        if self.styled:
            parts = []
            for text, style in segments:
                if style:
                    before, after = self._wrap(style)
                    parts.append(f"{before}{visible(text, one_line=True)}{after}")
                else:
                    parts.append(visible(text, one_line=True))
            line = "".join(parts)
        else:
            line = visible("".join(text for text, _ in segments), one_line=True)
        self._pending.append(line)
        if len(self._pending) >= self._buffer:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.console.file.write("\n".join(self._pending) + "\n")
            self._pending.clear()
        self.console.file.flush()

    def __enter__(self) -> LineWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.flush()


_DROPPED_BY_RICH = str.maketrans(dict.fromkeys((7, 8, 11, 12, 13)))
"""The control characters Rich's `Text` drops when it is made (`strip_control_codes`)."""

_TAB_SIZE = 8
"""Where Rich sets its tab stops when it lays out a `Text`."""


def plain_line(segments: Iterable[Segment]) -> str:
    """A line of segments as the console of `out()` prints it to a pipe, without Rich:
    no styles, the control characters Rich drops left out, every other one shown as
    an escape (`visible`, as `relog.render.terminal.ShownConsole` shows it), tabs
    expanded to Rich's tab stops, and no line ending in spaces."""
    text = visible("".join(text for text, _ in segments).translate(_DROPPED_BY_RICH))
    lines = text.split("\n")
    if "\t" in text:
        lines = [_tabs_expanded(line) for line in lines]
    return "\n".join(line.rstrip(" ") for line in lines)


def _tabs_expanded(line: str) -> str:
    """`line` with each tab turned into spaces up to the next tab stop, as `rich.text.Text`
    expands them: a tab is one space at least, and positions count terminal cells."""
    from rich.cells import cell_len

    *parts, last = line.split("\t")
    expanded = []
    position = 0
    for part in parts:
        position += cell_len(part + " ")
        gap = -position % _TAB_SIZE
        position += gap
        expanded.append(part + " " * (1 + gap))
    return "".join(expanded) + last


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` terminal cells (wide and combining characters count,
    a control character as the escape `LineWriter` shows in its place)."""
    from rich.cells import cell_len

    gap = " " * max(0, width - cell_len(visible(text, one_line=True)))
    return gap + text if right else text + gap


def widths(rows: Sequence[Sequence[str]], header: Sequence[str]) -> list[int]:
    """The width in cells of each column: its widest value or its header."""
    from rich.cells import cell_len

    found = [cell_len(title) for title in header]
    for row in rows:
        for index, value in enumerate(row):
            found[index] = max(found[index], cell_len(visible(value, one_line=True)))
    return found


def write_json_list(key: str, documents: Iterable[BaseModel]) -> None:
    """`{key: [documents]}` on stdout, one document at a time as they arrive.

    Byte for byte what `model_dump_json(indent=2)` of a model holding the whole
    list prints (a test checks it), without ever holding the list.
    """
    terminal = sys.stdout.isatty()

    def write(text: str) -> None:
        sys.stdout.write(json_text(text) if terminal else text)

    items = iter(documents)
    first = next(items, None)
    name = json.dumps(key, ensure_ascii=False)
    if first is None:
        write(f"{{\n  {name}: []\n}}\n")
        return
    write(f"{{\n  {name}: [\n")
    write(textwrap.indent(first.model_dump_json(indent=2), "    "))
    for document in items:
        write(",\n")
        write(textwrap.indent(document.model_dump_json(indent=2), "    "))
    write("\n  ]\n}\n")
