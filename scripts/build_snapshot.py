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
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "scripts" / "snapshot_src"
OUTLETS = ("vlast", "azattyq", "orda", "ulysmedia", "bureau")
ALMATY = timezone(timedelta(hours=5))
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
HTML_UTF8 = "text/html; charset=utf-8"
XML_UTF8 = "application/xml; charset=utf-8"


# ---------------------------------------------------------------- shared helpers


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def paras(a: dict) -> str:
    return "\n".join(f"<p>{esc(p)}</p>" for p in a["paragraphs"])


def ru_date(dt: datetime, time: bool = True) -> str:
    day = f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}"
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


def listed(a: dict, where: str) -> bool:
    return where in a.get("in", ("feed", "listing", "sitemap", "api"))


def newest_first(arts: list[dict]) -> list[dict]:
    return sorted(arts, key=lambda a: (a["dt"], a["url"]), reverse=True)


def related(arts: list[dict], a: dict, n: int = 3) -> list[dict]:
    pages = [b for b in arts if has_page(b) and b is not a and b["lang"] == a["lang"]]
    return pages[:n]


def related_block(arts: list[dict], a: dict, cls: str, heading: str = "Читайте также") -> str:
    items = "".join(f'<li><a href="{esc(b["url"])}">{esc(b["title"])}</a></li>' for b in related(arts, a))
    return f'<div class="{cls}"><h3>{heading}</h3><ul>{items}</ul></div>'


def page(
    outlet: str,
    title: str,
    main: str,
    head: str = "",
    body_class: str = "",
    lang: str = "ru",
    charset: bool = True,
) -> str:
    tpl = Template((SRC / "templates" / f"{outlet}.html").read_text(encoding="utf-8"))
    return tpl.substitute(
        title=esc(title),
        main=main,
        head=head,
        body_class=body_class,
        lang=lang,
        charset='<meta charset="UTF-8">\n' if charset else "",
    )


def rss(title: str, link: str, items: list[dict], description: str = "") -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{esc(title)}</title>",
        f"<link>{esc(link)}</link>",
        f"<description>{esc(description or title)}</description>",
        "<language>ru</language>",
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
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    out += [f"<url><loc>{esc(a['url'])}</loc><lastmod>{iso(a['dt'])}</lastmod></url>" for a in arts]
    return "\n".join([*out, "</urlset>", ""])


def robots(host: str, disallow: str, sitemaps: tuple[str, ...] = ()) -> str:
    lines = ["User-agent: *", f"Disallow: {disallow}", "Allow: /", ""]
    return "\n".join(lines + [f"Sitemap: https://{host}{s}" for s in sitemaps]) + "\n"


class Site:
    """Files and routes of one outlet folder."""

    def __init__(self, name: str):
        self.name, self.files, self.routes = name, {}, []

    def add(self, url: str, file: str | None = None, body: str | bytes | None = None, **opts) -> None:
        if body is not None:
            self.files[file] = body.encode("utf-8") if isinstance(body, str) else body
        entry = {"url": url, **({"file": file} if file else {})}
        entry.update({k: v for k, v in opts.items() if v is not None})
        self.routes.append(entry)

    def article(self, a: dict, body: str | None, aliases: tuple[str, ...] = ()) -> None:
        """Route an article (or a broken link) and its alias URLs (short links, AMP)."""
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


# ---------------------------------------------------------------- vlast


def vlast_article(arts: list[dict], a: dict) -> str:
    sec = urlsplit(a["url"]).path.split("/")[1]
    head = f'<meta name="author" content="{esc(a["author"])}">' if a["author"] else ""
    head += f'\n<meta property="og:title" content="{esc(a["title"])}">'
    main = f"""<div class="item-expand">
<ul class="breadcrumbs"><li><a href="/">Главная</a></li><li><a href="/{sec}/">{esc(a["section"])}</a></li><li class="has-title"><h1>{esc(a["title"])}</h1></li></ul>
<ul class="item-expand-meta"><li><time>{esc(a.get("time_text") or ru_date(a["dt"]))}</time></li>{f'<li class="item-author">{esc(a["author"])}</li>' if a["author"] else ""}<li class="item-views">{int(num_id(a["url"])) % 9000 + 412}</li></ul>
<div class="js-mediator-article">
{paras(a)}
</div>
<div class="item-tags"><a href="/tags/{sec}/">#{esc(a["section"])}</a></div>
{related_block(arts, a, "item-related")}
</div>"""
    return page("vlast", a["title"], main, head, lang=a["lang"])


def vlast_listing(items: list[dict], heading: str, head: str, lang: str = "ru") -> str:
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
        '<a href="/tags/prava-cheloveka/">права человека</a></div>'
    )
    main = f'<h2 class="section-title">{heading}</h2>\n' + "\n".join(map(card, items)) + "\n" + tags
    return page("vlast", heading, main, head, lang=lang)


def build_vlast(site: Site, arts: list[dict]) -> None:
    site.add("https://vlast.kz/robots.txt", "robots.txt", robots("vlast.kz", "/admin/"))
    site.add("https://vlast.kz/rss", status=404, note="feed is dead, as live (Sept 2026 probe)")
    ru = [a for a in newest_first(arts) if a["lang"] == "ru" and listed(a, "listing")]
    p1, p2 = ru[:9], ru[9:]
    pages = ("https://vlast.kz/novosti/?archive=1", "https://vlast.kz/novosti/2/?archive=1")
    rel = f'<link rel="next" href="{pages[1]}">\n<link rel="last" href="{pages[1]}">'
    site.add(pages[0], "listing/novosti-1.html", vlast_listing(p1, "Новости", rel), note="archive page 1")
    rel = f'<link rel="prev" href="{pages[0]}">\n<link rel="last" href="{pages[1]}">'
    site.add(
        pages[1], "listing/novosti-2.html", vlast_listing(p2, "Новости", rel), note="archive page 2 (last)"
    )
    kk = [a for a in newest_first(arts) if a["lang"] == "kk"]
    site.add(
        "https://vlast.kz/vlast-qazaqsha/?archive=1",
        "listing/vlast-qazaqsha.html",
        vlast_listing(kk, "Власть қазақша", "", lang="kk"),
        note="Kazakh section",
    )
    for a in arts:
        site.article(a, vlast_article(arts, a) if has_page(a) else None)


def translit(name: str) -> str:
    table = dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
            ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "h", "c", "ch", "sh", "sch", "-", "y", "-", "e", "yu", "ya", "a", "g", "k", "n", "o", "u", "u", "h", "i"],
            strict=True,
        )
    )
    slug = "".join(table.get(ch, ch if ch.isascii() and ch.isalnum() else "-") for ch in name.lower())
    return re.sub(r"-+", "-", slug).strip("-")


# ---------------------------------------------------------------- azattyq

AZ = "https://rus.azattyq.org"


def azattyq_article(arts: list[dict], a: dict) -> str:
    if a.get("media"):
        main = (
            f'<div class="media-container"><h1 class="title">{esc(a["title"])}</h1>'
            f'<div class="c-mmp c-mmp--audio"><audio controls preload="none" '
            f'src="https://av.azattyq.org/audio/{num_id(a["url"])}_96k.mp3"></audio></div>'
            f'<span class="date"><time datetime="{utc(a["dt"])}">{ru_date(a["dt"], False)}</time></span></div>'
        )
        head = f'<link rel="canonical" href="{a["url"]}">\n<meta property="og:title" content="{esc(a["title"])}">'
        return page("azattyq", a["title"], main, head, body_class="pg-media")
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
            "name": "Радио Азаттык",
            "logo": {"@type": "ImageObject", "url": f"{AZ}/Content/responsive/RFE/ru-KZ/img/logo.png"},
        },
    }
    head = "\n".join(
        [
            f'<link rel="canonical" href="{a["url"]}">',
            f'<meta property="og:title" content="{esc(a["title"])}">',
            f'<meta property="og:url" content="{a["url"]}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:description" content="{esc(excerpt(a, 20))}">',
            jsonld(ld),
        ]
    )
    byline = (
        f'<div class="links"><a class="links__item" href="/author/{translit(a["author"])}/">'
        f"{esc(a['author'])}</a></div>"
        if a["author"]
        else ""
    )
    main = f"""<div class="col-title"><div class="category"><a href="/z/330">{esc(a["section"])}</a></div>
<h1 class="title pg-title">{esc(a["title"])}</h1>
<div class="publishing-details"><span class="date"><time pubdate="pubdate" datetime="{utc(a["dt"])}">{ru_date(a["dt"], False)}</time></span>{byline}</div></div>
<div id="article-content" class="wsw">
{paras(a)}
</div>
{related_block(arts, a, "media-block-wrap", "Материалы по теме")}"""
    return page("azattyq", a["title"], main, head, body_class="pg-article")


def media_blocks(items: list[tuple[str, str]]) -> str:
    return (
        '<div class="media-block-wrap"><h2>Популярное</h2>'
        + "".join(
            f'<div class="media-block"><div class="media-block__content"><a href="{esc(href)}">'
            f'<h4 class="media-block__title">{esc(title)}</h4></a></div></div>'
            for href, title in items
        )
        + "</div>"
    )


def build_azattyq(site: Site, arts: list[dict]) -> None:
    site.add(f"{AZ}/robots.txt", "robots.txt", robots("rus.azattyq.org", "/search/"))
    order = newest_first([a for a in arts if has_page(a)])
    amp = [(f"/amp/{num_id(a['url'])}.html", a["title"]) for a in arts if a.get("amp")]
    popular = media_blocks(amp + [(path_of(a["url"]), a["title"]) for a in order[:4]])
    site.add(
        f"{AZ}/",
        "home.html",
        page("azattyq", "Радио Азаттык", popular, body_class="pg-home"),
        note="home page: advertises the feed in <link rel=alternate>; lists the AMP twin",
    )
    feed = [feed_item(a) for a in order if listed(a, "feed")]
    site.add(
        f"{AZ}/api/zgroqe_uoq",
        "feeds/zgroqe_uoq.xml",
        rss("Азаттык - Казахстан", f"{AZ}/z/330", feed),
        note="Kazakhstan feed",
    )
    site.add(
        f"{AZ}/api/zrqiteuuir",
        "feeds/zrqiteuuir.xml",
        rss("Азаттык", AZ, []),
        note="valid RSS, empty channel",
    )
    broken = rss("Азаттык", AZ, feed[:2]).split("<item>")
    site.add(
        f"{AZ}/api/zororegtor",
        "feeds/zororegtor.xml",
        broken[0] + "<item>" + broken[1].replace("</item>", "<category>Главное & важное</categ"),
        note="malformed XML: bare ampersand, truncated mid-tag",
    )
    cards = "\n".join(
        f'<div class="news__item" data-article-id="{num_id(a["url"])}"><a href="{path_of(a["url"])}">'
        f'<h4 class="media-block__title">{esc(a["title"])}</h4></a>'
        f'<span class="date">{a["dt"]:%d.%m.%Y %H:%M}</span></div>'
        for a in order
        if listed(a, "listing") and not a.get("media")
    )
    site.add(
        f"{AZ}/z/360",
        "listing/z-360.html",
        page(
            "azattyq", "Новости", f'<div class="news">\n{cards}\n</div>\n{popular}', body_class="pg-section"
        ),
        note="news stream: div.news__item[data-article-id]",
    )
    for a in arts:
        aid = num_id(a["url"])
        aliases = [(f"{AZ}/a/{aid}.html", "short form, same page (canonical = slug URL)")]
        if a.get("amp"):
            aliases.append((f"{AZ}/amp/{aid}.html", "AMP twin, same page (canonical = slug URL)"))
        site.article(a, azattyq_article(arts, a) if has_page(a) else None, tuple(aliases))


# ---------------------------------------------------------------- orda


def orda_article(arts: list[dict], a: dict) -> str:
    head = "\n".join(
        [
            f'<link rel="canonical" href="{a["url"]}">',
            f'<meta property="og:title" content="{esc(a["title"])}">',
            f'<meta property="og:url" content="{a["url"]}">',
            f'<meta property="article:published_time" content="{iso(a["dt"])}">',
            f'<meta property="article:section" content="{esc(a["section"])}">',
        ]
        + ([f'<meta name="author" content="{esc(a["author"])}">'] if a["author"] else [])
    )
    kk = a["lang"] == "kk"
    main = f"""<div class="single-header"><h1>{esc(a["title"])}</h1>
<div class="single-meta">{f'<span class="single-author">{esc(a["author"])}</span> ' if a["author"] else ""}<span class="single-date">{a["dt"]:%d.%m.%Y, %H:%M}</span></div></div>
<div class="single-content">
<p>Ордынка | {esc(a["section"])}</p>
{paras(a)}
<p>{"Пікір қалдыру үшін тіркеліңіз немесе кіріңіз." if kk else "Чтобы оставить комментарий, зарегистрируйтесь или войдите в свой аккаунт."}</p>
<p>{"Біз cookie файлдарын қолданамыз." if kk else "Мы используем файлы cookie, чтобы сайт работал удобнее. Продолжая пользоваться сайтом, вы соглашаетесь с этим."}</p>
</div>
{related_block(arts, a, "related-posts", "Оқи отырыңыз" if kk else "Читайте также")}"""
    return page("orda", a["title"], main, head, body_class="single single-post", lang=a["lang"])


def build_orda(site: Site, arts: list[dict]) -> None:
    site.add(
        "https://orda.kz/robots.txt",
        "robots.txt",
        robots("orda.kz", "/wp-admin/", ("/sitemap/sitemap_news1.xml", "/sitemap/sitemap_news2.xml")),
    )
    site.add("https://kaz.orda.kz/robots.txt", "robots.txt", note="Kazakh site, same rules")
    order = newest_first(arts)
    site.add(
        "https://orda.kz/feed/",
        "feeds/feed.xml",
        rss(
            "Orda.kz",
            "https://orda.kz",
            [feed_item(a) for a in order if listed(a, "feed")],
            "Новости Казахстана",
        ),
        note="RSS, short descriptions only",
    )
    in_map = [a for a in order if listed(a, "sitemap")]
    half = len(in_map) // 2
    site.add(
        "https://orda.kz/sitemap/sitemap_news1.xml", "sitemaps/sitemap_news1.xml", sitemap(in_map[:half])
    )
    site.add(
        "https://orda.kz/sitemap/sitemap_news2.xml",
        "sitemaps/sitemap_news2.xml",
        sitemap(in_map[half:]),
        note="older half; holds a dead (410) entry",
    )
    site.add(
        "https://orda.kz/sitemap/sitemap_news3.xml", status=404, note="no third sitemap: the spider stops"
    )
    cards = "\n".join(
        f'<div class="news-item"><a class="news-item__title" href="{a["url"]}">{esc(a["title"])}</a>'
        f' <span class="news-item__date">{a["dt"]:%H:%M, %d.%m.%Y}</span>'
        f' <a class="news-item__cat" href="https://orda.kz/category/obshhestvo/">{esc(a["section"])}</a></div>'
        for a in order
        if listed(a, "listing") and a["lang"] == "ru"
    )
    tags = (
        '<div class="tags"><a href="https://orda.kz/tag/armija/">армия</a> '
        '<a href="https://orda.kz/tag/protest/">протест</a> <a href="https://orda.kz/tag/sud/">суд</a></div>'
    )
    site.add(
        "https://orda.kz/last-news/",
        "listing/last-news.html",
        page(
            "orda", "Последние новости", f"<h1>Последние новости</h1>\n{cards}\n{tags}", body_class="archive"
        ),
    )
    for a in arts:
        site.article(a, orda_article(arts, a) if has_page(a) else None)


# ---------------------------------------------------------------- ulysmedia


def ulys_date(a: dict) -> str:
    return ru_date(a["dt"], False) if a.get("date_style") == "text" else f"{a['dt']:%d.%m.%Y}"


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
    main = f"""<div class="article">
<h1 class="article__title">{esc(a["title"])}</h1>
<div class="article__info">{f'<span class="author">{esc(a["author"])}</span> ' if a["author"] else ""}<span class="date">{ulys_date(a)}</span></div>
<div class="article__text">
{paras(a)}
</div>
</div>
{related_block(arts, a, "read-also", "Оқи отырыңыз" if a["lang"] == "kk" else "Читайте также")}"""
    return page("ulysmedia", a["title"], main, head, lang=a["lang"])


def ulys_cards(items: list[dict]) -> str:
    return "\n".join(
        f'<div class="category__item"><a class="category__title" href="{esc(path_of(a["url"]) + a.get("link_suffix", ""))}">'
        f'{esc(a["title"])}</a> <span class="date">{ulys_date(a)}</span></div>'
        for a in items
    )


def build_ulysmedia(site: Site, arts: list[dict]) -> None:
    site.add("https://ulysmedia.kz/robots.txt", "robots.txt", robots("ulysmedia.kz", "/admin/"))
    site.add("https://qaz.ulysmedia.kz/robots.txt", "robots.txt", note="Kazakh site, same rules")
    order = newest_first(arts)
    ru = [a for a in order if a["lang"] == "ru" and listed(a, "listing")]
    kk = [a for a in order if a["lang"] == "kk" and listed(a, "listing")]
    front = page(
        "ulysmedia", "Ulysmedia.kz — новости Казахстана", ulys_cards([a for a in ru if has_page(a)][:5])
    )
    site.add(
        "https://ulysmedia.kz/rss/",
        "listing/front.html",
        front,
        type=HTML_UTF8,
        note="a feed that is HTML: /rss/ answers the front page with 200",
    )
    site.add(
        "https://ulysmedia.kz/news/",
        "listing/news.html",
        page("ulysmedia", "Новости", f'<h1>Новости</h1>\n<div class="category">\n{ulys_cards(ru)}\n</div>'),
    )
    site.add(
        "https://qaz.ulysmedia.kz/news/",
        "listing/qaz-news.html",
        page(
            "ulysmedia",
            "Жаңалықтар",
            f'<h1>Жаңалықтар</h1>\n<div class="category">\n{ulys_cards(kk)}\n</div>',
            lang="kk",
        ),
        note="Kazakh site listing",
    )
    for a in arts:
        site.article(a, ulys_article(arts, a) if has_page(a) else None)


# ---------------------------------------------------------------- bureau


def bureau_article(arts: list[dict], a: dict) -> str:
    head = (
        f'<link rel="canonical" href="{a["url"]}">\n<link rel="shortlink" href="https://bureau.kz/?p={a["id"]}">\n'
        f'<meta property="og:title" content="{esc(a["title"])}">'
    )
    author = f'<div class="entry-author">{esc(a["author"])}</div>\n' if a["author"] else ""
    main = f"""<div class="breadcrumbs"><a href="https://bureau.kz/">Главная</a> » <a href="https://bureau.kz/novosti/">{esc(a["section"])}</a> » <span>{esc(a["title"])}</span></div>
<h1 class="entry-title">{esc(a["title"])}</h1>
<div class="entry-date">{a["dt"]:%d.%m.%Y}</div>
{author}<div class="entry-content">
{paras(a)}
</div>
<div class="share">Поделиться: <a href="https://t.me/share/url?url={a["url"]}">Telegram</a> <a href="https://www.facebook.com/sharer.php?u={a["url"]}">Facebook</a></div>
{related_block(arts, a, "related", "Другие новости")}"""
    return page(
        "bureau",
        a["title"],
        main,
        head,
        body_class=f"post-template-default single postid-{a['id']}",
        charset=a.get("encoding") != "cp1251",
    )


def build_bureau(site: Site, arts: list[dict]) -> None:
    site.add("https://bureau.kz/robots.txt", "robots.txt", robots("bureau.kz", "/wp-admin/"))
    order = [a for a in newest_first(arts) if has_page(a)]
    items = [feed_item(a, guid=f"https://bureau.kz/?p={a['id']}") for a in order if listed(a, "feed")]
    title = "Казахстанское международное бюро по правам человека и соблюдению законности"
    site.add("https://bureau.kz/feed/", "feeds/feed.xml", rss(title, "https://bureau.kz", items))
    site.add(
        "https://bureau.kz/novosti/feed/",
        "feeds/novosti-feed.xml",
        rss(
            f"{title} » Новости", "https://bureau.kz/novosti/", [i for i in items if "/novosti/" in i["link"]]
        ),
    )
    posts = [
        {
            "id": a["id"],
            "date": f"{a['dt']:%Y-%m-%dT%H:%M:%S}",
            "link": a["url"],
            "title": {"rendered": esc(a["title"])},
        }
        for a in order
        if listed(a, "api")
    ]
    site.add(
        "https://bureau.kz/wp-json/wp/v2/posts?per_page=100",
        "api/posts.json",
        json.dumps(posts, ensure_ascii=False, indent=1) + "\n",
        note="WordPress REST API",
    )
    site.add("https://bureau.kz/wp-sitemap.xml", status=404, note="no WordPress sitemap")
    site.add("https://bureau.kz/sitemap_index.xml", type=XML_UTF8, note="empty 200 sitemap index")
    for a in arts:
        short = (f"https://bureau.kz/?p={a['id']}", "WordPress short link, same page (canonical = slug URL)")
        site.article(a, bureau_article(arts, a) if has_page(a) else None, (short,) if has_page(a) else ())


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
            assert all(isinstance(p, str) for p in a.get("paragraphs", [])), (
                f"non-text paragraph in {a['url']}"
            )
            a.setdefault("lang", "ru")
            a.setdefault("author", None)
            a.setdefault("status", 200)
            a.setdefault("section", "Новости")
            a["dt"] = datetime.strptime(a["published"], "%Y-%m-%d %H:%M").replace(tzinfo=ALMATY)
            host = urlsplit(a["url"]).hostname.split(".")[0]
            a["file"] = ("" if host in ("vlast", "rus", "orda", "ulysmedia", "bureau") else f"{host}-") + str(
                a.get("id") or num_id(a["url"])
            )
            if "reprint_of" in a:  # nearly word for word: the original's paragraphs, own lead, source line
                orig = by_url[a["reprint_of"]]["paragraphs"]
                a["paragraphs"] = a.get("lead", orig[:1]) + orig[1:] + a["paragraphs"]
    return arts


def build(out: Path) -> None:
    arts = load()
    for outlet in OUTLETS:
        site = Site(outlet)
        BUILDERS[outlet](site, arts[outlet])
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "crawler" / "snapshot")
    build(parser.parse_args().out)
