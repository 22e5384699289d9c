"""URL and address safety: which URLs the worker may fetch, and which addresses it may connect to.

A URL is refused for a bad scheme, credentials, a malformed or numerically disguised host, or a
host that is (or resolves to) an address outside the public internet: loopback, private,
link-local, carrier-grade NAT, multicast, unspecified, reserved, or a cloud metadata address —
including IPv4 addresses hidden inside IPv6 (mapped, compatible, 6to4, Teredo, NAT64).
``allow_private`` lifts only the address rules; the scheme, credential and form rules stay.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

import idna

from worker.errors import UnsafeURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
# The store's URL columns hold this many characters; longer URLs are refused, not cut.
MAX_URL_LENGTH = 2048
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, ...
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_ASCII_HOST = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*")


def check_address(
    ip: str | IPAddress, allow_private: bool, *, allowed: Iterable[IPNetwork] = ()
) -> IPAddress:
    """Return ``ip`` parsed if the worker may connect to it; raise ``UnsafeURLError`` if not.

    ``allowed`` lists networks accepted even when private networks are not (e.g. one test host).
    """
    address = ipaddress.ip_address(ip.split("%")[0] if isinstance(ip, str) else ip)
    if isinstance(ip, str) and "%" in ip:
        raise UnsafeURLError(f"The address {ip} carries an IPv6 zone, so it is local to this host.")
    if allow_private or any(address in net for net in allowed):
        return address
    problem = address_problem(address)
    if problem:
        raise UnsafeURLError(f"The address {address} is refused: it is {problem}.")
    return address


def address_problem(address: IPAddress) -> str | None:
    """Describe why ``address`` is not a public internet address, or return None if it is."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        for kind, inner in _embedded_ipv4(address):
            problem = address_problem(inner)
            if problem:
                return f"an IPv6 address embedding {inner} ({kind}), {problem}"
        if address.ipv4_mapped is not None or _is_ipv4_compatible(address):
            return None  # the embedded IPv4 address is what gets connected to, and it passed
    if address.is_unspecified or address in _THIS_NETWORK:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address in _CGNAT:
        return "a carrier-grade NAT address (100.64.0.0/10)"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private network address"
    if not address.is_global:
        return "not a public internet address"
    return None


def _is_ipv4_compatible(address: ipaddress.IPv6Address) -> bool:
    return address in _IPV4_COMPATIBLE and int(address) > 1


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if address.ipv4_mapped is not None:
        found.append(("IPv4-mapped", address.ipv4_mapped))
    elif _is_ipv4_compatible(address):
        found.append(("IPv4-compatible", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)))
    if address.sixtofour is not None:
        found.append(("6to4", address.sixtofour))
    if address.teredo is not None:
        server, client = address.teredo
        found.extend([("Teredo server", server), ("Teredo client", client)])
    if any(address in net for net in _NAT64):
        found.append(("NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)))
    return found


def parse_numeric_host(host: str) -> IPAddress | None:
    """Return the address a numeric host means (browser rules: ``0x7f.1``, ``2130706433``), or None.

    Raises ``UnsafeURLError`` for a host that looks numeric but is not a valid address.
    """
    if host.startswith("[") and host.endswith("]"):
        try:
            return ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise UnsafeURLError(f"The host {host} is not a valid IPv6 address.") from None
    parts = host.removesuffix(".").split(".")
    if not parts or not _looks_numeric(parts[-1]):
        return None  # a name, not an address (WHATWG "ends in a number" rule)
    values = [_parse_ipv4_part(p, host) for p in parts]
    if len(values) > 4 or any(v > 255 for v in values[:-1]):
        raise UnsafeURLError(f"The host {host} is not a valid IPv4 address.")
    last_limit = 256 ** (5 - len(values))
    if values[-1] >= last_limit:
        raise UnsafeURLError(f"The host {host} is not a valid IPv4 address.")
    number = values[-1]
    for index, value in enumerate(values[:-1]):
        number += value << (8 * (3 - index))
    return ipaddress.IPv4Address(number)


def _looks_numeric(part: str) -> bool:
    return bool(part) and (part.isdigit() or bool(re.fullmatch(r"0[xX][0-9a-fA-F]*", part)))


def _parse_ipv4_part(part: str, host: str) -> int:
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part, 8)
        return int(part, 10)
    except ValueError:
        raise UnsafeURLError(f"The host {host} is not a valid IPv4 address.") from None


def check_url(
    url: str,
    *,
    allow_private: bool,
    allowed: Iterable[IPNetwork] = (),
    resolver: Resolver | None = None,
) -> str:
    """Validate ``url`` and return it normalised; raise ``UnsafeURLError`` saying why not.

    With a ``resolver`` every address the host resolves to is checked too (a failed lookup is
    not a refusal: the fetch will report it). Without one, only hosts written as addresses and
    ``localhost`` names are checked here; the fetcher checks resolved addresses at connect time.
    """
    allowed = tuple(allowed)
    text = url.strip()
    if len(text) > MAX_URL_LENGTH:
        raise UnsafeURLError(
            f"The URL {text[:60]!r}... is {len(text)} characters long; "
            f"at most {MAX_URL_LENGTH} are accepted."
        )
    if _CONTROL_CHARS.search(text):
        raise UnsafeURLError(f"The URL {text!r} contains control characters.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"The URL {text!r} is malformed: {exc}.") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"the scheme {scheme}:" if scheme else "no scheme"
        raise UnsafeURLError(f"The URL {text!r} has {shown}; only http and https are fetched.")
    if "@" in parts.netloc:
        raise UnsafeURLError(
            f"The URL {text!r} contains credentials (user:password@); remove them."
        )
    if " " in parts.netloc or "\\" in parts.netloc or "%" in parts.netloc:
        raise UnsafeURLError(f"The URL {text!r} has a malformed host part {parts.netloc!r}.")
    if port == 0:
        raise UnsafeURLError(f"The URL {text!r} names port 0, which cannot be connected to.")
    host = _normalise_host(parts.hostname or "", text)
    numeric = parse_numeric_host(f"[{host}]" if ":" in host else host)
    if numeric is not None:
        host = _check_numeric_host(host, numeric, allow_private, allowed)
    elif host in _LOCAL_NAMES or host.endswith(".localhost"):
        try:
            check_address("127.0.0.1", allow_private, allowed=allowed)
        except UnsafeURLError:
            raise UnsafeURLError(
                f"The host {host} names this machine (a loopback address)."
            ) from None
    elif resolver is not None:
        resolve_checked(host, port or _default_port(scheme), allow_private, allowed, resolver)
    netloc = host if port is None or port == _default_port(scheme) else f"{host}:{port}"
    path = (parts.path or "/").replace(" ", "%20")
    return urlunsplit((scheme, netloc, path, parts.query.replace(" ", "%20"), ""))


def _check_numeric_host(
    host: str, numeric: IPAddress, allow_private: bool, allowed: tuple[IPNetwork, ...]
) -> str:
    shown = f"[{host}]" if numeric.version == 6 else host
    canonical = f"[{numeric.compressed}]" if numeric.version == 6 else str(numeric)
    disguised = numeric.version == 4 and host != canonical
    try:
        check_address(numeric, allow_private, allowed=allowed)
    except UnsafeURLError as exc:
        if disguised:
            reason = f"The host {shown} is {numeric} in disguise. {exc.reason}"
            raise UnsafeURLError(reason) from None
        raise
    if disguised:
        raise UnsafeURLError(
            f"The host {shown} is the address {numeric} written in a disguised numeric form; "
            f"write it as {canonical} if that is really meant."
        )
    return canonical


def _normalise_host(raw_host: str, url: str) -> str:
    if ":" in raw_host:  # an IPv6 literal; urlsplit already removed the brackets
        return raw_host.lower()
    host = raw_host.lower().removesuffix(".")
    if not host:
        raise UnsafeURLError(f"The URL {url!r} has no host name.")
    if host.isascii():
        if not _ASCII_HOST.fullmatch(host):
            raise UnsafeURLError(f"The URL {url!r} has a malformed host name {raw_host!r}.")
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise UnsafeURLError(f"The host {raw_host!r} is not a valid host name: {exc}.") from None


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system resolver; return addresses in preference order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in seen:
            seen.append(address)
    return seen


def resolve_checked(
    host: str,
    port: int,
    allow_private: bool,
    allowed: Iterable[IPNetwork] = (),
    resolver: Resolver = system_resolver,
) -> list[IPAddress]:
    """Resolve ``host`` and check every address; refuse the host if any address is unsafe.

    Raises ``OSError`` when the name does not resolve.
    """
    allowed = tuple(allowed)
    numeric = parse_numeric_host(f"[{host}]" if ":" in host else host)
    if numeric is not None:
        return [check_address(numeric, allow_private, allowed=allowed)]
    addresses = list(resolver(host, port))
    if not addresses:
        raise OSError(f"the host name {host} did not resolve to any address")
    checked = []
    for address in addresses:
        try:
            checked.append(check_address(address, allow_private, allowed=allowed))
        except UnsafeURLError as exc:
            reason = f"The host {host} resolves to a refused address. {exc.reason}"
            raise UnsafeURLError(reason) from None
    return checked


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse CIDR strings (``127.0.0.1/32``) into networks."""
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)
