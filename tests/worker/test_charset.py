"""The one bytes-to-text decoder of fetched pages, article files and home pages."""

from __future__ import annotations

from worker import charset


def test_decode_uses_declared_then_meta_charset() -> None:
    """The declared encoding wins; without one, <meta charset> is honoured."""
    text = "<html><head><meta charset='windows-1251'></head><body>Путин и Си</body></html>"
    raw = text.encode("windows-1251")
    assert charset.decode(raw) == text
    assert charset.decode(raw, "windows-1251") == text
    latin = "<p>Café société</p>".encode("latin-1")
    assert charset.decode(latin, "latin-1") == "<p>Café société</p>"


def test_decode_sniffs_undeclared_encoding() -> None:
    """With neither header nor meta, content sniffing picks a working encoding."""
    body = "<p>" + "Россия и Китай подписали новое соглашение о поставках газа. " * 20 + "</p>"
    assert charset.decode(body.encode("utf-8")) == body


def test_decode_falls_back_when_the_declared_charset_fails() -> None:
    """An unknown or wrong label is ignored: the detected encoding decodes the bytes."""
    text = "<p>Café société</p>"
    assert charset.decode(text.encode("utf-8"), "no-such-codec") == text
    assert charset.decode(text.encode("utf-8"), "ascii") == text


def test_decode_never_raises_on_undecodable_bytes() -> None:
    """Bytes no encoding can read are replaced rather than raised."""
    assert charset.decode(b"<p>caf\xe9 \x81\x8d\x8f\x90</p>", "utf-8").startswith("<p>caf")
