"""Support-desk journeys against the real server: an Elite customer logs a Severity 1 incident
(articles are suggested while the title is typed) and sees its response target; staff see the
queue in priority order; the Elite customer grants the remote access support asked for, and
staff see that they may connect."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import menu_link, sign_in

pytestmark = pytest.mark.browser


def test_log_an_incident_and_see_its_target(page: Page, base_url):
    sign_in(page, base_url, "elite@demo.test")
    menu_link(page, "Incidents").click()
    page.get_by_role("link", name="Log an incident").click()
    page.get_by_label("Product", exact=True).select_option("Orbit Integration Hub")
    page.get_by_label("Version", exact=True).fill("4.0")
    page.get_by_label("Severity 1 – Critical").check()
    title = page.get_by_label("Title", exact=True)
    title.press_sequentially("Dead-letter queue overflow", delay=20)
    suggestions = page.locator("#deflection-list")
    expect(suggestions).to_contain_text("dead-letter queue overflow", ignore_case=True,
                                        timeout=15_000)
    page.get_by_label("Description (Markdown)").fill("Messages vanish since 02:00.")
    page.get_by_role("button", name="Log the incident").click()
    expect(page.get_by_text(re.compile(r"Incident #\d+ is logged\."))).to_be_visible()
    target = page.locator("#incident-target")
    expect(target).to_contain_text("Response due")
    # Elite Severity 1: one hour around the clock
    expect(target).to_contain_text(re.compile(r"in (59|60) min|in 1 h"))


def test_staff_queue_in_priority_order(page: Page, base_url):
    sign_in(page, base_url, "staff@demo.test")
    menu_link(page, "Incident queue").click()
    # the queue's rows once the page has loaded (read at once, they were the previous page's:
    # none)
    rows = page.locator("table.queue tbody tr td:nth-child(2) a")
    expect(rows.first).to_be_visible()
    titles = rows.all_inner_texts()
    demo_order = ["Invoice posting stops with error E-4711",  # Sev 1 Elite
                  "Warehouse terminals cannot sign in",  # Sev 1 Premium
                  "Partner orders arrive twice",  # Sev 2 Premium
                  "Month-end close takes six hours",  # Sev 2 Xtreme
                  "Retry queue grows overnight"]  # Sev 3 Elite
    assert [title for title in titles if title in demo_order] == demo_order
    page.get_by_label("About to breach").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"breaching=1"))


def test_the_customer_grants_remote_access(page: Page, base_url, browser):
    sign_in(page, base_url, "elite@demo.test")
    page.goto(base_url + "/support/incidents")
    page.get_by_role("link", name="#1 Invoice posting stops with error E-4711").click()
    expect(page.get_by_text("Support asks for remote access")).to_be_visible()
    page.get_by_role("button", name="Grant remote access").click()
    expect(page.get_by_text("Remote access is granted")).to_be_visible()
    expect(page.locator("#remote-access")).to_contain_text("Active")
    expect(page.locator(".thread")).to_contain_text("Remote access granted by Elena Elite")

    staff = browser.new_context().new_page()
    sign_in(staff, base_url, "staff@demo.test")
    staff.goto(page.url)
    expect(staff.get_by_text("A grant is active: you may connect now.")).to_be_visible()
    staff.context.close()


def test_a_canned_reply_joins_what_staff_typed(page: Page, base_url):
    sign_in(page, base_url, "staff@demo.test")
    menu_link(page, "Incident queue").click()
    page.locator("table.queue tbody tr td:nth-child(2) a").first.click()
    reply = page.locator("textarea[name=body]")
    reply.fill("Thanks for the details.")
    choices = page.locator("#canned option:not([value=''])")
    expect(choices.first).to_be_attached()
    page.locator("#canned").select_option(choices.first.get_attribute("value"))
    address = page.url
    page.get_by_role("button", name="Use as reply").click()
    expect(reply).to_have_value(re.compile(r"^Thanks for the details\.\n\n.+ for the steps\.",
                                           re.DOTALL))
    assert page.url == address  # no reload: nothing typed was lost


def test_a_double_click_logs_the_incident_once(page: Page, base_url):
    sign_in(page, base_url, "elite@demo.test")
    page.goto(base_url + "/support/incidents/new")
    page.get_by_label("Product", exact=True).select_option("Orbit ERP")
    page.get_by_label("Severity 3 – Medium").check()
    page.get_by_label("Title", exact=True).fill("Clicked twice by mistake")
    page.get_by_label("Description (Markdown)").fill("One incident, please.")
    held = []  # the posts the browser sends, held until both clicks are done
    page.route("**/support/incidents/new", lambda route: held.append(route)
               if route.request.method == "POST" else route.continue_())
    # a second click while the first post is on its way (Playwright's own would wait for it)
    page.evaluate("setTimeout(() => document.querySelector("
                  "'form.incident-form button[type=submit]').click(), 300)")
    page.get_by_role("button", name="Log the incident").click(no_wait_after=True)
    page.wait_for_timeout(1000)
    sent = len(held)
    for route in held:
        route.continue_()
    expect(page.get_by_text(re.compile(r"Incident #\d+ is logged\."))).to_be_visible()
    page.unroute("**/support/incidents/new")
    page.goto(base_url + "/support/incidents")
    assert sent == 1
    expect(page.get_by_role("link", name="Clicked twice by mistake")).to_have_count(1)


def test_staff_see_at_a_glance_whether_the_customer_reads_what_they_type(page: Page, base_url):
    sign_in(page, base_url, "staff@demo.test")
    menu_link(page, "Incident queue").click()
    page.locator("table.queue tbody tr td:nth-child(2) a").first.click()
    form = page.locator("form.staff-reply")
    box = form.locator("textarea[name=body]")
    reply_background = box.evaluate("box => getComputedStyle(box).backgroundColor")
    # a reply, as before: said above the box and on the button
    expect(page.get_by_label("Reply to the customer")).to_be_checked()
    expect(form.get_by_text("To the customer: they will see this")).to_be_visible()
    expect(form.get_by_text("Internal note: only staff")).to_be_hidden()
    expect(form.get_by_role("button", name="Send to the customer")).to_be_visible()

    page.get_by_label("Internal note (staff only)").check()
    expect(form.get_by_text("Internal note: only staff will see this.")).to_be_visible()
    expect(form.get_by_text("To the customer: they will see this")).to_be_hidden()
    expect(form.get_by_role("button", name="Send to the customer")).to_have_count(0)
    # the note's amber (#fffbeb) is reached at the end of Pico's transition: expect waits for it
    expect(box).to_have_css("background-color", "rgb(255, 251, 235)")
    assert reply_background != "rgb(255, 251, 235)"
    box.fill("Customer runs the 12.0 hotfix; check the ledger lock first.")
    form.get_by_role("button", name="Add the internal note").click()
    expect(page.get_by_text("Your note is added (staff only).")).to_be_visible()
    note = page.locator(".thread .entry-note").last
    expect(note).to_contain_text("check the ledger lock first")
    expect(note).to_contain_text("Staff-only note")
    # the next message starts as a reply again
    expect(page.get_by_label("Reply to the customer")).to_be_checked()
