"""The bulletin: build it from the approved items, render it as txt/docx/html/md, mark it exported.

The names below are imported on first use (PEP 562): ``crawler --help`` needs ``FORMATS`` only and
should not pay for the database and rules modules behind the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

FORMATS = ("txt", "docx", "html", "md")  # each rendered by crawler/bulletin/<format>.py

_LAZY = {
    "ExportResult": "export",
    "export_bulletin": "export",
    "Bulletin": "model",
    "build_bulletin": "model",
    "rubric_order": "model",
}

__all__ = ["FORMATS", "Bulletin", "ExportResult", "build_bulletin", "export_bulletin", "rubric_order"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"crawler.bulletin.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
