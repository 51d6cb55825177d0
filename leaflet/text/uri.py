"""Web addresses as a QR code holds them, and the rule for a leaflet's ``digital_url``.

Shared by the content rules (which refuse an address no QR code can hold) and the typesetter
(:mod:`leaflet.typeset.qr`, which encodes it).
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

# A web address: http:// or https://, a host, then anything without spaces.
WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\S*$")
# The most bytes a QR code holds (version 40, error correction level M, byte mode).
QR_CAPACITY = 2331


def ascii_uri(url: str) -> str:
    """The address as a QR code holds it: ASCII only (an IDNA host, percent-encoded UTF-8
    elsewhere), as browsers send it, so that every reader opens the same address (a QR code in
    byte mode does not say its character set). An ASCII address is unchanged."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = parts.netloc
    if host and not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:  # a label IDNA refuses (too long, say): percent-encoded like the rest
            ascii_host = quote(host, safe="")
        netloc = netloc.replace(host, ascii_host, 1) if host in netloc else ascii_host
    safe = "/:@!$&'()*+,;=%-._~"
    return urlunsplit((parts.scheme, quote(netloc, safe=safe + "[]"), quote(parts.path, safe=safe),
                       quote(parts.query, safe=safe + "?"), quote(parts.fragment, safe=safe + "?#")))


def url_problem(url: str) -> tuple[str, str] | None:
    """What is wrong with ``url`` as the address of a digital leaflet, and a hint; None when fine."""
    if not WEB_ADDRESS.match(url):
        return ("not a web address: it must start with http:// or https:// and a host, with no spaces",
                "e.g. https://example.org/leaflets/baclofen-en")
    if len(ascii_uri(url)) > QR_CAPACITY:
        return (f"the address is too long for a QR code ({len(ascii_uri(url))} characters encoded, "
                f"at most {QR_CAPACITY})", "give a shorter address (a short link) for the digital leaflet")
    return None
