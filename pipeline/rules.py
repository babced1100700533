"""Pipeline stage (clean): boilerplate rules as data, grouped by intent.

The algorithm lives in ``pipeline.clean``; this module only says *what* boilerplate looks
like. Markup rules are regular expressions matched against an element's lower-cased
``class``/``id`` (and, separately, its ``role``/``aria-label``/``itemprop``). Text rules
recognise widgets by the shape of their text, in English and Indonesian first.
Sources: ../shared/docs/boilerplate-widgets.md (numbers in comments refer to its entries).
"""

from __future__ import annotations

import re
from types import MappingProxyType

# Elements that never carry article text.
DROP_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "input", "select", "textarea", "label", "option", "dialog", "audio", "video",
    "source", "track", "map", "link", "meta", "head", "title",
)  # fmt: skip

# Structural page furniture: removed unless it holds most of the page's text (safety valve).
FURNITURE_TAGS: tuple[str, ...] = ("nav", "aside", "footer", "header", "menu")

# Containers never removed by class/id rules: their class often lists post tags/categories
# (WordPress: ``<article class="post tag-ai category-news">``) or page-wide states.
PROTECTED_TAGS: frozenset[str] = frozenset({"html", "body", "main", "article"})

# Class/id tokens that mark the article body itself: an element carrying one is never
# removed by class rules ("post-content share-enabled" stays).
BODY_MARKERS: tuple[str, ...] = (
    r"articlebody",
    r"article[-_]?body",
    r"article[-_]?content",
    r"article[-_]?text",
    r"articletext",
    r"entry[-_]content",
    r"post[-_]?content",
    r"post[-_]?body",
    r"post[-_]?text",
    r"story[-_]?body",
    r"story[-_]?content",
    r"story[-_]?text",
    r"single[-_]?content",
    r"content[-_]?body",
    r"body[-_]?text",
    r"main[-_]?content",
    r"news[-_]?content",
    r"detail[-_]?content",
    r"detail[-_]?text",
    r"isi[-_]?berita",  # Indonesian: "news content"
    r"td-post-content",
    r"rich[-_]?text",
)

# Embedded posts quoted by the article (tweets, Instagram, TikTok): part of the story even
# when their wrapper is called a "widget" or "social".
EMBED_MARKERS: tuple[str, ...] = (
    r"twitter-tweet",
    r"(?<!share)(?:^|[-_])tweet$",  # "article-tweet", not "share-tweet"/"tweet-button"
    r"tweet[-_]?embed",
    r"instagram-media",
    r"tiktok-embed",
    r"social-media-embed",
)

# Boilerplate by intent. Each pattern is searched in "class id" (lower case), so anchor
# with (?:^|[\s_-]) where a bare word would hit unrelated names ("share" vs "shared").
_W = r"(?:^|[\s_-])"  # start of a class/id token or of a dash/underscore-separated part
BOILERPLATE_CLASSES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        # 1, 6: like/dislike counters and like widgets
        "like-dislike": (r"like-dislike", r"twp-like", r"jetpack-likes", r"sd-like",
                         r"likes-other", _W + r"likes?(?:-count|-button|-box|-widget)"),
        # 2: reading-time badges
        "read-time": (r"read-?time", r"reading-?time", r"rt-reading", r"booster-read",
                      r"read[-_]?duration", r"min[-_]read"),
        # 3: emoji reaction bars
        "reactions": (r"reactions?(?:-block|-wrap|-bar|-box)?(?:$|\s)", r"twp-react",
                      r"be-face", r"emoji", _W + r"reaction"),
        # 4: star ratings
        "ratings": (r"booster-ratings", r"twp-rating", r"twp-average", r"star-ratings?",
                    r"post-ratings", r"kk-star", _W + r"rating"),
        # 5: share bars
        "share": (r"sharedaddy", r"addtoany", r"a2a_", r"heateor", r"twp-social",
                  _W + r"share(?:$|[\s_-])", _W + r"sharing", r"social(?:-|_)?(?:share|links?|"
                  r"icons?|media(?![-_]?(?:embed|post))|buttons?|bar|networks?)",
                  r"td-post-sharing", r"shariff", r"sosmed", r"share-?buttons?", r"share-?bar"),
        # 7, 8, 20: related / popular / recommended lists
        "related": (r"related", r"jp-relatedposts", r"yarpp", r"crp_related", r"wpp-list",
                    r"top-posts", r"popular", r"trending", r"recommend", r"more-from",
                    r"also-read", r"baca-?juga", r"read-?more(?![-_]?(?:content|text|body|wrap))",
                    r"more-stories",
                    r"recirc", r"outbrain", r"taboola", r"terkait", r"terpopuler",
                    r"inline-related", r"irp-(?:box|shortcode)",
                    r"(?:^|\s)(?:ctatext|posttitle)(?:$|\s)", r"you-may-like", r"might-like",
                    r"next-article", r"latest-(?:news|posts|stories|articles)", r"more-news",
                    r"other-(?:news|stories|posts)", r"berita-(?:terbaru|lainnya|populer)"),
        # 10: newsletter sign-ups
        "newsletter": (r"newsletter", r"mc4wp", r"mailchimp", r"tnp-", r"subscribe(?!r)",
                       r"subscription-?(?:box|form|widget|cta|banner)",
                       r"signup", r"sign-up", r"optin", r"opt-in"),
        # 11: author boxes
        "author-box": (r"author-?box", r"author-?block", r"about-?author", r"saboxplugin",
                       r"be-author", r"author-bio", r"author-info", r"author-card",
                       r"author-details", r"author-wrap", r"bio-?box"),
        # 12: breadcrumbs
        "breadcrumbs": (r"breadcrumb", r"crumbs", r"trail-items"),
        # 13, 14: comments
        "comments": (r"comment(?!ary)", _W + r"respond(?:$|\s)", r"disqus", r"wpdiscuz", r"wpd-",
                     r"wpdcom", r"wpcomm", r"komentar"),
        # 15, 21: navigation and sidebars
        "navigation": (r"post-navigation", r"nav-links", r"nav-previous", r"nav-next",
                       _W + r"prev-next", r"next-prev", r"pagination", r"floating-nav",
                       r"(?:^|\s)(?:sidebar|side-bar)", r"(?<!elementor-)widget", _W + r"menu",
                       _W + r"navbar",
                       r"skip-link", r"masthead", r"site-header", r"site-footer", r"mega-?menu",
                       r"nr-breaking", r"breaking-news-(?:ticker|slider|bar|section|wrap)",
                       r"ticker"),
        # 16: tag and category lists
        "tags": (r"tags-links", r"cat-links", r"td-tags", r"tag-?list", r"tagcloud",
                 r"post-tags", r"entry-tags", r"tags-box", _W + r"tags(?:$|\s)",
                 r"categories"),
        # 17: post meta lines (byline, date, views)
        "post-meta": (r"entry-meta", r"post-meta", r"article-meta", r"byline",
                      r"post-views", r"td-module-meta", r"meta-info", r"posted-on",
                      r"entry-date", r"dateline", r"timestamp", r"visit-count",
                      r"entry-footer", r"post-date"),
        # 18: cookie and consent banners
        "cookie": (r"cookie", r"consent", r"gdpr", r"cn-notice"),
        # 19: ad slots
        "ads": (r"adsbygoogle", r"code-block-\d", r"td-a-rec", r"adspot", _W + r"ads?(?:$|[\s_-])",
                r"advert", r"sponsor", r"banner", r"dfp", r"gpt-ad", r"ad-?slot",
                r"ad-?container", r"ad-?wrap", r"iklan", r"promo"),
        # 22: social follow blocks
        "social-follow": (r"social-counter", r"td_block_social", r"topbar-social",
                          r"follow-us", r"social-follow"),
        # 24: image captions and credits
        "captions": (r"caption", r"credit", r"wp-element-caption", r"photo-source"),
        # 25: tables of contents
        "toc": (r"ez-toc", r"table-of-contents", _W + r"toc(?:$|[\s_-])", r"lwptoc"),
        # Printing/hidden helpers and screen-reader-only labels.
        "hidden": (r"screen-reader", r"sr-only", r"visually-hidden", r"(?:^|\s)hidden(?:$|\s)",
                   r"print-only", r"(?:^|\s)(?:modal|popup|overlay)(?:$|\s)"),
    }
)  # fmt: skip

# ARIA roles and labels that mark furniture regardless of class names.
BOILERPLATE_ROLES: frozenset[str] = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert",
     "menu", "menubar", "toolbar", "form"}
)  # fmt: skip

# Elements matched by these attribute values are boilerplate (rel=tag lists, ad markup).
BOILERPLATE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("itemprop", "comment"),
    ("aria-hidden", "true"),
    ("hidden", ""),
)

# Tags whose text is never body: captions and credits.
CAPTION_TAGS: tuple[str, ...] = ("figcaption",)

# --- Text shapes (multilingual) -------------------------------------------------------

# Emotion/reaction words (English, Indonesian, a few widespread others).
EMOTION_WORDS: tuple[str, ...] = (
    "happy", "sad", "excited", "sleepy", "angry", "surprise", "surprised", "love", "wow",
    "haha", "funny", "scared", "inspired", "bored", "confused", "like", "dislike",
    "senang", "sedih", "marah", "terkejut", "kaget", "takut", "gembira", "bahagia",
    "terinspirasi", "mengantuk", "bosan", "lucu", "suka", "cinta", "terharu", "kesal",
    "bingung", "tidak suka", "jengkel", "semangat",
)  # fmt: skip

# "N %", "N%", "(N)" counters that follow each emotion word.
PERCENT = r"\d{1,3}(?:[.,]\d+)?\s?%"

# Headings/lines that introduce share bars, related lists and the like.
SHARE_HEADINGS = re.compile(
    r"^\s*(?:share(?: this(?: article| post| story)?)?(?: (?:on|via|with) \w+)?|spread the love|"
    r"bagikan(?: artikel(?: ini)?| berita(?: ini)?)?|bagikan ke|sebarkan|compartilhe(?: isso)?|"
    r"partager|teilen|like this|suka ini|follow us|ikuti kami)\s*[:：]?\s*$",
    re.IGNORECASE,
)

# A row of social network names: share buttons rendered as text.
SHARE_NETWORK_ROW = re.compile(
    r"^\s*(?:(?:share|bagikan|compartilhe|partager)\s*:?\s*)?"
    r"(?:(?:facebook|twitter|x|whatsapp|linkedin|pinterest|telegram|google\+|email|e-mail|"
    r"print|line|reddit|tumblr|messenger|copy link|salin tautan|pint)\s*[|,·•/]?\s*){2,}$",
    re.IGNORECASE,
)

# Paragraphs that only point elsewhere: "Read more: <link>", "Baca juga: <link>".
READ_MORE = re.compile(
    r"^\s*[\[(]?\s*(?:read more|read also|also read|read next|see also|more on this|"
    r"related(?: article| story| stories| news)?|recommended|you may also like|"
    r"baca juga|baca pula|baca lainnya|baca selengkapnya|simak juga|simak|lihat juga|"
    r"artikel terkait|berita terkait|baca|read|watch|tonton juga|lihat|jangan lewatkan)"
    r"\s*[:：»>\-–—|]",
    re.IGNORECASE,
)

# Lines that are a whole widget by themselves.
WIDGET_LINES = re.compile(
    r"^\s*(?:"
    r"read time\s*:?.*\b(?:minute|menit|second|detik)s?\b.*|"
    r"reading time\s*:?.*|"
    r"\d+\s*(?:min|mins|minute|minutes|menit)\s+(?:read|baca|membaca)|"
    r"waktu baca\s*:?.*|"
    r"average rating|rata-rata rating|"
    r"\d\s*star\s*\d{1,3}\s*%|\d\s*bintang\s*\d{1,3}\s*%|"
    r"\(?add your review\)?|\(?no ratings yet\)?|"
    r"(?:post )?views\s*:\s*[\d.,]+|dilihat\s*:?\s*[\d.,]+\s*(?:kali)?|"
    r"\d+\s+\d+|"  # bare like/dislike counters "0 0"
    r"advert|advertisement|advertisements|iklan|sponsored|scroll to continue.*|"
    r"-\s*advertisement\s*-|"
    r"leave a (?:reply|comment)|tinggalkan (?:balasan|komentar)|"
    r"your email address will not be published.*|"
    r"alamat email anda tidak akan dipublikasikan.*|"
    r"about (?:the |post )?author|tentang penulis|"
    r"table of contents|daftar isi|"
    r"(?:photo|photos|foto|фото|image|images|gambar|sumber foto|sumber gambar|credit|"
    r"kredit)\s*:.*|"
    r"@\w{2,30}|"  # a bare social handle
    r"(?:this [\w ]{1,30} )?requires javascript.*|(?:please )?enable javascript.*|"
    r"(?:loading|memuat)[\w ]{0,20}(?:\.+|…)?|"
    r"(?:you may also like|you might also like|related (?:articles|posts|stories|news)|"
    r"more stories|recommended for you|berita terkait|artikel terkait|baca juga|lihat juga|"
    r"rekomendasi|berita lainnya)\s*[:.…]*|"
    r"(?:subscribe|subscribe now|sign up|sign up now|berlangganan|daftar sekarang)\s*[!.]?|"
    r"tags?\s*:.*|tagged\s*:?.*|kategori\s*:.*|categories\s*:.*|"
    r"(?:©|ⓒ|\(c\)|copyright|hak cipta)\s.*|"
    r"(?:image|photo|foto|gambar|slide)\s*\d+\s*(?:of|dari|/)\s*/?\s*\d*"
    r")\s*$",
    re.IGNORECASE,
)

# Edge lines: bylines, datelines, labels. Shapes, not vocabularies, except the byline
# prefix ("By", "Oleh", ...), which is short and multilingual.
META_LINE_MAX = 200
LABEL_MAX_WORDS = 5
SENTENCE_END = (".", "!", "?", "。", "！", "？", "…", '"', "”", "»", ")")
DATELINE = re.compile(
    r"(?:\b(?:19|20)\d\d\b.*\b\d{1,2}[:.]\d\d\b|\b\d{1,2}[:.]\d\d\b.*\b(?:19|20)\d\d\b|"
    r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d\d\b|\b(?:19|20)\d\d[/.-]\d{1,2}[/.-]\d{1,2}\b|"
    r"\b\d{1,2}\s+\w{3,12}\.?,?\s+(?:19|20)\d\d\b|\b\w{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b)"
)
BYLINE = re.compile(
    r"^\s*(?:by|oleh|por|par|von|di|penulis|reporter|editor|author|writer|redaksi|"
    r"written by|posted by|ditulis oleh)\s*[:\-]?\s+\S+(?:\s+\S+){0,6}\s*$",
    re.IGNORECASE,
)

# Containers up to this many characters are also checked as one widget (reaction bars).
WIDGET_MAX_CHARS = 400

# Photo credits like "Jane Doe/Agency/Getty Images": slash-separated capitalised names.
CREDIT_MAX = 80
CREDIT_PARTS = (2, 4)

# Longest text taken for a caption when it sits right after an image (no caption markup).
CAPTION_MAX = 300
CAPTION_SLACK = 80

# Newsletter promos: a short line that names a newsletter and asks to sign up.
NEWSLETTER_LINE = re.compile(
    r"^(?=.{0,200}$)(?=.*\b(?:newsletters?|nawala|buletin)\b)"
    r"(?=.*\b(?:sign up|subscribe|inbox|daftar|berlangganan|kotak masuk)\b).*$",
    re.IGNORECASE,
)

# Link density above which a block is treated as a list of links (menus, related lists).
LINK_DENSITY_LIST = 0.6
LINK_DENSITY_PARAGRAPH = 0.85
