"""Fixtures of the article tests: ``docs``, the source folder of the ``kb import`` tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.articles.import_helpers import write


@pytest.fixture
def docs(tmp_path) -> Path:
    folder = tmp_path / "docs"
    write(folder, "erp/close-period.md", """
        ---
        title: Close an accounting period
        kind: how-to
        products: [Orbit ERP]
        versions: ["11.1", "12.0"]
        tags: [finance, period-close]
        min_plan: premium
        ---
        # Close an accounting period

        [!INCLUDE[support](../includes/support.md)]

        Check [the posting errors](../hub/posting-errors.md#error-4011) first.
        """)
    write(folder, "hub/posting-errors.md", """
        ---
        title: Posting errors
        kind: troubleshooting
        ---
        ## Error 4011
        Retry the batch.
        """)
    write(folder, "notes/erp-12-0.md", """
        ---
        type: release-note
        title: Orbit ERP 12.0
        product: Orbit ERP
        version: "12.0"
        released: 2026-03-02
        highlights: Faster period close.
        ---
        Details.
        """)
    write(folder, "includes/support.md", "> [!TIP]\n> Call support on **+1 555 0100**.\n")
    return folder
