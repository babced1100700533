# ruff: noqa: E501  (HTML templates keep each element on one line, as the real sites do)
"""Offline demo: "ModelBeat", an English WordPress site found through its sitemaps.

Boilerplate: Yoast breadcrumbs, Reading Time WP badge, Sassy Social Share, kk Star
Ratings, IntellyWP inline related posts, YARPP, Post Views Counter, Mailchimp for WP,
Disqus, WordPress Popular Posts and Cookie Notice. It publishes an Atom feed of the ten
newest stories, a sitemap index pointing at a gzipped article sitemap, a Google News
sitemap and a pages sitemap, and query-string paginated listings.
"""

from __future__ import annotations

from datetime import UTC, datetime

from warta.demo.common import (
    Resource,
    date_en,
    esc,
    html_resource,
    json_ld,
    number,
    others,
    read_time,
    slugify,
)
from warta.demo.content_modelbeat import STORIES
from warta.demo.feeds import Entry, atom, news_sitemap, sitemap, sitemap_gz, sitemap_index
from warta.demo.model import Story

KEY = "modelbeat"
NAME = "ModelBeat"
PER_PAGE = 5
# listed by mistake in the article sitemap; robots.txt disallows it
PREVIEW_PATH = f"/{KEY}/articles/preview/t5-launch-embargoed/"
DISALLOWED = (f"/{KEY}/articles/preview/",)

WIDGET_TEXT = (
    "Reading Time:",
    "Spread the love",
    "Rate this post",
    "votes",
    "READ",
    "Related posts:",
    "Post Views:",
    "Trending",
    "The ModelBeat Briefing",
    "Leave this field empty if you're human:",
    "Please enable JavaScript to view the",
    "We use cookies to ensure that we give you the best experience on our website.",
)


def article_path(story: Story) -> str:
    return f"/{KEY}/articles/{story.slug}/"


def article_url(base: str, story: Story) -> str:
    return base + article_path(story)


def _listing_path(page: int) -> str:
    return f"/{KEY}/latest/" if page == 1 else f"/{KEY}/latest/?page={page}"


def _image(base: str, story: Story) -> str:
    return f"{base}/{KEY}/wp-content/uploads/2025/{story.slug}.webp"


def inline_related(story: Story) -> Story:
    return others(STORIES, story, 1, offset=5)[0]


def yarpp(story: Story) -> list[Story]:
    return others(STORIES, story, 4, offset=2)


def trending(story: Story | None) -> list[Story]:
    return others(STORIES, story, 3, offset=7) if story else list(STORIES[-3:])


def _head(base: str, title: str, canonical: str, extra: str) -> str:
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - {NAME}</title>
<link rel="canonical" href="{esc(canonical)}">
<link rel="alternate" type="application/atom+xml" title="{NAME}" href="{base}/{KEY}/atom.xml">
<link rel="stylesheet" id="generate-style-css" href="{base}/{KEY}/wp-content/themes/generatepress/assets/css/main.min.css?ver=3.5.1" media="all">
<link rel="stylesheet" id="heateor_sss_frontend_css-css" href="{base}/{KEY}/wp-content/plugins/sassy-social-share/public/css/sassy-social-share-public.css?ver=3.3.70" media="all">
{extra}</head>"""


def _site_header(base: str) -> str:
    return f"""<header class="site-header" id="masthead" aria-label="Site"><div class="inside-header grid-container">
<div class="site-branding"><p class="main-title" itemprop="headline"><a href="{base}/{KEY}/" rel="home">{NAME}</a></p></div>
<nav class="main-navigation" id="site-navigation"><ul id="menu-primary" class="main-nav menu">
<li class="menu-item"><a href="{base}/{KEY}/latest/">Latest</a></li><li class="menu-item"><a href="{base}/{KEY}/about/">About</a></li></ul></nav></div></header>"""


def _sidebar(base: str, story: Story | None) -> str:
    items = "".join(
        f'<li><a href="{article_url(base, s)}#comments" class="wpp-post-title" title="{esc(s.title)}">{esc(s.title)}</a> '
        f'<span class="wpp-meta post-stats"><span class="wpp-views">{number(s.slug, 100, 5000)} views</span></span></li>'
        for s in trending(story)
    )
    return f"""<div class="widget-area sidebar is-right-sidebar" id="right-sidebar"><div class="inside-right-sidebar">
<aside class="widget popular-posts"><h2 class="widget-title">Trending</h2><ul class="wpp-list">{items}</ul></aside>
<aside class="widget widget_mc4wp_form_widget"><h2 class="widget-title">The ModelBeat Briefing</h2>
<form id="mc4wp-form-1" class="mc4wp-form mc4wp-form-412 mc4wp-form-theme" method="post" data-id="412" data-name="Briefing">
<div class="mc4wp-form-fields"><p>One email a week with the model releases worth your time.</p>
<p><label>Email address: <input type="email" name="EMAIL" placeholder="Your email address" required></label></p>
<p><input type="submit" value="Sign up"></p></div>
<label style="display: none !important;">Leave this field empty if you're human: <input type="text" name="_mc4wp_honeypot" value="" tabindex="-1" autocomplete="off"></label>
<input type="hidden" name="_mc4wp_form_id" value="412"><div class="mc4wp-response"></div></form></aside>
<aside class="widget"><div class="ad-slot ad-slot--sidebar"><ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000002" data-ad-slot="4242"></ins>
<script>(adsbygoogle = window.adsbygoogle || []).push({{}});</script></div></aside>
</div></div>"""


def _cookie_and_footer() -> str:
    return f"""<div class="site-footer"><footer class="site-info" aria-label="Site"><div class="inside-site-info grid-container">
<div class="copyright-bar"><span class="copyright">&copy; 2025 {NAME}</span> &bull; Built with GeneratePress</div></div></footer></div>
<div id="cookie-notice" role="banner" class="cookie-notice-hidden cookie-revoke-hidden cn-position-bottom" aria-label="Cookie Notice">
<div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it.</span>
<span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" data-cookie-set="accept" class="cn-set-cookie cn-button" aria-label="Ok">Ok</a><a href="#" id="cn-refuse-cookie" data-cookie-set="refuse" class="cn-set-cookie cn-button" aria-label="No">No</a></span></div></div>"""


def _sharing(base: str, story: Story) -> str:
    url = esc(article_url(base, story))
    icons = "".join(
        f'<a aria-label="{s.capitalize()}" class="heateor_sss_button_{s}" href="https://{s}.example/sharer?u={url}" title="{s.capitalize()}" rel="nofollow noopener" target="_blank"><span class="heateor_sss_svg heateor_sss_s__default heateor_sss_s_{s}"></span></a>'
        for s in ("facebook", "x", "reddit", "linkedin", "whatsapp")
    )
    return f"""<div class="heateor_sss_sharing_container heateor_sss_horizontal_sharing" data-heateor-ss-offset="0" data-heateor-sss-href="{url}">
<div class="heateor_sss_sharing_title" style="font-weight:bold">Spread the love</div><div class="heateor_sss_sharing_ul">{icons}</div></div>"""


def _rating(story: Story) -> str:
    votes = number(story.slug + "r", 2, 80)
    score = 3 + number(story.slug + "s", 0, 19) / 10
    return f"""<div class="kk-star-ratings kksr-auto kksr-align-left kksr-valign-bottom" data-payload='{{"id":"{number(story.slug, 100, 999)}","slug":"default"}}'>
<div class="kksr-stars"><div class="kksr-stars-inactive"><div class="kksr-star" data-star="1"></div><div class="kksr-star" data-star="2"></div><div class="kksr-star" data-star="3"></div><div class="kksr-star" data-star="4"></div><div class="kksr-star" data-star="5"></div></div></div>
<div class="kksr-legend" style="font-size: 19.2px;">Rate this post: {score:.1f}/5 - ({votes} votes)</div></div>"""


def _body(base: str, story: Story) -> str:
    paras = [f"<p>{esc(p)}</p>" for p in story.paragraphs]
    other = inline_related(story)
    paras.insert(
        2,
        f"""<!-- INLINE RELATED POSTS 1/1 //--><div style="margin-top:0px;margin-bottom:20px;"><a href="{article_url(base, other)}" target="_self" rel="dofollow" class="u2f6e9b3d" style="text-decoration:none;">
<div style="padding-left:1em;padding-right:1em;"><span class="ctaText">READ</span>&nbsp; <span class="postTitle">{esc(other.title)}</span></div></a></div><!-- INLINE RELATED POSTS 1/1 //-->""",
    )
    paras.insert(
        len(paras) - 1,
        """<div class="ad-slot ad-slot--inline"><span class="ad-label">Advertisement</span><ins class="adsbygoogle" style="display:block; text-align:center;" data-ad-layout="in-article" data-ad-format="fluid" data-ad-client="ca-pub-0000000000000002" data-ad-slot="4243"></ins>
<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>""",
    )
    return "\n".join(paras)


def _yarpp(base: str, story: Story) -> str:
    items = "".join(
        f'<li><a href="{article_url(base, r)}" rel="bookmark" title="{esc(r.title)}">{esc(r.title)}</a></li>'
        for r in yarpp(story)
    )
    return f"""<div class='yarpp yarpp-related yarpp-related-website yarpp-template-list'>
<!-- YARPP List --><h3>Related posts:</h3><ol>{items}</ol></div>"""


def _post_nav(base: str, story: Story) -> str:
    i = STORIES.index(story)
    parts = []
    if i > 0:
        p = STORIES[i - 1]
        parts.append(
            f'<div class="nav-previous"><span class="prev">Previous article</span> <a href="{article_url(base, p)}" rel="prev">{esc(p.title)}</a></div>'
        )
    if i < len(STORIES) - 1:
        n = STORIES[i + 1]
        parts.append(
            f'<div class="nav-next"><span class="next">Next article</span> <a href="{article_url(base, n)}" rel="next">{esc(n.title)}</a></div>'
        )
    return f'<nav id="nav-below" class="post-navigation" aria-label="Posts"><div class="nav-links">{"".join(parts)}</div></nav>'


def article_page(base: str, story: Story) -> str:
    url = article_url(base, story)
    minutes, seconds = read_time(story, 230)
    minutes = max(1, minutes + (1 if seconds >= 30 else 0))
    tag_meta = "".join(f'<meta property="article:tag" content="{esc(t)}">\n' for t in story.tags)
    ld = json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": story.title,
            "description": story.dek,
            "datePublished": story.published,
            "dateModified": story.modified or story.published,
            "author": [{"@type": "Person", "name": a} for a in story.authors],
            "publisher": {"@type": "Organization", "name": NAME},
            "image": [_image(base, story)],
            "keywords": ", ".join(story.tags),
            "inLanguage": "en",
        }
    )
    extra = f"""<meta name="description" content="{esc(story.dek)}">
<meta property="og:locale" content="en_GB">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:description" content="{esc(story.dek)}">
<meta property="og:url" content="{esc(url)}">
<meta property="og:site_name" content="{NAME}">
<meta property="og:image" content="{_image(base, story)}">
<meta property="article:published_time" content="{story.published}">
{f'<meta property="article:modified_time" content="{story.modified}">' if story.modified else ""}
{tag_meta}{ld}
"""
    byline = ", ".join(
        f'<span class="author vcard" itemprop="author"><a class="url fn n" href="{base}/{KEY}/author/{slugify(a)}/" rel="author"><span class="author-name">{esc(a)}</span></a></span>'
        for a in story.authors
    )
    tags = "".join(
        f'<a href="{base}/{KEY}/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in story.tags
    )
    updated = (
        f' <time class="updated" datetime="{story.modified}">(updated {date_en(story.modified_at)})</time>'
        if story.modified_at
        else ""
    )
    published = story.published_utc
    return f"""<!DOCTYPE html>
<html lang="en-GB">
{_head(base, story.title, url, extra)}
<body class="post-template-default single single-post right-sidebar nav-below-header" itemtype="https://schema.org/Blog" itemscope>
{_site_header(base)}
<div class="site grid-container container hfeed" id="page"><div class="site-content" id="content">
<div class="content-area" id="primary"><main class="site-main" id="main">
<p id="breadcrumbs"><span><span><a href="{base}/{KEY}/">Home</a></span> » <span><a href="{base}/{KEY}/latest/">{esc(story.section)}</a></span> » <span class="breadcrumb_last" aria-current="page">{esc(story.title)}</span></span></p>
<article id="post-{number(story.slug, 100, 999)}" class="post type-post status-publish format-standard hentry" itemtype="https://schema.org/CreativeWork" itemscope>
<div class="inside-article"><header class="entry-header"><h1 class="entry-title" itemprop="headline">{esc(story.title)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{story.published}" itemprop="datePublished">{published.day} {date_en(published).split()[0]} {published.year}, {published:%H:%M} UTC</time>{updated}</span>
<span class="byline">by {byline}</span></div></header>
<div class="post-views content-post post-{number(story.slug, 100, 999)} entry-meta"><span class="post-views-icon dashicons dashicons-chart-bar"></span> <span class="post-views-label">Post Views:</span> <span class="post-views-count">{number(story.slug + "pv", 50, 4000):,}</span></div>
<div class="featured-image page-header-image-single"><img width="1200" height="630" src="{_image(base, story)}" class="attachment-full size-full" alt="" itemprop="image"></div>
<div class="entry-content" itemprop="text">
<span class="span-reading-time rt-reading-time" style="display: block;"><span class="rt-label rt-prefix">Reading Time: </span> <span class="rt-time">{minutes}</span> <span class="rt-label rt-postfix">minutes</span></span>
{_sharing(base, story)}
{_body(base, story)}
{_rating(story)}
{_yarpp(base, story)}
</div>
<footer class="entry-meta" aria-label="Entry meta"><span class="tags-links"><span class="screen-reader-text">Tags </span>{tags}</span>
{_post_nav(base, story)}</footer></div></article>
<div class="comments-area"><div id="disqus_thread"></div>
<noscript>Please enable JavaScript to view the <a href="https://disqus.com/?ref_noscript" rel="nofollow">comments powered by Disqus.</a></noscript></div>
</main></div>
{_sidebar(base, story)}
</div></div>
{_cookie_and_footer()}
</body>
</html>
"""


def listing_page(base: str, stories: list[Story], page: int) -> str:
    pages = max(1, -(-len(stories) // PER_PAGE))
    chunk = stories[(page - 1) * PER_PAGE : page * PER_PAGE]
    items = "".join(
        f"""<article class="post type-post status-publish hentry"><div class="inside-article">
<header class="entry-header"><h2 class="entry-title" itemprop="headline"><a href="{article_url(base, s)}{"?utm_source=modelbeat&utm_medium=latest" if i % 2 else ""}" rel="bookmark">{esc(s.title)}</a></h2>
<div class="entry-meta"><time class="entry-date published" datetime="{s.published}">{date_en(s.published_at)}</time></div></header>
<div class="entry-summary" itemprop="text"><p>{esc(s.dek)} <a title="{esc(s.title)}" class="read-more" href="{article_url(base, s)}" aria-label="Read more about {esc(s.title)}">Read more</a></p></div></div></article>"""
        for i, s in enumerate(chunk)
    )
    links = []
    head = ""
    if page > 1:
        prev = base + _listing_path(page - 1)
        links.append(f'<a class="prev page-numbers" href="{esc(prev)}">&larr; Newer</a>')
        head += f'<link rel="prev" href="{esc(prev)}">\n'
    if page < pages:
        nxt = base + _listing_path(page + 1)
        links.append(f'<a class="next page-numbers" href="{esc(nxt)}">Older &rarr;</a>')
        head += f'<link rel="next" href="{esc(nxt)}">\n'
    title = "Latest" if page == 1 else f"Latest - Page {page}"
    return f"""<!DOCTYPE html>
<html lang="en-GB">
{_head(base, title, base + _listing_path(page), head)}
<body class="blog right-sidebar">
{_site_header(base)}
<div class="site grid-container container hfeed" id="page"><div class="site-content" id="content">
<div class="content-area" id="primary"><main class="site-main" id="main">
<header class="page-header"><h1 class="page-title">Latest</h1></header>
{items}
<nav id="nav-below" class="paging-navigation" aria-label="Archive Page"><div class="nav-links">{"".join(links)}</div></nav>
</main></div>
{_sidebar(base, None)}
</div></div>
{_cookie_and_footer()}
</body>
</html>
"""


def _entries(base: str, stories: list[Story]) -> list[Entry]:
    return [
        Entry(
            url=article_url(base, s),
            title=s.title,
            summary=s.dek,
            authors=s.authors,
            published=s.published_at,
            updated=s.modified_at,
            categories=s.tags,
            guid=f"tag:modelbeat.example,2025:{s.slug}",
        )
        for s in stories
    ]


def pages(base: str) -> dict[str, Resource]:
    newest = sorted(STORIES, key=lambda s: s.published_utc, reverse=True)
    out = {article_path(s): html_resource(article_page(base, s)) for s in STORIES}
    total = max(1, -(-len(newest) // PER_PAGE))
    for page in range(1, total + 1):
        out[_listing_path(page)] = html_resource(listing_page(base, newest, page))
    out[f"/{KEY}/"] = out[_listing_path(1)]
    out[f"/{KEY}/about/"] = html_resource(
        f"<!DOCTYPE html><html lang='en'><head><title>About - {NAME}</title></head>"
        f"<body><h1>About {NAME}</h1><p>{NAME} covers AI models, tools and research.</p></body></html>"
    )
    out[PREVIEW_PATH] = html_resource(
        "<!DOCTYPE html><html lang='en'><title>Preview</title><p>Embargoed.</p></html>"
    )
    out[f"/{KEY}/atom.xml"] = atom(
        title=NAME,
        link=f"{base}/{KEY}/",
        self_url=f"{base}/{KEY}/atom.xml",
        feed_id="tag:modelbeat.example,2025:feed",
        entries=_entries(base, newest[:10]),
    )
    modified = [(article_url(base, s), (s.modified_at or s.published_at)) for s in newest]
    preview = (base + PREVIEW_PATH, datetime(2025, 11, 20, tzinfo=UTC))
    out[f"/{KEY}/sitemaps/articles-2025.xml.gz"] = sitemap_gz(
        [*[(u, m) for u, m in modified], preview]
    )
    out[f"/{KEY}/sitemaps/news.xml"] = news_sitemap(
        _entries(base, newest[:6]), publication=NAME, language="en"
    )
    out[f"/{KEY}/sitemaps/pages.xml"] = sitemap(
        [
            (f"{base}/{KEY}/", newest[0].published_at),
            (f"{base}/{KEY}/about/", None),
            (f"{base}/{KEY}/latest/", newest[0].published_at),
        ]
    )
    last = newest[0].modified_at or newest[0].published_at
    out[f"/{KEY}/sitemap.xml"] = sitemap_index(
        [
            (f"{base}/{KEY}/sitemaps/articles-2025.xml.gz", last),
            (f"{base}/{KEY}/sitemaps/news.xml", last),
            (f"{base}/{KEY}/sitemaps/pages.xml", last),
        ]
    )
    return out


def page_strings(story: Story) -> tuple[str, ...]:
    shown = {inline_related(story), *yarpp(story), *trending(story)}
    i = STORIES.index(story)
    shown |= set(STORIES[max(0, i - 1) : i + 2])
    titles = tuple(s.title for s in STORIES if s in shown and s is not story)
    nav = ("Previous article",) * (i > 0) + ("Next article",) * (i < len(STORIES) - 1)
    return (*WIDGET_TEXT, *nav, *titles)
