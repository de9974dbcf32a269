"""Every page type at 1280 and 390 px: nothing scrolls sideways, the content gets the width, the
navigation stays compact, axe-core finds no WCAG 2.x A/AA violation; and the main journeys work
by keyboard alone. Full-page screenshots go to test-artifacts/screenshots/ (KB_SCREENSHOT_DIR)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import REPO_ROOT, on_postgres

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(os.environ.get("KB_SCREENSHOT_DIR",
                                     REPO_ROOT / "test-artifacts" / "screenshots"))
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

CUSTOMER = "elite@demo.test"
CUSTOMER_ADMIN = "elite-admin@demo.test"
STAFF = "staff@demo.test"


@dataclass(frozen=True)
class PageType:
    name: str
    user: str | None
    path: str  # or "<list path>|<link text>": the address a link on that list leads to
    in_portal_frame: bool = True  # has the site header and navigation
    content_width: bool = True  # the content takes the width (not a narrow form by design)


PAGE_TYPES = [
    PageType("home", CUSTOMER, "/"),
    PageType("search-results", CUSTOMER, "/search?q=posting"),
    PageType("knowledge-base", CUSTOMER, "/articles/"),
    PageType("article", CUSTOMER, "/articles/erp/invoice-numbering-duplicates-12-0"),
    PageType("article-print", CUSTOMER, "/articles/erp/invoice-numbering-duplicates-12-0?print=1",
             in_portal_frame=False, content_width=False),  # a sheet of paper on screen
    PageType("release-notes", CUSTOMER, "/release-notes/"),
    PageType("release-note", CUSTOMER, "/release-notes/orbit-erp-12-0"),
    # no contents list: the text must still take the page's width
    PageType("article-without-contents", CUSTOMER, "/articles/erp/rest-api-rate-limits"),
    PageType("release-note-without-contents", CUSTOMER, "/release-notes/orbit-analytics-2026-1"),
    PageType("patches", CUSTOMER, "/patches/"),
    PageType("patch", CUSTOMER, "/patches/|Orbit ERP 12.0 service pack 1"),
    PageType("recordings", CUSTOMER, "/sessions/recordings"),
    PageType("recording", CUSTOMER,
             "/sessions/recordings|Integration Hub 4.0: monitoring message flows"),
    PageType("live-sessions", CUSTOMER, "/sessions/live"),
    PageType("live-session", CUSTOMER,
             "/sessions/live|Ask us anything: upgrading to Orbit ERP 12.0"),
    PageType("topics", CUSTOMER, "/sessions/topics"),
    PageType("topic", CUSTOMER, "/sessions/topics|Year-end closing with several currencies"),
    PageType("topic-form", CUSTOMER, "/sessions/topics/new"),
    PageType("community", CUSTOMER, "/community/"),
    PageType("community-space", CUSTOMER, "/community/orbit-erp"),
    PageType("community-question", CUSTOMER,
             "/community/|Period close hangs at 'Revaluing open items'"),
    PageType("community-ask", CUSTOMER, "/community/ask"),
    PageType("community-edit", CUSTOMER, "/community/|SFTP connector: key rotation without "
             "downtime?|Edit the question"),
    PageType("campus", CUSTOMER, "/campus"),
    PageType("success-manager", CUSTOMER, "/elite"),
    PageType("elite-meetings", CUSTOMER, "/elite/meetings"),
    PageType("activity-review", CUSTOMER, "/elite/review"),
    PageType("programmes", CUSTOMER, "/programmes"),
    PageType("programme", CUSTOMER, "/programmes|Orbit ERP 13 early access"),
    PageType("programme-space", CUSTOMER, "/community/|Orbit ERP 13 early access: members"),
    PageType("incidents", CUSTOMER, "/support/incidents"),
    PageType("new-incident", CUSTOMER, "/support/incidents/new"),
    PageType("incident", CUSTOMER,
             "/support/incidents|#2 Retry queue grows overnight"),
    PageType("support-coverage", CUSTOMER, "/support/coverage"),
    PageType("plans", CUSTOMER, "/plans"),
    PageType("account", CUSTOMER, "/account"),
    PageType("feeds", CUSTOMER, "/account/feeds"),
    PageType("notifications", CUSTOMER, "/notifications"),
    PageType("notification-settings", CUSTOMER, "/notifications/settings"),
    PageType("alerts", CUSTOMER, "/alerts"),
    PageType("not-found", CUSTOMER, "/no-such-page"),
    PageType("organisation-users", CUSTOMER_ADMIN, "/organization/users"),
    PageType("sign-in", None, "/sign-in", content_width=False),
    PageType("staff-organisations", STAFF, "/staff/"),
    PageType("staff-organisation", STAFF, "/staff/|Fabrikam Logistics"),
    PageType("staff-users", STAFF, "/staff/users"),
    PageType("staff-user", STAFF, "/staff/users|elite@demo.test"),
    PageType("staff-audit", STAFF, "/staff/audit"),
    PageType("staff-articles", STAFF, "/staff/articles/"),
    PageType("article-editor", STAFF, "/staff/articles/|Posting error codes"),
    PageType("new-article", STAFF, "/staff/articles/new"),
    PageType("new-patch", STAFF, "/patches/new"),
    PageType("patch-downloads", STAFF, "/staff/patch-downloads"),
    PageType("products", STAFF, "/staff/products/"),
    PageType("product", STAFF, "/staff/products/|Orbit ERP"),
    PageType("recording-editor", STAFF, "/sessions/recordings"
             "|Orbit ERP 12.0: what's new in period closing|Edit the recording"),
    PageType("new-live-session", STAFF, "/sessions/staff/live/new"),
    PageType("attendees", STAFF,
             "/sessions/live|Ask us anything: upgrading to Orbit ERP 12.0|Attendees"),
    PageType("outbox", STAFF, "/staff/outbox"),
    PageType("staff-alerts", STAFF, "/staff/alerts"),
    PageType("staff-elite", STAFF, "/staff/elite"),
    PageType("staff-elite-organisation", STAFF, "/staff/elite|Fabrikam Logistics"),
    PageType("staff-programmes", STAFF, "/staff/programmes/"),
    PageType("staff-programme", STAFF, "/staff/programmes/|Orbit ERP 13 early access"),
    PageType("incident-queue", STAFF, "/staff/incidents"),
    PageType("staff-incident", STAFF, "/staff/incidents|Invoice posting stops with error E-4711"),
    PageType("response-targets", STAFF, "/staff/support/targets"),
    PageType("community-moderation", STAFF, "/staff/community"),
    PageType("community-question-staff", STAFF,
             "/community/|How do you number invoices across two posting servers?"),
]


class SignedInPages:
    """One browser page per demo user, signed in once and reused by every check."""

    def __init__(self, browser: Browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.pages: dict[str | None, Page] = {}
        self.addresses: dict[str, str] = {}

    def for_user(self, email: str | None) -> Page:
        if email not in self.pages:
            # bypass_csp: axe-core is injected as a script the page's policy would refuse
            context = self.browser.new_context(bypass_csp=True, viewport=DESKTOP)
            if AXE_SCRIPT.exists():
                # handed to the browser once and run as each page starts: adding it to every
                # page after its load sent its 550 kB again for each check
                context.add_init_script(path=AXE_SCRIPT)
            page = context.new_page()
            if email:
                sign_in(page, self.base_url, email)
            self.pages[email] = page
        return self.pages[email]

    def address_of(self, page_type: PageType) -> str:
        """The page's address: a fixed path, or found by following links from a list."""
        if page_type.name not in self.addresses:
            path, *link_names = page_type.path.split("|")
            page = self.for_user(page_type.user)
            page.goto(self.base_url + path)
            for name in link_names:
                page.get_by_role("link", name=name, exact=True).first.click()
                page.wait_for_load_state()
            self.addresses[page_type.name] = page.url
        return self.addresses[page_type.name]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def signed_in(browser, base_url):
    pages = SignedInPages(browser, base_url)
    yield pages
    pages.close()


def axe_violations(page: Page) -> list[dict]:
    """Every violation axe-core finds; the rules that pass or do not apply are not described
    (``resultTypes``: describing each node they passed on took two thirds of a check)."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", WCAG_TAGS)
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            failure = node["failureSummary"].splitlines()[-1]
            lines.append(f"    {' '.join(node['target'])}: {failure}")
    return "\n".join(lines)


def require_axe() -> None:
    if AXE_SCRIPT.exists():
        return
    message = (f"axe-core is not installed ({AXE_SCRIPT} is missing): run `npm ci` in the "
               "repository (package.json pins it)")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def nav_rows(page: Page) -> int:
    """Rows the header's visible top-level entries take: an entry starts a row when it lies
    wholly below the row before."""
    return page.evaluate("""() => {
        const boxes = [...document.querySelectorAll('.site-header li:not(li li)')]
            .map(item => item.getBoundingClientRect())
            .filter(box => box.width > 0 && box.height > 0)
            .sort((a, b) => a.top - b.top);
        let rows = 0, rowBottom = -Infinity;
        for (const box of boxes) {
            if (box.top >= rowBottom - 1) { rows += 1; rowBottom = box.bottom; }
            else { rowBottom = Math.max(rowBottom, box.bottom); }
        }
        return rows;
    }""")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_page_fits_the_screen_and_is_accessible(signed_in, page_type, width):
    address = signed_in.address_of(page_type)
    page = signed_in.for_user(page_type.user)
    page.set_viewport_size(WIDTHS[width])
    response = page.goto(address)
    assert response.status in (200, 404), f"{address} answered {response.status}"
    if not on_postgres():  # the same pages again: CI keeps the SQLite pass's screenshots
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{page_type.name}-{WIDTHS[width]['width']}.png",
                        full_page=True)

    sizes = page.evaluate("""() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        innerHeight: window.innerHeight,
        content: document.querySelector('h1').parentElement.getBoundingClientRect().width,
        header: document.querySelector('.site-header')?.getBoundingClientRect().height,
    })""")
    assert sizes["scrollWidth"] <= sizes["innerWidth"], (
        f"{address} scrolls sideways at {width} width: {sizes}")
    if width == "desktop" and page_type.content_width:
        assert sizes["content"] >= 0.6 * sizes["innerWidth"], (
            f"{address}: the content column is narrow: {sizes}")
    if page_type.in_portal_frame:
        if width == "desktop":
            assert nav_rows(page) <= 2, f"{address}: the navigation wraps to {nav_rows(page)} rows"
        else:
            assert sizes["header"] <= 0.2 * sizes["innerHeight"], (
                f"{address}: the header takes {sizes['header']} px of the phone's height")

    require_axe()
    violations = axe_violations(page)
    assert not violations, f"{address} at {width} width:\n{describe(violations)}"


def tab_until(page: Page, predicate: str, most: int = 60) -> None:
    """Press Tab until the focused element satisfies `predicate` (JS, given the element)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"{most} presses of Tab never reached an element where {predicate}")


def test_search_and_open_a_result_by_keyboard_alone(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(DESKTOP)
    page.goto(signed_in.base_url + "/")
    tab_until(page, "element.id === 'site-search-q'", most=6)
    page.keyboard.type("posting job")
    page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("for posting job")
    tab_until(page, "element.classList.contains('hit-title')")
    title = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_phone_menu_opens_and_leads_somewhere_by_keyboard_alone(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(PHONE)
    page.goto(signed_in.base_url + "/")
    learning = page.get_by_role("navigation", name="Main").get_by_text("Learning", exact=True)
    expect(learning).to_be_hidden()

    tab_until(page, "element.matches('.nav-menu > summary')", most=8)
    page.keyboard.press("Enter")
    expect(learning).to_be_visible()
    page.keyboard.press("Escape")  # closes the menu and keeps the focus on its button
    expect(learning).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('.nav-menu > summary')")

    page.keyboard.press("Enter")
    tab_until(page, "element.textContent.trim() === 'Learning'", most=4)
    page.keyboard.press("Enter")
    # the submenu opens on the toggle event; a Tab pressed before it has opened skips it
    expect(page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Recordings", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Recordings"
    page.keyboard.press("Enter")
    expect(page).to_have_url(signed_in.base_url + "/sessions/recordings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recorded sessions")


def test_printed_article_leaves_out_the_portal_around_it(signed_in):
    page = signed_in.for_user(CUSTOMER)
    page.set_viewport_size(DESKTOP)
    page.goto(signed_in.base_url + "/articles/erp/invoice-numbering-duplicates-12-0")
    expect(page.locator(".headerlink").first).to_be_visible()
    page.emulate_media(media="print")
    try:
        for left_out in (".site-header", ".site-footer", ".toc", ".headerlink", "main form"):
            expect(page.locator(left_out).first).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        code_block = page.locator(".article-body pre").first
        expect(code_block).to_have_css("white-space", "pre-wrap")
    finally:
        page.emulate_media(media="screen")

    page.goto(signed_in.base_url + "/articles/erp/invoice-numbering-duplicates-12-0?print=1")
    expect(page.locator(".headerlink").first).to_be_hidden()  # the print view shows the paper
    expect(page.locator(".article-body pre").first).to_have_css("white-space", "pre-wrap")
