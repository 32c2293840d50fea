"""What `crawler outlet add` decides from what a site shows: plain functions, no network, no Scrapy.

Given the links found on a site's hosts (by the same discovery every spider runs) and test-extractions of
sample pages, this module infers

- the article URL pattern: many siblings sharing a path shape (a numeric id, a date path, ``.html``, a slug
  with an id), as a regex with an ``id`` group where there is one;
- the skip pattern: path words of tags, authors, galleries, search and static pages seen on the site;
- page rules: a body, title or date selector only where it beats the generic extraction on the samples,
  and ``drop_lines`` for chrome lines the samples repeat;
- the languages of the samples;

and renders the declaration ``spiders/<name>.py``. Every choice carries its reason, for the file's header.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from urllib.parse import parse_qsl, urlsplit

from lxml.html import HtmlElement, document_fromstring

from crawler.dates import ALMATY, parse_date
from crawler.extraction import Extracted, PageRules, decode_html
from crawler.urls import canonical_url, host_of

# Path words of pages that are not articles (English, Russian and Kazakh transliterations as CMSs write them).
NON_ARTICLE_WORDS = (
    "tag", "tags", "teg", "tegi", "author", "authors", "avtor", "avtory", "avtor-", "category", "categories",
    "rubric", "rubrika", "search", "poisk", "izdeu", "gallery", "galereya", "photo", "photos", "foto",
    "fotogalereya", "video", "page", "about", "o-nas", "o-redakcii", "contacts", "kontakty", "reklama",
    "advert", "login", "register", "feed", "rss", "amp-stories", "persona", "user", "users", "wp-content",
    "wp-admin", "wp-json", "uploads", "static", "media",
)  # fmt: skip
# ... and of pages that are not even listings (static pages, search, accounts)
STATIC_WORDS = (
    "about", "o-nas", "o-redakcii", "o-proekte", "contacts", "kontakty", "reklama", "advert", "login",
    "register", "search", "poisk", "izdeu", "feed", "rss", "privacy", "politika-konfidencialnosti", "wp-admin",
)  # fmt: skip
STATIC_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|css|js|pdf|docx?|xlsx?|zip|mp[34]|xml|json|txt|ico)$", re.I)
MIN_SIBLINGS = 3  # a path shape shared by fewer links is no pattern
ARTICLE_MIN_CHARS = 400  # a sample counts as an article with a title, a date and this much text
CHROME_CONTAINERS = re.compile(
    r"related|similar|sidebar|aside|popular|footer|nav|menu|widget|comment|incut|inset|top-news|card|"
    r"teaser|recommend|more-news|news-item|breadcrumb|share|subscribe|banner|cookie",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?…»\"”)]$")


# ------------------------------------------------------------------------------------------ URL shapes


@dataclass(frozen=True)
class Segment:
    kind: str  # year | d2 | num | id-slug | slug-id | id-html | slug-html | slug | word
    value: str  # the segment as written (words keep it; the others are generalised)


def segment_kind(segment: str) -> str:
    """How a path segment is generalised: ids, dates, slugs and .html pages vs literal words."""
    s = segment.lower()
    if re.fullmatch(r"(?:19|20)\d\d", s):
        return "year"
    if re.fullmatch(r"\d{1,2}", s):
        return "d2"
    if re.fullmatch(r"\d{3,}", s):
        return "num"
    if re.fullmatch(r"\d{3,}\.s?html?", s):
        return "id-html"
    if re.fullmatch(r"\d{3,}[-_][^/]+", s):
        return "id-slug"
    if re.fullmatch(r"[^/]+[-_]\d{3,}(?:\.s?html?)?", s):
        return "slug-id"
    if re.fullmatch(r"[^/]+\.s?html?", s):
        return "slug-html"
    if len(re.split(r"[-_]", s)) >= 3 or not s.isascii():
        return "slug"
    return "word"


SEGMENT_REGEX = {
    "year": r"(?:19|20)\d\d",
    "d2": r"\d{1,2}",
    "num": r"{id}\d{{3,}}{end}",
    "id-html": r"{id}\d{{3,}}{end}\.s?html?",
    "id-slug": r"{id}\d{{3,}}{end}[-_][^/]+",
    "slug-id": r"[^/]+?[-_]{id}\d{{3,}}{end}(?:\.s?html?)?",
    "slug-html": r"[^/]+\.s?html?",
    "slug": r"[^/]+",
}
ID_KINDS = ("num", "id-html", "id-slug", "slug-id")
EVIDENCE = {"num": 3, "id-html": 3, "id-slug": 3, "slug-id": 3, "year": 3, "slug-html": 2, "slug": 1}
_REGEX_SPECIAL = re.compile(r"([.^$*+?{}\[\]\\|()])")


def escape(text: str) -> str:
    """``re.escape`` for people: only the characters that mean something in a regex get a backslash."""
    return _REGEX_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class ParsedUrl:
    url: str
    host: str
    segments: tuple[str, ...]
    trailing_slash: bool
    query: tuple[tuple[str, str], ...]

    @property
    def words(self) -> set[str]:
        return {s.lower() for s in self.segments} | {k.lower() for k, _ in self.query}


def parse_url(url: str) -> ParsedUrl:
    url = canonical_url(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = tuple(s for s in path.split("/") if s)
    return ParsedUrl(url, host_of(url), segments, path.endswith("/") and bool(segments), tuple(parse_qsl(parts.query)))


def is_non_article(url: str) -> bool:
    """A tag, author, category, gallery, search, static or pagination page, by its path words."""
    parsed = parse_url(url)
    if STATIC_SUFFIX.search(urlsplit(parsed.url).path):
        return True
    if any(k.lower() in {"page", "s", "q", "search", "tag", "author"} for k, _ in parsed.query):
        return True
    return any(word in NON_ARTICLE_WORDS for word in parsed.words)


def is_static_page(url: str) -> bool:
    """An about/contacts/search/account page or a file: not worth listing."""
    parsed = parse_url(url)
    return bool(STATIC_SUFFIX.search(urlsplit(parsed.url).path)) or any(w in STATIC_WORDS for w in parsed.words)


@dataclass
class Shape:
    """URLs that share a path shape: the same segment kinds (words may differ), slash and query keys."""

    kinds: tuple[str, ...]
    trailing_slash: bool
    query_keys: tuple[str, ...]
    urls: list[str] = field(default_factory=list)
    hosts: Counter[str] = field(default_factory=Counter)
    words: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def evidence(self) -> int:
        return max((EVIDENCE.get(kind, 0) for kind in self.kinds), default=0) + (3 if any(self._query_id()) else 0)

    def _query_id(self) -> list[str]:
        return [key for key in self.query_keys if key.lower() in {"p", "id", "news_id", "article", "nid"}]

    @property
    def score(self) -> int:
        return len(self.urls) * self.evidence

    def describe(self) -> str:
        parts = []
        for position, kind in enumerate(self.kinds):
            if kind == "word":
                values = [w for w, _ in self.words[position].most_common(3)]
                parts.append("|".join(values) + ("|…" if len(self.words[position]) > 3 else ""))
            else:
                parts.append(f"<{kind}>")
        text = "/" + "/".join(parts) + ("/" if self.trailing_slash else "")
        if self.query_keys:
            text += "?" + "&".join(f"{key}=…" for key in self.query_keys)
        return text

    def regex(self, named_id: bool = True) -> str:
        """A regex over canonical URLs (``canonical_url``: no www., no tracking) with ``id`` where one is."""
        hosts = sorted(self.hosts, key=lambda h: (-self.hosts[h], h))
        host = escape(hosts[0]) if len(hosts) == 1 else "(?:" + "|".join(map(escape, hosts)) + ")"
        id_position = self._id_position() if named_id else None
        parts = []
        for position, kind in enumerate(self.kinds):
            if kind == "word":
                values = sorted(self.words[position])
                article_values = [v for v in values if v.lower() not in NON_ARTICLE_WORDS] or values
                parts.append(escape(article_values[0]) if len(article_values) == 1 else r"[a-z0-9_-]+")
            else:
                named = position == id_position
                parts.append(
                    SEGMENT_REGEX[kind].format(id="(?P<id>" if named else "", end=")" if named else "")
                    if kind in ID_KINDS
                    else SEGMENT_REGEX[kind]
                )
        path = (
            "/" + "/".join(parts) + ("/?" if self.trailing_slash else "")
        )  # a link without the slash is the same page
        query = ""
        if self.query_keys:
            pairs = []
            for key in self.query_keys:
                named = named_id and key in self._query_id()[:1] and self._id_position() is None
                pairs.append(f"{escape(key)}=" + (r"(?P<id>\d+)" if named else r"[^&]*"))
            query = r"\?" + "&".join(pairs)
        return f"^https?://{host}{path}{query}$"

    @property
    def has_id(self) -> bool:
        return self._id_position() is not None or bool(self._query_id())

    def _id_position(self) -> int | None:
        positions = [i for i, kind in enumerate(self.kinds) if kind in ID_KINDS]
        return positions[-1] if positions else None


def article_regex(shapes: Sequence[Shape]) -> str:
    """One regex for the chosen shapes; the ``id`` group is named in the first shape that has one (Python
    allows a group name once), so the others are identified by their path."""
    named = next((i for i, shape in enumerate(shapes) if shape.has_id), None)
    parts = [shape.regex(named_id=i == named) for i, shape in enumerate(shapes)]
    if len(parts) == 1:
        return parts[0]
    return "^(?:" + "|".join(part[1:-1] for part in parts) + ")$"


def url_shapes(urls: Iterable[str], hosts: Sequence[str]) -> list[Shape]:
    """Article-like shapes among ``urls`` (on ``hosts``), best first: many siblings with an id, a date
    path or a slug; shapes made only of tag/author/… pages, of words only, or too rare are left out."""
    shapes: dict[tuple, Shape] = {}
    for url in dict.fromkeys(canonical_url(u) for u in urls):
        parsed = parse_url(url)
        if parsed.host not in hosts or STATIC_SUFFIX.search(urlsplit(url).path):
            continue
        if not parsed.segments and not parsed.query:
            continue  # the home page
        kinds = tuple(segment_kind(s) for s in parsed.segments)
        query_keys = tuple(k for k, _ in parsed.query)
        key = (kinds, parsed.trailing_slash, query_keys)
        shape = shapes.setdefault(key, Shape(kinds, parsed.trailing_slash, query_keys))
        shape.urls.append(url)
        shape.hosts[parsed.host] += 1
        for position, (kind, segment) in enumerate(zip(kinds, parsed.segments, strict=True)):
            if kind == "word":
                shape.words[position][segment] += 1
    candidates = []
    for shape in shapes.values():
        if shape.evidence == 0 or len(shape.urls) < MIN_SIBLINGS:
            continue
        articles = [u for u in shape.urls if not is_non_article(u)]
        if len(articles) < MIN_SIBLINGS:
            continue  # /tag/<slug>/, /author/<slug>/ …: a shape of non-articles
        candidates.append(shape)
    return sorted(candidates, key=lambda s: (-s.score, s.describe()))


def skip_pattern(urls: Iterable[str], article_url: re.Pattern[str]) -> str | None:
    """A regex for the non-article path words seen on the site whose pages the article pattern accepts."""
    words: set[str] = set()
    for url in urls:
        url = canonical_url(url)
        if article_url.match(url) and is_non_article(url):
            words |= {w for w in parse_url(url).words if w in NON_ARTICLE_WORDS}
    if not words:
        return None
    return "/(?:" + "|".join(sorted(map(re.escape, words))) + ")/"


def pattern_problem(
    article_url: re.Pattern[str], skip_url: re.Pattern[str] | None, home: str, non_articles: Iterable[str]
) -> str | None:
    """Why the pattern cannot be used: it accepts the home page or a tag/author/… page (after the skip)."""
    candidates = [canonical_url(home), *(canonical_url(u) for u in non_articles)]
    for url in candidates:
        if article_url.match(url) and not (skip_url and skip_url.search(url)):
            what = "the home page" if url == candidates[0] else "the tag/author/section page"
            return f"the article pattern {article_url.pattern} would also match {what} {url}"
    return None


def spread_sample(urls: Sequence[str], size: int, dates: dict[str, str | None] | None = None) -> list[str]:
    """Up to ``size`` URLs, newest first where dates are known, taken round-robin over hosts and the first
    path segments, so a Kazakh section or a second host gets sampled too."""
    dates = dates or {}

    def when(url: str) -> datetime:
        parsed = parse_date(dates.get(url) or "") if dates.get(url) else None
        return parsed or datetime(1970, 1, 1, tzinfo=ALMATY)

    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for url in sorted(dict.fromkeys(urls), key=lambda u: (when(u), u), reverse=True):
        parsed = parse_url(url)
        groups[(parsed.host, *parsed.segments[:-1][:2])].append(url)
    picked: list[str] = []
    queues = sorted(groups.values(), key=len, reverse=True)
    while len(picked) < size and any(queues):
        for queue in queues:
            if queue and len(picked) < size:
                picked.append(queue.pop(0))
    return picked


# ---------------------------------------------------------------------------------------- page rules


@dataclass
class Sample:
    """One fetched sample page and what the generic extraction made of it."""

    url: str
    body: bytes
    generic: Extracted
    reference_date: str | None = None  # the date the feed/sitemap/listing gave for it

    @cached_property
    def tree(self) -> HtmlElement:
        text, _ = decode_html(self.body)
        return document_fromstring(text.encode("utf-8"))


ExtractFn = Callable[[Sample, PageRules], Extracted]  # the extraction of a sample with other rules


@dataclass
class Choice:
    rules: PageRules
    reasons: list[str]


def looks_like_article(extracted: Extracted, page_has_date: bool) -> bool:
    return bool(extracted.title) and page_has_date and len(extracted.text) >= ARTICLE_MIN_CHARS


def _norm(text: str) -> str:
    return " ".join(text.split())


def _in_chrome(element: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in {"nav", "aside", "footer", "header"} and ancestor.getparent() is not None:
            if ancestor.tag == "header" and ancestor.xpath(".//h1"):
                continue  # an article's own header carries its date
            return True
        marks = " ".join(filter(None, (ancestor.get("class"), ancestor.get("id"))))
        if marks and CHROME_CONTAINERS.search(marks):
            return True
    return False


def _css_for(element: HtmlElement) -> list[str]:
    """Selectors naming ``element`` by its tag with its id, each class, itemprop or data-role."""
    tag = element.tag if isinstance(element.tag, str) else "*"
    out = []
    if element.get("id") and re.fullmatch(r"[A-Za-z][\w-]*", element.get("id", "")):
        out.append(f"{tag}#{element.get('id')}")
    for name in ("itemprop", "data-role"):
        if element.get(name) and re.fullmatch(r"[\w-]+", element.get(name, "")):
            out.append(f"{tag}[{name}={element.get(name)}]")
    out += [f"{tag}.{cls}" for cls in (element.get("class") or "").split() if re.fullmatch(r"[A-Za-z_][\w-]*", cls)]
    return out


def page_dates(tree: HtmlElement) -> list[tuple[str, str, int]]:
    """(selector, raw value, document position) of every date-looking element outside page chrome."""
    found = []
    for position, element in enumerate(tree.iter()):
        if not isinstance(element.tag, str) or element.tag in {"script", "style", "meta", "link"}:
            continue
        raw = element.get("datetime") or (element.text_content() if len(element) == 0 else "")
        raw = _norm(raw or "")
        if not raw or len(raw) > 40 or parse_date(raw) is None:
            continue
        if _in_chrome(element):
            continue
        parent = element.getparent()
        selectors = _css_for(element) or [f"{css} > {element.tag}" for css in _css_for(parent)[:2]]
        found += [(css, raw, position) for css in selectors]
    return found


def _same_day(a: str | None, b: str | None) -> bool:
    x, y = parse_date(a) if a else None, parse_date(b) if b else None
    return bool(x and y) and x.astimezone(ALMATY).date() == y.astimezone(ALMATY).date()  # type: ignore[union-attr]  # both checked


def _agrees(published: str | None, reference: str | None) -> bool:
    return bool(published) and (reference is None or _same_day(published, reference))


def choose_date(samples: Sequence[Sample], extract_with: ExtractFn) -> tuple[tuple[str, ...], str | None]:
    """A date selector when the generic date is missing or disagrees with the feed/sitemap/listing date on
    some samples and one selector gives a date on all of them (agreeing where a reference exists)."""
    generic_bad = [s for s in samples if not _agrees(s.generic.published, s.reference_date)]
    if not generic_bad:
        return (), None
    votes: Counter[str] = Counter()
    first_position: dict[str, list[int]] = defaultdict(list)
    for sample in samples:
        seen: set[str] = set()
        for css, raw, position in page_dates(sample.tree):
            if css in seen:
                continue
            seen.add(css)  # only the selector's first match counts: it is what the rule will take
            if sample.reference_date and not _same_day(raw, sample.reference_date):
                continue
            votes[css] += 1
            first_position[css].append(position)
    need = len(samples)
    for css, count in sorted(votes.items(), key=lambda kv: (-kv[1], min(first_position[kv[0]]), kv[0])):
        if count < need:
            break
        fixed = [s for s in generic_bad if _agrees(extract_with(s, PageRules(date=(css,))).published, s.reference_date)]
        if len(fixed) == len(generic_bad):
            how = "missing" if any(not s.generic.published for s in generic_bad) else "off the feed/sitemap date"
            return (css,), f"date: {css} (the generic date was {how} on {len(generic_bad)} of {len(samples)} samples)"
    return (), None


def choose_title(samples: Sequence[Sample]) -> tuple[tuple[str, ...], str | None]:
    """``h1`` (with its class when all samples share it) when the generic title differs from the page's
    only <h1> on some samples — a site suffix, an og:title written for social networks."""
    differs, classes = 0, []
    for sample in samples:
        h1s = [h for h in sample.tree.iter("h1") if not _in_chrome(h) and _norm(h.text_content())]
        if len(h1s) != 1:
            return (), None
        if _norm(h1s[0].text_content()) != (sample.generic.title or ""):
            differs += 1
        classes.append(set((h1s[0].get("class") or "").split()))
    if not differs:
        return (), None
    common = sorted(set.intersection(*classes)) if classes else []
    css = f"h1.{common[0]}" if common else "h1"
    return (css,), f"title: {css} (the generic title differed from the page's headline on {differs} samples)"


def repeated_lines(per_sample: Sequence[Iterable[str]], min_pages: int = 2) -> dict[str, int]:
    """Paragraphs, or paragraph openings up to a colon, that occur on several sample pages (at least two
    and a third of them): page chrome."""
    lines: Counter[str] = Counter()
    for paragraphs in per_sample:
        keys = set()
        for p in paragraphs:
            keys.add(p)
            opening = re.match(r"^([^:|]{3,40}?)(:|\s\|)\s", p)  # "Читайте также: …", "Ордынка | Общество"
            if opening:
                keys.add(opening.group(1) + opening.group(2))
        lines.update(keys)
    threshold = max(min_pages, (len(per_sample) + 2) // 3)
    return {line: count for line, count in lines.items() if count >= threshold}


def drop_regexes(chrome: Iterable[str]) -> tuple[str, ...]:
    out = []
    for line in sorted(chrome, key=len):
        opening = line if line.endswith((":", "|")) and len(line) <= 42 else line[:60]
        regex = "^" + escape(opening)
        if not any(re.match(existing, line) for existing in out):
            out.append(regex)
    return tuple(out)


def _chrome_line(line: str, title: str | None, chrome: Iterable[re.Pattern[str]]) -> bool:
    return (
        any(p.match(line) for p in chrome)
        or parse_date(line) is not None
        or (title is not None and _norm(line) == _norm(title))
        or len(line) < 20
    )


def _score(
    outputs: Sequence[list[str]], contents: Sequence[set[str]], titles: Sequence[str | None], chrome: tuple[str, ...]
) -> int:
    """Chrome kept plus content lost, over all samples (lower is better)."""
    patterns = [re.compile(p) for p in chrome]
    total = 0
    for paragraphs, content, title in zip(outputs, contents, titles, strict=True):
        kept = [p for p in paragraphs if not any(x.search(p) for x in patterns)]
        total += sum(_chrome_line(p, title, patterns) for p in kept)
        total += len(content - set(kept))
    return total


def body_candidates(samples: Sequence[Sample]) -> list[str]:
    """Selectors of the element that holds the long paragraphs on every sample (their lowest common
    ancestor outside page chrome), most specific first."""
    per_sample: list[set[str]] = []
    for sample in samples:
        paragraphs = [p for p in sample.tree.iter("p") if len(_norm(p.text_content())) >= 80 and not _in_chrome(p)]
        if not paragraphs:
            return []
        common = list(paragraphs[0].iterancestors())
        for p in paragraphs[1:]:
            mine = set(p.iterancestors())
            common = [a for a in common if a in mine]
        holder = common[0] if common and common[0].tag not in {"body", "html"} else None
        per_sample.append(set(_css_for(holder)) if holder is not None else set())
    shared = set.intersection(*per_sample) if per_sample else set()
    return sorted(shared, key=lambda css: ("#" not in css and "[" not in css, css))


def _depth(element: HtmlElement) -> int:
    return sum(1 for _ in element.iterancestors())


def choose_body(samples: Sequence[Sample], extract_with: ExtractFn) -> tuple[str | None, tuple[str, ...], list[str]]:
    """(body selector or None, drop_lines, reasons): a container only when it beats trafilatura on the
    samples (less chrome kept plus less text lost), the lines the samples repeat dropped either way."""
    titles = [s.generic.title for s in samples]
    generic = [s.generic.text.split("\n\n") if s.generic.text else [] for s in samples]
    options: dict[str | None, list[list[str]]] = {None: generic}
    for css in body_candidates(samples)[:4]:
        outputs = [extract_with(s, PageRules(body=css)).text.split("\n\n") for s in samples]
        if all(len("".join(o)) >= ARTICLE_MIN_CHARS for o in outputs):
            options[css] = outputs
    per_sample = [{line for outputs in options.values() for line in outputs[i]} for i in range(len(samples))]
    chrome = drop_regexes(repeated_lines(per_sample))
    patterns = [re.compile(p) for p in chrome]
    contents = []
    for index, title in enumerate(titles):
        lines: set[str] = set()
        for css, outputs in options.items():
            for line in outputs[index]:
                if _chrome_line(line, title, patterns):
                    continue
                if css is not None or (len(line) >= 80 and SENTENCE_END.search(line)):
                    lines.add(line)
        contents.append(lines)
    scores = {css: _score(outputs, contents, titles, chrome) for css, outputs in options.items()}
    best = min(scores, key=lambda css: (scores[css], css is not None, css or ""))
    reasons = []
    if best is not None:
        reasons.append(
            f"body: {best} (chrome kept + text lost on the samples: {scores[best]}, trafilatura: {scores[None]})"
        )
    else:
        reasons.append(f"body: the generic extraction (chrome kept + text lost on the samples: {scores[None]})")
    used = [p for p in chrome if any(re.search(p, line) for outputs in (options[best],) for o in outputs for line in o)]
    if used:
        reasons.append(f"drop_lines: {len(used)} line(s) repeated on several samples (page chrome)")
    return best, tuple(used), reasons


AUTHOR_MARK = re.compile(r"author|byline|avtor|writer|journalist", re.IGNORECASE)
PERSON = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w'’-]+(?:\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w'’.-]*){1,3}")


def choose_author(samples: Sequence[Sample], extract_with: ExtractFn) -> tuple[tuple[str, ...], str | None]:
    """An author selector when the generic extraction (JSON-LD, meta author) names nobody on most samples
    and an element marked author/byline gives a person's name (2-4 capitalised words) on 80 % of them."""
    missing = [s for s in samples if not s.generic.author]
    if len(missing) * 2 < len(samples):
        return (), None
    candidates: dict[str, None] = {}
    for sample in missing:
        for element in sample.tree.iter():
            if not isinstance(element.tag, str) or _in_chrome(element):
                continue
            if AUTHOR_MARK.search(" ".join(filter(None, (element.get("class"), element.get("id"))))):
                for css in _css_for(element):
                    candidates[css] = None
                    if element.find(".//a") is not None:
                        candidates[f"{css} a"] = None
    for css in candidates:
        names = [extract_with(s, PageRules(author=(css,))).author for s in missing]
        good = [n for n in names if n and PERSON.fullmatch(n)]
        if len(good) >= 0.8 * len(missing):
            return (css,), f"author: {css} (the generic extraction named no author on {len(missing)} samples)"
    return (), None


MEDIA_MARK = re.compile(r"gallery|galereya|photo|foto|video|media|audio|podcast|slider", re.IGNORECASE)


def choose_media_page(articles: Sequence[Sample], others: Sequence[bytes]) -> tuple[str | None, str | None]:
    """A selector found on every page of the article shape that is *not* an article (a photo report, a
    video) and on none of the articles, among class names that say gallery/photo/video/…: those pages
    are then skipped as media pages instead of being stored with captions for text."""
    if not others or not articles:
        return None, None

    def marks(body: bytes) -> set[str]:
        text, _ = decode_html(body)
        tree = document_fromstring(text.encode("utf-8"))
        found = set()
        for element in tree.iter():
            if isinstance(element.tag, str) and not _in_chrome(element):
                found |= {css for css in _css_for(element) if MEDIA_MARK.search(css.split(".", 1)[-1])}
        return found

    common = set.intersection(*(marks(body) for body in others))
    for sample in articles:
        common -= marks(sample.body)
    if not common:
        return None, None
    css = sorted(common, key=lambda c: (len(c), c))[0]
    return (
        css,
        f"media_page: {css} (on the {len(others)} page(s) of the article shape that are no article, on no sample)",
    )


def choose_rules(samples: Sequence[Sample], extract_with: ExtractFn, others: Sequence[bytes] = ()) -> Choice:
    """PageRules for the outlet: each selector only where it beats the generic result on ``samples``;
    ``others``: pages of the article shape that are no articles (galleries …)."""
    reasons: list[str] = []
    title, why = choose_title(samples)
    reasons += [why] if why else []
    date, why = choose_date(samples, extract_with)
    reasons += [why] if why else []
    body, drop, why_body = choose_body(samples, extract_with)
    reasons += why_body
    author, why = choose_author(samples, extract_with)
    reasons += [why] if why else []
    media, why = choose_media_page(samples, others)
    reasons += [why] if why else []
    rules = PageRules(title=title, date=date, author=author, body=body, drop_lines=drop, media_page=media)
    return Choice(rules, reasons)


def languages(texts: Iterable[str]) -> tuple[str, ...]:
    """Languages of the sample texts, Russian first, then by count."""
    from crawler.language import detect_language

    counts = Counter(lang for text in texts if (lang := detect_language(text)))
    ordered = sorted(counts, key=lambda lang: (lang != "ru", -counts[lang], lang))
    return tuple(ordered) or ("ru",)


# ---------------------------------------------------------------------------------------------- naming


def _title_and_site(body: bytes) -> tuple[str, str | None]:
    text, _ = decode_html(body)
    try:
        tree = document_fromstring(text.encode("utf-8"))
    except Exception:  # a page lxml cannot parse has no name to give
        return "", None
    og = next((_norm(v) for v in tree.xpath("//meta[@property='og:site_name']/@content") if _norm(v)), None)
    titles = tree.xpath("//title/text()")
    return (_norm(titles[0]) if titles else ""), og


def site_name(home_html: bytes, host: str, others: Sequence[bytes] = ()) -> str:
    """og:site_name; else the part of the <title> that the home page and the other pages share
    ("Headline | Site" everywhere), else the home page's title, else the host."""
    title, og = _title_and_site(home_html)
    if og:
        return og
    parts = Counter()
    for body in (home_html, *others):
        page_title, _ = _title_and_site(body)
        parts.update(set(re.split(r"\s+[—–|·:-]\s+", page_title)) if page_title else set())
    shared = [part for part, count in parts.most_common() if count > 1 and part]
    if shared and others:
        return shared[0]
    return title or host


def default_credit(name: str) -> str:
    """How the bulletin credits a site by default: 'сайт Foo.kz' for a domain-like name, else
    'интернет-издание «Имя»' (the sample bulletin's two forms)."""
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name, re.IGNORECASE):
        return f"сайт {name}"
    return f"интернет-издание «{name.strip('«»')}»"


def class_name(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^a-zA-Z0-9]+", name) if part) + "Spider"


VALID_NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


# ---------------------------------------------------------------------------------------------- writer


@dataclass
class Declaration:
    """Everything spiders/<name>.py declares, and why."""

    name: str
    credit: str
    names: tuple[str, ...]
    hosts: tuple[str, ...]
    home: str
    languages: tuple[str, ...]
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    listings: tuple[str, ...]
    article_url: str
    skip_url: str | None
    rules: PageRules
    header: list[str]  # the comment lines: what was probed, when, what was chosen and why
    numbered_sitemaps: tuple[str, ...] = ()  # 'https://…/sitemap_news{n}.xml'


def numbered_series(urls: Sequence[str]) -> tuple[list[str], list[str]]:
    """(templates, the other URLs): sitemaps that differ only by a number (sitemap_news1.xml,
    sitemap_news2.xml …) become one ``{n}`` template, so the spider reads the numbers that come later."""
    groups: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        groups[re.sub(r"(?<=\D)\d{1,4}(?=\.xml(?:\.gz)?$)", "{n}", url)].append(url)
    templates = [t for t, members in groups.items() if "{n}" in t and len(members) >= 2]
    return templates, [u for t, members in groups.items() if t not in templates for u in members]


LINE = 120  # ruff's line length: the file is written as `ruff format` would leave it


def literal(value: str) -> str:
    """A Python string literal as ruff format writes it: double quotes, a raw string for a regex."""
    if "\\" in value and '"' not in value and not value.endswith("\\"):
        return f'r"{value}"'
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _assign(indent: str, name: str, values: Sequence[str], comment: str = "") -> list[str]:
    """``name = (...)``: one line when it fits, else one value per line with a trailing comma."""
    items = [literal(v) for v in values]
    inner = ", ".join(items) + ("," if len(items) == 1 else "")
    one = f"{indent}{name} = ({inner})" + (f"  # {comment}" if comment else "")
    if len(one) <= LINE:
        return [one]
    return [f"{indent}{name} = (", *(f"{indent}    {item}," for item in items), f"{indent})"]


def _call(indent: str, name: str, function: str, argument: str) -> list[str]:
    one = f"{indent}{name} = {function}({argument})"
    if len(one) <= LINE:
        return [one]
    return [f"{indent}{name} = {function}(", f"{indent}    {argument}", f"{indent})"]


def _wrap(lines: Iterable[str], width: int = 110) -> list[str]:
    import textwrap

    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
        else:
            hanging = " " * (len(line) - len(line.lstrip("- ")))
            out += textwrap.wrap(
                line, width=width, subsequent_indent=hanging, break_long_words=False, break_on_hyphens=False
            )
    return out


def render(decl: Declaration) -> str:
    """The source of spiders/<name>.py, in the declarative form of the hand-written five."""
    rules: list[str] = []
    for field_name in ("title", "date", "author"):
        values = getattr(decl.rules, field_name)
        if values:
            rules += _assign("        ", field_name, values)
    if decl.rules.body:
        rules.append(f"        body={literal(decl.rules.body)},")
    if decl.rules.drop_lines:
        rules += _assign("        ", "drop_lines", decl.rules.drop_lines)
    if decl.rules.media_page:
        rules.append(f"        media_page={literal(decl.rules.media_page)},")
    rules = [
        line.replace(" = (", "=(", 1)
        if line.lstrip().split(" ")[0] in {"title", "date", "author", "drop_lines"}
        else line
        for line in rules
    ]
    rules = [line if line.endswith((",", "(")) else line + "," for line in rules]
    header = _wrap(decl.header)
    lines = [
        f'"""{decl.hosts[0]} — written by `crawler outlet add`; edit freely: this file is the outlet\'s declaration.',
        "",
        *header,
        '"""',
        "",
        "import re",
        "",
        "from crawler.extraction import PageRules",
        "from crawler.outlet_spider import OutletSpider",
        "",
        "",
        f"class {class_name(decl.name)}(OutletSpider):",
        f"    name = {literal(decl.name)}",
        f"    credit = {literal(decl.credit)}",
        *_assign("    ", "names", decl.names, "how other outlets name it when they reprint it"),
        *_assign("    ", "hosts", decl.hosts),
        f"    home = {literal(decl.home)}",
        *_assign("    ", "languages", decl.languages),
    ]
    for name in ("feeds", "sitemaps", "numbered_sitemaps", "listings"):
        if getattr(decl, name):
            lines += _assign("    ", name, getattr(decl, name))
    lines += _call("    ", "article_url", "re.compile", literal(decl.article_url))
    if decl.skip_url:
        lines += _call("    ", "skip_url", "re.compile", literal(decl.skip_url))
    if rules:
        lines += ["    page_rules = PageRules(", *rules, "    )"]
    else:
        lines.append("    page_rules = PageRules()")
    return "\n".join(lines) + "\n"
