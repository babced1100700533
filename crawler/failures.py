"""Fetch stage: name a failed request — which counter it goes to and what the run record says.

Scrapy reports very different things as one `IgnoreRequest` (robots.txt, offsite links, a
decompression bomb, too many redirects); only the first two are policy. The rest are
problems with the site and must show in the crawl run's error counts.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import stats as st
from crawler.guards import RefusedRequest
from crawler.retry import GAVE_UP_META


def classify_failure(failure: Failure, request: Request) -> tuple[str, str]:
    """(stats key, message) for a failed request; key `st.IGNORED` means policy, not error."""
    value = failure.value
    if isinstance(value, HttpError):
        status = getattr(getattr(value, "response", None), "status", "?")
        return st.ERRORS_HTTP, f"HTTP {status} for {request.url}{_gave_up(request)}"
    if isinstance(value, RefusedRequest):
        return value.key, str(value)
    if isinstance(value, IgnoreRequest):
        text = str(value)
        if "max redirections" in text:
            chain = [*request.meta.get("redirect_urls", ()), request.url]
            return st.ERRORS_REDIRECT, f"too many redirects ({len(chain) - 1}) from {chain[0]}"
        if "DOWNLOAD_MAXSIZE" in text:
            return st.ERRORS_TOO_LARGE, f"too large after decompression: {request.url}"
        return st.IGNORED, f"{text} ({request.url})"  # robots.txt, offsite
    if isinstance(value, DownloadCancelledError) and (not str(value) or "max size" in str(value)):
        # Scrapy cancels a body that grows past DOWNLOAD_MAXSIZE without a message.
        return st.ERRORS_TOO_LARGE, f"too large: {request.url} (beyond DOWNLOAD_MAXSIZE)"
    if "HeaderSectionTooLarge" in str(value):  # wrapped in Twisted's ResponseFailed
        return (
            st.ERRORS_TOO_LARGE,
            f"too large: headers beyond WARTA_MAX_HEADER_BYTES: {request.url}",
        )
    kind = failure.type.__name__ if failure.type else "error"
    return st.ERRORS_DOWNLOAD, f"{kind}: {value} for {request.url}{_gave_up(request)}"


def _gave_up(request: Request) -> str:
    reason = request.meta.get(GAVE_UP_META)
    if reason:
        return f" (gave up retrying: {reason})"
    retries = int(request.meta.get("retry_times", 0))
    return f" (gave up after {retries + 1} attempts)" if retries else ""
