"""Known XSS payloads, each saved by staff as an article body through the editor, must be inert
in the article page, the editor's preview and the API's ``html``. The output is parsed (not
grepped): no script element, no on* attribute, no javascript:/data:/vbscript: URL, and no
iframe, object, embed, form, style or meta inside the rendered body."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.test/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=JaVaScRiPt:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">e</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">hex entity</a>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040"
    "&#0000049&#0000041>",
    "<a href=\" javascript:alert(1)\">leading space</a>",
    "[click](javascript:alert(1))",
    "![image](javascript:alert(1))",
    "[mixed case](JaVaScRiPt:alert(1))",
    "[angle](<javascript:alert(1)>)",
    "[reference][1]\n\n[1]: javascript:alert(1)",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<div style=\"background:url(javascript:alert(1))\">css url</div>",
    "<p style=\"width: expression(alert(1))\">css expression</p>",
    "<style>body{background:url(\"javascript:alert(1)\")}</style>",
    "<iframe src=\"https://evil.test\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<button formaction=\"javascript:alert(1)\">b</button>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<img \"\"\"><script>alert(1)</script>\">",
    "<details open ontoggle=alert(1)>x</details>",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<a href=\"#\" OnClIcK=\"alert(1)\">mixed-case handler</a>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<a href=\"java\x00script:alert(1)\">null byte</a>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "## <img src=x onerror=alert(1)> Heading in the contents",
    "!!! note \"<script>alert(1)</script>\"\n    An admonition",
    "```html\n<script>alert(1)</script>\n```",
    "<table><tr><td background=\"javascript:alert(1)\">cell</td></tr></table>",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background",
                  "poster", "srcset", "codebase", "cite", "dynsrc", "lowsrc"}
FORBIDDEN_IN_BODY = {"script", "iframe", "object", "embed", "form", "style", "meta", "link",
                     "base", "frame", "frameset", "applet", "svg", "math", "input", "button",
                     "textarea", "select", "template", "noscript"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def normalized_url(value: str) -> str:
    return "".join(ch for ch in value if ord(ch) > 0x20).lower()


class Inspector(HTMLParser):
    """Collects what is dangerous: anywhere in the document (script, on* attributes, bad
    URLs), and inside the rendered article body and contents (forbidden elements, style)."""

    def __init__(self, whole_document_is_body: bool):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.body_depth = 1 if whole_document_is_body else 0
        self.in_body_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.body_depth:
            self.in_body_tags.append(tag)
            if tag in FORBIDDEN_IN_BODY:
                self.problems.append(f"<{tag}> in the body")
        elif tag in ("div", "nav") and any(
                name == "class" and value and value.split()[0] in ("article-body", "toc")
                for name, value in attrs):
            self.body_depth = 1
            self.in_body_tags = [tag]
            return
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.problems.append("<script>")  # only the portal's own script files may run
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name == "style" and self.body_depth:
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and value and normalized_url(value).startswith(BAD_SCHEMES):
                self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if self.body_depth and self.in_body_tags and tag in ("div", "nav"):
            while self.in_body_tags and self.in_body_tags.pop() != tag:
                pass
            if not self.in_body_tags:
                self.body_depth = 0


def problems_in(html: str, *, fragment: bool) -> list[str]:
    inspector = Inspector(whole_document_is_body=fragment)
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_the_inspector_catches_what_it_must():
    """The checker itself can fail: unsanitised payloads are caught."""
    for payload in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                    "<a href=\"java\tscript:alert(1)\">x</a>", "<iframe></iframe>",
                    "<p style=\"x\">y</p>", "<meta http-equiv=refresh>"]:
        assert problems_in(payload, fragment=True), payload
    page = '<div class="article-body"><form></form></div><form action="/sign-out"></form>'
    assert problems_in(page, fragment=False) == ["<form> in the body"]


@pytest.fixture
def staff(auth, demo_accounts):
    auth.login("staff@demo.test")
    return auth


@pytest.mark.parametrize("number, payload", list(enumerate(PAYLOADS)))
def test_payload_is_inert_in_page_preview_and_api(client, staff, number, payload):
    slug = f"xss-{number}"
    saved = staff.post("/staff/articles/new", {
        "type": "article", "title": f"XSS {number} {payload[:60]}", "slug": slug,
        "summary": payload, "body": f"Before\n\n{payload}\n\nAfter", "kind": "how-to",
        "min_plan": "xtreme", "action": "publish"})
    assert saved.status_code == 302

    page = client.get(f"/articles/{slug}")
    assert page.status_code == 200
    page_html = page.get_data(as_text=True)
    assert f"XSS {number} " in page_html  # the article page itself, not an error page
    assert problems_in(page_html, fragment=False) == []

    preview = staff.post("/staff/articles/preview", {"body": payload})
    assert problems_in(preview.get_json()["html"], fragment=True) == []
    assert problems_in(preview.get_json()["toc"], fragment=True) == []

    article = client.get(f"/api/v1/articles/{slug}").get_json()
    assert problems_in(article["html"], fragment=True) == []
    assert problems_in(article["toc"], fragment=True) == []


def test_there_are_at_least_thirty_payloads():
    assert len(PAYLOADS) >= 30
