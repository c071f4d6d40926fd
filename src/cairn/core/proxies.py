"""Forwarding headers believed only from the proxies a deployment names in ``TRUSTED_PROXIES``.

Anyone can send ``X-Forwarded-Proto: https`` or ``X-Forwarded-For: 10.0.0.1``. Believed from a stranger,
the first makes a plain-HTTP request look secure (``SECURE_PROXY_SSL_HEADER``) and the second lets one
machine pose as many addresses to the login throttle, or pin a lockout on somebody else's. So
``TrustedProxyMiddleware``, first in the stack, drops every forwarding header unless the request comes
straight from a trusted proxy; when it does, the client's address becomes the right-most hop of
``X-Forwarded-For`` that is not itself a trusted proxy (hops to its left were written by the client and
prove nothing). Axes reads that same address through ``client_ip``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_from_forwarded_for(header: str, remote_addr: str, networks: tuple[Network, ...]) -> str:
    """The right-most hop not in ``networks``, read right to left from the proxy that called us. A hop
    that is not an address ends the walk at the last trusted one: a proxy never writes garbage, so whatever
    wrote it is untrusted and we know no more than the hop that passed it on."""
    client = remote_addr
    for hop in reversed([part.strip() for part in header.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        client = hop
        if not is_trusted(hop, networks):
            break
    return client


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        networks = trusted_networks()
        remote_addr = meta.get("REMOTE_ADDR", "")
        if networks and is_trusted(remote_addr, networks):
            forwarded_for = meta.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded_for:
                meta["REMOTE_ADDR"] = client_from_forwarded_for(forwarded_for, remote_addr, networks)
        else:
            for header in FORWARDING_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as ``TrustedProxyMiddleware`` settled it (``AXES_CLIENT_IP_CALLABLE``)."""
    return request.META.get("REMOTE_ADDR") or None
