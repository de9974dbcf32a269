"""Absolute links: KB_BASE_URL when set; else a page's own address, and for e-mail and work
outside a request the address kb serve was started on, never a request's Host header."""

from __future__ import annotations

import socket

import pytest

from kb.links import absolute_url, serve_url


@pytest.fixture
def unconfigured(app):
    app.config.update(BASE_URL="", SERVE_URL="http://10.1.2.3:9000")
    return app


def test_kb_base_url_wins_everywhere(app):
    app.config.update(BASE_URL="https://support.example.test/", SERVE_URL="http://x:1")
    with app.test_request_context("/", base_url="http://other.example"):
        assert absolute_url("/a") == "https://support.example.test/a"
        assert absolute_url("/a", for_email=True) == "https://support.example.test/a"
    with app.app_context():
        assert absolute_url("/a") == "https://support.example.test/a"


def test_pages_use_their_request_address_and_e_mail_the_serve_address(unconfigured):
    with unconfigured.test_request_context("/", base_url="http://attacker.example:81"):
        assert absolute_url("/a") == "http://attacker.example:81/a"
        assert absolute_url("/a", for_email=True) == "http://10.1.2.3:9000/a"
    with unconfigured.app_context():
        assert absolute_url("/a") == "http://10.1.2.3:9000/a"


def test_kb_serve_records_the_address_it_listens_on():
    assert serve_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert serve_url("::1", 8123) == "http://[::1]:8123"
    assert serve_url("0.0.0.0", 8123) == f"http://{socket.getfqdn()}:8123"
