"""Hostile XML payloads shared by the feed tests and the hostile-input drill."""

from __future__ import annotations


def _ref(n: int) -> str:
    return "&lol;" if n == 1 else f"&lol{n};"


_LEVELS = "\n".join(f' <!ENTITY lol{n} "{_ref(n - 1) * 10}">' for n in range(2, 10))


def billion_laughs(link: str) -> bytes:
    """An RSS feed whose entities expand to about a billion 'lol's if a parser lets them."""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        f"{_LEVELS}\n]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title>\n'
        f"<item><title>&lol9;</title><link>{link}</link></item></channel></rss>\n"
    ).encode()


def external_entity(link: str) -> bytes:
    """An RSS feed that asks the parser to read a local file into an item title."""
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<rss version="2.0"><channel><title>t</title>\n'
        f"<item><title>&xxe;</title><link>{link}</link></item></channel></rss>\n"
    ).encode()
