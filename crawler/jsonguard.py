"""JSON from strangers (a wp-json answer, a ``classify`` input line) with its nesting bounded.

``json.loads`` recurses once per level: an answer nested 100,000 deep raises ``RecursionError``
(not ``ValueError``), which no caller expects and which took a whole outlet or a whole ``classify``
run down. ``loads`` measures the depth first, with a flat scan, and refuses too deep a document
with a ``ValueError`` like any other malformed JSON; integers too long for Python's conversion limit
are a ``ValueError`` already.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # real answers nest 3-5 levels; this leaves room while staying far from the recursion limit
# a JSON string (escapes included; an unterminated one runs to the end, so the scan stays linear)
# or one bracket: brackets inside strings are skipped with the string
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


class TooDeep(ValueError):
    """The document nests deeper than allowed."""


def depth(data: str | bytes, limit: int = MAX_DEPTH) -> int:
    """How deep ``data``'s arrays and objects nest (stops counting, and raises, past ``limit``)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    level = deepest = 0
    for match in _TOKEN.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            level += 1
            if level > limit:
                raise TooDeep(f"nested deeper than {limit} levels")
            deepest = max(deepest, level)
        elif token in (b"]", b"}"):
            level -= 1
    return deepest


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises ``ValueError`` (never ``RecursionError``) on a document nested too deep."""
    depth(data, max_depth)
    try:
        return json.loads(data)
    except RecursionError:  # cannot happen after the scan above; kept so a deep input is never a crash
        raise TooDeep("nested too deep") from None
