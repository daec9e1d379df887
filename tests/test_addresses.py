"""Issue 21 item 10: the address rule the crawl guard and alert webhooks share (crawler/addresses.py)."""
from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys

import pytest

from crawler.addresses import address_kind, ip_kind
from monitor.alerts.channels import Refused, check_target


@pytest.mark.parametrize("address, kind", [
    ("8.8.8.8", "public"),
    ("2a00:1450:4001:80b::200e", "public"),
    ("127.0.0.1", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),          # IPv4-mapped: judged as the IPv4 address
    ("10.1.2.3", "private"),
    ("192.168.0.10", "private"),
    ("100.64.0.1", "private"),                 # shared address space (carrier NAT): not the internet
    ("100.127.255.254", "private"),
    ("198.18.0.1", "private"),
    ("fd12:3456::1", "private"),
    ("100.100.100.200", "forbidden"),          # Alibaba Cloud's instance metadata
    ("fd00:ec2::254", "forbidden"),            # AWS's IPv6 instance metadata
    ("169.254.169.254", "forbidden"),
    ("::ffff:169.254.169.254", "forbidden"),
    ("64:ff9b::a9fe:a9fe", "forbidden"),       # 169.254.169.254 through NAT64
    ("2002:a9fe:a9fe::1", "forbidden"),        # ... and through 6to4
    ("0.0.0.0", "forbidden"),
    ("224.0.0.1", "forbidden"),
])
def test_ip_kind(address, kind):
    assert ip_kind(ipaddress.ip_address(address)) == kind
    assert address_kind(address) == kind


@pytest.mark.parametrize("url", ["http://100.100.100.200/hook", "http://100.64.0.1/hook",
                                 "http://[::ffff:10.0.0.1]/hook"])
def test_webhooks_to_shared_or_metadata_addresses_are_refused(url):
    with pytest.raises(Refused, match="refused"):
        check_target(url, allow_private=False)


@pytest.mark.parametrize("url", ["http://100.100.100.200/hook", "http://169.254.169.254/latest/meta-data/",
                                 "http://[fd00:ec2::254]/hook", "http://[::ffff:169.254.169.254]/hook"])
def test_allowing_private_targets_never_allows_metadata_addresses(url):
    with pytest.raises(Refused, match="whatever the alert allows"):
        check_target(url, allow_private=True)
    check_target("http://127.0.0.1:9/hook", allow_private=True)  # loopback is what it allows


def source(host: str, allow_private: bool) -> str:
    return (f'[[source]]\nid = "s"\nname = "s"\ncountry = "TR"\nlanguages = ["en"]\nbase_url = "http://{host}/"\n'
            f'feeds = ["http://{host}/feed.xml"]\nsections = ["http://{host}/latest"]\n'
            f"allow_private = {str(allow_private).lower()}\n")


@pytest.mark.parametrize("host, allow_private, error", [
    ("100.100.100.200", True, "address_forbidden"),  # metadata: even a source allowed private networks
    ("100.64.0.7", False, "address_private"),
])
def test_a_crawl_never_fetches_a_metadata_or_shared_address(tmp_path, host, allow_private, error):
    """The real `newsmon crawl`: each request refused by the guard before it leaves, and counted."""
    sources = tmp_path / "sources.toml"
    sources.write_text(source(host, allow_private), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", f"sqlite:///{tmp_path / 'store.db'}",
                          "crawl", "--json", "--sources", str(sources), "--state", str(tmp_path / "state.db")],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "NEWSMON_HOME": str(tmp_path)})
    (summary,) = json.loads(run.stdout)  # whatever the exit code says about a crawl that fetched nothing
    assert summary["errors"].get(error, 0) >= 2, (summary, run.stderr[-2000:])
    assert summary["pages"] == 0 and "Traceback" not in run.stderr
