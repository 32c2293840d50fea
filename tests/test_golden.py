"""Every snapshot article page still extracts to its golden JSON (regenerate: scripts/regen_golden.py)."""

import json
from pathlib import Path

import pytest

from crawler.golden import golden_results
from crawler.outlets import load_outlets

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("outlet", sorted(load_outlets()))
def test_extraction_matches_golden_json(outlet: str) -> None:
    expected = json.loads((GOLDEN / f"{outlet}.json").read_text(encoding="utf-8"))
    actual = golden_results(outlet)
    assert sorted(actual) == sorted(expected), "pages added or removed: rerun scripts/regen_golden.py"
    for url, fields in expected.items():
        assert actual[url] == fields, url


def test_every_outlet_has_golden_pages() -> None:
    for outlet in load_outlets():
        assert len(json.loads((GOLDEN / f"{outlet}.json").read_text(encoding="utf-8"))) >= 5, outlet
