"""crawler.onboarding without a network: URL shapes, skip patterns, page rules and the written file,
on the pages of the three outlet snapshots written for onboarding (tests/data/outlet_sites)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crawler import onboarding
from crawler.extraction import PageRules, extract

SITES = Path(__file__).parent / "data" / "outlet_sites"


def routes(site: str) -> dict[str, str | None]:
    entries = yaml.safe_load((SITES / site / "routes.yml").read_text("utf-8"))
    return {entry["url"]: entry.get("file") for entry in entries}


def expected(site: str) -> dict:
    return yaml.safe_load((SITES / site / "expected.yml").read_text("utf-8"))


def samples(site: str, urls: list[str]) -> list[onboarding.Sample]:
    files = routes(site)
    out = []
    for url in urls:
        body = (SITES / site / str(files[url])).read_bytes()
        out.append(onboarding.Sample(url, body, extract(body, url)))
    return out


def rerun(sample: onboarding.Sample, rules: PageRules):
    return extract(sample.body, sample.url, rules)


@pytest.mark.parametrize(
    ("segment", "kind"),
    [
        ("2026", "year"),
        ("11", "d2"),
        ("8841", "num"),
        ("33592240.html", "id-html"),
        ("67168-mazilis-prinal-popravki.html", "id-slug"),
        ("v-pavlodare-sud-otkazal-20431", "slug-id"),
        ("otchet.html", "slug-html"),
        ("v-karagande-sud-arestoval-aktivista", "slug"),
        ("news", "word"),
        ("o-nas", "word"),
    ],
)
def test_segment_kinds(segment: str, kind: str) -> None:
    assert onboarding.segment_kind(segment) == kind


def test_the_article_shape_wins_and_its_regex_names_the_id() -> None:
    links = list(routes("zhetysu"))
    shapes = onboarding.url_shapes(links, ("zhetysu-today.kz",))
    pattern = re.compile(shapes[0].regex())
    articles = [a["url"] for a in expected("zhetysu")["articles"]]
    assert all(pattern.match(url) for url in articles)
    assert pattern.match("https://zhetysu-today.kz/kz/zhanalyqtar/8844").group("id") == "8844"
    assert not pattern.match("https://zhetysu-today.kz/")
    assert not pattern.match("https://zhetysu-today.kz/ru/news?page=2")


def test_author_and_gallery_pages_of_the_same_shape_are_skipped() -> None:
    links = list(routes("zhetysu"))
    pattern = re.compile(onboarding.url_shapes(links, ("zhetysu-today.kz",))[0].regex())
    skip = onboarding.skip_pattern(links, pattern)
    assert skip is not None
    for url in ("https://zhetysu-today.kz/ru/author/103", "https://zhetysu-today.kz/ru/gallery/1077"):
        assert pattern.match(url) and re.search(skip, url)
    assert not re.search(skip, "https://zhetysu-today.kz/ru/news/8841")


def test_wordpress_date_paths_beat_tag_and_author_pages() -> None:
    links = list(routes("stepnoy"))
    shapes = onboarding.url_shapes(links, ("stepnoy-vestnik.kz",))
    best = shapes[0]
    assert best.kinds == ("year", "d2", "slug") and best.trailing_slash
    assert not any(all(onboarding.is_non_article(u) for u in shape.urls) for shape in shapes)  # no /tag/<slug>/ shape
    pattern = re.compile(best.regex())
    assert not any(pattern.match(u) for u in expected("stepnoy")["not_articles"] if "/20" not in u)


def test_a_pattern_that_takes_the_home_page_or_a_tag_page_is_refused() -> None:
    everything = re.compile(r"^https?://example\.kz/.*$")
    problem = onboarding.pattern_problem(everything, None, "https://example.kz/", [])
    assert problem and "home page" in problem
    slugs = re.compile(r"^https?://example\.kz/[a-z-]+/[a-z0-9-]+/$")
    tag = "https://example.kz/tag/sud-i-pravo/"
    problem = onboarding.pattern_problem(slugs, None, "https://example.kz/", [tag])
    assert problem and tag in problem
    assert onboarding.pattern_problem(slugs, re.compile("/tag/"), "https://example.kz/", [tag]) is None


def test_a_date_selector_and_a_body_container_only_where_the_generic_result_fails() -> None:
    articles = [a["url"] for a in expected("zhetysu")["articles"]][:8]
    choice = onboarding.choose_rules(samples("zhetysu", articles), rerun)
    assert choice.rules.date == ("div.news-date",)  # no JSON-LD, no meta: the generic date is missing
    assert choice.rules.body == "div.news-text"  # trafilatura keeps the date line and the Ctrl+Enter note
    assert choice.rules.title == ()
    assert any(reason.startswith("date:") for reason in choice.reasons)


def test_chrome_lines_repeated_on_the_samples_are_dropped_and_trafilatura_kept() -> None:
    articles = expected("stepnoy")["articles"][:8]
    chosen = onboarding.choose_rules(samples("stepnoy", [a["url"] for a in articles]), rerun)
    assert chosen.rules.body is None and chosen.rules.date == () and chosen.rules.title == ()
    assert any("Читайте также" in line for line in chosen.rules.drop_lines)
    assert any("Подписывайтесь" in line for line in chosen.rules.drop_lines)
    for article in articles:
        page = samples("stepnoy", [article["url"]])[0]
        paragraphs = extract(page.body, page.url, chosen.rules).text.split("\n\n")
        assert paragraphs[0] == article["first_paragraph"] and paragraphs[-1] == article["last_paragraph"]


def test_samples_are_spread_over_sections_so_kazakh_is_sampled() -> None:
    urls = [a["url"] for a in expected("zhetysu")["articles"]]
    picked = onboarding.spread_sample(urls, 4)
    assert any("/kz/" in url for url in picked) and len(picked) == 4


def test_languages_russian_first() -> None:
    assert onboarding.languages(
        ["Қазақстанда жаңа заң қабылданды, ол бүгін күшіне енді.", "Суд вынес решение."] * 2
    ) == (
        "ru",
        "kk",
    )


def test_site_name_and_default_credit() -> None:
    home = (SITES / "zhetysu" / "home.html").read_bytes()
    page = (SITES / "zhetysu" / "articles" / "8841.html").read_bytes()
    assert onboarding.site_name(home, "zhetysu-today.kz", [page, page]) == "Жетісу күні"
    assert onboarding.site_name((SITES / "irtysh" / "home.html").read_bytes(), "irtysh-inform.kz") == "Иртыш-Информ"
    assert onboarding.default_credit("Иртыш-Информ") == "интернет-издание «Иртыш-Информ»"
    assert onboarding.default_credit("Bureau.kz") == "сайт Bureau.kz"


def declaration(**overrides: object) -> onboarding.Declaration:
    values: dict = dict(
        name="irtysh",
        credit="интернет-издание «Иртыш-Информ»",
        names=("Иртыш-Информ", "irtysh-inform.kz"),
        hosts=("irtysh-inform.kz",),
        home="https://irtysh-inform.kz/",
        languages=("ru",),
        feeds=(),
        sitemaps=("https://irtysh-inform.kz/sitemaps/news.xml",),
        listings=(),
        article_url=r"^https?://irtysh-inform\.kz/materials/[a-z0-9_-]+/[^/]+?[-_](?P<id>\d{3,})(?:\.s?html?)?$",
        skip_url=None,
        rules=PageRules(body="section[data-role=story]", drop_lines=(r"^Нашли ошибку\? Выделите",)),
        header=["Probed https://irtysh-inform.kz/ on 2026-11-29 22:40 UTC: " + "a long line " * 20, "", "Chosen:"],
    )
    values.update(overrides)
    return onboarding.Declaration(**values)


def test_the_written_file_declares_the_outlet_like_the_hand_written_ones(tmp_path: Path) -> None:
    source = onboarding.render(declaration())
    namespace: dict = {}
    exec(compile(source, "irtysh.py", "exec"), namespace)
    spider = namespace["IrtyshSpider"]
    assert spider.name == "irtysh" and spider.hosts == ("irtysh-inform.kz",)
    assert spider.page_rules.drop_lines == (r"^Нашли ошибку\? Выделите",)
    assert spider.article_url.match("https://irtysh-inform.kz/materials/sport/hokkej-20412").group("id") == "20412"
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")  # the dev extra brings it; the check is about formatting only
    (tmp_path / "irtysh.py").write_text(source, "utf-8")
    config = str(Path(__file__).resolve().parent.parent / "pyproject.toml")  # the project's line length and rules
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [ruff, *command, "--no-cache", "--config", config, "irtysh.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_numbered_sitemaps_become_one_template() -> None:
    urls = [
        "https://orda.kz/sitemap/sitemap_news1.xml",
        "https://orda.kz/sitemap/sitemap_news2.xml",
        "https://a.kz/s.xml",
    ]
    assert onboarding.numbered_series(urls) == (["https://orda.kz/sitemap/sitemap_news{n}.xml"], ["https://a.kz/s.xml"])


def test_an_author_selector_only_where_the_generic_extraction_names_nobody() -> None:
    zhetysu = [a["url"] for a in expected("zhetysu")["articles"]][:6]
    assert onboarding.choose_author(samples("zhetysu", zhetysu), rerun)[0] == ("div.news-author a",)
    irtysh = [a["url"] for a in expected("irtysh")["articles"]][:6]  # JSON-LD names the author
    assert onboarding.choose_author(samples("irtysh", irtysh), rerun) == ((), None)


def test_a_media_page_of_the_article_shape_is_recognised() -> None:
    files = routes("stepnoy")
    gallery = next(url for url in files if "fotoreportazh" in url)
    articles = samples("stepnoy", [a["url"] for a in expected("stepnoy")["articles"]][:5])
    css, why = onboarding.choose_media_page(articles, [(SITES / "stepnoy" / str(files[gallery])).read_bytes()])
    assert css and "gallery" in css and why
    assert extract(
        (SITES / "stepnoy" / str(files[gallery])).read_bytes(), gallery, PageRules(media_page=css)
    ).skip_reason
