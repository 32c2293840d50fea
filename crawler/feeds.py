"""Feed storage for a node's items: every item line reaches the file (the OS) as it is exported.

A node remembers an article as fetched only after its line is in the feed (``NodeLedger`` runs after
the feed exporter). Scrapy's own file storage buffers lines in the process; a node killed mid-pass
would then lose items it had already remembered. Written through, a killed job loses nothing: what
it remembered is in the file that ``crawler ingest`` reads.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from scrapy import Spider
from scrapy.extensions.feedexport import FileFeedStorage


class _FlushEachWrite(io.BufferedWriter):
    def write(self, data: bytes) -> int:  # type: ignore[override]  # same contract, bytes only
        written = super().write(data)
        self.flush()
        return written


class WrittenThroughFileStorage(FileFeedStorage):
    """``file://`` feeds (Scrapyd's items_dir) flushed after every item."""

    def open(self, spider: Spider) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return _FlushEachWrite(io.FileIO(path, self.write_mode))
