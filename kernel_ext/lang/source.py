"""Source text and positions in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True, order=True)
class Span:
    """A region of source text; lines and columns are 1-based, the end column exclusive."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    @staticmethod
    def point(line: int, col: int) -> Span:
        return Span(line, col, line, col + 1)

    def cover(self, other: Span) -> Span:
        """The smallest span containing both."""
        start = min((self.start_line, self.start_col), (other.start_line, other.start_col))
        end = max((self.end_line, self.end_col), (other.end_line, other.end_col))
        return Span(start[0], start[1], end[0], end[1])


NO_SPAN = Span(0, 0, 0, 0)


@dataclass(frozen=True)
class SourceFile:
    """A named MiniDafny text: a file on disk or a notebook cell."""

    name: str
    text: str = field(repr=False)

    def __post_init__(self) -> None:
        # Editors on Windows start a UTF-8 file (and so a pasted cell) with a byte-order
        # mark; Dafny skips it, and column 1 is the character after it.
        object.__setattr__(self, "text", without_byte_order_marks(self.text))

    @cached_property
    def _lines(self) -> tuple[str, ...]:
        return tuple(self.text.splitlines())

    def lines(self) -> tuple[str, ...]:
        return self._lines

    def line(self, number: int) -> str:
        lines = self.lines()
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def excerpt(self, span: Span) -> str:
        """The span's first line with a caret line underneath, as compilers show it."""
        if span.start_line <= 0:
            return ""
        text = self.line(span.start_line).expandtabs(1)
        end_col = span.end_col if span.end_line == span.start_line else len(text) + 1
        width = max(1, min(end_col, len(text) + 1) - span.start_col)
        gutter = f"{span.start_line:>4} | "
        caret = " " * (len(gutter) - 2) + "| " + " " * (span.start_col - 1) + "^" * width
        return f"{gutter}{text}\n{caret}"

    def text_of(self, span: Span) -> str:
        """The source text a span covers (joined to one line)."""
        lines = self.lines()
        if span.start_line <= 0 or span.start_line > len(lines):
            return ""
        if span.start_line == span.end_line:
            return lines[span.start_line - 1][span.start_col - 1 : span.end_col - 1]
        parts = [lines[span.start_line - 1][span.start_col - 1 :]]
        parts += list(lines[span.start_line : span.end_line - 1])
        parts.append(lines[span.end_line - 1][: span.end_col - 1])
        return " ".join(part.strip() for part in parts)


BYTE_ORDER_MARK = "\ufeff"


def without_byte_order_marks(text: str) -> str:
    """The text without a byte-order mark at its start or at the start of a line (where a
    notebook cell that began with one stands in the program made of cells)."""
    if BYTE_ORDER_MARK not in text:
        return text
    return "\n".join(line.removeprefix(BYTE_ORDER_MARK) for line in text.split("\n"))
