"""The rate limits count real visitors behind a configured number of trusted proxies."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from core.abuse import rate_limited
from core.clientip import client_ip

factory = RequestFactory()


def post(remote_addr: str, forwarded_for: str | None = None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return factory.post("/form/", REMOTE_ADDR=remote_addr, headers=headers)


def test_without_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(post("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_without_proxies_a_forged_header_does_not_escape_the_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    results = [
        rate_limited(post("203.0.113.7", f"198.51.100.{n}"), "clientip-test", rate="2/h")
        for n in range(3)
    ]
    assert results == [False, False, True]


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(post("172.18.0.5", "198.51.100.1")) == "198.51.100.1"


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(post("172.18.0.5", "198.51.100.1, 10.0.0.2")) == "198.51.100.1"


@pytest.mark.parametrize("count", [1, 2])
def test_forged_entries_on_the_left_are_never_used(settings, count):
    settings.TRUSTED_PROXY_COUNT = count
    trusted_hops = ", ".join(["198.51.100.1", "10.0.0.2"][:count])
    forged = post("172.18.0.5", f"1.2.3.4, 5.6.7.8, {trusted_hops}")
    assert client_ip(forged) == "198.51.100.1"


def test_behind_a_proxy_visitors_have_separate_buckets(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        assert not rate_limited(post("172.18.0.5", "198.51.100.1"), "clientip-test", "2/h")
    assert rate_limited(post("172.18.0.5", "198.51.100.1"), "clientip-test", "2/h")
    # another visitor through the same proxy is not blocked
    assert not rate_limited(post("172.18.0.5", "198.51.100.2"), "clientip-test", "2/h")


def test_behind_a_proxy_forging_extra_entries_does_not_reset_the_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    results = [
        rate_limited(post("172.18.0.5", f"9.9.9.{n}, 198.51.100.1"), "clientip-test", "2/h")
        for n in range(3)
    ]
    assert results == [False, False, True]


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address", " , "])
def test_a_request_that_skipped_the_proxies_falls_back_to_the_connection(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(post("172.18.0.5", forwarded_for)) == "172.18.0.5"


def test_fewer_addresses_than_trusted_proxies_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(post("172.18.0.5", "198.51.100.1")) == "172.18.0.5"


def test_ipv6_clients_are_read_as_well(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(post("172.18.0.5", "2001:db8::1")) == "2001:db8::1"


def test_the_rate_limits_use_this_address():
    assert django_settings.RATELIMIT_IP_META_KEY == "core.clientip.client_ip"
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "core.clientip.client_ip"
