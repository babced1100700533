"""Article metadata: precedence, cleaning of titles and bylines, URLs made absolute."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import lxml.etree
import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import domfields as dom
from pipeline.authors import clean_credits, split_credit
from pipeline.jsonld import Credit
from pipeline.metadata import Metadata, extract_metadata
from pipeline.titles import clean_title

URL = "https://techdaily.example/2025/03/14/openai-model/"


def page(head: str = "", body: str = "", lang: str = "") -> lxml.html.HtmlElement:
    lang_attr = f' lang="{lang}"' if lang else ""
    return lxml.html.document_fromstring(
        f"<html{lang_attr}><head>{head}</head><body>{body}<p>text</p></body></html>"
    )


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_jsonld_graph_with_references_is_resolved() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "headline": "Graph headline",
                "author": [{"@id": "#p1"}, {"@id": "#p2"}],
                "publisher": {"@id": "#org"},
                "image": {"@id": "#img"},
                "datePublished": "2025-03-14T10:30:00+07:00",
                "keywords": "AI, chips ,  policy",
                "articleSection": ["Tech", "AI"],
            },
            {"@type": "Person", "@id": "#p1", "name": "Jane Doe"},
            {"@type": "Person", "@id": "#p2", "givenName": "John", "familyName": "Roe"},
            {"@type": "Organization", "@id": "#org", "name": "Tech Daily Media"},
            {"@type": "ImageObject", "@id": "#img", "url": "/img/lead.jpg"},
        ],
    }
    meta = extract_metadata(page(ld(graph)), URL)
    assert meta.title == "Graph headline"
    assert meta.authors == ("Jane Doe", "John Roe")
    assert meta.published_at == datetime(2025, 3, 14, 3, 30, tzinfo=UTC)
    assert meta.published_raw == "2025-03-14T10:30:00+07:00"
    assert meta.tags == ("AI", "chips", "policy")
    assert meta.section == "Tech"
    assert meta.image == "https://techdaily.example/img/lead.jpg"
    assert meta.site_name == "Tech Daily Media"


def test_jsonld_beats_opengraph_and_dom() -> None:
    head = ld({"@type": "BlogPosting", "headline": "From JSON-LD"}) + (
        '<meta property="og:title" content="From OpenGraph">'
    )
    assert extract_metadata(page(head, "<h1>From DOM</h1>"), URL).title == "From JSON-LD"
    head = '<meta property="og:title" content="From OpenGraph">'
    assert extract_metadata(page(head, "<h1>From DOM</h1>"), URL).title == "From OpenGraph"
    assert extract_metadata(page("", "<h1>From DOM</h1>"), URL).title == "From DOM"


def test_broken_jsonld_is_tolerated() -> None:
    broken = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Still read",'
        ' "author": {"@type": "Person", "name": "Rina Wati",},'
        ' "datePublished": "2025-03-14T10:00:00Z",}</script>'
    )
    meta = extract_metadata(page(broken), URL)
    assert (meta.title, meta.authors) == ("Still read", ("Rina Wati",))
    unrepairable = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Regex read",'
        ' "author": {"name": "Budi Santoso"} "datePublished": "2025-03-14T10:00:00Z" oops</script>'
    )
    meta = extract_metadata(page(unrepairable), URL)
    assert meta.title == "Regex read"
    assert meta.authors == ("Budi Santoso",)
    assert meta.published_raw == "2025-03-14T10:00:00Z"


def test_organization_credit_only_when_no_person_is_credited() -> None:
    org_only = ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Antara"}})
    assert extract_metadata(page(org_only), URL).authors == ("Antara",)
    with_byline = org_only + '<meta name="author" content="Budi Santoso">'
    assert extract_metadata(page(with_byline), URL).authors == ("Budi Santoso",)


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("Oleh: Budi Santoso dan Rina Wati", ["Budi Santoso", "Rina Wati"]),
        ("By Jane Doe and John Roe | March 14, 2025", ["Jane Doe", "John Roe"]),
        ("Jane Doe, John Roe, Ali Rahman", ["Jane Doe", "John Roe", "Ali Rahman"]),
        ("Penulis: Budi Santoso | Editor: Ani Lestari", ["Budi Santoso"]),
        ("BUDI SANTOSO", ["Budi Santoso"]),
        ("Dan Brown", ["Dan Brown"]),
        ("https://facebook.com/janedoe", []),
        ("admin", []),
        ("Posted by Jane Doe on 14 March 2025", ["Jane Doe"]),
        # Author-box headings are not names.
        ("About Post Author", []),
        ("Tentang Penulis", []),
        ("Author Profile", []),
    ],
)
def test_split_credit(credit: str, names: list[str]) -> None:
    got = clean_credits([Credit(credit)], org_names=["TechDaily"]).persons
    assert list(got) == names, split_credit(credit)


def test_author_box_heading_does_not_replace_the_only_credit() -> None:
    byline = '<span class="byline">oleh <a rel="author" href="/author/redaksi/">Redaksi</a></span>'
    box = '<div class="author-details"><h2 class="author-title">About Post Author</h2></div>'
    assert extract_metadata(page(body=byline + box), URL).authors == ("Redaksi",)


def test_site_and_agency_credits_are_organizations() -> None:
    names = clean_credits([Credit("Aisyah Kamaliah - detikInet, Reuters")], ["detikinet"])
    assert names.persons == ("Aisyah Kamaliah",)
    assert names.organizations == ("detikInet", "Reuters")


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("OpenAI ships a model | TechDaily", "OpenAI ships a model"),
        ("OpenAI ships a model - TechDaily.com", "OpenAI ships a model"),
        ("TechDaily: news - OpenAI ships a model", "OpenAI ships a model"),
        ("GPT-5 - what we know so far", "GPT-5 - what we know so far"),
        ("Beranda » Tekno » OpenAI rilis model", "OpenAI rilis model"),
        ("Spider-Man - the AI remake | TechDaily", "Spider-Man - the AI remake"),
        ("OpenAI rilis model - detikInet", "OpenAI rilis model"),
        ("Same | Same", "Same"),
    ],
)
def test_clean_title(raw: str, want: str) -> None:
    heading = "OpenAI rilis model" if "Tekno" in raw else None
    assert clean_title(raw, ["TechDaily", "detik"], heading) == want


def test_title_matching_the_h1_wins_over_suffix_guessing() -> None:
    tree = page("<title>Chips are back | Tech | Unknown Brand</title>", "<h1>Chips are back</h1>")
    assert extract_metadata(tree, URL).title == "Chips are back"


def test_canonical_resolved_and_home_page_canonical_ignored() -> None:
    tree = page('<link rel="canonical" href="/2025/03/14/openai-model/">')
    assert extract_metadata(tree, URL).canonical_url == URL
    tree = page(
        '<link rel="canonical" href="https://techdaily.example/">'
        '<meta property="og:url" content="https://techdaily.example/a/">'
    )
    assert extract_metadata(tree, URL).canonical_url == "https://techdaily.example/a/"
    tree = page('<link rel="canonical" href="https://other.example/">')
    assert extract_metadata(tree, URL).canonical_url is None


def test_site_name_image_description_fallbacks() -> None:
    tree = page(
        '<meta name="description" content="  A summary.  ">'
        '<meta name="twitter:image" content="//cdn.example/i.png">'
    )
    meta = extract_metadata(tree, URL)
    assert meta.site_name == "techdaily.example"
    assert meta.description == "A summary."
    assert meta.image == "https://cdn.example/i.png"


def test_static_page_dom_byline_dates_and_tags() -> None:
    body = (
        "<h1>Local AI lab opens</h1><p class='byline'>By Jane Doe | 14 March 2025</p>"
        "<p>Updated: <span class='updated'>15 March 2025 09:00 WIB</span></p>"
        "<div class='tags'><a href='/t/ai' rel='tag'>AI</a><a href='/t/lab' rel='tag'>Labs</a>"
        "<a href='/c/news' rel='category tag'>News</a></div>"
        "<div class='comments'><p class='byline'>By Troll</p><time datetime='2025-04-01'>x</time>"
        "</div>"
    )
    meta = extract_metadata(page("<title>Local AI lab opens</title>", body), URL)
    assert meta.title == "Local AI lab opens"
    assert meta.authors == ("Jane Doe",)
    assert meta.published_at == datetime(2025, 3, 14, tzinfo=UTC)
    assert meta.modified_at == datetime(2025, 3, 15, 2, 0, tzinfo=UTC)
    assert meta.tags == ("AI", "Labs")
    assert meta.section == "News"


def test_date_from_url_is_the_last_resort() -> None:
    meta = extract_metadata(page(), URL)
    assert meta.published_at == datetime(2025, 3, 14, tzinfo=UTC)


def test_relative_dom_date_needs_fetch_time() -> None:
    tree = page("", "<span class='date'>2 jam yang lalu</span>")
    url = "https://techdaily.example/openai-model"
    assert extract_metadata(tree, url).published_at is None
    fetched = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    got = extract_metadata(tree, url, fetched_at=fetched).published_at
    assert got == datetime(2025, 3, 14, 10, 0, tzinfo=UTC)


def test_declared_language_precedence_and_resolution() -> None:
    tree = page('<meta property="og:locale" content="id_ID">', lang="en-US")
    meta = extract_metadata(tree, URL, language_hint="en")
    assert meta.declared_language == "id"
    assert meta.language_hint == "en"
    indonesian = (
        "Pemerintah Indonesia menyiapkan aturan baru tentang kecerdasan buatan yang akan "
        "berlaku tahun depan. Menteri mengatakan aturan itu melindungi data pribadi warga "
        "dan tetap memberi ruang bagi perusahaan rintisan untuk berkembang."
    )
    assert Metadata(declared_language="en").resolve_language(indonesian) == "id"
    assert Metadata(language_hint="id").resolve_language("Singkat") == "id"


def test_extract_metadata_does_not_modify_the_tree() -> None:
    body = "<article><h1>T</h1><p class='byline'>By Jane Doe</p><p>Body text.</p></article>"
    tree = page(ld({"@type": "Article", "headline": "T"}), body)
    before = lxml.html.tostring(tree)
    extract_metadata(tree, URL)
    assert lxml.html.tostring(tree) == before


def test_site_name_prefix_with_colon_yields_the_heading() -> None:
    tree = page(
        '<meta property="og:site_name" content="Weekend ML">'
        "<title>Weekend ML: A tiny classifier</title>",
        "<h1>A tiny classifier</h1>",
    )
    assert extract_metadata(tree, URL).title == "A tiny classifier"


def test_jsonld_markup_and_deep_nesting_do_not_break_extraction() -> None:
    head = ld({"@type": "Article", "description": "<p>Ringkasan &amp; isi</p>"})
    assert extract_metadata(page(head), URL).description == "Ringkasan & isi"
    deep = '<script type="application/ld+json">' + "[" * 50_000 + "]" * 50_000 + "</script>"
    assert extract_metadata(page(deep + head), URL).description == "Ringkasan & isi"


_FRAGMENTS = st.sampled_from(
    [
        '<meta property="og:title" content="{}">',
        '<meta name="author" content="{}">',
        '<meta property="article:published_time" content="{}">',
        '<meta name="keywords" content="{}">',
        '<link rel="canonical" href="{}">',
        '<meta property="og:image" content="{}">',
        '<script type="application/ld+json">{}</script>',
        '<script type="application/ld+json">{{"@type": "NewsArticle", "author": {}}}</script>',
        "<h1>{}</h1>",
        "<p class='byline'>{}</p>",
        "<time datetime='{}'>x</time>",
        "<a rel='tag' href='/t'>{}</a>",
    ]
)


@given(st.lists(st.tuples(_FRAGMENTS, st.text(max_size=40)), max_size=8))
def test_any_markup_gives_metadata_without_errors_or_control_characters(
    parts: list[tuple[str, str]],
) -> None:
    markup = "".join(template.format(value.replace("<", "&lt;")) for template, value in parts)
    tree = lxml.html.document_fromstring(f"<html><head>{markup}</head><body>{markup}</body></html>")
    meta = extract_metadata(tree, URL)
    texts = [meta.title, meta.description, meta.site_name, meta.section, *meta.authors, *meta.tags]
    for text in texts:
        assert text is None or not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)
    for moment in (meta.published_at, meta.modified_at):
        assert moment is None or moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("credit", "persons", "organizations"),
    [
        ("Tom Krisher, AP Auto Writer", ["Tom Krisher"], ["AP Auto Writer"]),
        ("Jill Disis, CNN Business", ["Jill Disis"], ["CNN Business"]),
        ("Ilana Muhlstein, MS, RDN", ["Ilana Muhlstein"], []),
        ("by Jeff FoustMonday, November 18, 2019", ["Jeff Foust"], []),
        ("By Louis Jacobson on Monday, November 18th, 2019", ["Louis Jacobson"], []),
        ("Analysis by Chris Cillizza", ["Chris Cillizza"], []),
        ("Text: Lida Buslaeva", ["Lida Buslaeva"], []),
        ("The Associated Press", [], ["The Associated Press"]),
    ],
)
def test_real_world_bylines(credit: str, persons: list[str], organizations: list[str]) -> None:
    names = clean_credits([Credit(credit)], org_names=["Connecticut Post"])
    assert list(names.persons) == persons
    assert list(names.organizations) == organizations


def test_jsonld_article_naming_the_page_beats_a_related_articles_list() -> None:
    related = {
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "NewsArticle",
                "headline": "Another story",
                "url": "https://techdaily.example/x",
            }
        ],
    }
    main = {"@type": "NewsArticle", "headline": "This story", "mainEntityOfPage": {"@id": URL}}
    tree = page(ld(related) + ld(main))
    assert extract_metadata(tree, URL + "?utm_source=feed").title == "This story"


def test_old_yoast_graph_with_author_on_the_webpage_node() -> None:
    graph = {
        "@graph": [
            {"@type": "WebSite", "@id": "#website", "name": "Experience"},
            {"@type": "WebPage", "@id": "#webpage", "author": {"@id": "#josh"}},
            {"@type": ["Person"], "@id": "#josh", "name": "Josh Rivera"},
        ]
    }
    assert extract_metadata(page(ld(graph)), URL).authors == ("Josh Rivera",)


def test_modified_equal_to_published_means_never_modified() -> None:
    same = ld(
        {
            "@type": "NewsArticle",
            "datePublished": "2025-03-14T10:00:00+07:00",
            "dateModified": "2025-03-14T03:00:00Z",
        }
    )
    meta = extract_metadata(page(same), URL)
    assert meta.published_at == datetime(2025, 3, 14, 3, 0, tzinfo=UTC)
    assert (meta.modified_at, meta.modified_raw) == (None, None)


def test_yoast_breadcrumb_paragraph_gives_the_section() -> None:
    crumbs = (
        '<p id="breadcrumbs"><span><a href="/">Home</a></span> » <span><a href="/r/">Research'
        '</a></span> » <span class="breadcrumb_last">A title</span></p>'
    )
    assert extract_metadata(page("", crumbs), URL).section == "Research"


def test_microdata_authors_are_read_from_itemprop_words() -> None:
    # itemprop holds space-separated words (tabs and newlines count as spaces, as in
    # XPath's normalize-space); only the exact word "author" names an author.
    body = (
        '<span itemprop="author"><span itemprop="name">Budi Santoso</span></span>'
        '<span itemprop="creator\tauthor">Siti Rahma</span>'
        '<span itemprop="authorship">Not A Person</span>'
        '<span itemprop="Author">Also Not</span>'
        '<span itemprop="headline">Headline</span>'
    )
    assert extract_metadata(page(body=body), URL).authors == ("Budi Santoso", "Siti Rahma")


def test_rel_words_pick_authors_tags_and_section() -> None:
    body = (
        "<div class='comments'><a rel='author' href='/u/troll'>Troll Person</a>"
        "<a rel='tag' href='/t/spam'>Spam</a></div>"
        "<span rel='me author'>Dewi Lestari</span>"  # rel=author on any element
        "<a rel='nofollow\ttag' href='/t/ai'>AI</a><span rel='tag'>Not a link</span>"
        "<a rel='tagged' href='/t/x'>Tagged</a><a rel='category' href='/c/tech'>Tech</a>"
    )
    meta = extract_metadata(page(body=body), URL)
    assert meta.authors == ("Dewi Lestari",)
    assert meta.tags == ("AI",)
    assert meta.section == "Tech"


def test_data_date_attributes_are_read_in_their_order_outside_sidebars() -> None:
    body = (
        "<aside class='sidebar'><div data-published='2025-01-01T00:00:00Z'>old</div></aside>"
        "<div data-date='2025-03-14T10:30:00+07:00' data-published='2025-02-01T00:00:00Z'>x</div>"
    )
    meta = extract_metadata(page(body=body), "https://techdaily.example/a/b")
    assert meta.published_raw == "2025-03-14T10:30:00+07:00"  # the element's first attribute
    assert meta.published_at == datetime(2025, 3, 14, 3, 30, tzinfo=UTC)


def test_author_page_links_credit_the_author_outside_comments() -> None:
    body = (
        "<div id='comments'><a href='/author/troll/'>Troll Person</a></div>"
        "<a href='/news/x'>Not An Author</a>"
        "<a href='https://techdaily.example/penulis/budi-santoso'>Budi Santoso</a>"
    )
    assert extract_metadata(page(body=body), URL).authors == ("Budi Santoso",)


@pytest.mark.parametrize("opening", ["By", "\n\t  oleh", "\u00a0Written by", "BY:"])
def test_credit_lines_open_after_any_whitespace(opening: str) -> None:
    body = f"<p>{opening} Rina Wati</p><p>Bylines are not credits</p>"
    assert extract_metadata(page(body=body), URL).authors == ("Rina Wati",)


def test_credit_words_must_end_a_word() -> None:
    body = "<p>Byron Lee wrote this</p><p>Olehan Budi</p>"
    assert extract_metadata(page(body=body), URL).authors == ()


def test_class_words_count_only_inside_the_body() -> None:
    # A <head> element with a byline class is not a byline; the body's is.
    html = (
        "<html><head><title class='byline'>Head Person</title></head>"
        "<body class='author'><p class='byline'>Body Person</p><p>text</p></body></html>"
    )
    meta = extract_metadata(lxml.html.document_fromstring(html), URL)
    assert meta.authors == ("Body Person",)


_BLOCK_TAGS = ("div", "nav", "footer", "article", "aside", "section", "span", "p", "body")
_BLOCK_CLASSES = (
    None,
    "",
    "comments-area",
    "sidebar",
    "left sidebar widget",
    "sidebar-left",
    "x\tsidebar\n",
    "x\u00a0sidebar",
    "Sidebar",
    "related-posts",
    "widget_text",
    "widget-area",
    "site-footer",
    "most-popular",
    "recommendations",
    "entry-content",
)
_BLOCK_IDS = (None, "", "sidebar", "secondary", "footer", "colophon", "comment-7", "footer2", "x")


@st.composite
def _blocks(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_BLOCK_TAGS))
    attrs = ""
    classes, ident = draw(st.sampled_from(_BLOCK_CLASSES)), draw(st.sampled_from(_BLOCK_IDS))
    if classes is not None:
        attrs += f' class="{classes}"'
    if ident is not None:
        attrs += f' id="{ident}"'
    children = draw(st.lists(_blocks(depth + 1), max_size=3)) if depth < 5 else []
    return f"<{tag}{attrs}>x{''.join(children)}</{tag}>"


@given(st.lists(_blocks(), min_size=1, max_size=4))
def test_not_elsewhere_agrees_with_its_xpath(blocks: list[str]) -> None:
    tree = page(body="".join(blocks))
    for element in tree.iter(lxml.etree.Element):
        assert dom.not_elsewhere(element) == dom.NOT_ELSEWHERE(element), lxml.html.tostring(
            element
        )[:200]


def test_not_elsewhere_agrees_with_its_xpath_on_every_block_kind() -> None:
    for tag in _BLOCK_TAGS:
        for classes in _BLOCK_CLASSES:
            for ident in _BLOCK_IDS:
                attrs = "" if classes is None else f' class="{classes}"'
                attrs += "" if ident is None else f' id="{ident}"'
                block = f"<{tag}{attrs}><p>x</p></{tag}>"
                tree = page(body=f"<article><div>{block}</div></article><div>{block}</div>")
                # <html> and <body> never count, whatever their class or id.
                root = lxml.html.document_fromstring(
                    f"<html{attrs}><body{attrs}><div>x</div>{block}</body></html>"
                )
                for element in [*tree.iter(lxml.etree.Element), *root.iter(lxml.etree.Element)]:
                    assert dom.not_elsewhere(element) == dom.NOT_ELSEWHERE(element), block


def _reference_test(predicates: str) -> lxml.etree.XPath:
    """The XPath form of a DOM test of one element (what the Python tests replaced)."""
    return dom._xpath(f"boolean(self::*{predicates})")


_REFERENCE_HEADINGS = [
    _reference_test("[ancestor::article][not({elsewhere})]"),
    _reference_test("[ancestor::main][not({elsewhere})]"),
    _reference_test("[contains(@class, 'title') or contains(@class, 'headline')]"),
    _reference_test("[not({elsewhere}) and not(ancestor::header[not(ancestor::article)])]"),
]
_REFERENCE_TIMES = [
    _reference_test(
        "[@datetime][contains(@class, 'published') or contains(@class, 'entry-date')"
        " or contains(@class, 'pubdate') or @pubdate][not({elsewhere})]"
    ),
    _reference_test(
        "[@datetime][not(contains(@class, 'updated') or contains(@class, 'modified'))]"
        "[not({elsewhere})]"
    ),
    _reference_test(
        "[@datetime][contains(@class, 'updated') or contains(@class, 'modified')][not({elsewhere})]"
    ),
]
_CONTEXTS = (
    "{}",
    "<article>{}</article>",
    "<main><div>{}</div></main>",
    "<header>{}</header>",
    "<article><header>{}</header></article>",
    "<header><article>{}</article></header>",
    "<div class='sidebar'>{}</div>",
    "<main><nav>{}</nav></main>",
    "<article><footer>{}</footer></article>",
    "<footer>{}</footer>",
)


def test_heading_and_time_tests_agree_with_their_xpaths() -> None:
    h1_attrs = ("", " class='entry-title'", " class='headline big'", " class='Title'")
    time_attrs = (
        "",
        " datetime='2025-03-14'",
        " datetime=''",
        " datetime='x' pubdate",
        " datetime='x' class='entry-date published'",
        " datetime='x' class='updated'",
        " datetime='x' class='date modified-at'",
        " class='published'",
        " pubdate class='pubdate'",
    )
    elements = [f"<h1{attrs}>Heading</h1>" for attrs in h1_attrs]
    elements += [f"<time{attrs}>Time</time>" for attrs in time_attrs]
    for context in _CONTEXTS:
        for element in elements:
            tree = page(body=context.format(element))
            for node in tree.iter("h1"):
                got = [test(node) for test in dom.HEADINGS]
                assert got == [test(node) for test in _REFERENCE_HEADINGS], (context, element)
            for node in tree.iter("time"):
                got = [dom._published_time(node), dom._unmarked_time(node)]
                got.append(dom._modified_time(node))
                assert got == [test(node) for test in _REFERENCE_TIMES], (context, element)
