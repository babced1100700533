# ruff: noqa: E501  (HTML templates keep each element on one line, as the real sites do)
"""Offline demo: "Kabar AI", an Indonesian WordPress site with Booster Extension widgets.

The article markup follows what a ThemeInWP theme plus Booster Extension, Jetpack,
wpDiscuz, Mailchimp for WP, WordPress Popular Posts and Cookie Notice print: the Booster
counters and read-time badge sit *inside* `.entry-content` before the body, its
reactions, rating, share and author blocks after it, as on the seed page.
"""

from __future__ import annotations

from warta.demo.common import (
    Resource,
    date_id,
    esc,
    html_resource,
    json_ld,
    number,
    others,
    read_time,
    slugify,
)
from warta.demo.content_kabar import STORIES
from warta.demo.feeds import Entry, rss
from warta.demo.model import Story

KEY = "kabar-ai"
NAME = "Kabar AI"
PER_PAGE = 5
CATEGORY = "berita-ai"
REACTIONS = ("Happy", "Sad", "Excited", "Sleepy", "Angry", "Surprise")

# Text of widgets every article page carries; none of it may survive cleaning.
WIDGET_TEXT = (
    "Read Time:",
    "Happy",
    "Excited",
    "Surprise",
    "Average Rating",
    "5 Star",
    "(Add your review)",
    "About Post Author",
    "Bagikan ini:",
    "Suka ini:",
    "Memuat...",
    "Terkait",
    "Baca juga:",
    "Tinggalkan Balasan",
    "Notify of",
    "Komentar",
    "Berlangganan buletin Kabar AI",
    "Leave this field empty if you're human:",
    "Kami menggunakan cookie",
    "Terpopuler",
    "Pos-pos Terbaru",
    "Navigasi pos",
    "Berita Terkini",
    "ADVERTISEMENT",
)

AUTHOR_BIOS = {
    "Rina Kusumawardani": "Redaktur pelaksana Kabar AI yang meliput kebijakan teknologi dan "
    "model bahasa.",
    "Bayu Prasetyo": "Wartawan infrastruktur digital, menulis tentang pusat data dan chip.",
    "Sari Melati": "Meliput bisnis teknologi, pendanaan startup, dan industri keuangan.",
    "Yoga Pratama": "Menulis tentang aplikasi AI untuk pertanian, UMKM, dan layanan publik.",
    "Dimas Aryo": "Wartawan pendidikan dan keamanan siber di Kabar AI.",
    "Maria Goreti Ola": "Kontributor Kabar AI di Kupang, meliput kesehatan dan teknologi.",
}


def article_path(story: Story) -> str:
    d = story.published_at
    return f"/{KEY}/{d:%Y/%m/%d}/{story.slug}/"


def article_url(base: str, story: Story) -> str:
    return base + article_path(story)


def _listing_path(kind: str, slug: str, page: int) -> str:
    root = f"/{KEY}/{kind}/{slug}/"
    return root if page == 1 else f"{root}page/{page}/"


def _post_id(story: Story) -> int:
    return 1000 + 7 * STORIES.index(story)


def _tracked(url: str, story: Story) -> str:
    """Every third listing link carries tracking parameters, like WordPress widgets add."""
    if STORIES.index(story) % 3 == 0:
        return url + "?utm_source=kabar-ai&utm_medium=kategori&utm_campaign=listing"
    return url


def _head(base: str, title: str, canonical: str, extra: str = "") -> str:
    return f"""<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} &#8211; {NAME}</title>
<link rel="canonical" href="{esc(canonical)}">
<link rel="alternate" type="application/rss+xml" title="{NAME} &raquo; Feed" href="{base}/{KEY}/feed/">
<link rel="stylesheet" id="booster-extension-style-css" href="{base}/{KEY}/wp-content/plugins/booster-extension/assets/css/style.css?ver=1.1.4" media="all">
<link rel="stylesheet" id="jetpack_css-css" href="{base}/{KEY}/wp-content/plugins/jetpack/css/jetpack.css?ver=13.9" media="all">
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-0000000000000000" crossorigin="anonymous"></script>
{extra}</head>"""


def _masthead(base: str) -> str:
    sections = sorted({s.section for s in STORIES})
    menu = "".join(
        f'<li class="menu-item"><a href="{base}{_listing_path("kategori", slugify(s), 1)}">'
        f"{esc(s)}</a></li>"
        for s in sections
    )
    ticker = "".join(
        f'<div class="nr-breaking-post"><a href="{article_url(base, s)}">{esc(s.title)}</a></div>'
        for s in STORIES[-3:]
    )
    return f"""<a class="skip-link screen-reader-text" href="#content">Langsung ke konten</a>
<header id="masthead" class="site-header">
  <div class="site-branding"><p class="site-title"><a href="{base}/{KEY}/" rel="home">{NAME}</a></p>
  <p class="site-description">Kabar terbaru kecerdasan buatan dari Indonesia dan dunia</p></div>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
  <li class="menu-item"><a href="{base}/{KEY}/">Beranda</a></li>
  <li class="menu-item"><a href="{base}/{KEY}/wp-admin/">Masuk</a></li>
  <li class="menu-item"><a href="{base}{_listing_path("kategori", CATEGORY, 1)}">Berita AI</a></li>{menu}
  </ul></nav>
</header>
<div class="nr-breaking-news-section"><div class="nr-breaking-news-title">Berita Terkini</div>
  <div class="nr-breaking-news-slider">{ticker}</div></div>"""


def _ad(slot: int) -> str:
    return f"""<div class="code-block code-block-{slot}" style="margin: 8px auto; text-align: center;">
<span class="ad-label">ADVERTISEMENT</span>
<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000" data-ad-slot="12345{slot}" data-ad-format="auto"></ins>
<script>(adsbygoogle = window.adsbygoogle || []).push({{}});</script>
</div>"""


def _dotted(n: int) -> str:
    """Indonesian thousands separator: 1.234."""
    return f"{n:,}".replace(",", ".")


def _sidebar(base: str, story: Story | None) -> str:
    popular = others(STORIES, story, 5, offset=2) if story else list(STORIES[:5])
    wpp = "".join(
        f'<li><a href="{_tracked(article_url(base, s), s)}" class="wpp-post-title">{esc(s.title)}</a>'
        f' <span class="wpp-meta post-stats"><span class="wpp-views">'
        f"{_dotted(number(s.slug, 300, 9000))} kali dilihat</span></span></li>"
        for s in popular
    )
    recent = "".join(
        f'<li><a href="{article_url(base, s)}">{esc(s.title)}</a></li>' for s in STORIES[-4:]
    )
    return f"""<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{base}/{KEY}/">
<label><span class="screen-reader-text">Cari untuk:</span><input type="search" class="search-field" placeholder="Cari &hellip;" name="s"></label>
<input type="submit" class="search-submit" value="Cari"></form></section>
<section class="widget popular-posts"><h2 class="widget-title">Terpopuler</h2><ul class="wpp-list">{wpp}</ul></section>
<section class="widget widget_mc4wp_form_widget"><h2 class="widget-title">Buletin</h2>
<form id="mc4wp-form-1" class="mc4wp-form mc4wp-form-77" method="post" data-id="77" data-name="Buletin Kabar AI">
<div class="mc4wp-form-fields"><p>Berlangganan buletin Kabar AI: ringkasan berita AI setiap Senin pagi.</p>
<p><input type="email" name="EMAIL" placeholder="Alamat email Anda" required></p>
<p><input type="submit" value="Daftar"></p></div>
<label style="display: none !important;">Leave this field empty if you're human: <input type="text" name="_mc4wp_honeypot" value="" tabindex="-1" autocomplete="off"></label>
<div class="mc4wp-response"></div></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Pos-pos Terbaru</h2><ul>{recent}</ul></section>
{_ad(9)}
</aside>"""


def _footer_and_cookie() -> str:
    return """<footer id="colophon" class="site-footer"><div class="site-info">
Hak Cipta &copy; 2025 Kabar AI. Seluruh hak dilindungi. | Tema: Newsreaders oleh ThemeInWP.
</div></footer>
<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cookie-revoke-hidden cn-position-bottom" aria-label="Cookie Notice" style="background-color: rgba(50,50,58,1);">
<div class="cookie-notice-container" style="color: #fff"><span id="cn-notice-text" class="cn-text-container">Kami menggunakan cookie untuk memastikan bahwa kami memberikan pengalaman terbaik di situs web kami. Jika Anda terus menggunakan situs ini, kami akan menganggap bahwa Anda senang dengan itu.</span>
<span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" data-cookie-set="accept" class="cn-set-cookie cn-button" aria-label="Ok">Ok</a></span>
<span id="cn-close-notice" data-cookie-set="accept" class="cn-close-icon" title="Tidak"></span></div></div>"""


def _booster_top(story: Story) -> str:
    likes, dislikes = number(story.slug + "l", 0, 40), number(story.slug + "d", 0, 5)
    minutes, seconds = read_time(story)
    icon = "/wp-content/plugins/booster-extension/assets/icon"
    return f"""<div class="twp-like-dislike-button twp-like-dislike-thumb">
<a data-id="{_post_id(story)}" class="twp-post-like-dislike twp-like-{_post_id(story)}" href="javascript:void(0)"><img src="{icon}/thumbs-up.svg" /></a>
<span class="twp-like-count">{likes}</span>
<a data-id="{_post_id(story)}" class="twp-post-like-dislike twp-dislike-{_post_id(story)}" href="javascript:void(0)"><img src="{icon}/thumbs-down.svg" /></a>
<span class="twp-dislike-count">{dislikes}</span>
</div>
<div class="booster-block booster-read-block"><div class="twp-read-time">
<i class="booster-icon twp-clock"></i> <span>Read Time:</span>{minutes} Minute, {seconds} Second
</div></div>"""


def _booster_bottom(base: str, story: Story) -> str:
    icon = f"{base}/{KEY}/wp-content/plugins/booster-extension/assets/icon"
    faces = "".join(
        f"""<div class="twp-reacts-icons">
<a class="be-face-icons un-reacted" href="javascript:void(0)" react-data="be-react-{i + 1}" post-id="{_post_id(story)}">
<img src="{icon}/{name.lower()}.svg" alt="{name}"></a>
<div class="twp-reaction-title">{name}</div>
<div class="twp-count-percent"><span style="display: none;" class="twp-react-count">0</span>
<span class="twp-react-percent"><span>0</span> %</span></div></div>"""
        for i, name in enumerate(REACTIONS)
    )
    stars = "".join(
        f"""<div class="twp-bar-rating"><div class="twp-star-text">{n} Star</div>
<div class="twp-rating-bar"><span style="width: 0%"></span></div>
<div class="twp-rating-percent">0%</div></div>"""
        for n in range(5, 0, -1)
    )
    author = story.authors[0]
    author_slug = slugify(author)
    share = "".join(
        f'<a class="twp-social-icons twp-social-{s}" href="https://{s}.example/share?u={esc(article_url(base, story))}" target="_blank">'
        f'<span class="twp-label-title">{s.capitalize()}</span><span class="twp-social-count">0</span></a>'
        for s in ("facebook", "twitter", "pinterest", "linkedin")
    )
    return f"""<div class="booster-block booster-reactions-block"><div class="twp-reacts-wrap">{faces}</div></div>
<div class="twp-social-share booster-clear"><header class="twp-plugin-title twp-share-title"><h2>Share</h2></header>
<div class="twp-share-container">{share}</div></div>
<div class="booster-block booster-author-block"><div class="be-author-details layout-square align-left">
<div class="be-author-wrapper"><div class="booster-row"><div class="booster-column booster-column-two booster-column-mobile">
<div class="be-author-image"><img alt="" src="{base}/{KEY}/wp-content/uploads/avatar/{author_slug}.jpg" class="avatar avatar-400 photo" height="400" width="400"></div></div>
<div class="booster-column booster-column-eight booster-column-mobile"><div class="author-details">
<header class="twp-plugin-title twp-author-title"><h2>About Post Author</h2></header>
<h4 class="be-author-name">{esc(author)}</h4>
<div class="be-author-description">{esc(AUTHOR_BIOS.get(author, ""))}</div>
<div class="be-author-email"><a href="mailto:{author_slug}@kabar-ai.example" class="be-author-email-link">{author_slug}@kabar-ai.example</a></div>
<div class="be-author-profiles"><a href="{base}/{KEY}/author/{author_slug}/" class="be-author-link">Lihat semua tulisan</a></div>
</div></div></div></div></div></div>
<div class="booster-ratings-block"><h3 class="twp-average-title">Average Rating</h3>
<div class="twp-average-rating"><div class="twp-average-stars"></div></div>
<div class="twp-bar-rating-wrap">{stars}</div>
<a class="twp-review-link" href="#respond">(Add your review)</a></div>"""


def _jetpack(base: str, story: Story) -> str:
    url = article_url(base, story)
    services = "".join(
        f'<li class="share-{s}"><a rel="nofollow noopener noreferrer" class="share-{s} sd-button share-icon" href="{esc(url)}?share={s}&amp;nb=1" target="_blank" title="Klik untuk berbagi di {s.capitalize()}">'
        f'<span>{s.capitalize()}</span><span class="sharing-screen-reader-text">(Membuka di jendela yang baru)</span></a></li>'
        for s in ("facebook", "x", "whatsapp", "telegram")
    )
    related = "".join(
        f"""<div class="jp-relatedposts-post jp-relatedposts-post{i}" data-post-id="{_post_id(r)}" data-post-format="false">
<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="{article_url(base, r)}" title="{esc(r.title)}">{esc(r.title)}</a></h4>
<p class="jp-relatedposts-post-date">{date_id(r.published_at)}</p>
<p class="jp-relatedposts-post-context">Dalam &quot;{esc(r.section)}&quot;</p></div>"""
        for i, r in enumerate(others(STORIES, story, 3))
    )
    return f"""<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">
<h3 class="sd-title">Bagikan ini:</h3><div class="sd-content"><ul>{services}<li class="share-end"></li></ul></div></div></div>
<div class="sharedaddy sd-block sd-like jetpack-likes-widget-wrapper jetpack-likes-widget-unloaded" id="like-post-wrapper-1-{_post_id(story)}" data-src="https://widgets.wp.com/likes/?ver=13.9#blog_id=1&amp;post_id={_post_id(story)}" data-name="like-post-frame-1-{_post_id(story)}" data-title="Suka atau Reblog">
<h3 class="sd-title">Suka ini:</h3><div class="likes-widget-placeholder post-likes-widget-placeholder" style="height: 55px;"><span class="button"><span>Suka</span></span> <span class="loading">Memuat...</span></div>
<span class="sd-text-color"></span><a class="sd-link-color"></a></div>
<div id="jp-relatedposts" class="jp-relatedposts" style="display: block;">
<h3 class="jp-relatedposts-headline"><em>Terkait</em></h3>
<div class="jp-relatedposts-items jp-relatedposts-items-visual jp-relatedposts-grid">{related}</div></div>"""


def _comments(base: str, story: Story) -> str:
    count = number(story.slug + "c", 0, 12)
    return f"""<div class="wpdiscuz_top_clearing"></div>
<div id="comments" class="comments-area"><div id="respond" style="width: 0;height: 0;clear: both;margin: 0;padding: 0;"></div>
<div id="wpdcom" class="wpdiscuz_unauth wpd-default wpd-layout-1 wpd-comments-open">
<div class="wc_social_plugin_wrapper"></div>
<div class="wpd-form-wrap"><div class="wpd-form-head"><div class="wpd-sbs-toggle"><i class="far fa-envelope"></i> <span class="wpd-sbs-title">Berlangganan</span></div>
<div class="wpd-auth"><div class="wpd-login"><a rel="nofollow" href="{base}/{KEY}/wp-login.php">Masuk</a></div></div></div>
<div class="wpd-form wpd-form-wrapper wpd-main-form-wrapper" id="wpd-main-form-wrapper-0_0">
<form method="post" enctype="multipart/form-data" class="wpd_comm_form wpd_main_comm_form">
<div class="wpd-field-comment"><div class="wpdiscuz-item wc-field-textarea"><textarea name="wc_comment" class="wc_comment wpd-field" placeholder="Bergabunglah dalam diskusi"></textarea></div></div>
<div class="wpd-form-foot"><div class="wpdiscuz-item wc_name-wrapper wpd-has-icon"><input value="" required="required" class="wc_name wpd-field" type="text" name="wc_name" placeholder="Nama*"></div>
<div class="wpdiscuz-item wc_email-wrapper wpd-has-icon"><input value="" required="required" class="wc_email wpd-field" type="email" name="wc_email" placeholder="Email*"></div>
<div class="wc-field-submit"><input id="wpd-field-submit-0_0" class="wc_comm_submit wpd_not_clicked wpd-prim-button" type="submit" name="submit" value="Kirim Komentar"></div></div>
</form></div></div>
<div id="wpd-threads" class="wpd-thread-wrapper"><div class="wpd-thread-head"><div class="wpd-thread-info" data-comments-count="{count}"><span class="wpdtc">{count}</span> Komentar</div>
<div class="wpd-space"></div><div class="wpd-thread-filter"><div class="wpd-filter wpdf-reacted">Notify of</div><div class="wpd-filter">Inline Feedbacks</div><div class="wpd-filter">View all comments</div></div></div>
<div class="wpd-comment-info-bar"></div><div class="wpd-thread-list"><div class="wpdiscuz-comment-pagination"></div></div></div>
</div></div>
<div id="wpdiscuz-loading-bar" class="wpdiscuz-loading-bar-unauth"></div>
<div class="comment-respond-legacy" style="display:none"><h3 id="reply-title" class="comment-reply-title">Tinggalkan Balasan</h3></div>"""


def _post_nav(base: str, story: Story) -> str:
    i = STORIES.index(story)
    links = []
    if i > 0:
        prev = STORIES[i - 1]
        links.append(
            f'<div class="nav-previous"><a href="{article_url(base, prev)}" rel="prev">'
            f'<span class="nav-subtitle">Sebelumnya:</span> <span class="nav-title">{esc(prev.title)}</span></a></div>'
        )
    if i < len(STORIES) - 1:
        nxt = STORIES[i + 1]
        links.append(
            f'<div class="nav-next"><a href="{article_url(base, nxt)}" rel="next">'
            f'<span class="nav-subtitle">Selanjutnya:</span> <span class="nav-title">{esc(nxt.title)}</span></a></div>'
        )
    return (
        '<nav class="navigation post-navigation" aria-label="Pos"><h2 class="screen-reader-text">'
        f'Navigasi pos</h2><div class="nav-links">{"".join(links)}</div></nav>'
    )


def read_more_target(story: Story) -> Story:
    return others(STORIES, story, 1, offset=4)[0]


def _body(base: str, story: Story) -> str:
    paras = [f"<p>{esc(p)}</p>" for p in story.paragraphs]
    also = read_more_target(story)
    paras.insert(
        2,
        f'<p><strong>Baca juga:</strong> <a href="{article_url(base, also)}">{esc(also.title)}</a></p>',
    )
    paras.insert(4, _ad(2))
    return "\n".join(paras)


def _json_ld(base: str, story: Story) -> str:
    url = article_url(base, story)
    return json_ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "@id": f"{url}#article",
                    "headline": story.title,
                    "datePublished": story.published,
                    "dateModified": story.modified or story.published,
                    "author": [{"@type": "Person", "name": a} for a in story.authors],
                    "publisher": {"@type": "Organization", "name": NAME},
                    "mainEntityOfPage": url,
                    "image": _image(base, story),
                    "keywords": list(story.tags),
                    "articleSection": [story.section],
                    "inLanguage": "id-ID",
                },
                {
                    "@type": "BreadcrumbList",
                    "itemListElement": [
                        {"@type": "ListItem", "position": 1, "name": "Beranda"},
                        {"@type": "ListItem", "position": 2, "name": story.title},
                    ],
                },
            ],
        }
    )


def _image(base: str, story: Story) -> str:
    d = story.published_at
    return f"{base}/{KEY}/wp-content/uploads/{d:%Y/%m}/{story.slug}.jpg"


def article_page(base: str, story: Story) -> str:
    url = article_url(base, story)
    published = story.published_at
    modified = story.modified_at
    tag_meta = "".join(f'<meta property="article:tag" content="{esc(t)}">\n' for t in story.tags)
    meta = f"""<meta name="description" content="{esc(story.dek)}">
<meta property="og:locale" content="id_ID">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:description" content="{esc(story.dek)}">
<meta property="og:url" content="{esc(url)}">
<meta property="og:site_name" content="{NAME}">
<meta property="article:published_time" content="{story.published}">
{f'<meta property="article:modified_time" content="{story.modified}">' if story.modified else ""}
<meta property="article:section" content="{esc(story.section)}">
{tag_meta}<meta property="og:image" content="{_image(base, story)}">
<meta name="author" content="{esc(", ".join(story.authors))}">
{_json_ld(base, story)}
"""
    bylines = " dan ".join(
        f'<span class="author vcard"><a class="url fn n" href="{base}/{KEY}/author/{slugify(a)}/">{esc(a)}</a></span>'
        for a in story.authors
    )
    updated = (
        f'<time class="updated" datetime="{story.modified}">{date_id(modified)}</time>'
        if modified
        else ""
    )
    tags = ", ".join(
        f'<a href="{base}{_listing_path("tag", slugify(t), 1)}" rel="tag">{esc(t)}</a>'
        for t in story.tags
    )
    section_url = base + _listing_path("kategori", slugify(story.section), 1)
    return f"""<!DOCTYPE html>
<html lang="id-ID">
{_head(base, story.title, url, meta)}
<body class="post-template-default single single-post postid-{_post_id(story)} single-format-standard booster-extension">
<div id="page" class="site">
{_masthead(base)}
<div id="content" class="site-content">
<div class="twp-banner-details"><nav role="navigation" aria-label="Breadcrumbs" class="breadcrumb-trail breadcrumbs" itemprop="breadcrumb">
<ul class="trail-items"><li class="trail-item trail-begin"><a href="{base}/{KEY}/" rel="home"><span>Beranda</span></a></li>
<li class="trail-item"><a href="{section_url}"><span>{esc(story.section)}</span></a></li>
<li class="trail-item trail-end"><span>{esc(story.title)}</span></li></ul></nav></div>
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-{_post_id(story)}" class="post-{_post_id(story)} post type-post status-publish format-standard has-post-thumbnail hentry">
<header class="entry-header">
<div class="entry-meta"><span class="cat-links"><a href="{section_url}" rel="category tag">{esc(story.section)}</a></span></div>
<h1 class="entry-title">{esc(story.title)}</h1>
<div class="entry-meta"><span class="posted-on"><a href="{url}" rel="bookmark"><time class="entry-date published" datetime="{story.published}">{date_id(published)}</time>{updated}</a></span>
<span class="byline"> oleh {bylines}</span>
<span class="post-views">Dilihat: {number(story.slug + "v", 120, 9000)}</span></div>
</header>
<div class="post-thumbnail"><img width="1200" height="675" src="{_image(base, story)}" class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="" decoding="async"></div>
<div class="entry-content">
{_booster_top(story)}
{_body(base, story)}
{_booster_bottom(base, story)}
{_jetpack(base, story)}
</div>
<footer class="entry-footer"><span class="cat-links">Diposting di <a href="{section_url}" rel="category tag">{esc(story.section)}</a></span>
<span class="tags-links">Tag {tags}</span></footer>
</article>
{_post_nav(base, story)}
{_comments(base, story)}
</main></div>
{_sidebar(base, story)}
</div>
{_footer_and_cookie()}
</div>
</body>
</html>
"""


def listing_page(
    base: str, title: str, kind: str, slug: str, stories: list[Story], page: int
) -> str:
    pages = max(1, -(-len(stories) // PER_PAGE))
    chunk = stories[(page - 1) * PER_PAGE : page * PER_PAGE]
    items = "".join(
        f"""<article class="post type-post status-publish hentry">
<header class="entry-header"><h2 class="entry-title"><a href="{_tracked(article_url(base, s), s)}" rel="bookmark">{esc(s.title)}</a></h2>
<div class="entry-meta"><time class="entry-date published" datetime="{s.published}">{date_id(s.published_at)}</time> oleh {esc(", ".join(s.authors))}</div></header>
<div class="entry-summary"><p>{esc(s.dek)}</p></div>
<a class="more-link" href="{article_url(base, s)}#more-{_post_id(s)}">Baca selengkapnya</a></article>"""
        for s in chunk
    )
    numbers = []
    for n in range(1, pages + 1):
        if n == page:
            numbers.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            numbers.append(
                f'<a class="page-numbers" href="{base}{_listing_path(kind, slug, n)}">{n}</a>'
            )
    head_links = ""
    if page > 1:
        prev = base + _listing_path(kind, slug, page - 1)
        numbers.insert(0, f'<a class="prev page-numbers" href="{prev}">Sebelumnya</a>')
        head_links += f'<link rel="prev" href="{prev}">\n'
    if page < pages:
        nxt = base + _listing_path(kind, slug, page + 1)
        numbers.append(f'<a class="next page-numbers" href="{nxt}">Berikutnya</a>')
        head_links += f'<link rel="next" href="{nxt}">\n'
    canonical = base + _listing_path(kind, slug, page)
    return f"""<!DOCTYPE html>
<html lang="id-ID">
{_head(base, f"{title} – Halaman {page}" if page > 1 else title, canonical, head_links)}
<body class="archive category">
<div id="page" class="site">
{_masthead(base)}
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<header class="page-header"><h1 class="page-title">{esc(title)}</h1></header>
{items}
<nav class="navigation pagination" aria-label="Pos"><h2 class="screen-reader-text">Navigasi pos</h2>
<div class="nav-links">{"".join(numbers)}</div></nav>
</main></div>
{_sidebar(base, None)}
</div>
{_footer_and_cookie()}
</div>
</body>
</html>
"""


def _listings(base: str) -> dict[str, Resource]:
    groups: dict[tuple[str, str], tuple[str, list[Story]]] = {}
    newest = sorted(STORIES, key=lambda s: s.published_utc, reverse=True)
    groups[("kategori", CATEGORY)] = ("Berita AI", newest)
    for s in newest:
        groups.setdefault(("kategori", slugify(s.section)), (s.section, []))[1].append(s)
        for t in s.tags:
            groups.setdefault(("tag", slugify(t)), (t, []))[1].append(s)
        for a in s.authors:
            groups.setdefault(("author", slugify(a)), (a, []))[1].append(s)
    out: dict[str, Resource] = {}
    for (kind, slug), (title, stories) in groups.items():
        pages = max(1, -(-len(stories) // PER_PAGE))
        for page in range(1, pages + 1):
            out[_listing_path(kind, slug, page)] = html_resource(
                listing_page(base, title, kind, slug, stories, page)
            )
    out[f"/{KEY}/"] = html_resource(listing_page(base, NAME, "kategori", CATEGORY, newest, 1))
    return out


def _feed(base: str) -> Resource:
    newest = sorted(STORIES, key=lambda s: s.published_utc, reverse=True)
    entries = [
        Entry(
            url=article_url(base, s),
            title=s.title,
            summary=s.dek,
            authors=s.authors,
            published=s.published_at,
            updated=s.modified_at,
            categories=(s.section, *s.tags),
            guid=f"{base}/{KEY}/?p={_post_id(s)}",
        )
        for s in newest[:10]
    ]
    content = ["".join(f"<p>{esc(p)}</p>" for p in s.paragraphs) for s in newest[:10]]
    return rss(
        title=NAME,
        link=f"{base}/{KEY}/",
        self_url=f"{base}/{KEY}/feed/",
        description="Kabar terbaru kecerdasan buatan dari Indonesia dan dunia",
        language="id-ID",
        entries=entries,
        content_html=content,
    )


def pages(base: str) -> dict[str, Resource]:
    out = {article_path(s): html_resource(article_page(base, s)) for s in STORIES}
    out.update(_listings(base))
    out[f"/{KEY}/feed/"] = _feed(base)
    # robots.txt disallows wp-admin; the server answers it anyway, so a test can tell
    # whether a crawler fetched it
    out[f"/{KEY}/wp-admin/"] = html_resource("<!DOCTYPE html><title>Masuk</title><p>Login</p>")
    return out


DISALLOWED = (f"/{KEY}/wp-admin/",)


def page_strings(story: Story) -> tuple[str, ...]:
    """Widget text of this article's page that must not end up in its extracted body."""
    shown = {read_more_target(story), *others(STORIES, story, 3), *others(STORIES, story, 5, 2)}
    shown |= set(STORIES[-4:])
    i = STORIES.index(story)
    shown |= set(STORIES[max(0, i - 1) : i + 2])
    titles = tuple(s.title for s in STORIES if s in shown and s is not story)
    bio = AUTHOR_BIOS.get(story.authors[0], "")
    return (*WIDGET_TEXT, *titles, bio)
