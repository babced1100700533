"""Canonical URLs: the variants of one article URL fold into one storage key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.urls import absolute_url, canonicalize_url, is_site_root, site_key

BASE = "https://example.com/news/openai-model"


@pytest.mark.parametrize(
    "variant",
    [
        "https://example.com/news/openai-model",
        "https://www.example.com/news/openai-model",
        "HTTPS://WWW.EXAMPLE.COM/news/openai-model",
        "https://example.com/news/openai-model/",
        "https://example.com:443/news/openai-model",
        "https://example.com/news/openai-model#comments",
        "https://example.com/news/openai-model?utm_source=twitter&utm_medium=social",
        "https://example.com/news/openai-model?fbclid=IwAR0abc&gclid=xyz",
        "https://example.com/news/openai-model?mc_cid=1&mc_eid=2&igshid=3&_ga=4",
        "https://example.com/news/openai-model?ref=hn&ref_src=twsrc&spm=a2c",
        "https://example.com/news/openai-model?amp=1",
        "  https://example.com/news/openai-model?UTM_Campaign=x  ",
    ],
)
def test_tracking_and_cosmetic_variants_fold_to_one_key(variant: str) -> None:
    assert canonicalize_url(variant) == BASE


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    got = canonicalize_url("https://example.com/read?page=2&id=10&utm_source=x")
    assert got == "https://example.com/read?id=10&page=2"


def test_root_keeps_its_slash_and_http_default_port_is_dropped() -> None:
    assert canonicalize_url("http://Example.com:80") == "http://example.com/"
    assert canonicalize_url("https://example.com/") == "https://example.com/"


def test_non_default_port_and_scheme_are_kept() -> None:
    assert canonicalize_url("http://example.com:8080/a/") == "http://example.com:8080/a"
    assert canonicalize_url("http://example.com/a") != canonicalize_url("https://example.com/a")


def test_percent_encoding_is_normalized() -> None:
    assert canonicalize_url("https://example.com/caf%c3%a9") == "https://example.com/caf%C3%A9"
    assert canonicalize_url("https://example.com/café") == "https://example.com/caf%C3%A9"
    assert canonicalize_url("https://example.com/%7Euser") == "https://example.com/~user"


def test_non_http_input_is_returned_stripped() -> None:
    assert canonicalize_url(" mailto:a@example.com ") == "mailto:a@example.com"
    assert canonicalize_url("not a url") == "not a url"


def test_absolute_url_resolves_relative_and_protocol_relative() -> None:
    assert absolute_url("/img/a.jpg", BASE) == "https://example.com/img/a.jpg"
    assert absolute_url("//cdn.example.com/a.jpg", BASE) == "https://cdn.example.com/a.jpg"
    assert absolute_url("javascript:alert(1)", BASE) is None
    assert absolute_url("", BASE) is None


def test_site_helpers() -> None:
    assert site_key("https://WWW.Example.com/x") == "example.com"
    assert is_site_root("https://example.com/")
    assert is_site_root("https://example.com/index.php")
    assert not is_site_root("https://example.com/news/a")
    assert not is_site_root("https://example.com/?p=12")


_segment = st.text(alphabet="abcXYZ09-_.~%é /", min_size=0, max_size=8)
_urls = st.builds(
    lambda scheme, www, host, port, segs, params, frag, slash: (
        f"{scheme}://{www}{host}{port}/{'/'.join(segs)}{slash}"
        + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")
        + (f"#{frag}" if frag else "")
    ),
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.sampled_from(["example.com", "Example.COM", "berita.co.id", "127.0.0.1"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(_segment, max_size=4),
    st.lists(
        st.tuples(
            st.sampled_from(["a", "B", "utm_source", "ref", "page", "q", "amp", "fbclid"]),
            _segment,
        ),
        max_size=4,
    ),
    _segment,
    st.sampled_from(["", "/", "//"]),
)


@given(_urls)
def test_canonicalize_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@given(st.text(max_size=60))
def test_canonicalize_is_idempotent_on_arbitrary_text(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
