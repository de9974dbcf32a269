"""An article image's address finds the image however the accents in its name are spelt, as
a patch file's download does (``kb.storage.names.requested_name``)."""

from __future__ import annotations

import io

from tests.articles import web_fixtures
from tests.articles.image_samples import png

write_article = web_fixtures.write_article
article_state = web_fixtures.article_state


def test_a_name_spelt_with_decomposed_accents_finds_the_image(auth, write_article,
                                                                article_state):
    """A client (a macOS shell, a copied path) may send "é" as "e" and a combining accent."""
    slug = write_article("Coffee flows", "![The flow](images/caf\u00e9.png)")
    auth.login("staff@demo.test")
    uploaded = auth.post(f"/staff/articles/{article_state(slug)['id']}/images",
                         {"image": (io.BytesIO(png()), "caf\u00e9.png")},
                         content_type="multipart/form-data")
    assert uploaded.status_code == 302
    auth.logout()
    auth.login("xtreme@demo.test")
    composed = f"/articles/{slug}/images/caf\u00e9.png"
    decomposed = f"/articles/{slug}/images/cafe\u0301.png"
    for address in (composed, decomposed):
        served = auth.client.get(address, buffered=True)
        assert served.status_code == 200 and served.data == png(), address
        assert served.content_type == "image/png"
    assert auth.client.get(f"/articles/{slug}/images/cafe.png").status_code == 404
