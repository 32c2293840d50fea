"""`crawler outlet add HOME_URL --name NAME`: probe a site, infer its declaration, check it, write it.

The probe (``crawler.outlet_probe``) brings back links and sample pages; ``crawler.onboarding`` decides;
this module puts the two together, refuses what cannot work (one ``CrawlerError`` line each) and writes
``spiders/<name>.py`` — which ``crawler.outlets`` then loads like the hand-written five.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler import onboarding
from crawler.errors import OnboardingError, UsageError
from crawler.extraction import Extracted, PageRules, extract
from crawler.outlet_probe import Page, ProbeData, probe_site, site_root
from crawler.urls import canonical_url, host_of

SAMPLE_SIZE = 8
MIN_ARTICLE_SHARE = 0.5  # a URL shape is an article pattern when at least this share of its samples are articles
EXTRA_SHAPE_SHARE = 0.75  # ... and a second or third shape joins the pattern at this share


@dataclass
class SampleReport:
    url: str
    title: str | None
    published: str | None
    author: str | None
    lang: str | None
    chars: int
    first_line: str

    @classmethod
    def of(cls, url: str, extracted: Extracted) -> SampleReport:
        first = extracted.text.split("\n\n", 1)[0] if extracted.text else ""
        return cls(
            url,
            extracted.title,
            extracted.published,
            extracted.author,
            extracted.lang,
            len(extracted.text),
            first[:120],
        )


@dataclass
class Outcome:
    name: str
    path: Path
    source: str
    written: bool
    probed_at: str
    home: str
    hosts: tuple[str, ...]
    credit: str
    strategies: list[dict[str, Any]]
    article_url: str
    article_shape: str
    skip_url: str | None
    reasons: list[str]
    languages: tuple[str, ...]
    samples: list[SampleReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "written": self.written,
            "probed_at": self.probed_at,
            "home": self.home,
            "hosts": list(self.hosts),
            "credit": self.credit,
            "strategies": [{k: v for k, v in s.items() if k != "found"} for s in self.strategies],
            "article_url": self.article_url,
            "article_shape": self.article_shape,
            "skip_url": self.skip_url,
            "reasons": self.reasons,
            "languages": list(self.languages),
            "samples": [vars(s) for s in self.samples],
            "warnings": self.warnings,
        }

    def text(self) -> str:
        lines = [f"outlet {self.name}: {self.home} (hosts {', '.join(self.hosts)}), credit «{self.credit}»", ""]
        lines.append("strategies:")
        for s in self.strategies:
            verdict = "ok" if s["ok"] else (s.get("problem") or "no answer")
            status = str(s.get("status") or "-")
            counts = f"{s['links']:>4} links {s['articles']:>4} articles"
            lines.append(f"  {s['kind']:<20} {status:>4} {counts}  {verdict[:28]:<28} {s['url']}")
        lines += ["", f"article pattern: {self.article_url}", f"  shape {self.article_shape}"]
        if self.skip_url:
            lines.append(f"skip pattern:    {self.skip_url}")
        lines += ["", "chosen:", *(f"  {reason}" for reason in self.reasons), ""]
        lines.append(f"samples ({len(self.samples)}):")
        for s in self.samples:
            lines.append(f"  {s.url}")
            lines.append(
                f"    {s.title!r} | {s.published or 'NO DATE'} | {s.author or 'no author'} | {s.lang} | {s.chars} chars"
            )
            lines.append(f"    {s.first_line}")
        lines += [f"warning: {w}" for w in self.warnings]
        lines.append("")
        lines.append(f"{'wrote' if self.written else 'would write (dry run)'} {self.path}")
        return "\n".join(lines)


def spiders_dir() -> Path:
    """The ``spiders`` package the crawler loads its outlets from (crawler/settings.py SPIDER_MODULES)."""
    import spiders

    return Path(next(iter(spiders.__path__)))


MARKER = "written by `crawler outlet add`"  # in the docstring of every file this command writes


def check_name(name: str, path: Path, *, force: bool, dry_run: bool) -> None:
    """A usable outlet name that clashes with no hand-written spider; a file this command wrote before is
    replaced only with --force."""
    import sys

    from crawler.outlets import load_outlets

    if not onboarding.VALID_NAME.match(name):
        raise UsageError(f"--name {name!r}: use 2-31 lower-case letters, digits or _, starting with a letter")
    existing = load_outlets().get(name)
    files = [path] if path.exists() else []
    if existing is not None:
        files.append(Path(sys.modules[existing.__module__].__file__ or path))
    for file in dict.fromkeys(f.resolve() for f in files):
        generated = file == path.resolve() and MARKER in file.read_text(encoding="utf-8", errors="replace")[:400]
        if not generated:
            raise UsageError(f"--name {name}: spider {name!r} already exists in {file}; choose another name")
        if not force and not dry_run:
            raise UsageError(f"{path} exists: use --force to overwrite it, or --dry-run to see what would be written")


def check_home(home: str) -> str:
    parts = urlsplit(home)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UsageError(f"HOME_URL {home!r} is not an http(s) address, e.g. https://example.kz/")
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def add_outlet(
    home: str,
    name: str,
    *,
    credit: str | None = None,
    replay: bool = False,
    snapshot: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    sample_size: int = SAMPLE_SIZE,
) -> Outcome:
    home = check_home(home)
    path = spiders_dir() / f"{name}.py"
    check_name(name, path, force=force, dry_run=dry_run)
    probed_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    server = None
    if replay:
        from crawler.replay import SnapshotServer, resolve_snapshot

        server = SnapshotServer(resolve_snapshot(snapshot)).start()  # --snapshot, $CRAWLER_SNAPSHOT, the bundled one
    try:
        data = probe_site(
            home,
            sample_size=sample_size,
            replay_address=server.address if server else None,
            now=server.recorded_at if server else "",
        )
    finally:
        if server is not None:
            server.stop()
    outcome = infer(data, name=name, credit=credit, path=path, probed_at=probed_at, sample_size=sample_size)
    outcome.warnings += _host_warnings(name, outcome.hosts)
    if replay:
        outcome.reasons.insert(0, f"probed the replay of {snapshot or 'the bundled snapshot'}")
    compile(outcome.source, str(path), "exec")  # a declaration that does not even parse is a bug, not a file
    if not dry_run:
        path.write_text(outcome.source, encoding="utf-8")
        outcome.written = True
    return outcome


def _host_warnings(name: str, hosts: tuple[str, ...]) -> list[str]:
    from crawler.outlets import load_outlets

    out = []
    for other, spider in load_outlets().items():
        shared = set(hosts) & set(getattr(spider, "hosts", ()))
        if other != name and shared:
            out.append(
                f"spider {other!r} already crawls {', '.join(sorted(shared))}: its articles would be stored twice"
            )
    return out


GENERIC = PageRules()


def _extract(page: Page, rules: PageRules = GENERIC) -> Extracted:
    charset = re.search(r"charset=([\w-]+)", page.content_type or "", re.IGNORECASE)
    return extract(
        page.body, page.final_url or page.url, rules, declared_encoding=charset.group(1) if charset else None
    )


def _is_article(page: Page | None) -> bool:
    if page is None or page.error or not page.status or page.status >= 400 or not page.body:
        return False
    extracted = _extract(page)
    sample = onboarding.Sample(page.url, page.body, extracted)
    has_date = bool(extracted.published) or bool(onboarding.page_dates(sample.tree))
    return onboarding.looks_like_article(extracted, has_date)


def infer(
    data: ProbeData, *, name: str, credit: str | None, path: Path, probed_at: str, sample_size: int = SAMPLE_SIZE
) -> Outcome:
    """Decide the declaration from the probe's data (pure: no network)."""
    links = [(canonical_url(url), date, kind) for url, date, kind in data.all_links() if host_of(url) in data.hosts]
    urls = list(dict.fromkeys(url for url, _, _ in links))
    dates = {url: date for url, date, _ in links if date}
    if not urls:
        raise OnboardingError(f"no article found: the probe of {data.home} found no link on {', '.join(data.hosts)}")
    shapes = onboarding.url_shapes(urls, data.hosts)
    tried, accepted, samples_of, not_articles = [], [], {}, []
    for shape in shapes[:4]:
        members = [u for u in shape.urls if not onboarding.is_non_article(u)]
        fetched = [u for u in members if u in data.pages]
        articles = [u for u in fetched if _is_article(data.pages[u])]
        share = len(articles) / len(fetched) if fetched else 0.0
        tried.append(f"{shape.describe()} ({len(articles)}/{len(fetched)} samples are articles)")
        if share >= (EXTRA_SHAPE_SHARE if accepted else MIN_ARTICLE_SHARE) and len(accepted) < 3:
            accepted.append(shape)
            samples_of[shape.describe()] = articles
            not_articles += [u for u in fetched if u not in articles and data.pages[u].status == 200]
    if not accepted:
        detail = "; ".join(tried) if tried else f"no URL shape shared by {onboarding.MIN_SIBLINGS}+ links"
        raise OnboardingError(
            f"no article found on {data.home}: {len(urls)} links, none of their URL shapes has pages with a title, "
            f"a date and {onboarding.ARTICLE_MIN_CHARS}+ characters ({detail})"
        )
    article_url = onboarding.article_regex(accepted)
    pattern = re.compile(article_url)
    skip_url = onboarding.skip_pattern(urls, pattern)
    skip = re.compile(skip_url) if skip_url else None
    non_articles = [u for u in urls if onboarding.is_non_article(u)] + data.sections
    problem = onboarding.pattern_problem(pattern, skip, data.home, non_articles)
    if problem:
        raise OnboardingError(problem)

    sample_urls = [u for shape in accepted for u in samples_of[shape.describe()]][:sample_size]
    samples = [
        onboarding.Sample(u, data.pages[u].body, _extract(data.pages[u]), reference_date=dates.get(u))
        for u in sample_urls
    ]
    others = [data.pages[u].body for u in not_articles if not (skip and skip.search(u))]
    choice = onboarding.choose_rules(samples, lambda s, rules: _extract(data.pages[s.url], rules), others)
    final = [(u, _extract(data.pages[u], choice.rules)) for u in sample_urls]
    languages = onboarding.languages(e.text for _, e in final)
    hosts = tuple(dict.fromkeys([data.hosts[0], *(h for shape in accepted for h in shape.hosts)]))
    site = onboarding.site_name(data.pages[data.home].body, data.hosts[0], [data.pages[u].body for u in sample_urls])
    credit = credit or onboarding.default_credit(site)
    names = tuple(dict.fromkeys([site, data.hosts[0]]))
    strategies = _strategies(data, pattern, skip)
    feeds, sitemaps, listings = _declared(strategies)
    numbered, sitemaps_left = onboarding.numbered_series(sitemaps)
    sitemaps = tuple(sitemaps_left)
    matched = sum(1 for u in urls if pattern.match(u) and not (skip and skip.search(u)))
    shape_text = " + ".join(shape.describe() for shape in accepted)
    reasons = [
        f"article_url: {matched} of {len(urls)} links found have the shape {shape_text}; "
        f"{len(samples)} samples have a title, a date and {onboarding.ARTICLE_MIN_CHARS}+ characters",
    ]
    if len(tried) > len(accepted):
        reasons.append("shapes tried: " + "; ".join(tried))
    if skip_url:
        reasons.append(f"skip_url: tag/author/gallery/static pages with that shape were found ({skip_url})")
    reasons += choice.reasons
    counts = Counter(e.lang for _, e in final if e.lang)
    reasons.append("languages: " + ", ".join(f"{lang} ({counts[lang]} samples)" for lang in languages))
    header = _header(data, probed_at, strategies, reasons)
    decl = onboarding.Declaration(
        name=name,
        credit=credit,
        names=names,
        hosts=hosts,
        home=site_root(data.home),
        languages=languages,
        feeds=feeds,
        sitemaps=sitemaps,
        listings=listings,
        numbered_sitemaps=tuple(numbered),
        article_url=article_url,
        skip_url=skip_url,
        rules=choice.rules,
        header=header,
    )
    return Outcome(
        name=name,
        path=path,
        source=onboarding.render(decl),
        written=False,
        probed_at=probed_at,
        home=data.home,
        hosts=hosts,
        credit=credit,
        strategies=strategies,
        article_url=article_url,
        article_shape=shape_text,
        skip_url=skip_url,
        reasons=reasons,
        languages=languages,
        samples=[SampleReport.of(u, e) for u, e in final],
    )


FEED_KINDS = {"feed", "feed (advertised)", "usual feed path"}
SITEMAP_KINDS = {"sitemap", "sitemap (robots.txt)", "usual sitemap path", "numbered sitemap"}
MAX_LISTINGS = 6


def _strategies(data: ProbeData, pattern: re.Pattern[str], skip: re.Pattern[str] | None) -> list[dict[str, Any]]:
    """Every strategy the probe's discovery ran: what it answered, how many links it found and how many of
    them are articles by the inferred pattern."""
    rows = []
    for url, result in data.strategies.items():
        found = {canonical_url(u) for u in data.links_by_root.get(url, [])}
        articles = sorted(u for u in found if pattern.match(u) and not (skip and skip.search(u)))
        rows.append(
            {
                "kind": result.get("kind", "?"),
                "url": url,
                "ok": bool(result.get("ok")),
                "status": result.get("status"),
                "links": len(found),
                "articles": len(articles),
                "problem": result.get("problem"),
                "found": articles,
            }
        )
    return rows


def _declared(strategies: list[dict[str, Any]]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Feeds and sitemaps that gave articles; listings only for articles nothing else found (each listing
    kept must add some), the ones finding most first."""
    feeds = tuple(s["url"] for s in strategies if s["kind"] in FEED_KINDS and s["articles"])
    sitemaps = tuple(s["url"] for s in strategies if s["kind"] in SITEMAP_KINDS and s["articles"])
    covered = {u for s in strategies if s["url"] in feeds + sitemaps for u in s["found"]}
    listings = []
    candidates = [s for s in strategies if s["kind"] in {"listing", "home page"} and s["articles"]]
    while candidates and len(listings) < MAX_LISTINGS:
        best = max(candidates, key=lambda s: (len(set(s["found"]) - covered), -strategies.index(s)))
        if not set(best["found"]) - covered:
            break
        listings.append(best["url"])
        covered |= set(best["found"])
        candidates.remove(best)
    return feeds, sitemaps, tuple(listings)


def _header(data: ProbeData, probed_at: str, strategies: list[dict[str, Any]], reasons: list[str]) -> list[str]:
    working = [f"{s['kind']} {s['url']} ({s['articles']} articles)" for s in strategies if s["articles"]]
    empty = [s for s in strategies if s["ok"] and not s["articles"]]
    dead = [f"{s['kind']} {s['url']} ({s.get('problem') or 'no answer'})" for s in strategies if not s["ok"]]
    lines = [
        f"Probed {data.home} on {probed_at}: robots.txt, the home page, {len(data.sections)} section pages from its "
        "navigation, the usual feed and sitemap paths (the discovery every spider runs).",
        "Found articles: " + ("; ".join(working) if working else "nothing"),
    ]
    if empty:
        lines.append(f"Answered without article links: {len(empty)} ({', '.join(sorted({s['kind'] for s in empty}))})")
    if dead:
        lines.append("Dead: " + "; ".join(dead))
    lines += ["", "Chosen:", *(f"- {reason}" for reason in reasons)]
    return lines
