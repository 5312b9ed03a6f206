"""Line differences between two texts of the minutes, as plain data for an escaped template table.

Nothing here builds HTML: the template prints each line as text (autoescaped), so a revision holding
``<script>`` shows the characters, never runs them.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

#: Unchanged lines shown around each change.
CONTEXT_LINES = 3


@dataclass(frozen=True)
class DiffLine:
    """One line of a difference: ``equal``, ``delete``, ``insert``, or ``gap`` (unchanged lines left out)."""

    kind: str
    old_number: int | None
    new_number: int | None
    text: str


def line_diff(old: str | None, new: str | None, context: int = CONTEXT_LINES) -> list[DiffLine]:
    """Return the changed lines between ``old`` and ``new`` with a few lines of context; [] when equal."""
    before = (old or "").splitlines()
    after = (new or "").splitlines()
    if before == after:
        return []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    lines: list[DiffLine] = []
    end = (0, 0)
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > end[0] or group[0][3] > end[1]:
            lines.append(DiffLine("gap", None, None, ""))
        end = (group[-1][2], group[-1][4])
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("equal", i + 1, j1 + i - i1 + 1, before[i]) for i in range(i1, i2))
                continue
            if tag in ("replace", "delete"):
                lines.extend(DiffLine("delete", i + 1, None, before[i]) for i in range(i1, i2))
            if tag in ("replace", "insert"):
                lines.extend(DiffLine("insert", None, j + 1, after[j]) for j in range(j1, j2))
    if end[0] < len(before) or end[1] < len(after):
        lines.append(DiffLine("gap", None, None, ""))
    return lines


def compare_texts(old, new) -> dict[str, list[DiffLine]]:
    """Compare the title, body and decisions of two texts (revisions or minutes), field by field."""
    fields = ("title", "body", "decisions")
    return {field: line_diff(getattr(old, field), getattr(new, field)) for field in fields}
