"""Small text helpers: URL slugs and safe LIKE patterns."""

import re
import unicodedata


def slugify(text: str, max_length: int = 80) -> str:
    """Return a lower-case ASCII slug for ``text`` (accents removed, words joined by hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def like_pattern(term: str) -> str:
    """Return a LIKE pattern matching ``term`` literally anywhere (escape character: backslash)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
