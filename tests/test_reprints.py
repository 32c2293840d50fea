"""The choice of original and reprint, whatever order the crawl meets them in."""

import pytest

from crawler.reprints import published_first
from crawler.store.articles import Candidate, NewArticle

STORY = "Бывший заключённый рассказал о пытках в колонии."


def new(outlet: str, published: str, text: str = STORY) -> NewArticle:
    return NewArticle(key=f"{outlet}/1", url=f"https://{outlet}.kz/1", outlet=outlet, text=text, published=published)


@pytest.mark.parametrize(
    ("item", "stored", "new_is_original"),
    [
        # a later day is the reprint, whichever outlet
        (
            new("bureau", "2025-11-12T00:00:00+05:00"),
            Candidate(1, STORY, "2025-11-11T15:40:00+05:00", "azattyq"),
            False,
        ),
        (new("azattyq", "2025-11-11T15:40:00+05:00"), Candidate(1, STORY, "2025-11-12T00:00:00+05:00", "bureau"), True),
        # the same day (bureau gives no time of day): the one naming its source is the reprint
        (
            new("azattyq", "2025-11-11T15:40:00+05:00"),
            Candidate(1, STORY + "\n\nИсточник: Радио «Азаттык»", "2025-11-11T00:00:00+05:00", "bureau"),
            True,
        ),
        (
            new("bureau", "2025-11-11T00:00:00+05:00", STORY + "\n\nИсточник: Радио «Азаттык»"),
            Candidate(1, STORY, "2025-11-11T15:40:00+05:00", "azattyq"),
            False,
        ),
        # nothing to tell them apart: the one stored first stays the original
        (new("orda", "2025-11-11T10:00:00+05:00"), Candidate(1, STORY, "2025-11-11T09:00:00+05:00", "vlast"), False),
    ],
)
def test_the_original_is_the_earlier_or_the_credited_one(
    item: NewArticle, stored: Candidate, new_is_original: bool
) -> None:
    assert published_first(item, stored) is new_is_original
