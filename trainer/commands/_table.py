"""Plain-text tables for command output (no colour, so they pipe and diff cleanly)."""

from __future__ import annotations

from collections.abc import Sequence, Set


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Set[int] = frozenset(),
    *,
    rule: bool = False,
) -> str:
    """Columns padded to their widest cell; indexes in ``right`` are right-aligned.

    ``rule`` draws a line of dashes under the headers.
    """
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    ruled = [line(["-" * width for width in widths])] if rule else []
    return "\n".join([line(headers), *ruled, *(line(row) for row in rows)])
