"""Tables in rendered Markdown scroll sideways in boxes of their own on every page that shows
the text (a wide table made the whole page scroll on a phone); the browser tests measure it."""

from __future__ import annotations

import re

from kb import markdown
from tests.community.conftest import ask
from tests.conftest import REPO_ROOT

WIDE_TABLE = ("| Key | Meaning |\n|---|---|\n"
              "| `Posting.Retry.MaximumAttemptsBeforeGivingUp` | how often posting retries |\n")


def test_each_table_gets_a_focusable_named_scroll_box():
    source = f"{WIDE_TABLE}\ntext\n\n{WIDE_TABLE}"
    html = str(markdown.scrolling_tables(markdown.render(source).html))
    boxes = re.findall(r'<div class="table-scroll" role="region" aria-label="([^"]+)" '
                       r'tabindex="0"><table>', html)
    assert boxes == ["Table 1", "Table 2"]
    assert html.count("</table></div>") == 2


def test_tags_inside_attribute_values_and_nested_tables_stay_balanced():
    source = ('<table title="</table> <table>"><tr><td><table><tr><td>x</td></tr></table>'
              "</td></tr></table>\n")
    html = str(markdown.scrolling_tables(markdown.render(source).html))
    assert html.count("<div ") == 2 and html.count("</div>") == 2
    assert 'title="&lt;/table&gt; &lt;table&gt;"' in html  # the value as nh3 left it


def test_every_template_shows_rendered_markdown_with_scroll_boxes():
    """The HTML of a Markdown field reaches a page through ``scrolling_tables``; only the
    contents list (links, no tables) is marked safe as it is. Mail keeps its tables plain."""
    unboxed = []
    for template in (REPO_ROOT / "templates").rglob("*.html"):
        if "mail" in template.parts:
            continue
        for line in template.read_text().splitlines():
            if re.search(r"\|\s*safe\b", line) and "rendered_toc" not in line:
                unboxed.append(f"{template.relative_to(REPO_ROOT)}: {line.strip()}")
    assert unboxed == []


def test_community_question_and_answer_tables_scroll_in_their_boxes(app, client, auth,
                                                                   demo_accounts):
    from kb.community import spaces

    with app.app_context():
        slug = spaces.create_space(None, spaces.SpaceFields(name="Orbit ERP",
                                                            product="Orbit ERP")).slug
    question = ask(app, "premium@demo.test", slug, "Which retry keys matter?", WIDE_TABLE)
    auth.login("premium@demo.test")
    html = client.get(f"/community/questions/{question}").get_data(as_text=True)
    assert '<div class="table-scroll" role="region" aria-label="Table 1" tabindex="0"><table>' \
        in html
