# ruff: noqa: E501  (HTML templates keep each element on one line, as the real sites do)
"""Offline demo: "NeuralWire", an English news site on a tagDiv-Newspaper-style theme.

Boilerplate: tagDiv share bars, "- Advertisement -" slots, view counters, author box,
"RELATED ARTICLES / MORE FROM AUTHOR", AddToAny, inline "Read more:" paragraphs, a core
WordPress comment form, "Most Popular", "Stay Connected", The Newsletter plugin form and
a CookieYes banner. Its RSS 2.0 feed links carry utm_* parameters, as FeedBurner-era feeds
do, and lists one sponsored post under a path robots.txt disallows.
"""

from __future__ import annotations

from warta.demo.common import (
    Resource,
    date_en,
    esc,
    html_resource,
    json_ld,
    number,
    others,
    slugify,
)
from warta.demo.content_neuralwire import STORIES
from warta.demo.feeds import Entry, rss
from warta.demo.model import Story

KEY = "neuralwire"
NAME = "NeuralWire"
FEED_TRACKING = "?utm_source=rss&utm_medium=rss&utm_campaign=neuralwire-feed"
SPONSORED_PATH = f"/{KEY}/partner/sponsored-how-vectorly-cut-inference-costs.html"
DISALLOWED = (f"/{KEY}/partner/",)
# An old CMS bug kept alive on purpose: this page's bytes are Windows-1252 while both the
# HTTP header and <meta charset> say UTF-8 (its curly quotes are then invalid UTF-8).
MISDECLARED_SLUG = "publishers-sue-quillstack-over-training-data"

WIDGET_TEXT = (
    "- Advertisement -",
    "Facebook",
    "WhatsApp",
    "Pinterest",
    "RELATED ARTICLES",
    "MORE FROM AUTHOR",
    "Read more:",
    "Leave a Reply",
    "Your email address will not be published.",
    "Save my name, email, and website in this browser for the next time I comment.",
    "Post Comment",
    "Most Popular",
    "Stay Connected",
    "Followers",
    "Get the NeuralWire Daily",
    "This website uses cookies",
    "Accept All",
    "Cookie Settings",
)

AUTHOR_BIOS = {
    "Priya Raman": "Priya Raman covers AI startups and venture funding for NeuralWire from "
    "San Francisco.",
    "Lena Fischer": "Lena Fischer reports on European technology policy from Berlin.",
    "Daniel Okafor": "Daniel Okafor writes about chips, data centers and energy.",
    "Sam Whitfield": "Sam Whitfield covers deals and the legal fights around AI.",
    "Grace Liu": "Grace Liu covers AI in healthcare and the workplace.",
    "Aiden Park": "Aiden Park reviews AI devices and writes about robotics.",
}


def article_path(story: Story) -> str:
    return f"/{KEY}/news/{story.slug}.html"


def article_url(base: str, story: Story) -> str:
    return base + article_path(story)


def section_path(section: str) -> str:
    return f"/{KEY}/section/{slugify(section)}/"


def _image(base: str, story: Story) -> str:
    return f"{base}/{KEY}/images/{story.slug}-1200x675.jpg"


def _ad(spot: str) -> str:
    return f"""<div class="td-a-rec td-a-rec-id-{spot}"><span class="td-adspot-title">- Advertisement -</span>
<ins class="adsbygoogle" style="display:inline-block;width:728px;height:90px" data-ad-client="ca-pub-0000000000000001" data-ad-slot="99{len(spot)}"></ins>
<script>(adsbygoogle = window.adsbygoogle || []).push({{}});</script></div>"""


def _header(base: str) -> str:
    sections = sorted({s.section for s in STORIES})
    menu = "".join(
        f'<li class="menu-item"><a href="{base}{section_path(s)}">{esc(s)}</a></li>'
        for s in sections
    )
    return f"""<div class="td-header-wrap"><div class="td-header-top-menu"><div class="td-header-sp-top-widget">
<span class="td-social-icon-wrap"><a href="https://x.example/neuralwire" title="X">X</a></span>
<span class="td-social-icon-wrap"><a href="https://linkedin.example/neuralwire" title="LinkedIn">LinkedIn</a></span></div></div>
<div class="td-header-menu-wrap"><div class="td-logo"><a href="{base}/{KEY}/">{NAME}</a></div>
<ul id="menu-main" class="sf-menu"><li class="menu-item"><a href="{base}/{KEY}/">Home</a></li>{menu}</ul></div>
{_ad("header")}</div>"""


def _sharing(base: str, story: Story, where: str) -> str:
    url = esc(article_url(base, story))
    buttons = "".join(
        f'<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-{s.lower()}" href="https://{s.lower()}.example/share?url={url}" title="{s}">'
        f'<div class="td-social-but-icon"><i class="td-icon-{s.lower()}"></i></div><div class="td-social-but-text">{s}</div></a>'
        for s in ("Facebook", "Twitter", "Pinterest", "WhatsApp", "Linkedin")
    )
    return f"""<div class="td-post-sharing td-ps-bg td-ps-notext td-post-sharing-style1 td-post-sharing-{where}">
<div class="td-post-sharing-visible"><a class="td-social-sharing-button td-social-sharing-button-js td-social-handler td-social-share-text" href="#">
<div class="td-social-but-icon"><i class="td-icon-share"></i></div><div class="td-social-but-text">Share</div></a>{buttons}</div></div>"""


def read_more_targets(story: Story) -> list[Story]:
    return others(STORIES, story, 2, offset=3)


def _body(base: str, story: Story) -> str:
    paras = [f"<p>{esc(p)}</p>" for p in story.paragraphs]
    first, second = read_more_targets(story)
    paras.insert(
        1,
        f'<p><strong>Read more:</strong> <a href="{article_url(base, first)}">{esc(first.title)}</a></p>',
    )
    paras.insert(3, _ad("content_inline"))
    paras.insert(
        len(paras) - 1,
        f'<p><strong>Read more:</strong> <a href="{article_url(base, second)}">{esc(second.title)}</a></p>',
    )
    return "\n".join(paras)


def _addtoany(base: str, story: Story) -> str:
    url = esc(article_url(base, story))
    services = "".join(
        f'<a class="a2a_button_{s}" href="https://www.addtoany.com/add_to/{s}?linkurl={url}" title="{s.capitalize()}" rel="nofollow noopener" target="_blank"></a>'
        for s in ("facebook", "x", "linkedin", "reddit", "email")
    )
    return f"""<div class="addtoany_share_save_container addtoany_content addtoany_content_bottom">
<div class="a2a_kit a2a_kit_size_32 addtoany_list" data-a2a-url="{url}" data-a2a-title="{esc(story.title)}">{services}
<a class="a2a_dd addtoany_share_save addtoany_share" href="https://www.addtoany.com/share"></a></div></div>"""


def _author_box(base: str, story: Story) -> str:
    author = story.authors[0]
    return f"""<div class="author-box-wrap"><a href="{base}/{KEY}/author/{slugify(author)}/"><img alt="" src="{base}/{KEY}/images/authors/{slugify(author)}.jpg" class="avatar" height="96" width="96"></a>
<div class="desc"><div class="td-author-name vcard author"><span class="fn"><a href="{base}/{KEY}/author/{slugify(author)}/">{esc(author)}</a></span></div>
<div class="td-author-description">{esc(AUTHOR_BIOS.get(author, ""))}</div>
<div class="td-author-social"><a href="https://x.example/{slugify(author)}">X</a></div></div></div>"""


def related(story: Story) -> list[Story]:
    return others(STORIES, story, 3, offset=1)


def _related(base: str, story: Story) -> str:
    rows = "".join(
        f"""<div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts">
<div class="td-module-image"><div class="td-module-thumb"><a href="{article_url(base, r)}" class="td-image-wrap" title="{esc(r.title)}"><img src="{_image(base, r)}" alt=""></a></div></div>
<div class="item-details"><h3 class="entry-title td-module-title"><a href="{article_url(base, r)}" rel="bookmark" title="{esc(r.title)}">{esc(r.title)}</a></h3></div></div></div>"""
        for r in related(story)
    )
    return f"""<div class="td_block_wrap td_block_related_posts tdi_3 td_with_ajax_pagination td-pb-border-top td_block_template_1" data-td-block-uid="tdi_3">
<h4 class="td-related-title td-block-title"><a id="tdi_4" class="td-related-left td-cur-simple-item" data-td_filter_value="" data-td_block_id="tdi_3" href="#">RELATED ARTICLES</a><a id="tdi_5" class="td-related-right" data-td_filter_value="td_related_more_from_author" data-td_block_id="tdi_3" href="#">MORE FROM AUTHOR</a></h4>
<div id="tdi_3" class="td_block_inner"><div class="td-related-row">{rows}</div></div></div>"""


def _comments(base: str, story: Story) -> str:
    return f"""<div class="comments" id="comments"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title"><span>Leave a Reply</span> <small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" style="display:none;">Cancel reply</a></small></h3>
<form action="{base}/{KEY}/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
<div class="clearfix"></div><div class="comment-form-input-wrap td-form-comment"><textarea placeholder="Comment:" id="comment" name="comment" cols="45" rows="8" required></textarea></div>
<div class="comment-form-input-wrap td-form-author"><input class="" id="author" name="author" placeholder="Name:*" type="text" value="" size="30" required></div>
<div class="comment-form-input-wrap td-form-email"><input class="" id="email" name="email" placeholder="Email:*" type="text" value="" size="30" required></div>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes"><label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"> <input type="hidden" name="comment_post_ID" value="{number(story.slug, 2000, 9000)}" id="comment_post_ID"></p>
</form></div></div>"""


def _post_nav(base: str, story: Story) -> str:
    i = STORIES.index(story)
    prev = STORIES[i - 1] if i > 0 else None
    nxt = STORIES[i + 1] if i < len(STORIES) - 1 else None
    left = (
        f'<div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content"><span>Previous article</span><a href="{article_url(base, prev)}">{esc(prev.title)}</a></div></div>'
        if prev
        else ""
    )
    right = (
        f'<div class="td-block-span6 td-post-next-post"><div class="td-post-next-prev-content"><span>Next article</span><a href="{article_url(base, nxt)}">{esc(nxt.title)}</a></div></div>'
        if nxt
        else ""
    )
    return f'<div class="td-block-row td-post-next-prev">{left}{right}</div>'


def popular(story: Story | None) -> list[Story]:
    return others(STORIES, story, 4, offset=5) if story else list(STORIES[:4])


def _sidebar(base: str, story: Story | None) -> str:
    items = "".join(
        f"""<div class="td_module_6 td_module_wrap"><div class="item-details"><h3 class="entry-title td-module-title"><a href="{article_url(base, s)}?ref=most-popular" rel="bookmark">{esc(s.title)}</a></h3>
<div class="td-module-meta-info"><span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{s.published}">{date_en(s.published_at)}</time></span></div></div></div>"""
        for s in popular(story)
    )
    return f"""<div class="td-pb-span4 td-main-sidebar"><div class="td-ss-main-sidebar">
<div class="td_block_wrap td_block_social_counter"><h4 class="block-title"><span>Stay Connected</span></h4>
<div class="td-social-list"><div class="td_social_type td-pb-margin-side td_social_facebook"><span class="td_social_info">48,210</span><span class="td_social_info td_social_info_name">Fans</span><span class="td_social_button"><a href="#">Like</a></span></div>
<div class="td_social_type td_social_twitter"><span class="td_social_info">31,774</span><span class="td_social_info td_social_info_name">Followers</span><span class="td_social_button"><a href="#">Follow</a></span></div></div></div>
<div class="td_block_wrap td_block_15"><h4 class="block-title"><span>Most Popular</span></h4>{items}</div>
<div class="widget widget_newsletterwidget"><div class="tnp tnp-subscription"><form method="post" action="{base}/{KEY}/newsletter/subscribe">
<h4>Get the NeuralWire Daily</h4><p>The AI stories that matter, in your inbox every weekday morning.</p>
<div class="tnp-field tnp-field-email"><label for="tnp-1">Email</label><input class="tnp-email" type="email" name="ne" id="tnp-1" value="" placeholder="you@example.com" required></div>
<div class="tnp-field tnp-field-button"><input class="tnp-submit" type="submit" value="Subscribe"></div></form></div></div>
{_ad("sidebar")}</div></div>"""


def _cookie_bar() -> str:
    return """<div id="cookie-law-info-bar" data-nosnippet="true" style="background-color:#fff;color:#333;">
<span>This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish.
<a role="button" data-cli_action="accept" id="cookie_action_close_header" class="medium cli-plugin-button cli-plugin-main-button cookie_action_close_header cli_action_button">Accept All</a>
<a role="button" id="cookie_action_settings" class="cli_settings_button">Cookie Settings</a></span></div>"""


def _footer(base: str) -> str:
    return f"""<div class="td-footer-wrapper"><div class="td-footer-bottom-full"><aside class="footer-text-wrap">
<div class="block-title"><span>About us</span></div>{NAME} reports on the business, research and policy of artificial intelligence.
<div class="footer-email-wrap">Contact us: <a href="mailto:tips@neuralwire.example">tips@neuralwire.example</a></div></aside></div></div>
<div class="td-sub-footer-container"><div class="td-sub-footer-copy">&copy; 2025 {NAME} Media. All rights reserved.</div>
<ul class="td-subfooter-menu"><li><a href="{base}/{KEY}/about/">About</a></li><li><a href="{base}/{KEY}/privacy/">Privacy</a></li></ul></div>"""


def _page(base: str, title: str, canonical: str, head: str, main: str, sidebar: str) -> str:
    return f"""<!doctype html >
<!--[if IE 8]>    <html class="ie8" lang="en"> <![endif]-->
<!--[if gt IE 8]><!--> <html lang="en-US"> <!--<![endif]-->
<head>
<title>{esc(title)} | {NAME}</title>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="canonical" href="{esc(canonical)}" />
<link rel="alternate" type="application/rss+xml" title="{NAME} Feed" href="{base}/{KEY}/feed.xml" />
{head}<link rel="stylesheet" id="td-theme-css" href="{base}/{KEY}/static/td-theme.css?ver=12.6" type="text/css" media="all" />
</head>
<body class="post-template-default single single-post global-block-template-1 td-standard-pack td-full-layout" itemscope="itemscope" itemtype="https://schema.org/WebPage">
<div class="td-scroll-up"><i class="td-icon-menu-up"></i></div>
<div id="td-outer-wrap" class="td-theme-wrap">
{_header(base)}
<div class="td-main-content-wrap td-container-wrap"><div class="td-container td-post-template-default">
<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
{main}
</div></div>
{sidebar}
</div></div></div>
{_footer(base)}
</div>
{_cookie_bar()}
</body>
</html>
"""


def article_page(base: str, story: Story) -> str:
    url = article_url(base, story)
    tags = "".join(f'<meta property="article:tag" content="{esc(t)}" />\n' for t in story.tags)
    head = f"""<meta name="description" content="{esc(story.dek)}" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{esc(story.title)}" />
<meta property="og:description" content="{esc(story.dek)}" />
<meta property="og:url" content="{esc(url)}" />
<meta property="og:site_name" content="{NAME}" />
<meta property="og:image" content="{_image(base, story)}" />
<meta property="article:published_time" content="{story.published}" />
{f'<meta property="article:modified_time" content="{story.modified}" />' if story.modified else ""}
<meta property="article:section" content="{esc(story.section)}" />
{tags}<meta name="twitter:card" content="summary_large_image" />
{
        json_ld(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": story.title,
                "description": story.dek,
                "datePublished": story.published,
                "dateModified": story.modified or story.published,
                "author": [
                    {"@type": "Person", "name": a, "url": f"{base}/{KEY}/author/{slugify(a)}/"}
                    for a in story.authors
                ],
                "publisher": {"@type": "Organization", "name": NAME},
                "image": {"@type": "ImageObject", "url": _image(base, story)},
                "mainEntityOfPage": {"@type": "WebPage", "@id": url},
                "inLanguage": "en-US",
            }
        )
    }
"""
    authors = " and ".join(
        f'<a href="{base}/{KEY}/author/{slugify(a)}/">{esc(a)}</a>' for a in story.authors
    )
    tags_html = "".join(
        f'<li><a href="{base}/{KEY}/tag/{slugify(t)}/">{esc(t)}</a></li>' for t in story.tags
    )
    main = f"""<article id="post-{number(story.slug, 2000, 9000)}" class="post type-post status-publish format-standard has-post-thumbnail" itemscope itemtype="https://schema.org/Article">
<div class="td-post-header"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="{base}/{KEY}/">Home</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a title="View all posts in {esc(story.section)}" class="entry-crumb" href="{base}{section_path(story.section)}">{esc(story.section)}</a></span> <i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> <span class="td-bred-no-url-last">{esc(story.title)}</span></div>
<ul class="td-category"><li class="entry-category"><a href="{base}{section_path(story.section)}">{esc(story.section)}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{esc(story.title)}</h1>
<p class="td-post-sub-title">{esc(story.dek)}</p>
<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">By</div> {authors}<div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{story.published}">{date_en(story.published_at)}</time></span>
<div class="td-post-comments"><a href="#comments"><i class="td-icon-comments"></i>0</a></div>
<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{number(story.slug, 2000, 9000)}">{number(story.slug + "v", 200, 20000):,} views</span></div></div></header></div>
{_sharing(base, story, "top")}
<div class="td-post-content tagdiv-type">
<div class="td-post-featured-image"><a href="{_image(base, story)}" class="td-modal-image"><img width="696" height="392" class="entry-thumb" src="{_image(base, story)}" alt="" title="{esc(story.title)}"></a></div>
{_body(base, story)}
{_addtoany(base, story)}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags_html}</ul></div>
{_sharing(base, story, "bottom")}
{_post_nav(base, story)}
{_author_box(base, story)}</footer>
</article>
{_related(base, story)}
{_comments(base, story)}"""
    return _page(base, story.title, url, head, main, _sidebar(base, story))


def listing_page(base: str, title: str, canonical: str, stories: list[Story]) -> str:
    items = "".join(
        f"""<div class="td_module_10 td_module_wrap td-animation-stack"><div class="td-module-thumb"><a href="{article_url(base, s)}" rel="bookmark" class="td-image-wrap" title="{esc(s.title)}"><img src="{_image(base, s)}" alt=""></a></div>
<div class="item-details"><h3 class="entry-title td-module-title"><a href="{article_url(base, s)}" rel="bookmark" title="{esc(s.title)}">{esc(s.title)}</a></h3>
<div class="td-module-meta-info"><span class="td-post-author-name">{esc(", ".join(s.authors))}</span> <span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{s.published}">{date_en(s.published_at)}</time></span></div>
<div class="td-excerpt">{esc(s.dek)}</div></div></div>"""
        for s in stories
    )
    main = f'<div class="td-page-header"><h1 class="entry-title td-page-title"><span>{esc(title)}</span></h1></div>\n{items}'
    return _page(base, title, canonical, "", main, _sidebar(base, None))


def _feed(base: str) -> Resource:
    newest = sorted(STORIES, key=lambda s: s.published_utc, reverse=True)
    entries = [
        Entry(
            url=article_url(base, s) + FEED_TRACKING,
            title=s.title,
            summary=s.dek,
            authors=s.authors,
            published=s.published_at,
            updated=s.modified_at,
            categories=(s.section, *s.tags),
            guid=f"neuralwire-{number(s.slug, 2000, 9000)}",
        )
        for s in newest
    ]
    sponsored = Entry(
        url=base + SPONSORED_PATH,
        title="Sponsored: How Vectorly cut inference costs in half",
        summary="Partner content.",
        authors=("NeuralWire Studio",),
        published=newest[0].published_at,
        updated=None,
        categories=("Partner content",),
        guid="neuralwire-partner-1",
    )
    entries.insert(3, sponsored)
    return rss(
        title=NAME,
        link=f"{base}/{KEY}/",
        self_url=f"{base}/{KEY}/feed.xml",
        description="The business, research and policy of artificial intelligence.",
        language="en-US",
        entries=entries,
    )


def pages(base: str) -> dict[str, Resource]:
    out = {article_path(s): html_resource(article_page(base, s)) for s in STORIES}
    bad = next(s for s in STORIES if s.slug == MISDECLARED_SLUG)
    out[article_path(bad)] = Resource(
        article_page(base, bad).encode("cp1252", errors="xmlcharrefreplace"),
        "text/html; charset=utf-8",
    )
    newest = sorted(STORIES, key=lambda s: s.published_utc, reverse=True)
    out[f"/{KEY}/"] = html_resource(listing_page(base, "Latest news", f"{base}/{KEY}/", newest))
    groups: dict[str, tuple[str, list[Story]]] = {}
    for s in newest:
        groups.setdefault(section_path(s.section), (s.section, []))[1].append(s)
        for t in s.tags:
            groups.setdefault(f"/{KEY}/tag/{slugify(t)}/", (t, []))[1].append(s)
        for a in s.authors:
            groups.setdefault(f"/{KEY}/author/{slugify(a)}/", (a, []))[1].append(s)
    for path, (title, stories) in groups.items():
        out[path] = html_resource(listing_page(base, title, base + path, stories))
    out[f"/{KEY}/feed.xml"] = _feed(base)
    out[SPONSORED_PATH] = html_resource(
        "<!DOCTYPE html><html lang='en'><title>Sponsored</title><p>Partner content.</p></html>"
    )
    return out


def page_strings(story: Story) -> tuple[str, ...]:
    shown = {*read_more_targets(story), *related(story), *popular(story)}
    i = STORIES.index(story)
    shown |= set(STORIES[max(0, i - 1) : i + 2])
    titles = tuple(s.title for s in STORIES if s in shown and s is not story)
    nav = ("Previous article",) * (i > 0) + ("Next article",) * (i < len(STORIES) - 1)
    views = f"{number(story.slug + 'v', 200, 20000):,} views"
    return (*WIDGET_TEXT, *nav, *titles, views, AUTHOR_BIOS.get(story.authors[0], ""))
