"""What kind of address a host is: the one rule the crawl's guard and the alert webhooks share.

Standard library only, so the web server and the alert sender use it without importing Scrapy.
"""
from __future__ import annotations

import ipaddress
import socket

# Cloud instance-metadata services outside link-local space (169.254.169.254 is link-local
# already): Alibaba Cloud's 100.100.100.200 and AWS's IPv6 endpoint. Never fetched.
METADATA = frozenset(ipaddress.ip_address(a) for a in ("100.100.100.200", "fd00:ec2::254"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # an IPv4 address reached through a NAT64 gateway


def ip_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """'public', 'loopback', 'private' or 'forbidden' (link-local, metadata, multicast, reserved)."""
    if ip.version == 6:  # an IPv4 address written as IPv6 is judged as that IPv4 address
        embedded = ip.ipv4_mapped or ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None)
        if embedded is not None:
            ip = embedded
    if ip.is_loopback:
        return "loopback"
    if ip in METADATA or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return "forbidden"
    if ip.is_global:
        return "public"
    # RFC 1918, the shared address space 100.64.0.0/10 (carrier NAT, Tailscale), unique-local
    # IPv6, benchmarking and documentation ranges: reachable only from inside some network.
    return "private"


def address_kind(host: str) -> str:
    """The worst kind among the addresses a host name (or address) resolves to."""
    try:
        infos = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError):
        return "public"  # unresolvable: the download fails and is counted as dns
    kinds = {ip_kind(ipaddress.ip_address(address.split("%")[0])) for address in infos}
    for kind in ("forbidden", "private", "loopback"):
        if kind in kinds:
            return kind
    return "public"
