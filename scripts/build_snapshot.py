# ruff: noqa: E501  (HTML templates are kept on one line each, as the pages carry them)
"""Render the offline snapshot of the five outlets from scripts/snapshot_src/.

    python scripts/build_snapshot.py [--out DIR]      (default: crawler/snapshot)

Sources: snapshot_src/sample.yml (the nine articles of the sample bulletin, real text) and
snapshot_src/<outlet>.yml (articles written for the snapshot, broken links, special pages);
snapshot_src/templates/<outlet>.html is each outlet's page chrome. Output is deterministic:
running the script twice gives the same bytes. The routes.yml format is described in
crawler/snapshot/README.md.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from crawler.dates import MONTHS_GENITIVE  # the checkout on sys.path first

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "scripts" / "snapshot_src"
OUTLETS = ("vlast", "azattyq", "orda", "ulysmedia", "bureau")
ALMATY = timezone(timedelta(hours=5))
HTML_UTF8 = "text/html; charset=utf-8"
XML_UTF8 = "application/xml; charset=utf-8"


# ---------------------------------------------------------------- shared helpers

RECORDED_AT = datetime(2025, 11, 20, 8, 0, tzinfo=ALMATY)  # the moment the snapshot stands for
FIRST_PASS_DAYS = 14
WINDOW_START = RECORDED_AT - timedelta(days=FIRST_PASS_DAYS)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def paras(a: dict) -> str:
    return "\n".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"])


def ru_date(dt: datetime, time: bool = True) -> str:
    day = f"{dt.day} {MONTHS_GENITIVE[dt.month - 1]} {dt.year}"
    return f"{day}, {dt:%H:%M}" if time else day


def iso(dt: datetime) -> str:
    return dt.isoformat()


def utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def jsonld(obj: dict) -> str:
    text = json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def excerpt(a: dict, words: int = 28) -> str:
    first = (a.get("paragraphs") or [""])[0].split()
    return " ".join(first[:words]) + (" […]" if len(first) > words else "")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def num_id(url: str) -> str:
    return re.findall(r"\d{3,}", urlsplit(url).path)[-1]


def has_page(a: dict) -> bool:
    return a["status"] == 200 and not a.get("empty")


def is_old(a: dict) -> bool:
    return a["dt"] < WINDOW_START


def stored(a: dict) -> bool:
    """What a correct first pass (now = RECORDED_AT, first_pass_days = 14) stores as an article."""
    return has_page(a) and not (a.get("media") or a.get("delay") or a.get("pad_to") or is_old(a))


def not_article_reason(a: dict) -> str | None:
    if a["status"] != 200:
        return f"answers {a['status']}"
    if a.get("empty"):
        return "empty 200 page"
    if a.get("media"):
        return "media page (audio player, no text)"
    if a.get("delay"):
        return f"too slow: answers after {a['delay']} s"
    if a.get("pad_to"):
        return f"over the size cap ({a['pad_to']} bytes)"
    return None


def listed(a: dict, where: str) -> bool:
    return where in a.get("in", ("feed", "listing", "sitemap", "api", "front"))


def newest_first(arts: list[dict]) -> list[dict]:
    return sorted(arts, key=lambda a: (a["dt"], a["url"]), reverse=True)


def chrome_pool(arts: list[dict], lang: str) -> list[dict]:
    """Articles the page chrome (Главное, related) may show: good pages of the window, newest first."""
    return [b for b in newest_first(arts) if stored(b) and b["lang"] == lang]


def top_items(arts: list[dict], a: dict | None, lang: str = "ru", n: int = 4) -> list[dict]:
    return [b for b in chrome_pool(arts, lang) if b is not a][:n]


def related(arts: list[dict], a: dict, n: int = 3) -> list[dict]:
    """Three other articles, chosen by the article's place in the pool so that pages differ."""
    pool = [b for b in chrome_pool(arts, a["lang"]) if b is not a]
    if not pool:
        return []
    start = (int(num_id(a["url"]) if re.search(r"\d{3,}", a["url"]) else a["id"]) * 7) % len(pool)
    return [pool[(start + k) % len(pool)] for k in range(min(n, len(pool)))]


def short_time(dt: datetime) -> str:
    return f"{dt:%d.%m.%Y %H:%M}"


def share_block(url: str, cls: str) -> str:
    return (
        f'<div class="{cls}"><span class="share__label">Поделиться:</span> '
        f'<a class="share__item share__item--fb" href="https://www.facebook.com/sharer/sharer.php?u={esc(url)}" rel="nofollow">Facebook</a> '
        f'<a class="share__item share__item--tg" href="https://t.me/share/url?url={esc(url)}" rel="nofollow">Telegram</a> '
        f'<a class="share__item share__item--wa" href="https://wa.me/?text={esc(url)}" rel="nofollow">WhatsApp</a> '
        f'<a class="share__item share__item--x" href="https://x.com/intent/tweet?url={esc(url)}" rel="nofollow">X</a></div>'
    )


def comments_block(a: dict, cls: str) -> str:
    """A comments block on every third article page (by id): readers' text with their own dates."""
    ident = int(a.get("id") or num_id(a["url"]))
    if ident % 3:
        return ""
    later = a["dt"] + timedelta(hours=3, minutes=ident % 50)
    kk = a["lang"] == "kk"
    text = (
        "Дұрыс жазылған, рахмет."
        if kk
        else "Спасибо, что пишете об этом. Жаль, что такие новости уже никого не удивляют."
    )
    return (
        f'<div class="{cls}" id="comments"><h3 class="comments__title">{"Пікірлер" if kk else "Комментарии"} (1)</h3>'
        f'<div class="comment comment--level-0"><span class="comment__author">Гость</span> '
        f'<time class="comment__date" datetime="{iso(later)}">{short_time(later)}</time>'
        f'<p class="comment__text">{text}</p></div></div>'
    )


def page(
    outlet: str,
    title: str,
    main: str,
    head: str = "",
    body_class: str = "",
    lang: str = "ru",
    charset: bool = True,
    top: str = "",
) -> str:
    tpl = Template((SRC / "templates" / f"{outlet}.html").read_text(encoding="utf-8"))
    return tpl.substitute(
        title=esc(title),
        main=main,
        head=head,
        body_class=body_class,
        lang=lang,
        top=top,
        charset='<meta charset="UTF-8">\n' if charset else "",
    )


def rss(title: str, link: str, items: list[dict], description: str = "", lang: str = "ru") -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{esc(title)}</title>",
        f"<link>{esc(link)}</link>",
        f"<description>{esc(description or title)}</description>",
        f"<language>{lang}</language>",
    ]
    if items:
        out.append(f"<lastBuildDate>{format_datetime(max(i['dt'] for i in items))}</lastBuildDate>")
    for i in items:
        out += [
            "<item>",
            f"<title>{esc(i['title'])}</title>",
            f"<link>{esc(i['link'])}</link>",
            f'<guid isPermaLink="{str(i.get("guid") is None).lower()}">{esc(i.get("guid") or i["link"])}</guid>',
            f"<pubDate>{format_datetime(i['dt'])}</pubDate>",
        ]
        if i.get("description"):
            out.append(f"<description>{esc(i['description'])}</description>")
        if i.get("category"):
            out.append(f"<category>{esc(i['category'])}</category>")
        out.append("</item>")
    return "\n".join([*out, "</channel>", "</rss>", ""])


def feed_item(a: dict, link: str | None = None, **extra) -> dict:
    return {
        "title": a["title"],
        "link": link or a["url"],
        "dt": a["dt"],
        "description": excerpt(a) if has_page(a) else "",
        "category": a.get("section"),
        **extra,
    }


def sitemap(arts: list[dict]) -> str:
    """A news sitemap, oldest first as many generators write them: order is no hint of freshness."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    rows = sorted(arts, key=lambda a: (a["dt"], a["url"]))
    out += [f"<url><loc>{esc(a['url'])}</loc><lastmod>{iso(a['dt'])}</lastmod></url>" for a in rows]
    return "\n".join([*out, "</urlset>", ""])


def robots(host: str, disallow: str, sitemaps: tuple[str, ...] = ()) -> str:
    lines = ["User-agent: *", f"Disallow: {disallow}", "Allow: /", ""]
    return "\n".join(lines + [f"Sitemap: https://{host}{s}" for s in sitemaps]) + "\n"


class Site:
    """Files and routes of one outlet folder, and what a first pass must (not) store."""

    def __init__(self, name: str):
        self.name, self.files, self.routes = name, {}, []
        self.not_articles: list[dict] = []
        self.aliases: dict[str, list[str]] = {}

    def add(self, url: str, file: str | None = None, body: str | bytes | None = None, **opts) -> None:
        if body is not None:
            self.files[file] = body.encode("utf-8") if isinstance(body, str) else body
        entry = {"url": url, **({"file": file} if file else {})}
        entry.update({k: v for k, v in opts.items() if v is not None})
        self.routes.append(entry)

    def non_article(self, url: str, reason: str, file: str | None = None, body: str | None = None, **opts) -> None:
        """A page linked from the chrome or a sitemap that is no article (about, gallery, contacts)."""
        self.add(url, file, body, note=f"not an article: {reason}", **opts)
        self.not_articles.append({"url": url, "reason": reason})

    def article(self, a: dict, body: str | None, aliases: tuple[tuple[str, str], ...] = ()) -> None:
        """Route an article (or a broken link) and its alias URLs (short links, AMP)."""
        reason = not_article_reason(a)
        if reason and not is_old(a):
            self.not_articles.append({"url": a["url"], "reason": reason})
        if not has_page(a):
            self.add(
                a["url"],
                status=a["status"] if a["status"] != 200 else None,
                type=HTML_UTF8 if a.get("empty") else None,
                note=a.get("note"),
            )
            return
        cp1251 = a.get("encoding") == "cp1251"
        file = f"articles/{a['file']}.html"
        opts = {"type": "text/html" if cp1251 else None, "delay": a.get("delay"), "pad_to": a.get("pad_to")}
        self.add(a["url"], file, body.encode("cp1251") if cp1251 else body, note=a.get("note"), **opts)
        for alias, note in aliases:
            self.add(alias, file, note=note, **opts)
        self.aliases[a["url"]] = [alias for alias, _ in aliases]


# ---------------------------------------------------------------- vlast

VL = "https://vlast.kz"


def vlast_top(arts: list[dict], a: dict | None, lang: str = "ru") -> str:
    items = "".join(
        f'<li class="main-news-item"><a class="main-news-link" href="{esc(path_of(b["url"]))}">'
        f'<time class="main-news-time" datetime="{iso(b["dt"])}">{b["dt"]:%H:%M}</time> '
        f'<span class="main-news-title">{esc(b["title"])}</span></a></li>'
        for b in top_items(arts, a, lang)
    )
    head = "Басты" if lang == "kk" else "Главное"
    return f'<div class="main-news-block sidebar-block"><h3 class="block-title">{head}</h3><ul class="main-news-list list-unstyled">{items}</ul></div>'


def vlast_related(arts: list[dict], a: dict) -> str:
    items = "".join(
        f'<div class="news-inline-item related-item"><div class="news-inline-item-body">'
        f'<a href="{esc(path_of(b["url"]))}"><b>{esc(b["title"])}</b></a>'
        f'<time datetime="{iso(b["dt"])}">{ru_date(b["dt"])}</time></div></div>'
        for b in related(arts, a)
    )
    return f'<div class="item-related related-news"><h3 class="block-title">Читайте также</h3>{items}</div>'


def vlast_body(arts: list[dict], a: dict) -> str:
    """The paragraphs with an image caption and a «Читайте также» teaser after the first one."""
    ps = [f"<p>{esc(p)}</p>" for p in a["paragraphs"]]
    if len(ps) >= 2:
        teaser = (related(arts, a) or [a])[-1]
        extra = (
            f'<figure class="item-img js-img-caption-figure"><img src="/storage/uploads/2025/11/{num_id(a["url"])}_1.jpg" alt="" loading="lazy">'
            f'<figcaption class="img-caption">Фото: Власть / архив</figcaption></figure>\n'
            f'<div class="mediator-read-also js-read-also"><span class="read-also-label">Читайте также</span> '
            f'<a href="{esc(path_of(teaser["url"]))}">{esc(teaser["title"])}</a></div>'
        )
        ps.insert(1, extra)
    return "\n".join(ps)


def vlast_article(arts: list[dict], a: dict) -> str:
    sec = urlsplit(a["url"]).path.split("/")[1]
    head = f'<link rel="canonical" href="{a["url"]}">\n'
    head += f'<meta name="author" content="{esc(a["author"])}">\n' if a["author"] else ""
    head += f'<meta property="og:title" content="{esc(a["title"])}">\n<meta property="og:type" content="article">'
    author = (
        f'<li class="item-author"><a href="/avtory/{translit(a["author"])}/">{esc(a["author"])}</a></li>'
        if a["author"]
        else ""
    )
    main = f"""<div class="item-expand item-expand-news">
<ul class="breadcrumbs list-inline"><li><a href="/">Главная</a></li><li><a href="/{sec}/">{esc(a["section"])}</a></li><li class="has-title"><h1>{esc(a["title"])}</h1></li></ul>
<ul class="meta item-expand-meta text-uppercase list-inline"><li><time>{esc(a.get("time_text") or ru_date(a["dt"]))}</time></li>{author}<li class="item-views"><i class="icon-eye"></i> {int(num_id(a["url"])) % 9000 + 412}</li></ul>
<div class="default-item-in js-editor js-img-caption js-mediator-article font-edit">
{vlast_body(arts, a)}
</div>
<div class="item-tags tags-list"><a class="tag" href="/tags/{sec}/">#{esc(a["section"])}</a> <a class="tag" href="/tags/prava-cheloveka/">#права человека</a></div>
{share_block(a["url"], "share-block item-share js-share")}
{vlast_related(arts, a)}
{comments_block(a, "comments-block item-comments")}
</div>"""
    return page(
        "vlast",
        a["title"],
        main,
        head,
        body_class="page-item page-news",
        lang=a["lang"],
        top=vlast_top(arts, a, a["lang"]),
    )


def vlast_listing(
    arts: list[dict], items: list[dict], heading: str, head: str, pager: str = "", lang: str = "ru"
) -> str:
    def card(a: dict) -> str:
        author = (
            f' <a class="item-author" href="/avtory/{translit(a["author"])}/">{esc(a["author"])}</a>'
            if a["author"]
            else ""
        )
        return (
            f'<div class="news-inline-item"><div class="news-inline-item-body">'
            f'<a href="{esc(path_of(a["url"]))}"><b>{esc(a["title"])}</b></a>'
            f'<time datetime="{iso(a["dt"])}">{ru_date(a["dt"])}</time>{author}</div></div>'
        )

    tags = (
        '<div class="tags-cloud"><a href="/tags/sud/">суд</a> <a href="/tags/mazhilis/">мажилис</a> '
        '<a href="/tags/prava-cheloveka/">права человека</a> <a href="/fotoreportazh/">фоторепортаж</a></div>'
    )
    main = f'<h2 class="section-title">{heading}</h2>\n' + "\n".join(map(card, items)) + f"\n{pager}\n{tags}"
    return page("vlast", heading, main, head, body_class="page-list", lang=lang, top=vlast_top(arts, None, lang))


def build_vlast(site: Site, arts: list[dict]) -> None:
    site.add(f"{VL}/robots.txt", "robots.txt", robots("vlast.kz", "/admin/"), note="no Sitemap line (evidence)")
    site.add(f"{VL}/rss", status=404, note="feed is dead, as live (Sept 2026 probe)")
    ru = [a for a in newest_first(arts) if a["lang"] == "ru"]
    feed = [feed_item(a) for a in ru if listed(a, "feed") and has_page(a)]
    site.add(
        f"{VL}/feed/",
        "feeds/feed.xml",
        rss("Власть", VL, feed, "Интернет-издание «Власть»"),
        note="working RSS 2.0 (evidence), advertised nowhere: found by the usual paths",
    )
    listing = [a for a in ru if listed(a, "listing") and not is_old(a)]
    size, pages = 5, 3
    urls = [f"{VL}/novosti/?archive=1"] + [f"{VL}/novosti/{n}/?archive=1" for n in range(2, pages + 1)]
    for n, url in enumerate(urls, 1):
        chunk = listing[(n - 1) * size : n * size] if n < pages else listing[(n - 1) * size :]
        head = f'<link rel="self" href="{url}">\n<link rel="last" href="{path_of(urls[-1])}">'
        links = "".join(
            f'<li class="page-item active"><span class="page-link">{k}</span></li>'
            if k == n
            else f'<li class="page-item"><a class="page-link" href="{path_of(u)}">{k}</a></li>'
            for k, u in enumerate(urls, 1)
        )
        pager = f'<ul class="pagination">{links}</ul>'
        site.add(
            url,
            f"listing/novosti-{n}.html",
            vlast_listing(arts, chunk, "Новости", head, pager),
            note=f"archive page {n} of {pages}: rel=self, rel=last, numbered links, no rel=next",
        )
    kk = [a for a in newest_first(arts) if a["lang"] == "kk"]
    url = f"{VL}/vlast-qazaqsha/?archive=1"
    head = f'<link rel="self" href="{url}">\n<link rel="last" href="/vlast-qazaqsha/?archive=1">'
    site.add(
        url,
        "listing/vlast-qazaqsha.html",
        vlast_listing(arts, kk, "Власть қазақша", head, lang="kk"),
        note="Kazakh section, one page",
    )
    about = page(
        "vlast",
        "О нас",
        "<h1>О нас</h1>\n<p>«Власть» — независимое интернет-издание о политике, обществе и экономике Казахстана. Издаётся с 2012 года.</p>",
        body_class="page-static",
        top=vlast_top(arts, None),
    )
    site.non_article(f"{VL}/o-nas/", "about page (footer link)", "pages/o-nas.html", about)
    for a in arts:
        site.article(a, vlast_article(arts, a) if has_page(a) else None)


def translit(name: str) -> str:
    table = dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
            "a b v g d e e zh z i i k l m n o p r s t u f h c ch sh sch - y - e yu ya a g k n o u u h i".split(),  # noqa: SIM905 (one row to read beside the alphabet above)
            strict=True,
        )
    )
    slug = "".join(table.get(ch, ch if ch.isascii() and ch.isalnum() else "-") for ch in name.lower())
    return re.sub(r"-+", "-", slug).strip("-")


# ---------------------------------------------------------------- azattyq

AZ = "https://www.azattyqasia.org"
AZ_OLD = "https://rus.azattyq.org"
AZ_FEEDS = {"zmqoqveqpo": "Азаттык Азия - Новости", "zgkqrjepqp": "Азаттык Азия - Казахстан"}


def az_time(dt: datetime) -> str:
    return f'<time datetime="{utc(dt)}">{ru_date(dt, False)}</time>'


def azattyq_top(arts: list[dict], a: dict | None) -> str:
    blocks = "".join(
        f'<li class="col-xs-12 media-block-wrap__item"><div class="media-block media-block--t-sm">'
        f'<a class="img-wrap img-wrap--t-sm" href="{esc(path_of(b["url"]))}"><img src="https://gdb.rferl.org/{num_id(b["url"])}_w100_r1.jpg" alt=""></a>'
        f'<div class="media-block__content"><a href="{esc(path_of(b["url"]))}"><h4 class="media-block__title media-block__title--size-3">{esc(b["title"])}</h4></a>'
        f'<span class="date date--mb date--size-3">{az_time(b["dt"])}</span></div></div></li>'
        for b in top_items(arts, a)
    )
    return f'<div class="media-block-wrap media-block-wrap--top-stories"><h2 class="section-head">Главное</h2><ul class="row">{blocks}</ul></div>'


def azattyq_related(arts: list[dict], a: dict) -> str:
    blocks = "".join(
        f'<li class="col-xs-12 col-sm-6"><div class="media-block">'
        f'<div class="media-block__content"><a href="{esc(path_of(b["url"]))}"><h4 class="media-block__title media-block__title--size-4">{esc(b["title"])}</h4></a>'
        f'<span class="date date--mb date--size-4">{az_time(b["dt"])}</span></div></div></li>'
        for b in related(arts, a)
    )
    return f'<div class="media-block-wrap related-content"><h2 class="section-head">Материалы по теме</h2><ul class="row">{blocks}</ul></div>'


def azattyq_article(arts: list[dict], a: dict) -> str:
    top = azattyq_top(arts, a)
    if a.get("media"):
        main = (
            f'<div class="media-container"><h1 class="title pg-title">{esc(a["title"])}</h1>'
            f'<div class="c-mmp c-mmp--enabled c-mmp--audio"><audio controls preload="none" '
            f'src="https://av.rferl.org/audio/{num_id(a["url"])}_96k.mp3"></audio></div>'
            f'<span class="date">{az_time(a["dt"])}</span></div>'
        )
        head = f'<link rel="canonical" href="{a["url"]}">\n<meta property="og:title" content="{esc(a["title"])}">'
        return page("azattyq", a["title"], main, head, body_class="pg-media js-category-to-nav", top=top)
    if a["author"] is None:
        author: dict | list = {"@type": "Organization", "name": "RFE/RL"}
    elif a.get("author_upper"):
        author = [
            {"@type": "Person", "name": a["author"].upper()},
            {"@type": "Organization", "name": "RFE/RL"},
        ]
    else:
        author = {"@type": "Person", "name": a["author"]}
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": a["url"],
        "headline": a["title"],
        "datePublished": utc(a["dt"]),
        "dateModified": utc(a["dt"]),
        "author": author,
        "articleSection": esc(a["section"]),
        "inLanguage": "ru",
        "publisher": {
            "@type": "Organization",
            "name": "Азаттык Азия",
            "logo": {"@type": "ImageObject", "url": f"{AZ}/Content/responsive/RFE/ru-CA/img/logo.png"},
        },
    }
    head = "\n".join(
        [
            f'<link rel="canonical" href="{a["url"]}">',
            f'<link rel="amphtml" href="{AZ}/amp/{num_id(a["url"])}.html">' if a.get("amp") else "",
            f'<meta property="og:title" content="{esc(a["title"])}">',
            f'<meta property="og:url" content="{a["url"]}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:description" content="{esc(excerpt(a, 20))}">',
            jsonld(ld),
        ]
    )
    byline = (
        f'<div class="links"><ul class="links__list"><li class="links__item"><a class="links__item-link" href="/author/{translit(a["author"])}/">'
        f"{esc(a['author'])}</a></li></ul></div>"
        if a["author"]
        else ""
    )
    main = f"""<div class="col-title col-xs-12 col-md-10"><div class="category js-category"><a href="/z/330">{esc(a["section"])}</a></div>
<h1 class="title pg-title">{esc(a["title"])}</h1>
<div class="publishing-details"><div class="published"><span class="date"><time pubdate="pubdate" datetime="{utc(a["dt"])}">{ru_date(a["dt"], False)}</time></span></div>{byline}</div></div>
<div class="body-container"><div class="row"><div class="col-xs-12 col-sm-12 col-md-10 col-lg-10 pull-right">
<div id="article-content" class="content-floated-wrap fb-quotable"><div class="wsw">
{paras(a)}
</div></div>
{share_block(a["url"], "share--box links-share")}
{azattyq_related(arts, a)}
{comments_block(a, "comments comments--fb")}
</div></div></div>"""
    return page(
        "azattyq", a["title"], main, head, body_class="pg-article pg-article--single-column js-category-to-nav", top=top
    )


def az_cards(items: list[dict]) -> str:
    return "\n".join(
        f'<div class="news__item news__item--spacer" data-article-id="{num_id(a["url"])}"><a class="news__item-link" href="{path_of(a["url"])}">'
        f'<h4 class="media-block__title media-block__title--size-4">{esc(a["title"])}</h4></a>'
        f'<span class="date date--mb date--size-4">{a["dt"]:%d.%m.%Y %H:%M}</span></div>'
        for a in items
    )


def build_azattyq(site: Site, arts: list[dict]) -> None:
    site.add(
        f"{AZ_OLD}/*",
        redirect=f"{AZ}/",
        status=301,
        note="site moved: every URL on rus.azattyq.org answers 301 to the new home (evidence, 2026-09)",
    )
    sample = [a for a in arts if a.get("old_url")]
    for a in sample:
        site.add(
            a["old_url"], redirect=a["url"], status=301, note="the sample article's 2025 URL redirects to its new URL"
        )
    site.add(f"{AZ}/robots.txt", "robots.txt", robots("www.azattyqasia.org", "/search/"))
    order = newest_first([a for a in arts if has_page(a)])
    amp = [a for a in arts if a.get("amp")]
    gallery_url = f"{AZ}/a/fotogalereya-pervyj-sneg-v-almaty/33592610.html"
    extra = (
        '<div class="media-block-wrap media-block-wrap--photo"><h2 class="section-head">Фото</h2>'
        f'<div class="media-block"><div class="media-block__content"><a href="{path_of(gallery_url)}"><h4 class="media-block__title">Первый снег в Алматы: фотогалерея</h4></a></div></div>'
        + "".join(
            f'<div class="media-block"><div class="media-block__content"><a href="/amp/{num_id(a["url"])}.html"><h4 class="media-block__title">{esc(a["title"])}</h4></a></div></div>'
            for a in amp
        )
        + "</div>"
    )
    home_list = az_cards([a for a in order if not is_old(a) and not a.get("media") and listed(a, "listing")][:6])
    site.add(
        f"{AZ}/",
        "home.html",
        page(
            "azattyq",
            "Азаттык Азия",
            f'<div class="news">\n{home_list}\n</div>\n{extra}',
            body_class="pg-home",
            top=azattyq_top(arts, None),
        ),
        note="home page: advertises both feeds in <link rel=alternate> and in pangeaConfig rssUrl; links the AMP twin and a photo gallery",
    )
    news = [feed_item(a) for a in order if listed(a, "feed")]
    zone = [feed_item(a) for a in order if listed(a, "feed") and a["section"] == "Казахстан"]
    site.add(
        f"{AZ}/api/zmqoqveqpo",
        "feeds/zmqoqveqpo.xml",
        rss(AZ_FEEDS["zmqoqveqpo"], f"{AZ}/z/360", news),
        note="news feed (code our choice: no evidence)",
    )
    site.add(
        f"{AZ}/api/zgkqrjepqp",
        "feeds/zgkqrjepqp.xml",
        rss(AZ_FEEDS["zgkqrjepqp"], f"{AZ}/z/330", zone),
        note="Kazakhstan zone feed (code our choice: no evidence)",
    )
    for code in ("zgroqe_uoq", "zororegtor", "zrqiteuuir"):
        site.add(f"{AZ}/api/{code}", status=404, note="old rus.azattyq.org feed code: gone on the new host")
    cards = [a for a in order if listed(a, "listing") and not a.get("media") and not is_old(a)]
    first, rest = cards[:7], cards[7:]
    more = '<a class="btn link-showMore btn__text" data-ajax="true" href="/z/360?p=1">Загрузить ещё</a>'
    site.add(
        f"{AZ}/z/360",
        "listing/z-360.html",
        page(
            "azattyq",
            "Новости",
            f'<div class="news">\n{az_cards(first)}\n</div>\n{more}',
            body_class="pg-section",
            top=azattyq_top(arts, None),
        ),
        note="news stream: div.news__item[data-article-id]; a.link-showMore to ?p=1",
    )
    site.add(
        f"{AZ}/z/360?p=1",
        "listing/z-360-p1.html",
        page(
            "azattyq",
            "Новости",
            f'<div class="news">\n{az_cards(rest)}\n</div>',
            body_class="pg-section",
            top=azattyq_top(arts, None),
        ),
        note="news stream, second page (no further showMore)",
    )
    photo = (
        f'<h1 class="title pg-title">Первый снег в Алматы: фотогалерея</h1><span class="date">{az_time(datetime(2025, 11, 18, 9, 0, tzinfo=ALMATY))}</span>'
        '<div class="gallery"><figure class="gallery__item"><img src="https://gdb.rferl.org/33592610_1.jpg" alt=""><figcaption>Улица Абая утром.</figcaption></figure>'
        '<figure class="gallery__item"><img src="https://gdb.rferl.org/33592610_2.jpg" alt=""><figcaption>Снегоуборочная техника у Центрального стадиона.</figcaption></figure></div>'
    )
    site.non_article(
        gallery_url,
        "photo gallery (body.pg-photo), captions only",
        "pages/gallery-33592610.html",
        page("azattyq", "Первый снег в Алматы", photo, body_class="pg-photo", top=azattyq_top(arts, None)),
    )
    for a in arts:
        aid = num_id(a["url"])
        aliases = [(f"{AZ}/a/{aid}.html", "short form, same page (canonical = slug URL)")]
        if a.get("amp"):
            aliases.append((f"{AZ}/amp/{aid}.html", "AMP twin, same page (canonical = slug URL)"))
        site.article(a, azattyq_article(arts, a) if has_page(a) else None, tuple(aliases))


# ---------------------------------------------------------------- orda

OR = "https://orda.kz"
KAZ_OR = "https://kaz.orda.kz"


def orda_top(arts: list[dict], a: dict | None, lang: str = "ru") -> str:
    items = "".join(
        f'<li class="top-news__item"><a class="top-news__link" href="{esc(path_of(b["url"]) if lang == "ru" else b["url"])}">{esc(b["title"])}</a>'
        f'<time class="top-news__date" datetime="{iso(b["dt"])}">{b["dt"]:%d.%m.%Y}</time></li>'
        for b in top_items(arts, a, lang)
    )
    head = "Басты жаңалықтар" if lang == "kk" else "Главное"
    return f'<div class="top-news block"><div class="block__title">{head}</div><ul class="top-news__list">{items}</ul></div>'


def orda_article(arts: list[dict], a: dict) -> str:
    kk = a["lang"] == "kk"
    head = "\n".join(
        [
            f'<link rel="canonical" href="{a["url"]}">',
            f'<meta property="og:title" content="{esc(a["title"])}">',
            f'<meta property="og:url" content="{a["url"]}">',
            f'<meta property="og:image" content="{OR}/uploads/posts/{a["dt"]:%Y-%m}/sizes/1440x810/{num_id(a["url"])}.jpg">',
            f'<meta property="article:published_time" content="{iso(a["dt"])}">',
            f'<meta property="article:section" content="{esc(a["section"])}">',
        ]
        + ([f'<meta name="author" content="{esc(a["author"])}">'] if a["author"] else [])
    )
    rel = related(arts, a)
    ps = [f"<p>{esc(p)}</p>" for p in a["paragraphs"]]
    if rel and len(ps) >= 2:
        label = "Оқи отырыңыз" if kk else "Читайте также"
        ps.insert(
            min(2, len(ps) - 1),
            f'<p><strong>{label}: <a href="{esc(rel[0]["url"])}">{esc(rel[0]["title"])}</a></strong></p>',
        )
    if kk:
        junk = [
            "Мерзімді баспасөз басылымын, ақпарат агенттігін және желілік басылымды есепке қою туралы куәлігі № KZ91VPY00012345 Қазақстан Республикасы Ақпарат және қоғамдық даму министрлігі берген.",
            "RU | KZ | EN",
            "Сайтты пайдалануды жалғастыра отырып, сіз пайдаланушы келісімінің шарттары мен құпиялылық саясатын қабылдайсыз.",
        ]
    else:
        junk = [
            "Свидетельство о постановке на учёт периодического печатного издания, информационного агентства и сетевого издания № KZ91VPY00012345 выдано Министерством информации и общественного развития РК.",
            "RU | KZ | EN",
            "Продолжая пользоваться сайтом, вы принимаете условия пользовательского соглашения и политику конфиденциальности.",
        ]
    ps += [f"<p>{esc(j)}</p>" for j in junk]
    author = (
        f'<a class="news-author" href="/authors/{translit(a["author"])}/">{esc(a["author"])}</a>' if a["author"] else ""
    )
    rel_items = "".join(
        f'<div class="related__item"><a class="related__link" href="{esc(b["url"])}">{esc(b["title"])}</a>'
        f'<time class="related__date" datetime="{iso(b["dt"])}">{b["dt"]:%d.%m.%Y, %H:%M}</time></div>'
        for b in rel
    )
    main = f"""<div class="news-full">
<div class="news-full__header"><div class="news-full__cat"><a href="/category/obshhestvo/">{esc(a["section"])}</a></div>
<h1>{esc(a["title"])}</h1>
<div class="news-full__meta">{author} <time itemprop="datePublished" datetime="{iso(a["dt"])}">{a["dt"]:%d.%m.%Y, %H:%M}</time> <span class="news-views">{int(num_id(a["url"])) % 5000 + 120}</span></div></div>
<div class="news-full__image"><img src="/uploads/posts/{a["dt"]:%Y-%m}/sizes/1440x810/{num_id(a["url"])}.jpg" alt="{esc(a["title"])}"></div>
<div class="fulltext"><div class="newstext">
{chr(10).join(ps)}
</div></div>
<div class="news-full__tags tags"><a class="tags__item" href="/tag/sud/">суд</a> <a class="tags__item" href="/tag/protest/">протест</a></div>
{share_block(a["url"], "share share--article")}
</div>
<div class="related block"><div class="block__title">{"Тақырып бойынша" if kk else "По теме"}</div>{rel_items}</div>
{comments_block(a, "comments block")}"""
    return page(
        "orda",
        a["title"],
        main,
        head,
        body_class="page-news news-single",
        lang=a["lang"],
        top=orda_top(arts, a, a["lang"]),
    )


def build_orda(site: Site, arts: list[dict]) -> None:
    site.add(
        f"{OR}/robots.txt", "robots.txt", robots("orda.kz", "/admin/"), note="no Sitemap line (no evidence of one)"
    )
    site.add(f"{KAZ_OR}/robots.txt", "robots.txt", note="Kazakh site, same rules")
    order = newest_first(arts)
    ru = [a for a in order if a["lang"] == "ru"]
    site.add(
        f"{OR}/feed/",
        "feeds/feed.xml",
        rss("Orda.kz", OR, [feed_item(a) for a in ru if listed(a, "feed")], "Новости Казахстана"),
        note="RSS, short descriptions only",
    )
    in_map = [a for a in ru if listed(a, "sitemap")]
    old = [a for a in in_map if is_old(a)]
    fresh = [a for a in in_map if not is_old(a)]
    newest, mid = fresh[: len(fresh) // 2], fresh[len(fresh) // 2 :]
    site.add(
        f"{OR}/sitemap/sitemap_news1.xml",
        "sitemaps/sitemap_news1.xml",
        sitemap(old),
        note="news sitemap 1: the OLD items (October)",
    )
    site.add(
        f"{OR}/sitemap/sitemap_news2.xml",
        "sitemaps/sitemap_news2.xml",
        sitemap(mid),
        note="news sitemap 2: the older half of the window",
    )
    site.add(
        f"{OR}/sitemap/sitemap_news3.xml",
        "sitemaps/sitemap_news3.xml",
        sitemap(newest),
        note="news sitemap 3: the NEWEST items",
    )
    site.add(f"{OR}/sitemap/sitemap_news4.xml", status=404, note="no fourth sitemap")
    kk = [a for a in order if a["lang"] == "kk" and listed(a, "sitemap")]
    site.add(
        f"{KAZ_OR}/sitemap/sitemap_news1.xml",
        "sitemaps/kaz-sitemap_news1.xml",
        sitemap(kk),
        note="kaz.orda.kz news sitemap: the Kazakh items",
    )
    site.add(f"{KAZ_OR}/sitemap/sitemap_news2.xml", status=404, note="no second Kazakh sitemap")
    rows = "".join(
        f'<li><a href="{esc(path_of(a["url"]))}">{esc(a["title"])}</a><span>{a["dt"]:%H:%M}</span></li>'
        for a in ru
        if listed(a, "listing") and not is_old(a)
    )
    cats = (
        '<div class="categories"><a href="/category/obshhestvo/">Общество</a> <a href="/category/jekonomika/">Экономика</a> '
        '<a href="/tag/armija/">армия</a> <a href="/tag/protest/">протест</a> <a href="/photo/">Фото</a></div>'
    )
    site.add(
        f"{OR}/last-news/",
        "listing/last-news.html",
        page(
            "orda",
            "Последние новости",
            f'<h1 class="page-title">Последние новости</h1>\n<div class="newslist3"><ul>{rows}</ul></div>\n{cats}',
            body_class="page-list",
            top=orda_top(arts, None),
        ),
        note="listing: div.newslist3 ul li a (relative links), time of day only",
    )
    about = page(
        "orda",
        "О нас",
        '<h1>О нас</h1>\n<div class="static-text"><p>Orda.kz — общественно-политическое издание, основанное в 2018 году.</p></div>',
        body_class="page-static",
        top=orda_top(arts, None),
    )
    site.non_article(f"{OR}/o-nas/", "about page (footer link)", "pages/o-nas.html", about)
    for a in arts:
        site.article(a, orda_article(arts, a) if has_page(a) else None)


# ---------------------------------------------------------------- ulysmedia

UL = "https://ulysmedia.kz"


def ulys_date(a: dict) -> str:
    return ru_date(a["dt"], False) if a.get("date_style") == "text" else f"{a['dt']:%d.%m.%Y}"


def ulys_top(arts: list[dict], a: dict | None, lang: str = "ru") -> str:
    items = "".join(
        f'<div class="popular__item"><a class="popular__title" href="{esc(b["url"])}">{esc(b["title"])}</a>'
        f'<time class="popular__date" datetime="{iso(b["dt"])}">{b["dt"]:%d.%m.%Y}</time></div>'
        for b in top_items(arts, a, lang)
    )
    head = "Көп оқылған" if lang == "kk" else "Самое читаемое"
    return f'<div class="popular popular--side"><div class="popular__head">{head}</div>{items}</div>'


def ulys_article(arts: list[dict], a: dict) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "datePublished": iso(a["dt"]),
        "inLanguage": a["lang"],
        "mainEntityOfPage": a["url"],
        "publisher": {"@type": "Organization", "name": "Ulysmedia.kz"},
    }
    if a["author"]:
        ld["author"] = {"@type": "Person", "name": a["author"]}
    head = "\n".join(
        [
            f'<link rel="canonical" href="{a["url"]}">',
            f'<meta property="og:title" content="{esc(a["title"])}">',
            f'<meta property="og:url" content="{a["url"]}">',
            '<meta property="og:type" content="article">',
            jsonld(ld),
        ]
    )
    kk = a["lang"] == "kk"
    rel = "".join(
        f'<div class="read-also__item"><a class="read-also__title" href="{esc(b["url"])}">{esc(b["title"])}</a>'
        f'<time class="read-also__date" datetime="{iso(b["dt"])}">{b["dt"]:%d.%m.%Y}</time></div>'
        for b in related(arts, a)
    )
    main = f"""<div class="article article--full">
<div class="article__rubric"><a href="{"/rassledovaniya/" if "/rassledovaniya/" in a["url"] else "/news/"}">{esc(a["section"])}</a></div>
<h1 class="article__title">{esc(a["title"])}</h1>
<div class="article__info">{f'<a class="author" href="/author/{translit(a["author"])}/">{esc(a["author"])}</a> ' if a["author"] else ""}<span class="date">{ulys_date(a)}</span> <span class="views">{int(num_id(a["url"])) % 3000 + 90}</span></div>
<div class="article__text">
{paras(a)}
</div>
{share_block(a["url"], "share share--article")}
</div>
<div class="read-also read-also--bottom"><div class="read-also__head">{"Оқи отырыңыз" if kk else "Читайте также"}</div>{rel}</div>
{comments_block(a, "comments comments--article")}"""
    return page(
        "ulysmedia", a["title"], main, head, body_class="page-article", lang=a["lang"], top=ulys_top(arts, a, a["lang"])
    )


def ulys_cards(items: list[dict]) -> str:
    return "\n".join(
        f'<div class="category__item"><a class="category__title" href="{esc(path_of(a["url"]) + a.get("link_suffix", ""))}">'
        f'{esc(a["title"])}</a> <span class="date">{ulys_date(a)}</span></div>'
        for a in items
    )


def build_ulysmedia(site: Site, arts: list[dict]) -> None:
    site.add(f"{UL}/robots.txt", "robots.txt", robots("ulysmedia.kz", "/admin/"))
    site.add("https://qaz.ulysmedia.kz/robots.txt", "robots.txt", note="Kazakh site, same rules")
    order = newest_first(arts)
    ru = [a for a in order if a["lang"] == "ru" and not is_old(a)]
    kk = [a for a in order if a["lang"] == "kk" and listed(a, "listing")]
    site.add(
        f"{UL}/rss/",
        redirect=f"{UL}/",
        status=301,
        note="the old feed redirects to the HTML front page (evidence, 2026-09)",
    )
    front = [a for a in ru if has_page(a) and listed(a, "front")][:5]
    site.add(
        f"{UL}/",
        "listing/front.html",
        page(
            "ulysmedia",
            "Ulysmedia.kz — новости Казахстана",
            f'<div class="category category--front">\n{ulys_cards(front)}\n</div>',
            body_class="page-front",
            top=ulys_top(arts, None),
        ),
        note="front page (HTML): newest stories, the investigation among them",
    )
    news = [a for a in ru if listed(a, "listing") and "/news/" in a["url"]]
    size = 8
    for n, chunk in ((1, news[:size]), (2, news[size:])):
        url = f"{UL}/news/" + ("" if n == 1 else f"?page={n}")
        links = "".join(
            f'<span class="pagination__item pagination__item--current">{k}</span>'
            if k == n
            else f'<a class="pagination__item" href="/news/{"" if k == 1 else f"?page={k}"}">{k}</a>'
            for k in (1, 2)
        )
        main = f'<h1 class="page-title">Новости</h1>\n<div class="category">\n{ulys_cards(chunk)}\n</div>\n<div class="pagination">{links}</div>'
        site.add(
            url,
            f"listing/news-{n}.html",
            page("ulysmedia", "Новости", main, body_class="page-list", top=ulys_top(arts, None)),
            note=f"news listing page {n} of 2: numbered links, no rel=next",
        )
    site.add(
        "https://qaz.ulysmedia.kz/news/",
        "listing/qaz-news.html",
        page(
            "ulysmedia",
            "Жаңалықтар",
            f'<h1 class="page-title">Жаңалықтар</h1>\n<div class="category">\n{ulys_cards(kk)}\n</div>',
            lang="kk",
            body_class="page-list",
            top=ulys_top(arts, None, "kk"),
        ),
        note="Kazakh site listing",
    )
    about = page(
        "ulysmedia",
        "О редакции",
        '<h1 class="page-title">О редакции</h1>\n<div class="static"><p>Ulysmedia.kz — независимое издание, основанное в 2021 году журналистами-расследователями.</p></div>',
        body_class="page-static",
        top=ulys_top(arts, None),
    )
    site.non_article(f"{UL}/about/", "about page (footer link)", "pages/about.html", about)
    for a in arts:
        site.article(a, ulys_article(arts, a) if has_page(a) else None)


# ---------------------------------------------------------------- bureau

BU = "https://bureau.kz"


def bureau_top(arts: list[dict], a: dict | None) -> str:
    items = "".join(
        f'<li><a href="{esc(b["url"])}">{esc(b["title"])}</a> <span class="post-date"><time datetime="{iso(b["dt"])}">{b["dt"]:%d.%m.%Y}</time></span></li>'
        for b in top_items(arts, a)
    )
    return f'<div class="widget widget_recent_entries"><h3 class="widget-title">Главное</h3><ul>{items}</ul></div>'


def bureau_crumbs(a: dict) -> str:
    parts = urlsplit(a["url"]).path.strip("/").split("/")
    names = {"novosti": "Новости", "publ-all": "Публикации", "monitoring_2": "Мониторинг"}
    crumb = f'<a href="{BU}/{parts[0]}/">{names.get(parts[0], parts[0])}</a>'
    if len(parts) == 3:
        crumb += f' » <a href="{BU}/{parts[0]}/{parts[1]}/">{esc(a["section"])}</a>'
    return f'<div class="breadcrumbs" typeof="BreadcrumbList"><a href="{BU}/">Главная</a> » {crumb} » <span class="current">{esc(a["title"])}</span></div>'


def bureau_article(arts: list[dict], a: dict) -> str:
    head = (
        f'<link rel="canonical" href="{a["url"]}">\n<link rel="shortlink" href="{BU}/?p={a["id"]}">\n'
        f'<meta property="og:title" content="{esc(a["title"])}">\n<meta property="article:published_time" content="{iso(a["dt"])}">'
    )
    author = f'<div class="entry-author">{esc(a["author"])}</div>\n' if a["author"] else ""
    rel = "".join(
        f'<li class="related-post"><a href="{esc(b["url"])}">{esc(b["title"])}</a> <time class="related-date" datetime="{iso(b["dt"])}">{b["dt"]:%d.%m.%Y}</time></li>'
        for b in related(arts, a)
    )
    main = f"""{bureau_crumbs(a)}
<div id="post-{a["id"]}" class="post-{a["id"]} post type-post status-publish format-standard hentry">
<h1 class="entry-title">{esc(a["title"])}</h1>
<div class="entry-date">{a["dt"]:%d.%m.%Y}</div>
{author}<div class="entry-content">
{paras(a)}
</div>
{share_block(a["url"], "share-buttons addtoany_share_save_container")}
</div>
<div class="related-posts"><h3>Другие новости</h3><ul>{rel}</ul></div>
{comments_block(a, "comments-area")}"""
    return page(
        "bureau",
        a["title"],
        main,
        head,
        body_class=f"post-template-default single single-post postid-{a['id']} single-format-standard",
        charset=a.get("encoding") != "cp1251",
        top=bureau_top(arts, a),
    )


def sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    out += [f"<sitemap><loc>{esc(u)}</loc><lastmod>{iso(dt)}</lastmod></sitemap>" for u, dt in entries]
    return "\n".join([*out, "</sitemapindex>", ""])


def build_bureau(site: Site, arts: list[dict]) -> None:
    site.add(f"{BU}/robots.txt", "robots.txt", robots("bureau.kz", "/wp-admin/", ("/sitemap_index.xml",)))
    order = [a for a in newest_first(arts) if has_page(a)]
    posts = [a for a in order if listed(a, "sitemap")]
    statics = [
        {"url": f"{BU}/o-byuro/", "title": "О Бюро", "dt": datetime(2024, 3, 1, 10, 0, tzinfo=ALMATY)},
        {"url": f"{BU}/kontakty/", "title": "Контакты", "dt": datetime(2024, 3, 1, 10, 5, tzinfo=ALMATY)},
    ]
    site.add(
        f"{BU}/sitemap_index.xml",
        "sitemaps/sitemap_index.xml",
        sitemap_index([(f"{BU}/post-sitemap.xml", posts[0]["dt"]), (f"{BU}/page-sitemap.xml", statics[-1]["dt"])]),
        note="sitemap index named in robots.txt (Yoast style; our choice: no evidence)",
    )
    site.add(f"{BU}/post-sitemap.xml", "sitemaps/post-sitemap.xml", sitemap(posts), note="every post with lastmod")
    site.add(f"{BU}/page-sitemap.xml", "sitemaps/page-sitemap.xml", sitemap(statics), note="static pages: not articles")
    items = [feed_item(a, guid=f"{BU}/?p={a['id']}") for a in order if listed(a, "feed") and not is_old(a)]
    title = "Казахстанское международное бюро по правам человека и соблюдению законности"
    site.add(f"{BU}/feed/", "feeds/feed.xml", rss(title, BU, items), note="RSS advertised on the home page")
    home_items = "".join(
        f'<div class="post-preview"><h2 class="entry-title"><a href="{esc(a["url"])}">{esc(a["title"])}</a></h2><div class="entry-date">{a["dt"]:%d.%m.%Y}</div></div>'
        for a in order[:6]
    )
    site.add(
        f"{BU}/",
        "home.html",
        page(
            "bureau",
            "Главная",
            home_items,
            '<link rel="alternate" type="application/rss+xml" title="КМБПЧ &raquo; Лента" href="https://bureau.kz/feed/">',
            body_class="home blog",
            top=bureau_top(arts, None),
        ),
        note="home page: advertises /feed/ in <link rel=alternate>",
    )
    site.add(f"{BU}/novosti/feed/", status=404, note="no section feed")
    site.add(f"{BU}/wp-sitemap.xml", status=404, note="no WordPress core sitemap")
    site.add(f"{BU}/wp-json/wp/v2/posts?per_page=100", status=404, note="REST API closed")
    for s in statics:
        body = page(
            "bureau",
            s["title"],
            f'<h1 class="entry-title">{s["title"]}</h1>\n<div class="entry-content"><p>Казахстанское международное бюро по правам человека и соблюдению законности работает с 1993 года. Алматы, ул. Кунаева, 21б.</p></div>',
            body_class="page-template-default page",
            top=bureau_top(arts, None),
        )
        site.non_article(
            s["url"], "static page listed in page-sitemap.xml", f"pages/{urlsplit(s['url']).path.strip('/')}.html", body
        )
    for a in arts:
        short = (
            (f"{BU}/?p={a['id']}", "WordPress short link, same page (canonical = slug URL)"),
            (
                f"{BU}/?p={a['id']}&post_type=post",
                "WordPress short link with post_type, same page (canonical = slug URL)",
            ),
        )
        site.article(a, bureau_article(arts, a) if has_page(a) else None, short if has_page(a) else ())


# ---------------------------------------------------------------- driver

BUILDERS = {
    "vlast": build_vlast,
    "azattyq": build_azattyq,
    "orda": build_orda,
    "ulysmedia": build_ulysmedia,
    "bureau": build_bureau,
}


def load() -> dict[str, list[dict]]:
    sample = yaml.safe_load((SRC / "sample.yml").read_text(encoding="utf-8"))
    arts = {o: [a for a in sample if a["outlet"] == o] for o in OUTLETS}
    for o in OUTLETS:
        arts[o] += yaml.safe_load((SRC / f"{o}.yml").read_text(encoding="utf-8"))["articles"]
    by_url = {a["url"]: a for o in OUTLETS for a in arts[o]}
    for o in OUTLETS:
        for a in arts[o]:
            if "text" in a:  # one paragraph per non-empty line of a block scalar
                a["paragraphs"] = [line.strip() for line in a.pop("text").splitlines() if line.strip()]
            assert all(isinstance(p, str) for p in a.get("paragraphs", [])), f"non-text paragraph in {a['url']}"
            a.setdefault("lang", "ru")
            a.setdefault("author", None)
            a.setdefault("status", 200)
            a.setdefault("section", "Новости")
            a["dt"] = datetime.strptime(a["published"], "%Y-%m-%d %H:%M").replace(tzinfo=ALMATY)
            host = urlsplit(a["url"]).hostname.split(".")[0]
            a["file"] = ("" if host in ("vlast", "www", "orda", "ulysmedia", "bureau") else f"{host}-") + str(
                a.get("id") or num_id(a["url"])
            )
            if "reprint_of" in a:  # nearly word for word: the original's paragraphs, own lead, source line
                orig = by_url[a["reprint_of"]]["paragraphs"]
                a["paragraphs"] = a.get("lead", orig[:1]) + orig[1:] + a["paragraphs"]
    return arts


def expected(site: Site, arts: list[dict]) -> dict:
    """What a correct first pass (now = recorded_at, first_pass_days = 14) stores, and what it must not."""
    keep = [a for a in newest_first(arts) if stored(a)]
    return {
        "articles": [
            {
                "url": a["url"],
                "title": a["title"],
                "published": iso(a["dt"]),
                "author": a["author"],
                "lang": a["lang"],
                "first_paragraph": a["paragraphs"][0],
                "last_paragraph": a["paragraphs"][-1],
                "paragraphs": len(a["paragraphs"]),
                "aliases": site.aliases.get(a["url"], []),
                "note": a.get("note", "sample bulletin article"),
            }
            for a in keep
        ],
        "old_not_fetched": [a["url"] for a in newest_first(arts) if is_old(a)],
        "not_articles": sorted(site.not_articles, key=lambda n: n["url"]),
    }


def build(out: Path) -> None:
    arts = load()
    manifest = {}
    for outlet in OUTLETS:
        site = Site(outlet)
        BUILDERS[outlet](site, arts[outlet])
        manifest[outlet] = expected(site, arts[outlet])
        folder = out / outlet
        shutil.rmtree(folder, ignore_errors=True)
        for rel, body in sorted(site.files.items()):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(body)
        text = yaml.safe_dump(site.routes, allow_unicode=True, sort_keys=False, width=1000)
        (folder / "routes.yml").write_text(
            "# Generated by scripts/build_snapshot.py from scripts/snapshot_src/ - do not edit.\n" + text,
            encoding="utf-8",
        )
    (out / "snapshot.yml").write_text(
        '# Generated by scripts/build_snapshot.py - the moment this snapshot stands for (replay\'s "now").\n'
        f"recorded_at: {iso(RECORDED_AT)}\n",
        encoding="utf-8",
    )
    header = (
        "# Generated by scripts/build_snapshot.py - do not edit. Per outlet: every article a correct first pass\n"
        f"# stores (recorded_at {iso(RECORDED_AT)}, first_pass_days {FIRST_PASS_DAYS}), newest first, under its\n"
        "# canonical URL; old_not_fetched: dated items outside the window (a first pass must not fetch them);\n"
        "# not_articles: routed URLs that must not be stored as articles (broken, empty, media, too slow, too big,\n"
        "# static pages, galleries). aliases: other URLs answering the same page (never stored separately).\n"
    )
    (out / "expected.yml").write_text(
        header + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "crawler" / "snapshot")
    build(parser.parse_args().out)
