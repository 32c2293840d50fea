# ruff: noqa: E501  (HTML is kept on one line per block, as the pages carry it)
"""Render three outlet snapshots that no spider was written for: the test bed of `crawler outlet add`.

    python scripts/build_outlet_sites.py [--out DIR]      (default: tests/data/outlet_sites)

Sources: scripts/outlet_sites_src/<site>.yml (articles written for the purpose). Each site is built
differently, so onboarding meets three kinds of site:

- stepnoy (stepnoy-vestnik.kz): WordPress-like — an advertised feed of the newest posts, the WordPress core
  sitemap (wp-sitemap.xml index → posts, pages, tags, users), Yoast-style JSON-LD, Jetpack share buttons and
  «Читайте также» / Telegram lines inside the body, a photo report with the same URL shape as posts.
- irtysh (irtysh-inform.kz): custom CMS — no feed, one Google News sitemap named in robots.txt, NewsArticle
  JSON-LD, the body in <section data-role="story"> blocks with an inset between paragraphs.
- zhetysu (zhetysu-today.kz): no feed, no sitemap — section listings paginated by ?page=N (numbered links
  only), Russian and Kazakh text dates, authors and galleries with the same URL shape as articles.

Every page carries real chrome (navigation, related items with their own dates, share blocks, cookie banners,
scripts). Output per site: routes.yml (format: crawler/snapshot/README.md), the files, and expected.yml
(articles with title, published, first and last paragraph, lang; not_articles). Deterministic.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "scripts" / "outlet_sites_src"
OUT = ROOT / "tests" / "data" / "outlet_sites"
SITES = ("stepnoy", "irtysh", "zhetysu")
ALMATY = timezone(timedelta(hours=5))
MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")  # fmt: skip
MONTHS_KK = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан")  # fmt: skip


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def paras(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)


def text_date(dt: datetime, lang: str = "ru", time: bool = True) -> str:
    month = (MONTHS_KK if lang == "kk" else MONTHS_RU)[dt.month - 1]
    day = f"{dt.day} {month} {dt.year}"
    return f"{day}, {dt:%H:%M}" if time else day


def jsonld(obj: dict) -> str:
    text = json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def load(name: str) -> tuple[dict, list[dict]]:
    data = yaml.safe_load((SRC / f"{name}.yml").read_text(encoding="utf-8"))
    articles = data["articles"]
    for a in articles:
        a["dt"] = datetime.strptime(str(a["date"]), "%Y-%m-%d %H:%M").replace(tzinfo=ALMATY)
        a.setdefault("lang", "ru")
        texts = [a["title"], *a.get("paragraphs", []), *a.get("captions", [])]
        if not all(isinstance(text, str) for text in texts):  # an unquoted ': ' makes YAML read a mapping
            raise SystemExit(f"{name}.yml: a title or paragraph of {a['title']!r} is not plain text (quote it)")
    articles.sort(key=lambda a: a["dt"], reverse=True)
    return data["site"], articles


class Site:
    """Files and routes of one outlet folder, and its expected.yml."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.files: dict[str, bytes] = {}
        self.routes: list[dict] = []
        self.expected: dict[str, list] = {"articles": [], "not_articles": []}

    def add(self, url: str, file: str | None = None, body: str | None = None, **opts: object) -> None:
        if body is not None and file:
            self.files[file] = body.encode("utf-8")
        entry: dict[str, object] = {"url": url, **({"file": file} if file else {})}
        entry.update({k: v for k, v in opts.items() if v is not None})
        self.routes.append(entry)

    def expect(self, a: dict) -> None:
        self.expected["articles"].append(
            {
                "url": a["url"],
                "title": a["title"],
                "published": a["dt"].isoformat(),
                "first_paragraph": a["paragraphs"][0],
                "last_paragraph": a["paragraphs"][-1],
                "lang": a["lang"],
                "paragraphs": len(a["paragraphs"]),
            }
        )

    def not_article(self, url: str) -> None:
        if url not in self.expected["not_articles"]:
            self.expected["not_articles"].append(url)

    def write(self, out: Path) -> None:
        folder = out / self.name
        if folder.exists():
            shutil.rmtree(folder)
        for file, body in sorted(self.files.items()):
            path = folder / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        header = "# Generated by scripts/build_outlet_sites.py from scripts/outlet_sites_src/ - do not edit.\n"
        dump = yaml.safe_dump(self.routes, allow_unicode=True, sort_keys=False, width=120)
        (folder / "routes.yml").write_text(header + dump, encoding="utf-8")
        dump = yaml.safe_dump(self.expected, allow_unicode=True, sort_keys=False, width=120)
        (folder / "expected.yml").write_text(header + dump, encoding="utf-8")


def rss(title: str, link: str, items: list[dict]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{esc(title)}</title>",
        f'<atom:link href="{esc(link)}feed/" rel="self" type="application/rss+xml" />',
        f"<link>{esc(link)}</link>",
        "<description>Новости Карагандинской области</description>",
        "<language>ru-RU</language>",
        "<generator>https://wordpress.org/?v=6.7.1</generator>",
    ]
    if items:
        out.append(f"<lastBuildDate>{format_datetime(items[0]['dt'])}</lastBuildDate>")
    for a in items:
        first = (a.get("paragraphs") or a.get("captions") or [""])[0]
        out += [
            "<item>",
            f"<title>{esc(a['title'])}</title>",
            f"<link>{esc(a['url'])}</link>",
            f"<dc:creator><![CDATA[{a['author'][1]}]]></dc:creator>",
            f"<pubDate>{format_datetime(a['dt'])}</pubDate>",
            f"<category><![CDATA[{a['category'][1]}]]></category>",
            f'<guid isPermaLink="false">https://stepnoy-vestnik.kz/?p={a["post_id"]}</guid>',
            f"<description><![CDATA[{first[:160]} […]]]></description>",
            "</item>",
        ]
    return "\n".join([*out, "</channel>", "</rss>", ""])


def urlset(entries: list[tuple[str, str | None]]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in entries:
        out.append(f"<url><loc>{esc(loc)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    return "\n".join([*out, "</urlset>", ""])


COOKIE_RU = '<div class="cookie-banner" id="cookie-banner"><p>Мы используем файлы cookie, чтобы сайт работал лучше. Продолжая пользоваться сайтом, вы соглашаетесь с их использованием.</p><button type="button" class="cookie-accept">Принять</button></div>'
METRIKA = '<script>(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};m[i].l=1*new Date();k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,a.parentNode.insertBefore(k,a)})(window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym");ym(91234567, "init", {clickmap:true, trackLinks:true});</script>'


# ================================================================ stepnoy (WordPress-like)

ST = "https://stepnoy-vestnik.kz"
ST_CATEGORIES = (
    ("obshchestvo", "Общество"),
    ("ekonomika", "Экономика"),
    ("proisshestviya", "Происшествия"),
    ("ekologiya", "Экология"),
    ("foto", "Фото"),
    ("qazaqsha", "Қазақша"),
)


def st_page(title: str, main: str, head: str = "", body_class: str = "", sidebar: list[dict] | None = None) -> str:
    nav = "".join(
        f'<li class="menu-item"><a href="{ST}/category/{slug}/">{esc(name)}</a></li>' for slug, name in ST_CATEGORIES
    )
    nav += f'<li class="menu-item"><a href="{ST}/o-nas/">О нас</a></li>'
    recent = "".join(
        f'<li><a href="{a["url"]}">{esc(a["title"])}</a> <span class="post-date">{text_date(a["dt"], time=False)}</span></li>'
        for a in (sidebar or [])[:5]
    )
    return f"""<!DOCTYPE html>
<html lang="ru-RU">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - Степной вестник</title>
<meta property="og:locale" content="ru_RU">
<meta property="og:site_name" content="Степной вестник">
<link rel="alternate" type="application/rss+xml" title="Степной вестник &raquo; Лента" href="{ST}/feed/">
<link rel="alternate" type="application/rss+xml" title="Степной вестник &raquo; Лента комментариев" href="{ST}/comments/feed/">
<link rel="https://api.w.org/" href="{ST}/wp-json/">
{head}
<link rel="stylesheet" id="stepnoy-style-css" href="{ST}/wp-content/themes/stepnoy/style.css?ver=1.4.2" media="all">
<script>window._wpemojiSettings = {{"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/","ext":".png"}};</script>
</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#content">Перейти к содержимому</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="{ST}/" rel="home">Степной вестник</a></p><p class="site-description">Новости Караганды и области</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{nav}</ul></nav>
<form role="search" method="get" class="search-form" action="{ST}/"><input type="search" class="search-field" placeholder="Поиск…" name="s"></form></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
{main}
</main></div>
<aside id="secondary" class="widget-area"><section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Свежие записи</h2><ul>{recent}</ul></section>
<section class="widget widget_text"><div class="textwidget"><p>Подписывайтесь на наш канал в Telegram: <a href="https://t.me/stepnoy_vestnik">@stepnoy_vestnik</a></p></div></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info"><p>© 2026 «Степной вестник». Сетевое издание зарегистрировано в Министерстве информации РК, свидетельство № 21456-ИА.</p><p><a href="{ST}/o-nas/">О нас</a> | <a href="{ST}/reklama/">Реклама</a> | <a href="{ST}/politika-konfidencialnosti/">Политика конфиденциальности</a></p></div></footer>
{COOKIE_RU}
<script src="{ST}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<script src="{ST}/wp-content/plugins/jetpack/modules/sharedaddy/sharing.min.js?ver=13.9" id="sharing-js-js"></script>
{METRIKA}
</body>
</html>
"""


def st_card(a: dict) -> str:
    return (
        f'<article class="post-{a["post_id"]} post type-post status-publish"><header class="entry-header"><h2 class="entry-title"><a href="{a["url"]}" rel="bookmark">{esc(a["title"])}</a></h2>'
        f'<div class="entry-meta"><time class="entry-date published" datetime="{a["dt"].isoformat()}">{text_date(a["dt"])}</time> '
        f'<span class="byline"><a href="{ST}/author/{a["author"][0]}/">{esc(a["author"][1])}</a></span></div></header></article>'
    )


def st_listing(title: str, items: list[dict], recent: list[dict], heading: str, extra: str = "") -> str:
    main = f'<header class="page-header"><h1 class="page-title">{esc(heading)}</h1>{extra}</header>\n' + "\n".join(
        map(st_card, items)
    )
    return st_page(title, main, body_class="archive", sidebar=recent)


def st_article(arts: list[dict], a: dict) -> str:
    others = [b for b in arts if b is not a and not b.get("gallery")]
    related = others[:3] if a["lang"] == "ru" else others[-3:]
    inline = related[0]
    tags = ", ".join(f'<a href="{ST}/tag/{slug}/" rel="tag">{esc(name)}</a>' for slug, name in a["tags"])
    if a.get("gallery"):
        figures = "".join(
            f'<figure class="gallery-item"><img src="{ST}/wp-content/uploads/2026/11/sneg-{i}.jpg" alt=""><figcaption class="wp-caption-text gallery-caption">{esc(c)}</figcaption></figure>'
            for i, c in enumerate(a["captions"], 1)
        )
        body = f'<div id="gallery-1" class="gallery galleryid-{a["post_id"]} gallery-columns-3">{figures}</div>\n<p>Фото: {esc(a["author"][1])}</p>'
    else:
        ps = a["paragraphs"]
        body = (
            paras(ps[:2])
            + f'\n<p><strong>Читайте также:</strong> <a href="{inline["url"]}">{esc(inline["title"])}</a></p>\n'
            + paras(ps[2:])
        )
    share = '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social"><h3 class="sd-title">Поделиться:</h3><div class="sd-content"><ul><li class="share-facebook"><a href="#" class="share-facebook sd-button"><span>Facebook</span></a></li><li class="share-telegram"><a href="#" class="share-telegram sd-button"><span>Telegram</span></a></li><li class="share-jetpack-whatsapp"><a href="#" class="share-jetpack-whatsapp sd-button"><span>WhatsApp</span></a></li></ul></div></div></div>'
    telegram = "<p>Подписывайтесь на «Степной вестник» в Telegram и Instagram, чтобы первыми узнавать главные новости региона.</p>"
    rel = "".join(
        f'<li><a href="{b["url"]}">{esc(b["title"])}</a> <time class="entry-date" datetime="{b["dt"].isoformat()}">{text_date(b["dt"], time=False)}</time></li>'
        for b in related
    )
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebPage",
                "@id": a["url"],
                "url": a["url"],
                "name": f"{a['title']} - Степной вестник",
                "inLanguage": "ru-RU",
            },
            {
                "@type": "Article",
                "@id": a["url"] + "#article",
                "headline": a["title"],
                "datePublished": a["dt"].isoformat(),
                "dateModified": (a["dt"] + timedelta(hours=2)).isoformat(),
                "author": {"@type": "Person", "name": a["author"][1]},
                "publisher": {"@type": "Organization", "name": "Степной вестник"},
                "articleSection": [a["category"][1]],
                "inLanguage": "ru-RU",
            },
        ],
    }
    head = "\n".join(
        [
            f'<link rel="canonical" href="{a["url"]}">',
            f'<link rel="shortlink" href="{ST}/?p={a["post_id"]}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{esc(a["title"])} - Степной вестник">',
            f'<meta property="og:url" content="{a["url"]}">',
            f'<meta property="article:published_time" content="{a["dt"].isoformat()}">',
            f'<meta name="author" content="{esc(a["author"][1])}">',
            jsonld(ld),
        ]
    )
    main = f"""<nav class="breadcrumbs"><a href="{ST}/">Главная</a> » <a href="{ST}/category/{a["category"][0]}/">{esc(a["category"][1])}</a> » <span>{esc(a["title"])}</span></nav>
<article id="post-{a["post_id"]}" class="post-{a["post_id"]} post type-post status-publish format-standard has-post-thumbnail category-{a["category"][0]}">
<header class="entry-header"><h1 class="entry-title">{esc(a["title"])}</h1>
<div class="entry-meta"><span class="posted-on"><a href="{a["url"]}" rel="bookmark"><time class="entry-date published" datetime="{a["dt"].isoformat()}">{text_date(a["dt"])}</time></a></span> <span class="byline">Автор: <span class="author vcard"><a class="url fn n" href="{ST}/author/{a["author"][0]}/">{esc(a["author"][1])}</a></span></span> <span class="post-views">👁 {a["post_id"] % 700 + 120}</span></div></header>
<div class="post-thumbnail"><img src="{ST}/wp-content/uploads/2026/11/{a["slug"][:20]}.jpg" alt="" class="wp-post-image"></div>
<div class="entry-content">
{body}
{telegram}
{share}
</div>
<footer class="entry-footer"><span class="cat-links">Рубрика: <a href="{ST}/category/{a["category"][0]}/" rel="category tag">{esc(a["category"][1])}</a></span> <span class="tags-links">Метки: {tags}</span></footer>
</article>
<div class="related-posts"><h3>Похожие записи</h3><ul>{rel}</ul></div>
<div id="comments" class="comments-area"><h2 class="comments-title">Комментарии</h2><p class="no-comments">Комментариев пока нет.</p><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Добавить комментарий</h3><form action="{ST}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">Ваш адрес email не будет опубликован. Обязательные поля помечены *</p><textarea id="comment" name="comment"></textarea><input name="submit" type="submit" value="Отправить комментарий"></form></div></div>"""
    return st_page(a["title"], main, head, body_class="post-template-default single single-post", sidebar=arts)


def build_stepnoy(site: Site) -> None:
    _info, arts = load("stepnoy")
    for number, a in enumerate(sorted(arts, key=lambda a: a["dt"]), 1):
        a["post_id"] = 4100 + number * 7
        a["url"] = f"{ST}/{a['dt']:%Y/%m}/{a['slug']}/"
    site.add(
        f"{ST}/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: https://stepnoy-vestnik.kz/wp-sitemap.xml\n",
    )
    tags = {slug: name for a in arts for slug, name in a["tags"]}
    authors = {a["author"][0]: a["author"][1] for a in arts}
    cloud = (
        '<section class="widget widget_tag_cloud"><h2 class="widget-title">Метки</h2><div class="tagcloud">'
        + " ".join(
            f'<a href="{ST}/tag/{slug}/" class="tag-cloud-link">{esc(name)}</a>' for slug, name in sorted(tags.items())
        )
        + "</div></section>"
    )
    home = st_listing("Новости Караганды и области", arts[:10], arts, "Последние новости", extra=cloud)
    site.add(f"{ST}/", "home.html", home, note="home page: advertises /feed/ and /comments/feed/")
    site.add(
        f"{ST}/feed/",
        "feed.xml",
        rss("Степной вестник", f"{ST}/", arts[:6]),
        type="application/rss+xml; charset=UTF-8",
        note="the newest 6 posts",
    )
    empty = rss("Степной вестник — комментарии", f"{ST}/", [])
    site.add(
        f"{ST}/comments/feed/",
        "comments-feed.xml",
        empty,
        type="application/rss+xml; charset=UTF-8",
        note="comments feed: no items",
    )
    for slug, name in ST_CATEGORIES:
        items = [a for a in arts if a["category"][0] == slug]
        site.add(f"{ST}/category/{slug}/", f"category/{slug}.html", st_listing(name, items, arts, f"Рубрика: {name}"))
        site.not_article(f"{ST}/category/{slug}/")
    for slug, name in sorted(tags.items()):
        items = [a for a in arts if slug in (t[0] for t in a["tags"])]
        site.add(f"{ST}/tag/{slug}/", f"tag/{slug}.html", st_listing(name, items, arts, f"Метка: {name}"))
        site.not_article(f"{ST}/tag/{slug}/")
    for slug, name in sorted(authors.items()):
        items = [a for a in arts if a["author"][0] == slug]
        bio = f'<div class="author-bio"><p>{esc(name)} — корреспондент «Степного вестника».</p></div>'
        site.add(
            f"{ST}/author/{slug}/", f"author/{slug}.html", st_listing(name, items, arts, f"Автор: {name}", extra=bio)
        )
        site.not_article(f"{ST}/author/{slug}/")
    about = st_page(
        "О нас",
        '<article class="page type-page"><header class="entry-header"><h1 class="entry-title">О нас</h1></header><div class="entry-content">'
        + paras(
            [
                "«Степной вестник» — независимое сетевое издание Карагандинской области. Мы пишем о жизни Караганды, Темиртау, Балхаша, Жезказгана и сёл области с 2014 года.",
                "Редакция находится в Караганде. В штате семь журналистов и два фотографа; мы сотрудничаем с авторами из всех районов области.",
                "Связаться с редакцией можно по адресу info@stepnoy-vestnik.kz или по телефону +7 7212 00-00-00. Сообщения о новостях принимаем также в Telegram.",
            ]
        )
        + "</div></article>",
        body_class="page-template-default page",
        sidebar=arts,
    )
    site.add(f"{ST}/o-nas/", "pages/o-nas.html", about, note="static page")
    site.not_article(f"{ST}/o-nas/")
    for a in arts:
        site.add(
            a["url"],
            f"articles/{a['post_id']}.html",
            st_article(arts, a),
            note="photo report: captions only" if a.get("gallery") else None,
        )
        site.add(
            f"{ST}/?p={a['post_id']}", f"articles/{a['post_id']}.html", note="WordPress short link (the feed's guid)"
        )
        if a.get("gallery"):
            site.not_article(a["url"])
        else:
            site.expect(a)
    index = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(
            f"<sitemap><loc>{ST}/wp-sitemap-{part}-1.xml</loc></sitemap>"
            for part in ("posts-post", "posts-page", "taxonomies-category", "taxonomies-post_tag", "users")
        ),
        "</sitemapindex>",
        "",
    ]
    site.add(
        f"{ST}/wp-sitemap.xml",
        "sitemaps/wp-sitemap.xml",
        "\n".join(index),
        note="WordPress core sitemap index (no lastmod)",
    )
    posts = urlset([(a["url"], (a["dt"] + timedelta(hours=2)).isoformat()) for a in arts])
    site.add(f"{ST}/wp-sitemap-posts-post-1.xml", "sitemaps/posts-post-1.xml", posts)
    site.add(
        f"{ST}/wp-sitemap-posts-page-1.xml",
        "sitemaps/posts-page-1.xml",
        urlset([(f"{ST}/o-nas/", None), (f"{ST}/reklama/", None)]),
    )
    site.add(
        f"{ST}/wp-sitemap-taxonomies-category-1.xml",
        "sitemaps/category-1.xml",
        urlset([(f"{ST}/category/{s}/", None) for s, _ in ST_CATEGORIES]),
    )
    site.add(
        f"{ST}/wp-sitemap-taxonomies-post_tag-1.xml",
        "sitemaps/post_tag-1.xml",
        urlset([(f"{ST}/tag/{s}/", None) for s in sorted(tags)]),
    )
    site.add(
        f"{ST}/wp-sitemap-users-1.xml",
        "sitemaps/users-1.xml",
        urlset([(f"{ST}/author/{s}/", None) for s in sorted(authors)]),
    )


# ================================================================ irtysh (custom CMS, news sitemap)

IR = "https://irtysh-inform.kz"
IR_SECTIONS = (
    ("obshchestvo", "Общество"),
    ("proisshestviya", "Происшествия"),
    ("ekonomika", "Экономика"),
    ("sport", "Спорт"),
    ("kultura", "Культура"),
)
IR_TAGS = (("pavlodar", "Павлодар"), ("ekibastuz", "Экибастуз"), ("sud", "суд"), ("zhkh", "ЖКХ"))
IR_AUTHORS = {"Ольга Пак": 12, "Сергей Волков": 7, "Тимур Есенов": 19}
IR_GALLERY = 517


def ir_page(title: str, main: str, arts: list[dict], head: str = "") -> str:
    nav = "".join(f'<li><a href="/materials/{slug}">{esc(name)}</a></li>' for slug, name in IR_SECTIONS)
    nav += '<li><a href="/photo">Фото</a></li><li><a href="/about">О редакции</a></li>'
    top = "".join(
        f'<li class="top-news__item"><span class="top-news__time">{a["dt"]:%H:%M}</span> <a href="{a["path"]}">{esc(a["title"])}</a></li>'
        for a in arts[:5]
    )
    tags = " ".join(f'<a class="tag" href="/tags/{slug}">#{esc(name)}</a>' for slug, name in IR_TAGS)
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{esc(title)} | Иртыш-Информ</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta property="og:site_name" content="Иртыш-Информ">
{head}
<link rel="stylesheet" href="/static/css/app.3f9a1c.css">
<script>window.__APP_CONFIG__={{"region":"pavlodar","ads":true}};</script>
</head>
<body class="l-body">
<div class="l-header"><a class="l-logo" href="/">Иртыш-Информ</a><div class="l-weather">Павлодар −12°</div><ul class="l-nav">{nav}</ul><div class="l-langs"><span>RU</span> <a href="#">KZ</a></div></div>
<div class="l-page"><div class="l-content">
{main}
</div>
<aside class="l-aside"><div class="top-news"><div class="top-news__title">Главное за день</div><ul>{top}</ul></div><div class="tags-cloud">{tags}</div><div class="l-banner"><a href="https://ads.example.kz/click?id=42">Реклама</a></div></aside></div>
<div class="l-footer"><p>Сетевое издание «Иртыш-Информ». Свидетельство о постановке на учёт № 18842-СИ выдано Министерством информации и общественного развития РК.</p><p>Все права защищены. Перепечатка материалов без гиперссылки запрещена.</p><ul><li><a href="/about">О редакции</a></li><li><a href="/contacts">Контакты</a></li><li><a href="/advert">Реклама</a></li></ul></div>
{COOKIE_RU}
<script src="/static/js/app.3f9a1c.js" defer></script>
{METRIKA}
</body>
</html>
"""


def ir_card(a: dict) -> str:
    return f'<div class="card"><a class="card__title" href="{a["path"]}">{esc(a["title"])}</a><div class="card__meta"><span class="card__date">{a["dt"]:%d.%m.%Y %H:%M}</span> <a class="card__rubric" href="/materials/{a["section"][0]}">{esc(a["section"][1])}</a></div></div>'


def ir_listing(title: str, items: list[dict], arts: list[dict]) -> str:
    return ir_page(
        title,
        f'<h1 class="page-title">{esc(title)}</h1><div class="cards">' + "".join(map(ir_card, items)) + "</div>",
        arts,
    )


def ir_article(arts: list[dict], a: dict) -> str:
    ps = a["paragraphs"]
    inset = (
        next(b for b in arts if b is not a and b["section"] == a["section"])
        if sum(b["section"] == a["section"] for b in arts) > 1
        else next(b for b in arts if b is not a)
    )
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": a["url"],
        "headline": a["title"],
        "datePublished": a["dt"].isoformat(),
        "dateModified": a["dt"].isoformat(),
        "author": {"@type": "Person", "name": a["author"]},
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": "Иртыш-Информ",
            "logo": {"@type": "ImageObject", "url": f"{IR}/static/img/logo.png"},
        },
        "image": [f"{IR}/media/{a['id']}/cover.jpg"],
    }
    head = "\n".join(
        [
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{esc(a["title"])}">',
            f'<meta property="og:url" content="{a["url"]}">',
            f'<meta property="og:image" content="{IR}/media/{a["id"]}/cover.jpg">',
            f'<link rel="canonical" href="{a["url"]}">',
            jsonld(ld),
        ]
    )
    blocks = [f'<div class="st-blk st-blk--text"><p class="st-lead">{esc(ps[0])}</p></div>']
    blocks.append(
        f'<div class="st-blk st-blk--inset"><div class="inset"><span class="inset__label">Читайте также</span> <a href="{inset["path"]}">{esc(inset["title"])}</a> <span class="inset__date">{inset["dt"]:%d.%m.%Y}</span></div></div>'
    )
    blocks.append('<div class="st-blk st-blk--text">' + paras(ps[1:]) + "</div>")
    blocks.append(
        '<div class="st-blk st-blk--note"><p>Нашли ошибку? Выделите фрагмент текста и нажмите Ctrl+Enter.</p></div>'
    )
    author_id = IR_AUTHORS[a["author"]]
    tags = " ".join(f'<a href="/tags/{slug}">#{esc(name)}</a>' for slug, name in IR_TAGS[: 2 + a["id"] % 2])
    main = f"""<div class="story">
<div class="st-head"><div class="st-rubric"><a href="/materials/{a["section"][0]}">{esc(a["section"][1])}</a></div><h1 class="st-title">{esc(a["title"])}</h1>
<div class="st-meta"><span class="st-date">{a["dt"]:%d.%m.%Y %H:%M}</span> <a class="st-author" href="/authors/{author_id}">{esc(a["author"])}</a> <span class="st-views">{a["id"] % 3000 + 211}</span></div></div>
<figure class="st-cover"><img src="/media/{a["id"]}/cover.jpg" alt=""><figcaption>Фото: «Иртыш-Информ»</figcaption></figure>
<section data-role="story" class="st-body">
{chr(10).join(blocks)}
</section>
<div class="st-tags">{tags}</div>
<div class="share"><span>Поделиться:</span> <a href="https://vk.com/share.php?url={a["url"]}">ВКонтакте</a> <a href="https://t.me/share/url?url={a["url"]}">Telegram</a> <a href="https://wa.me/?text={a["url"]}">WhatsApp</a></div>
<div class="subscribe-box"><p>Все главные новости Павлодарской области — в нашем Telegram-канале. Подписывайтесь!</p></div>
</div>"""
    return ir_page(a["title"], main, arts, head)


def build_irtysh(site: Site) -> None:
    _info, arts = load("irtysh")
    for a in arts:
        a["path"] = f"/materials/{a['section'][0]}/{a['slug']}-{a['id']}"
        a["url"] = IR + a["path"]
    site.add(
        f"{IR}/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /search\nDisallow: /admin/\nDisallow: /api/\n\nUser-agent: Yandex\nDisallow: /search\nClean-param: utm_source&utm_medium&utm_campaign\n\nSitemap: https://irtysh-inform.kz/sitemaps/news.xml\n",
    )
    main = (
        '<div class="main-top">'
        + "".join(map(ir_card, arts[:4]))
        + '</div><h2 class="feed-title">Лента новостей</h2><div class="cards">'
        + "".join(map(ir_card, arts[4:9]))
        + "</div>"
    )
    main += (
        f'<div class="photo-block"><a href="/photo/{IR_GALLERY}">Фотогалерея: ледоход на Иртыше</a></div><div class="authors-block">'
        + " ".join(f'<a href="/authors/{i}">{esc(n)}</a>' for n, i in IR_AUTHORS.items())
        + "</div>"
    )
    site.add(
        f"{IR}/", "home.html", ir_page("Новости Павлодара и области", main, arts), note="home page: no feed advertised"
    )
    for slug, name in IR_SECTIONS:
        site.add(
            f"{IR}/materials/{slug}",
            f"sections/{slug}.html",
            ir_listing(name, [a for a in arts if a["section"][0] == slug], arts),
        )
        site.not_article(f"{IR}/materials/{slug}")
    for slug, name in IR_TAGS:
        site.add(f"{IR}/tags/{slug}", f"tags/{slug}.html", ir_listing(f"#{name}", arts[:: 2 + len(slug) % 2], arts))
        site.not_article(f"{IR}/tags/{slug}")
    for name, number in IR_AUTHORS.items():
        items = [a for a in arts if a["author"] == name]
        site.add(f"{IR}/authors/{number}", f"authors/{number}.html", ir_listing(f"Автор: {name}", items, arts))
        site.not_article(f"{IR}/authors/{number}")
    captions = ["Ледоход у набережной Павлодара", "Спасатели дежурят у моста", "Горожане наблюдают за рекой"]
    gallery = (
        '<h1 class="gallery-title">Фотогалерея: ледоход на Иртыше</h1><div class="gallery">'
        + "".join(
            f'<figure><img src="/media/photo/{IR_GALLERY}/{i}.jpg" alt=""><figcaption>{esc(c)}</figcaption></figure>'
            for i, c in enumerate(captions, 1)
        )
        + "</div>"
    )
    site.add(
        f"{IR}/photo/{IR_GALLERY}",
        "photo/gallery.html",
        ir_page("Фотогалерея: ледоход на Иртыше", gallery, arts),
        note="photo gallery (in the news sitemap)",
    )
    site.add(
        f"{IR}/photo",
        "photo/index.html",
        ir_page("Фото", f'<h1>Фото</h1><a href="/photo/{IR_GALLERY}">Ледоход на Иртыше</a>', arts),
    )
    site.not_article(f"{IR}/photo/{IR_GALLERY}")
    site.not_article(f"{IR}/photo")
    about = (
        '<h1>О редакции</h1><div class="static-text">'
        + paras(
            [
                "«Иртыш-Информ» — информационный портал Павлодарской области. Мы рассказываем о событиях в Павлодаре, Экибастузе, Аксу и районах области с 2009 года.",
                "Главный редактор — Нина Гарипова. Адрес редакции: Павлодар, улица Торайгырова, 1. Телефон: +7 7182 00-00-00, электронная почта: news@irtysh-inform.kz.",
                "Редакция не несёт ответственности за содержание рекламных материалов. Мнение авторов может не совпадать с мнением редакции.",
            ]
        )
        + "</div>"
    )
    site.add(f"{IR}/about", "pages/about.html", ir_page("О редакции", about, arts), note="static page")
    site.add(
        f"{IR}/contacts",
        "pages/contacts.html",
        ir_page("Контакты", "<h1>Контакты</h1><p>Павлодар, улица Торайгырова, 1.</p>", arts),
    )
    site.not_article(f"{IR}/about")
    site.not_article(f"{IR}/contacts")
    for a in arts:
        site.add(a["url"], f"articles/{a['id']}.html", ir_article(arts, a))
        site.expect(a)
    news = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    entries = [(a["url"], a["dt"], a["title"]) for a in arts]
    entries.insert(
        3, (f"{IR}/photo/{IR_GALLERY}", arts[3]["dt"] + timedelta(minutes=10), "Фотогалерея: ледоход на Иртыше")
    )
    for url, dt, title in entries:
        news.append(
            f"<url><loc>{url}</loc><news:news><news:publication><news:name>Иртыш-Информ</news:name><news:language>ru</news:language></news:publication>"
            f"<news:publication_date>{dt.isoformat()}</news:publication_date><news:title>{esc(title)}</news:title></news:news></url>"
        )
    site.add(
        f"{IR}/sitemaps/news.xml",
        "sitemaps/news.xml",
        "\n".join([*news, "</urlset>", ""]),
        note="Google News sitemap named in robots.txt",
    )


# ================================================================ zhetysu (listings only)

ZH = "https://zhetysu-today.kz"
ZH_AUTHORS = {"Асель Бекова": 103, "Руслан Ахметов": 105, "Айгүл Сейітова": 108}
ZH_TAGS = (("sud", "суд"), ("taldykorgan", "Талдыкорган"), ("zhkh", "ЖКХ"))
ZH_GALLERY = 1077
ZH_SECTIONS = {"ru": ("/ru/news", "Новости", 4), "kk": ("/kz/zhanalyqtar", "Жаңалықтар", 2)}


def zh_page(title: str, main: str, arts: list[dict], lang: str = "ru") -> str:
    if lang == "kk":
        nav = '<li><a href="/kz/zhanalyqtar">Жаңалықтар</a></li><li><a href="/ru/news">Русский</a></li>'
        popular_title, site_title = "Көп оқылған", "Жетісу күні"
    else:
        nav = '<li><a href="/ru/news">Новости</a></li><li><a href="/ru/gallery">Фото</a></li><li><a href="/ru/about">О редакции</a></li><li><a href="/kz/zhanalyqtar">Қазақша</a></li>'
        popular_title, site_title = "Популярное", "Жетісу күні"
    popular = "".join(
        f'<li><a href="{b["path"]}">{esc(b["title"])}</a><span class="date">{text_date(b["dt"], b["lang"])}</span></li>'
        for b in [b for b in arts if b["lang"] == lang][1:4]
    )
    return f"""<!DOCTYPE html>
<html lang="{"kk" if lang == "kk" else "ru"}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)} | {site_title}</title>
<meta name="description" content="Новости Жетысу и Алматинской области">
<link href="/css/style.css?v=20241003" rel="stylesheet">
<script src="/js/jquery-1.12.4.min.js"></script>
</head>
<body>
<div id="header"><div class="logo"><a href="/"><img src="/img/logo.png" alt="{site_title}"></a></div><ul class="menu">{nav}</ul><div class="header-date">Талдыкорган</div></div>
<div id="wrapper"><div id="content">
{main}
</div>
<div id="sidebar"><div class="block popular"><h3>{popular_title}</h3><ul>{popular}</ul></div><div class="block social"><a href="https://t.me/zhetysu_today">Telegram</a> <a href="https://instagram.com/zhetysu_today">Instagram</a></div></div></div>
<div id="footer"><p>© 2012–2026 «Жетісу күні». Все права защищены. При цитировании ссылка на zhetysu-today.kz обязательна.</p><p><a href="/ru/about">О редакции</a> · <a href="/ru/reklama">Реклама</a></p></div>
<div class="cookies-warning">Сайт использует cookies. Оставаясь на сайте, вы соглашаетесь с условиями их использования. <a href="#" class="close">OK</a></div>
<script>$(function(){{$(".cookies-warning .close").click(function(){{$(".cookies-warning").hide();return false;}});}});</script>
{METRIKA}
</body>
</html>
"""


def zh_item(a: dict) -> str:
    return f'<div class="news-item"><a class="news-item-title" href="{a["path"]}">{esc(a["title"])}</a><span class="date">{text_date(a["dt"], a["lang"])}</span></div>'


def zh_pager(base: str, number: int, pages: int) -> str:
    links = []
    for n in range(1, pages + 1):
        href = base if n == 1 else f"{base}?page={n}"
        links.append(f'<span class="current">{n}</span>' if n == number else f'<a href="{href}">{n}</a>')
    if number < pages:
        links.append(f'<a href="{base}?page={number + 1}">»</a>')
    return '<div class="pager">' + " ".join(links) + "</div>"


def zh_article(arts: list[dict], a: dict) -> str:
    kk = a["lang"] == "kk"
    same = [b for b in arts if b["lang"] == a["lang"] and b is not a]
    related = "".join(
        f'<li><a href="{b["path"]}">{esc(b["title"])}</a><span class="date">{text_date(b["dt"], b["lang"])}</span></li>'
        for b in same[:3]
    )
    author_id = ZH_AUTHORS[a["author"]]
    main = f"""<div class="breadcrumbs"><a href="/">{"Басты бет" if kk else "Главная"}</a> / <a href="{ZH_SECTIONS[a["lang"]][0]}">{ZH_SECTIONS[a["lang"]][1]}</a></div>
<div class="news-view">
<h1 class="news-title">{esc(a["title"])}</h1>
<div class="news-info"><div class="news-date">{text_date(a["dt"], a["lang"])}</div><div class="news-author">{"Авторы" if kk else "Автор"}: <a href="/ru/author/{author_id}">{esc(a["author"])}</a></div><div class="news-views">{"Қаралым" if kk else "Просмотров"}: {a["id"] % 900 + 57}</div></div>
<div class="news-image"><img src="/uploads/news/{a["id"]}.jpg" alt=""><span class="caption">{"Фото: редакция мұрағатынан" if kk else "Фото: архив редакции"}</span></div>
<div class="news-text">
{paras(a["paragraphs"])}
</div>
<div class="news-error">{"Қате тапсаңыз, оны белгілеп, Ctrl+Enter басыңыз" if kk else "Если вы заметили ошибку, выделите её и нажмите Ctrl+Enter"}</div>
<div class="news-share">{"Бөлісу" if kk else "Поделиться"}: <a href="https://www.facebook.com/sharer.php?u={a["url"]}">Facebook</a> <a href="https://t.me/share/url?url={a["url"]}">Telegram</a></div>
</div>
<div class="related-news"><h3>{"Тақырып бойынша" if kk else "Читайте также"}</h3><ul>{related}</ul></div>"""
    return zh_page(a["title"], main, arts, a["lang"])


def build_zhetysu(site: Site) -> None:
    _info, arts = load("zhetysu")
    for a in arts:
        a["path"] = f"{ZH_SECTIONS[a['lang']][0]}/{a['id']}"
        a["url"] = ZH + a["path"]
    site.add(
        f"{ZH}/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /admin\nDisallow: /ru/search\nDisallow: /kz/search\n",
    )
    ru = [a for a in arts if a["lang"] == "ru"]
    tags = " ".join(f'<a href="/ru/tag/{slug}">{esc(name)}</a>' for slug, name in ZH_TAGS)
    main = '<div class="main-news"><h2>Последние новости</h2>' + "".join(map(zh_item, ru[:6])) + "</div>"
    main += (
        '<div class="main-kz"><h2>Қазақша</h2>'
        + "".join(map(zh_item, [a for a in arts if a["lang"] == "kk"][:1]))
        + "</div>"
    )
    main += f'<div class="main-gallery"><h2>Фотогалерея</h2><a href="/ru/gallery/{ZH_GALLERY}">Первый снег в Талдыкоргане</a></div><div class="tags">{tags}</div>'
    main += (
        '<div class="main-authors">'
        + " ".join(f'<a href="/ru/author/{i}">{esc(n)}</a>' for n, i in ZH_AUTHORS.items() if n != "Айгүл Сейітова")
        + "</div>"
    )
    site.add(f"{ZH}/", "home.html", zh_page("Новости Жетысу", main, arts), note="home page (no feed advertised)")
    for lang, (base, heading, per_page) in ZH_SECTIONS.items():
        items = [a for a in arts if a["lang"] == lang]
        pages = (len(items) + per_page - 1) // per_page
        for n in range(1, pages + 1):
            chunk = items[(n - 1) * per_page : n * per_page]
            body = f'<h1 class="section-title">{heading}</h1>' + "".join(map(zh_item, chunk)) + zh_pager(base, n, pages)
            url = ZH + base + ("" if n == 1 else f"?page={n}")
            site.add(
                url,
                f"listing/{lang}-{n}.html",
                zh_page(heading, body, arts, lang),
                note=f"section listing page {n} of {pages}",
            )
            site.not_article(url)
    for slug, name in ZH_TAGS:
        body = f'<h1 class="section-title">Тег: {esc(name)}</h1>' + "".join(map(zh_item, ru[len(slug) % 3 :: 3]))
        site.add(f"{ZH}/ru/tag/{slug}", f"tag/{slug}.html", zh_page(name, body, arts))
        site.not_article(f"{ZH}/ru/tag/{slug}")
    for name, number in ZH_AUTHORS.items():
        mine = [a for a in arts if a["author"] == name]
        bio = f'<div class="author-card"><h1>{esc(name)}</h1><p>Корреспондент «Жетісу күні». Пишет о социальных темах и работе местных властей.</p></div>'
        site.add(
            f"{ZH}/ru/author/{number}",
            f"author/{number}.html",
            zh_page(name, bio + "".join(map(zh_item, mine)), arts),
            note="author page: same URL shape as an article",
        )
        site.not_article(f"{ZH}/ru/author/{number}")
    captions = ["Первый снег на площади Жетысу", "Дворники на улице Кабанбай батыра", "Дети катаются на санках в парке"]
    gallery = (
        '<div class="gallery-view"><h1 class="news-title">Первый снег в Талдыкоргане</h1><div class="news-date">26 ноября 2026, 10:00</div>'
        + "".join(
            f'<div class="photo"><img src="/uploads/gallery/{ZH_GALLERY}/{i}.jpg" alt=""><p>{esc(c)}</p></div>'
            for i, c in enumerate(captions, 1)
        )
        + "</div>"
    )
    site.add(
        f"{ZH}/ru/gallery/{ZH_GALLERY}",
        f"gallery/{ZH_GALLERY}.html",
        zh_page("Первый снег в Талдыкоргане", gallery, arts),
        note="photo gallery: same URL shape as an article",
    )
    site.add(
        f"{ZH}/ru/gallery",
        "gallery/index.html",
        zh_page("Фото", f'<h1>Фото</h1><a href="/ru/gallery/{ZH_GALLERY}">Первый снег в Талдыкоргане</a>', arts),
    )
    site.not_article(f"{ZH}/ru/gallery/{ZH_GALLERY}")
    site.not_article(f"{ZH}/ru/gallery")
    about = (
        '<div class="static"><h1>О редакции</h1>'
        + paras(
            [
                "«Жетісу күні» — региональное издание Жетысуской области, выходит на русском и казахском языках с 2012 года.",
                "Редакция находится в Талдыкоргане. Мы пишем о жизни области, работе местных властей и социальных проблемах жителей.",
                "Адрес: Талдыкорган, улица Кабанбай батыра, 10. Электронная почта: info@zhetysu-today.kz.",
            ]
        )
        + "</div>"
    )
    site.add(f"{ZH}/ru/about", "pages/about.html", zh_page("О редакции", about, arts), note="static page")
    site.not_article(f"{ZH}/ru/about")
    for a in arts:
        site.add(a["url"], f"articles/{a['id']}.html", zh_article(arts, a))
        site.expect(a)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "snapshot.yml").write_text(
        'recorded_at: 2026-11-29T08:00:00+05:00  # the moment these snapshots stand for: "now" for a replayed pass\n',
        encoding="utf-8",
    )
    for name, build in (("stepnoy", build_stepnoy), ("irtysh", build_irtysh), ("zhetysu", build_zhetysu)):
        site = Site(name)
        build(site)
        site.write(args.out)
        print(f"{name}: {len(site.routes)} routes, {len(site.expected['articles'])} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
