"""Pipeline stage (normalize): canonical URLs, the key every article is stored under.

``canonicalize_url`` folds the variants one article is reached under into one string:

- scheme and host lower-cased, a leading ``www.`` dropped, default ports dropped;
- the fragment dropped;
- tracking parameters dropped (``utm_*``, click ids, newsletter ids, ``ref``...), the
  remaining parameters sorted, percent-encoding normalized (w3lib does these two);
- ``amp`` / ``amp=1`` dropped: it selects the AMP rendering of the same article (Detik,
  Tribun...). Path-based AMP (``/amp/``) is kept: it is not always the same article, and
  the AMP page's own ``rel=canonical`` already points at the regular URL;
- a trailing slash folded, except for the root path.

It is idempotent: ``canonicalize_url(canonicalize_url(u)) == canonicalize_url(u)``.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize

logger = logging.getLogger(__name__)

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "spm",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "cmpid",
        "ncid",
        "sr_share",
        "amp",
    }
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": "80", "https": "443"}
_SLASHES = re.compile(r"/+$")


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _fold_netloc(scheme: str, netloc: str) -> str:
    userinfo, _, hostport = netloc.rpartition("@")
    host, _, port = hostport.partition(":")
    if hostport.startswith("["):  # IPv6 literal: the port follows the closing bracket
        host, _, port = hostport.partition("]:")
        host = host if host.endswith("]") else host + "]"
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port == DEFAULT_PORTS.get(scheme) or not port:
        port = ""
    folded = f"{host}:{port}" if port else host
    return f"{userinfo}@{folded}" if userinfo else folded


def canonicalize_url(url: str) -> str:
    """The canonical form of an http(s) URL; other strings come back stripped."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        logger.debug("unsplittable URL %r kept as is", url)
        return url
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        return url.split("#", 1)[0].strip()  # "0 #x" -> "0", as a second call gives
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    rebuilt = urlunsplit((scheme, _fold_netloc(scheme, parts.netloc), parts.path, query, ""))
    try:
        canonical = _w3lib_canonicalize(rebuilt)
    except ValueError:
        logger.debug("w3lib could not canonicalize %r", rebuilt)
        canonical = rebuilt
    parts = urlsplit(canonical)
    path = _SLASHES.sub("", parts.path) or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def absolute_url(href: str | None, base: str) -> str | None:
    """``href`` resolved against ``base``; None unless the result is an http(s) URL."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        href = f"{urlsplit(base).scheme or 'https'}:{href}"
    try:
        resolved = urljoin(base, href)
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.netloc:
        return None
    return resolved


def site_key(url: str) -> str:
    """The host of ``url`` with ``www.`` folded: two URLs are the same site when keys match."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def is_site_root(url: str) -> bool:
    """True for a site's home page (empty or ``/`` path, maybe an index file, no query)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    path = parts.path.rstrip("/")
    return not parts.query and path in ("", "/index.html", "/index.php", "/index.htm")
