"""The alerts journey end to end: a customer subscribes to a product in the browser; staff
publish a critical workaround in the editor; the customer sees the notification (unread count,
notifications page, the alert on the home page) and the e-mail arrives at a real SMTP server,
sent by `kb serve`'s background delivery."""

from __future__ import annotations

import shutil
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.alerts.conftest import SmtpServer
from tests.browser.conftest import LiveServer, menu_link, sign_in
from tests.conftest import IsolatedDatabase

pytestmark = pytest.mark.browser
CUSTOMER = "premium@demo.test"


@pytest.fixture(scope="module")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mailing_server(tmp_path_factory, smtp_server):
    """`kb serve` on the demo data, delivering its e-mail to the test SMTP server."""
    directory = tmp_path_factory.mktemp("alerts-live")
    database = IsolatedDatabase(directory)
    server = LiveServer(directory / "data", database.url)
    server.environment["KB_SMTP_URL"] = smtp_server.url
    try:
        server.start()
        yield server
    finally:
        server.stop()
        database.drop()
        shutil.rmtree(directory, ignore_errors=True)


def signed_in_page(browser: Browser, base_url: str, email: str) -> Page:
    page = browser.new_context().new_page()
    sign_in(page, base_url, email)
    return page


def publish_critical_workaround(page: Page, title: str) -> None:
    menu_link(page, "Article editor").click()
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option(value="workaround")
    page.get_by_label("Products").select_option(label="Orbit Integration Hub")
    page.get_by_label("Versions", exact=True).fill("4.0")
    page.get_by_label("Body (Markdown)").fill("Restart the **connector** with `--drain`.")
    page.get_by_label("Workaround for a critical issue").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash-success")).to_contain_text("has been saved (published)")


def test_subscribe_publish_notification_and_e_mail(browser: Browser, mailing_server,
                                                    smtp_server):
    base_url = mailing_server.url
    title = f"Connector stalls on large batches {uuid.uuid4().hex[:6]}"

    customer = signed_in_page(browser, base_url, CUSTOMER)
    # the Support menu holds incidents too: the entry is found with its menu opened
    menu_link(customer, "Critical-issue alerts").click()
    expect(customer.get_by_role("heading", name="Critical-issue alerts")).to_be_visible()
    customer.get_by_label("Product and version").select_option(label="Orbit Integration Hub 4.0")
    customer.locator("#subscribe").get_by_role("button", name="Subscribe").click()
    expect(customer.locator(".flash-success")).to_contain_text("Orbit Integration Hub 4.0")
    expect(customer.locator("#subscription-list")).to_contain_text("Orbit Integration Hub 4.0")

    staff = signed_in_page(browser, base_url, "staff@demo.test")
    publish_critical_workaround(staff, title)

    customer.goto(base_url + "/")
    expect(customer.locator("#home-alerts")).to_contain_text(title)
    expect(customer.locator("#unread-count")).to_contain_text("unread")
    customer.locator("#nav-notifications").click()
    entry = customer.locator("#notifications li").filter(has_text=title)
    expect(entry).to_contain_text("workaround available")
    entry.locator(".notification-title").click()
    expect(customer.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(customer.locator("#history")).to_contain_text("Workaround available")
    customer.get_by_role("link", name=title).click()
    expect(customer.locator("strong", has_text="connector")).to_be_visible()

    inbox = smtp_server.inbox
    with inbox.arrived:
        inbox.arrived.wait_for(lambda: any(title in (m["Subject"] or "")
                                           for m in inbox.to(CUSTOMER)), timeout=90)
    [message] = [m for m in inbox.to(CUSTOMER) if title in m["Subject"]]
    text = message.get_body(("plain",)).get_content()
    assert f"{base_url}/alerts/" in text and f"{base_url}/articles/" in text
    assert message["List-Unsubscribe"]
    assert not [m for m in inbox.messages if title in m["Subject"]
                and m["To"] in ("xtreme@demo.test", "lapsed@demo.test")]
