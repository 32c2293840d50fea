"""Real chrome around the snapshot's article pages: what a news site sends besides the story.

The bundled snapshot pages are trimmed to the story; users' pages are not. Every page gets a header
with navigation and a search form, breadcrumbs, share buttons, a "most read" sidebar, related
articles with teasers, a comments block, a newsletter form, a footer of links, styles, JSON-LD and
analytics scripts — some 40–60 KB of HTML, as on the outlets' live sites. Deterministic per seed.
"""

from __future__ import annotations

import random
import re

SECTIONS = ["Новости", "Политика", "Экономика", "Общество", "Регионы", "Мир", "Культура", "Спорт", "Мнения", "Видео"]
TEASER_WORDS = (  # noqa: SIM905 -- a sentence reads better than a list of fifty quoted words
    "министр заявил что правительство рассмотрит вопрос о повышении тарифов в ближайшее время жители"
    " области жалуются на качество дорог акимат обещает отремонтировать участок до конца года банк"
    " снизил базовую ставку эксперты ожидают роста кредитования в новом квартале сборная завершила"
    " сезон победой болельщики встретили команду в аэропорту погода в выходные будет теплой"
).split()


def _teaser(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(TEASER_WORDS, k=words)).capitalize() + "."


def _links(rng: random.Random, count: int, host: str, words: int = 3) -> str:
    items = []
    for _ in range(count):
        href = f"https://{host}/{rng.choice(SECTIONS).lower()}/{rng.randrange(10**6)}/"
        items.append(f'<li><a href="{href}">{_teaser(rng, words)}</a></li>')
    return "".join(items)


def chrome_parts(rng: random.Random, host: str) -> tuple[str, str, str]:
    """(head extras, before the article, after the article) for one page."""
    style = (
        "<style>" + "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i:06x}}}" for i in range(120)) + "</style>"
    )
    analytics = (
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        + "".join(f"gtag('event','e{i}',{{v:{i}}});" for i in range(60))
        + "</script>"
    )
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization",'
        f'"name":"{host}","url":"https://{host}/","sameAs":["https://t.me/{host}","https://facebook.com/{host}"]}}'
        "</script>"
    )
    head = (
        style + ld + analytics + '<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js"></script>'
    )
    nav = "".join(f'<li><a href="https://{host}/{s.lower()}/">{s}</a></li>' for s in SECTIONS)
    header = (
        f'<header class="site-header"><a class="logo" href="https://{host}/">{host}</a>'
        f'<nav class="main-menu"><ul>{nav}{_links(rng, 20, host, 2)}</ul></nav>'
        '<form class="search" action="/search"><input name="q" placeholder="Поиск"><button>Найти</button></form>'
        '<div class="lang"><a href="/kz/">Қаз</a> <a href="/ru/">Рус</a> <a href="/en/">Eng</a></div></header>'
        f'<div class="breadcrumbs"><a href="https://{host}/">Главная</a> / <a href="https://{host}/news/">Новости</a></div>'
        '<div class="ad-banner"><a href="https://ads.example.kz/click?id=1">'
        '<img src="/ads/1.jpg" alt="Реклама"></a></div>'
    )
    share = (
        '<ul class="share">'
        + "".join(
            f'<li><a href="https://{net}/share?u=https://{host}/">{net.split(".")[0]}</a></li>'
            for net in ("facebook.com", "t.me", "wa.me", "vk.com", "x.com", "ok.ru")
        )
        + "</ul>"
    )
    related = "".join(
        f'<article class="teaser"><a href="https://{host}/news/{rng.randrange(10**6)}/"><h3>{_teaser(rng, 7)}</h3></a>'
        f"<p>{_teaser(rng, 24)}</p><time>{rng.randrange(1, 28)}.11.2025</time></article>"
        for _ in range(8)
    )
    comments = "".join(
        f'<div class="comment"><b>Гость{rng.randrange(1000)}</b><p>{_teaser(rng, 18)}</p></div>' for _ in range(6)
    )
    after = (
        share
        + '<div class="tags"><a href="/tag/1">суд</a> <a href="/tag/2">общество</a> <a href="/tag/3">регионы</a></div>'
        + f'<section class="related"><h2>Читайте также</h2>{related}</section>'
        + f'<section class="comments"><h2>Комментарии (6)</h2>{comments}</section>'
        + '<form class="subscribe"><p>Подпишитесь на рассылку главных новостей дня.</p><input name="email"></form>'
        + f'<aside class="most-read"><h2>Самое читаемое</h2><ol>{_links(rng, 10, host, 8)}</ol></aside>'
        + f'<footer class="site-footer"><ul>{_links(rng, 40, host, 2)}</ul>'
        "<p>© 2025 Все права защищены. Перепечатка материалов только с активной ссылкой на источник. 18+</p>"
        "<p>Свидетельство о постановке на учет СМИ № 12345-СИ. Адрес редакции: г. Алматы.</p></footer>"
        + "<script>(function(){var s=document.createElement('script');s.src='https://counter.example.kz/c.js';"
        "document.body.appendChild(s)})();</script>"
    )
    return head, header, after


def with_chrome(page: bytes, host: str, seed: int) -> bytes:
    """``page`` (an article page of the snapshot) with real site chrome around its content."""
    html = page.decode("utf-8", "replace")
    head, before, after = chrome_parts(random.Random(seed), host)
    html = re.sub(r"</head>", lambda _: head + "</head>", html, count=1, flags=re.IGNORECASE)
    html = re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>" + before, html, count=1, flags=re.IGNORECASE)
    html = re.sub(r"</body>", lambda _: after + "</body>", html, count=1, flags=re.IGNORECASE)
    return html.encode("utf-8")
