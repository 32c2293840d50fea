"""Progress bars for long commands, on stderr and only when it is a terminal.

Cron, pipes and ``--json`` get no bar (and no escape codes): the bar is only for a person watching.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm


def bar(
    total: int | None, what: str, *, unit: str = "article", quiet: bool = False, file: TextIO | None = None
) -> tqdm:
    """A tqdm bar counting ``unit``s towards ``total`` (None: unknown) on ``file`` (default stderr);
    disabled unless that is a terminal, or when ``quiet``. Use it as a context manager, ``update(n)`` it."""
    from tqdm import tqdm  # imported here: commands that show no bar do not pay for it

    return tqdm(
        total=total,
        desc=what,
        unit=unit,
        file=file or sys.stderr,
        disable=True if quiet else None,  # None: tqdm turns itself off when the stream is not a terminal
        leave=False,
        dynamic_ncols=True,
    )
