"""The rubrics in bulletin order, as the rules define them."""

from __future__ import annotations

# Until the rules package is merged into this branch: the order issue 3 fixes for the shipped rules.
FALLBACK_ORDER = (
    "Прогресс?",
    "Политзаключенные",
    "Свобода слова",
    "Свобода совести",
    "Право на свободу объединения и на профессиональные союзы",
    "Право на свободу мирных собраний",
    "Право на справедливый суд",
    "Пытки",
    "Произвол силовиков",
    "NOTA BENE",
)


def rubric_order() -> list[str]:
    """Every rubric name, in the order the bulletin prints them."""
    return list(FALLBACK_ORDER)
