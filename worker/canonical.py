"""Canonical URLs, the unique key of an article: the one module that wraps courlan."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit, urlunsplit

from courlan import extract_domain, normalize_url, scrub_url

__all__ = ["canonical_url", "same_site", "site_name"]


def canonical_url(url: str) -> str:
    """Normalise ``url`` so that every spelling of one page gives the same string.

    Lowercases scheme and host, drops the default port, the fragment and tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid`` ...), sorts the remaining query parameters,
    resolves ``.``/``..`` segments, removes a trailing slash from any path but the root, and
    writes the root as ``/``.
    Raises ``ValueError`` when ``url`` is not an http(s) URL with a host.
    """
    scrubbed = scrub_url(url)
    parts = urlsplit(scrubbed)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a web address (expected http:// or https:// and a host): {url!r}")
    normalised = urlsplit(normalize_url(scrubbed, strict=False, trailing_slash=False))
    path = posixpath.normpath(normalised.path) if normalised.path else "/"
    path = "/" + path.lstrip("/") if path != "." else "/"
    return urlunsplit((normalised.scheme, normalised.netloc, path, normalised.query, ""))


def site_name(url: str) -> str | None:
    """Return the registered domain of ``url`` ('www.bbc.co.uk' -> 'bbc.co.uk'), or None."""
    domain = extract_domain(url)
    return domain or urlsplit(url).hostname


def same_site(a: str, b: str) -> bool:
    """Tell whether both URLs are on one registered domain (subdomains count as the same site)."""
    site_a, site_b = site_name(a), site_name(b)
    return site_a is not None and site_a == site_b
