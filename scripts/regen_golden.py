"""Regenerate tests/golden/<outlet>.json from the snapshot. Review the diff before committing it."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.golden import golden_results  # noqa: E402  # needs the checkout on sys.path first
from crawler.outlets import load_outlets  # noqa: E402  # same

for outlet in sorted(load_outlets()):
    target = ROOT / "tests" / "golden" / f"{outlet}.json"
    target.write_text(json.dumps(golden_results(outlet), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
