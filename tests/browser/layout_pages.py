"""The page types the layout tests visit (one of each, at 1280 and 390 px), the signed-in pages
they reuse, and axe-core, navigation and keyboard helpers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import sign_in
from tests.conftest import REPO_ROOT

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
    PageType("search-results-filtered", CUSTOMER,
             "/search?q=posting&product=orbit-erp&kind=how-to"),
    PageType("knowledge-base", CUSTOMER, "/articles/"),
    PageType("article", CUSTOMER, "/articles/erp/invoice-numbering-duplicates-12-0"),
    PageType("article-print", CUSTOMER, "/articles/erp/invoice-numbering-duplicates-12-0?print=1",
             in_portal_frame=False, content_width=False),  # a sheet of paper on screen
    # wide tables in the text scroll in boxes of their own, not the whole page, on a phone
    PageType("article-with-tables", CUSTOMER, "/articles/erp/configuration-keys"),
    PageType("article-with-wide-table", CUSTOMER, "/articles/erp/upgrade-11-1-to-12-0"),
    # an image wider than a phone shrinks to the text's width
    PageType("article-with-image", CUSTOMER, "/articles/erp/set-up-approval-workflows"),
    PageType("release-notes", CUSTOMER, "/release-notes/"),
    PageType("knowledge-base-refused-filter", CUSTOMER, "/articles/?product=Orbitt&kind=how-to"),
    PageType("knowledge-base-lapsed", "lapsed-admin@demo.test", "/articles/"),
    PageType("release-note", CUSTOMER, "/release-notes/orbit-erp-12-0"),
    PageType("release-note-with-table", CUSTOMER, "/release-notes/orbit-erp-12-0-cu1"),
    # no contents list: the text must still take the page's width
    PageType("article-without-contents", CUSTOMER, "/articles/erp/rest-api-rate-limits"),
    PageType("release-note-without-contents", CUSTOMER, "/release-notes/orbit-analytics-2026-1"),
    PageType("patches", CUSTOMER, "/patches/"),
    PageType("patches-refused-filter", CUSTOMER, "/patches/?product=Orbitt&kind=patch"),
    PageType("patch", CUSTOMER, "/patches/|Orbit ERP 12.0 service pack 1"),
    PageType("recordings", CUSTOMER, "/sessions/recordings"),
    PageType("recording", CUSTOMER,
             "/sessions/recordings|Integration Hub 4.0: monitoring message flows"),
    PageType("live-sessions", CUSTOMER, "/sessions/live"),
    PageType("live-session", CUSTOMER,
             "/sessions/live|Ask us anything: upgrading to Orbit ERP 12.0"),
    PageType("cancelled-live-session", CUSTOMER,
             "/sessions/live|Orbit Analytics dashboards, live"),
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
    PageType("api-reference", CUSTOMER, "/developers/api"),
    PageType("feeds", CUSTOMER, "/account/feeds"),
    PageType("notifications", CUSTOMER, "/notifications"),
    PageType("notification-settings", CUSTOMER, "/notifications/settings"),
    PageType("alerts", CUSTOMER, "/alerts"),
    PageType("alert", CUSTOMER, "/alerts|Duplicate invoice numbers with several posting servers "
             "(12.0)"),
    PageType("not-found", CUSTOMER, "/no-such-page"),
    PageType("organisation-users", CUSTOMER_ADMIN, "/organization/users"),
    PageType("sign-in", None, "/sign-in", content_width=False),
    PageType("staff-home", STAFF, "/"),  # with the form to see what a plan sees
    PageType("staff-organisations", STAFF, "/staff/"),
    PageType("staff-organisation", STAFF, "/staff/|Fabrikam Logistics"),
    PageType("staff-users", STAFF, "/staff/users"),
    PageType("staff-user", STAFF, "/staff/users|elite@demo.test"),
    PageType("staff-audit", STAFF, "/staff/audit"),
    PageType("staff-articles", STAFF, "/staff/articles/"),
    PageType("article-editor", STAFF, "/staff/articles/|Posting error codes"),
    PageType("article-history", STAFF, "/staff/articles/|Posting error codes|History"),
    PageType("article-editor-with-images", STAFF,
             "/staff/articles/|Set up approval workflows for purchase orders"),
    PageType("new-article", STAFF, "/staff/articles/new"),
    PageType("new-patch", STAFF, "/patches/new"),
    PageType("patch-edit", STAFF, "/patches/|Orbit ERP 12.0 service pack 1|Edit the patch"),
    PageType("patch-withdraw", STAFF,
             "/patches/|Orbit ERP 12.0 service pack 1|Withdraw the patch…"),
    PageType("patch-downloads", STAFF, "/staff/patch-downloads"),
    PageType("products", STAFF, "/staff/products/"),
    PageType("product", STAFF, "/staff/products/|Orbit ERP"),
    PageType("recording-editor", STAFF, "/sessions/recordings"
             "|Orbit ERP 12.0: what's new in period closing|Edit the recording"),
    PageType("new-live-session", STAFF, "/sessions/staff/live/new"),
    PageType("attendees", STAFF,
             "/sessions/live|Ask us anything: upgrading to Orbit ERP 12.0|Attendees"),
    PageType("cancel-live-session", STAFF,
             "/sessions/live|Ask us anything: upgrading to Orbit ERP 12.0|Cancel the session"),
    PageType("outbox", STAFF, "/staff/outbox"),
    PageType("staff-alerts", STAFF, "/staff/alerts"),
    PageType("staff-alert", STAFF,
             "/staff/alerts|#1 Duplicate invoice numbers with several posting "
             "servers (12.0)"),
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


def check_at_each_width(page: Page, name: str) -> None:
    """A page reached by a journey (after a POST, say) as the layout tests check theirs:
    a screenshot at each width, no sideways scrolling, no axe-core violation."""
    require_axe()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-{viewport['width']}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{name} scrolls sideways at {width} width")
        violations = axe_violations(page)
        assert not violations, f"{name} at {width} width:\n{describe(violations)}"


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


def tab_until(page: Page, predicate: str, most: int = 60) -> None:
    """Press Tab until the focused element satisfies `predicate` (JS, given the element)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"{most} presses of Tab never reached an element where {predicate}")
