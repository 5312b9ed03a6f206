"""Hostile values for form fields and query parameters (Hypothesis strategies)."""

from hypothesis import strategies as st

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ufeff"]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200f"]
#: Lone surrogates cannot be encoded as UTF-8; they go on the wire as the bytes Python would write.
SURROGATES = ["\ud800", "\udfff", "a\udc80b"]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
          "javascript:alert(1)", "{{ 7*7 }}", "{% raw %}", "'; DROP TABLE users; --", "%s%n%x", "../../etc/passwd",
          "[x](javascript:alert(1))", "&amp;&lt;", "=cmd|' /C calc'!A0", "\\", "%", "_", "*"]
#: Full-text query syntax of FTS5 and tsquery: the search box must read them as text.
SEARCH_SYNTAX = ['"', '""', '"a', 'a"*', "*", "a*", "-a", "a -b", "NEAR(a b)", "NEAR", "a OR b", "AND", "NOT a",
                 "title_es:a", ":", "a:*", "a:B", "(a", ")", "a & b", "!a", "a | b", "<->", "a <2> b", "'", "''",
                 "^a", "{a b}", "+a", "a AND (b OR"]
NUMBERS = ["9223372036854775808", "-9223372036854775809", "2147483648", "2147483647", "-1", "0", "00",
           "1e400", "-1e400", "1e-400", "NaN", "nan", "sNaN", "Infinity", "-inf", "٣٤", "²", "１２", "0x1F", "1_000",
           "1,5", "99999999999999999999.999", "12.345", "+-1", ".", "-", "1" * 400]
DATES = ["2026-02-30", "2026-02-29", "2025-02-29", "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01",
         "2026-13-01", "2026-1-1", "30/02/2026", "2026-02-3O", "١٩٩٩-٠١-٠١", "24:00", "25:61", "09:00:60", "-1-01-01"]
IDS = ["0", "-1", "2147483647", "2147483648", "99999999999999999999", "1.0", "1 ", " 1", "1e3", "٣"]


def _with(chars):
    return st.builds(lambda prefix, char, suffix: prefix + char + suffix,
                     st.text(max_size=8), st.sampled_from(chars), st.text(max_size=8))


def hostile_text() -> st.SearchStrategy[str]:
    """Any of the kinds of hostile value, drawn so that every kind comes up often."""
    return st.one_of(
        st.sampled_from(["", " ", "\t", "\n", "\r\n"]),
        st.integers(min_value=250, max_value=60_000).map(lambda n: ("Comisión " * (n // 9 + 1))[:n]),
        _with(CONTROL), _with(BIDI), st.sampled_from(SURROGATES),
        st.sampled_from(MARKUP), st.sampled_from(SEARCH_SYNTAX), _with(SEARCH_SYNTAX), st.sampled_from(NUMBERS), st.sampled_from(DATES), st.sampled_from(IDS),
        st.integers(min_value=1, max_value=80).map(str),  # foreign ids: another organisation's rows
        st.text(max_size=40),
    )


def readable_text() -> st.SearchStrategy[str]:
    """Text a person might type that the portal should keep exactly (used to check it reads back)."""
    return st.text(st.characters(categories=("L", "N", "P", "Zs", "S"), exclude_characters="\u2028\u2029\u00a0"),
                   min_size=1, max_size=60).map(str.strip).filter(bool)
