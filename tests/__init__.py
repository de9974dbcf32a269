import pytest

# helper modules that ``tests/conftest.py`` imports before pytest loads them as plugins: their
# asserts rewritten all the same
pytest.register_assert_rewrite(
    "tests.databases", "tests.engines", "tests.factories", "tests.web",
    # helpers of split test modules
    "tests.accounts.security_helpers", "tests.alerts.critical_helpers",
    "tests.articles.import_helpers", "tests.browser.layout_pages",
    "tests.patches.download_helpers", "tests.patches.publishing_helpers",
    "tests.sessions.message_helpers", "tests.scaleout.portal",
)
