"""Assets are linked by version, cached for a year under that version, and sent compressed (issue 12: the
analytics pages sent 4.85 MB of plotly.js uncompressed on every first visit); pages are never compressed."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import plotly.offline
import pytest

from lms.services import accounts, enrolments, quiz_review
from lms.web import assets
from tests.conftest import login
from tests.web.helpers import LOTO
from tests.web.quiz_takers import publish_written, take_quiz

STATIC = Path(__file__).resolve().parents[2] / "lms" / "static"
YEAR = "max-age=31536000"


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_every_asset_a_page_links_is_versioned_and_served_compressed(client) -> None:
    urls = _asset_urls(client.get("/login").get_data(as_text=True))
    assert any("app.css" in url for url in urls)
    for url in urls:
        path, version = re.fullmatch(r"/static/([^?]+)\?v=([0-9a-f]{12})", url).groups()
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert YEAR in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]
        assert "Accept-Encoding" in response.headers["Vary"]
        on_disk = (STATIC / path).read_bytes()
        assert version == hashlib.sha256(on_disk).hexdigest()[:12]  # a new file is a new URL
        body = gzip.decompress(response.data) if response.headers.get("Content-Encoding") else response.data
        assert body == on_disk
        if len(on_disk) > 2000:
            assert response.headers["Content-Encoding"] == "gzip" and len(response.data) < len(on_disk)


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_an_unversioned_or_stale_asset_url_is_revalidated_not_kept(client, query) -> None:
    response = client.get(f"/static/lms/app.css{query}")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
    assert response.data == (STATIC / "lms" / "app.css").read_bytes()


def test_a_browser_that_accepts_no_compression_gets_the_file_as_it_is(client) -> None:
    response = client.get("/static/lms/app.css", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.data == (STATIC / "lms" / "app.css").read_bytes()


def test_spellings_of_one_path_share_one_compressed_copy(client) -> None:
    """The compressed cache is keyed by the file as normalised: a client cannot grow it by asking for the
    same file under endless spellings, nor for endless files (its size is capped)."""
    cached = assets.compressor.cache.bodies
    client.get("/static/lms/app.css", headers={"Accept-Encoding": "gzip"})
    before = len(cached)
    for spelling in ("/static/lms/./app.css", "/static/lms//app.css", "/static/./lms/app.css?x=1"):
        response = client.get(spelling, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert gzip.decompress(response.data) == (STATIC / "lms" / "app.css").read_bytes()
    assert len(cached) == before
    for number in range(assets._CompressedCache.MAX_ENTRIES + 10):
        assets.compressor.cache.set(f"test:{number}", b"")
    assert len(cached) == assets._CompressedCache.MAX_ENTRIES


def _one_result(app, make_user) -> None:
    """One learner's submitted quiz, so the analytics overview draws its figures."""
    with app.app_context():
        role = accounts.create_job_role("Operations", "Plant")
        module = publish_written(LOTO, 3)
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        learner = make_user("learner", [role.id])
        take_quiz(learner.id, module.id, set())


def test_plotly_is_versioned_and_sent_in_brotli(app, client, make_user) -> None:
    _one_result(app, make_user)
    login(client, make_user("compliance"))
    page = client.get("/analytics/").get_data(as_text=True)
    url = re.search(r'src="(/analytics/plotly\.min\.js\?v=[0-9a-f]{12})"', page).group(1)
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    shipped = plotly.offline.get_plotlyjs().encode()
    assert brotli.decompress(response.data) == shipped
    assert len(response.data) < len(shipped) / 3
    assert YEAR in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_pages_are_never_compressed(client, make_user) -> None:
    """A compressed page that carries the CSRF token beside reflected input would leak it (BREACH)."""
    login(client, make_user("trainer"))
    response = client.get("/sops?q=" + "x" * 600, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
