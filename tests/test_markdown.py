"""The renderer: Markdown and the DocFX dialect to sanitised HTML, cached per source and
renderer version."""

from __future__ import annotations

import pytest

from kb import markdown
from kb.articles.fields import ensure_rendered
from kb.articles.models import Article


def html_of(source: str) -> str:
    return markdown.render(source).html


@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "CAUTION", "WARNING"])
def test_alert_blocks_become_admonitions(kind):
    html = html_of(f"> [!{kind}]  \n> Save your work **first**.\n")
    assert html.startswith(f'<div class="admonition {kind.lower()}">')
    assert f'<p class="admonition-title">{kind.capitalize()}</p>' in html
    assert "<p>Save your work <strong>first</strong>.</p>" in html
    assert f"[!{kind}]" not in html


def test_adjacent_alerts_stay_apart_and_plain_quotes_stay_quotes():
    html = html_of("> Just a quote.\n\n> [!NOTE]\n> One.\n\n> [!WARNING]\n> Two.\n")
    assert html.count('class="admonition ') == 2
    assert '<div class="admonition warning">' in html
    assert html.startswith("<blockquote>\n<p>Just a quote.</p>\n</blockquote>")


def test_alert_inside_a_list_item():
    html = html_of("1. Step one\n\n    > [!TIP]\n    > Press Enter.\n")
    assert '<li>\n<p>Step one</p>\n<div class="admonition tip">' in html


def test_python_markdown_admonitions_still_work():
    assert '<div class="admonition note">' in html_of('!!! note "Heads up"\n    Text\n')


def test_image_extension_and_relative_images_show_alt_text():
    html = html_of(
        ':::image type="content" source="media/flow.png" alt-text="The posting flow.":::\n\n'
        '![The ribbon](media/ribbon.png)\n\n'
        ':::image type="content" source="https://cdn.example.test/a.png" alt-text="A":::')
    assert '<span class="kb-image-alt">The posting flow.</span>' in html
    assert '<span class="kb-image-alt">The ribbon</span>' in html
    assert '<img alt="A" src="https://cdn.example.test/a.png">' in html
    assert ":::" not in html and "media/" not in html


def test_unresolved_includes_and_code_samples_become_notices():
    html = html_of("Use [!INCLUDE[prod](includes/prod.md)] and [!INCLUDEvstecasp] here.\n\n"
                   "[!code-csharp[Main](samples/sample1.cs)]\n")
    assert "[!INCLUDE" not in html and "[!code" not in html
    assert "[Included content not available: includes/prod.md]" in html
    assert "[Included content not available: vstecasp]" in html
    assert "[Code sample not included: samples/sample1.cs]" in html


def test_tables_code_highlighting_and_toc():
    rendered = markdown.render("## Options\n\n| Key | Default |\n|---|---|\n| `timeout` | 30 |\n\n"
                               "```python\nprint('hi')\n```\n")
    assert "<table>" in rendered.html and "<code>timeout</code>" in rendered.html
    assert '<div class="highlight"><pre>' in rendered.html and 'class="nb"' in rendered.html
    assert '<a href="#doc-options">Options</a>' in rendered.toc


def test_heading_ids_and_anchors_are_prefixed_to_spare_page_ids():
    html = html_of('## Main\n\n<a name="top"></a><div id="content">x</div>\n\n[up](#top)\n')
    assert 'id="doc-main"' in html and 'href="#doc-main"' in html
    assert 'name="doc-top"' in html and 'id="doc-content"' in html
    assert 'href="#doc-top"' in html
    assert 'id="content"' not in html and 'id="main"' not in html


def test_only_links_leaving_the_site_get_nofollow():
    html = html_of("[a](/articles/x) [b](#here) [c](https://example.com) [d](mailto:x@y.test)"
                   ' <a title="a &gt; b" href="//cdn.test/x">e</a>')
    assert '<a href="/articles/x">a</a>' in html
    assert '<a href="#doc-here">b</a>' in html
    assert '<a rel="noopener noreferrer nofollow" href="https://example.com">c</a>' in html
    assert '<a rel="noopener noreferrer nofollow" href="mailto:x@y.test">d</a>' in html
    assert 'rel="noopener noreferrer nofollow" title="a &gt; b" href="//cdn.test/x"' in html


def test_comments_and_dangerous_markup_are_dropped():
    html = html_of('<!-- hidden note -->\n\nText <script>alert(1)</script>'
                   '<img src="https://x.test/a.png" onerror="alert(1)">'
                   '[x](javascript:alert(1)) <a href="data:text/html,hi">d</a>'
                   '<iframe src="https://x.test"></iframe><form><input></form>'
                   '<p style="color:red">s</p><style>p{}</style>\n')
    for forbidden in ("hidden note", "<script", "onerror", "javascript:", "data:", "<iframe",
                      "<form", "<input", "style"):
        assert forbidden not in html


def test_plain_text_for_the_index():
    assert markdown.render("# Title\n\nSome *text*.\n").text == "Title Some text."


def test_rendering_is_cached_and_redone_when_source_or_renderer_change(monkeypatch):
    article = Article(body="First **version**")
    ensure_rendered(article)
    first_key = article.render_key
    assert "<strong>version</strong>" in article.rendered_html

    article.rendered_html = "cached"
    ensure_rendered(article)
    assert article.rendered_html == "cached"

    article.body = "Second version"
    ensure_rendered(article)
    assert article.rendered_html == "<p>Second version</p>"
    second_key = article.render_key
    assert second_key != first_key

    article.rendered_html = "stale"
    monkeypatch.setattr(markdown, "RENDERER_VERSION", markdown.RENDERER_VERSION + 1)
    ensure_rendered(article)
    assert article.rendered_html == "<p>Second version</p>"
    assert article.render_key not in (first_key, second_key)


def test_alerts_written_as_real_documentation_does():
    # two alerts in one blockquote, and an alert right under a list item's text
    html = html_of("> [!NOTE]  \n> Don't enable it yet.  \n> [!TIP]  \n> Use search.\n\n"
                   "3. Locate the property.\n    > [!TIP]\n    > Sort by name.\n")
    assert "[!" not in html
    assert html.count('<div class="admonition tip">') == 2
    assert html.startswith('<div class="admonition note">\n<p class="admonition-title">Note</p>'
                           "\n<p>Don't enable it yet.")


def test_too_deep_nesting_is_a_clear_error_and_rendering_goes_on():
    # refused for its depth, or for the work each level's search of the rest would cost
    with pytest.raises(markdown.RenderError, match="nested too deeply|nested hundreds deep"):
        markdown.render("- " * 2000 + "x")
    assert html_of("> [!NOTE]\n> Fine.").startswith('<div class="admonition note">')


def test_row_and_column_layout_markers_are_dropped():
    html = html_of(":::row:::\n    :::column:::\n    ### Decision makers\n\n    Read this.\n"
                   "    :::column-end:::\n:::row-end:::\n")
    assert ":::" not in html and "<pre>" not in html
    assert 'id="doc-decision-makers"' in html and "<p>Read this.</p>" in html


# From the shared corpus (Business Central docs, CC BY 4.0): archive/ai-in-bc-tabs.md
UNCLOSED_VIDEO_TAG = (
    "### [Autofill](#tab/Autofill)\n\n"
    "Get suggested values for editable fields when creating or modifying records.\n\n"
    "<Video> \n\n"
    "**Learn more in:**\n\n"
    "- Autofill with Copilot\n"
    "- Responsible AI FAQs for Autofill (preview)\n\n"
    "---\n\n"
    "## For finance \n")


def test_an_unclosed_raw_html_tag_ends_at_the_blank_line_as_in_commonmark():
    html = html_of(UNCLOSED_VIDEO_TAG)
    assert "**Learn more in:**" not in html and "- Autofill" not in html
    assert "<p><strong>Learn more in:</strong></p>" in html
    assert "<li>Autofill with Copilot</li>" in html and "<hr>" in html
    assert 'id="doc-for-finance"' in html and "video" not in html.lower()


def test_a_closed_or_void_raw_html_block_is_left_as_it_was():
    assert html_of("<div>\n\n**raw**\n\n</div>\n") == "<div>\n\n**raw**\n\n</div>"
    assert html_of("<div>\nraw *text*\n</div>\n") == "<div>\nraw *text*\n</div>"
    assert html_of("<hr>\n\n- one\n").endswith("<ul>\n<li>one</li>\n</ul>")


# archive/ui-user-personalization.md: a comment hiding a list, closed by "#-->" and 7 spaces
COMMENT_THEN_SPACES = (
    "- Changes to a page in a part will take effect where ever the part is used.  \n\n"
    "<!--NAV\n\n"
    "-   You can perform personalization in either the Web client or the Windows client."
    " #-->       \n\n"
    "## To personalize a page\n")


def test_spaces_after_a_closing_comment_are_no_empty_code_block():
    html = html_of(COMMENT_THEN_SPACES)
    assert "<pre" not in html and "Windows client" not in html
    assert 'id="doc-to-personalize-a-page"' in html


@pytest.mark.parametrize("source, shown", [
    ("Run orbit lock clear --db <name> now.", "Run orbit lock clear --db &lt;name&gt; now."),
    ("Set timeout to <none> and retry later.", "Set timeout to &lt;none&gt; and retry later."),
    ("Fill in <title> and <textarea>, then <template>.",
     "Fill in &lt;title&gt; and &lt;textarea&gt;, then &lt;template&gt;."),
    ("See https://example.com/kb & <this>.", "See https://example.com/kb &amp; &lt;this&gt;."),
    ('Set <add key="x"> in <path>.', 'Set &lt;add key="x"&gt; in &lt;path&gt;.'),
])
def test_a_placeholder_in_angle_brackets_is_shown_as_typed(source, shown):
    rendered = markdown.render(source)
    assert rendered.html == f"<p>{shown}</p>"
    assert rendered.text == source


def test_tags_that_run_or_embed_content_are_still_dropped_with_what_they_hold():
    html = html_of("a <script>alert(1)</script> b <style>p{}</style> c "
                   '<iframe src="https://x.test"></iframe> d <video src="v.mp4"></video>')
    assert html == "<p>a  b  c  d </p>"
