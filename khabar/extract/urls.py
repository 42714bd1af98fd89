"""Canonical addresses: the same article reached by different links gets one identity."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a reader, never choose the page.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "matomo_", "hsa_", "_hs")
_TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "twclid",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "spm",
        "share",
        "at_medium",
        "at_campaign",
        "amp",
        "outputtype",
        "__twitter_impression",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _keep(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _TRACKING and not lowered.startswith(_TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """Return `url` without tracking parameters, fragment, default port or host case."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _keep(k)]
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, query, ""))
