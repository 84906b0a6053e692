"""Static assets (and the plotly.js bundle) served compressed and cached by version.

Every asset URL a page links carries a digest of the file's content (`asset_url`): a response to a URL
whose digest matches is cacheable for a year as immutable, so a browser fetches each version once and a
new release is fetched at once, under a new URL. Flask-Compress compresses them (zstd, brotli, gzip or
deflate, as the browser accepts), once per file, version and encoding per worker: plotly.js is 4.8 MB as
it ships and about 1 MB in brotli.

Only assets are compressed, never pages: a compressed page that reflects input beside a secret (the CSRF
token) leaks the secret to an attacker who can watch response sizes (BREACH). And only sop-lms's own
responses: Flask-Compress is set up without its app-wide hook, so a host's responses are left alone.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request, url_for
from flask_compress import Compress

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
IMMUTABLE_SECONDS = 365 * 24 * 3600
STATIC_ENDPOINT = "lms.static"
PLOTLY_ENDPOINT = "lms.analytics.plotly_js"


class _CompressedCache:
    """Compressed bodies by encoding, asset and content digest (a new version is a new key). Keys name
    the file as normalised, so spellings of one path share an entry; the size is capped all the same (the
    oldest entry goes), so no request can make a worker hold more than `MAX_ENTRIES` bodies."""

    MAX_ENTRIES = 64

    def __init__(self) -> None:
        self.bodies: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        return self.bodies.get(key)

    def set(self, key: str, value: bytes) -> None:
        self.bodies[key] = value
        while len(self.bodies) > self.MAX_ENTRIES:
            self.bodies.popitem(last=False)


compressor = Compress()


def init_app(app: Flask) -> None:
    """Flask-Compress's settings (its defaults, unless the app set them), without its app-wide hook: a
    host that registers Flask-Compress itself after us still gets its own."""
    host_register = app.config.get("COMPRESS_REGISTER")
    app.config["COMPRESS_REGISTER"] = False
    compressor.init_app(app)
    if host_register is None:
        del app.config["COMPRESS_REGISTER"]
    else:
        app.config["COMPRESS_REGISTER"] = host_register
    compressor.cache = _CompressedCache()
    compressor.cache_key = _cache_key


def static_digest(filename: str) -> str | None:
    """The first 12 hex digits of a static file's SHA-256 (None for a file that does not exist)."""
    return _digest_of(_normalised(filename))


def _normalised(filename: str) -> str:
    return posixpath.normpath("/" + filename).lstrip("/")


@lru_cache(maxsize=512)  # bounded: names that are not files are asked for too
def _digest_of(filename: str) -> str | None:
    path = (STATIC_DIR / filename).resolve()
    if not path.is_file() or STATIC_DIR not in path.parents:
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """The versioned URL of a file under `lms/static` (templates call it instead of `url_for`)."""
    return url_for(STATIC_ENDPOINT, filename=filename, v=static_digest(filename))


def plotly_url() -> str:
    from lms.analytics.figures import plotly_js

    return url_for(PLOTLY_ENDPOINT, v=plotly_js()[1][:12])


def _requested_file() -> str:
    return _normalised((request.view_args or {}).get("filename", ""))


def _current_digest() -> str | None:
    if request.endpoint == STATIC_ENDPOINT:
        return _digest_of(_requested_file())
    from lms.analytics.figures import plotly_js

    return plotly_js()[1][:12]


def _cache_key(_request) -> str:
    asset = _requested_file() if request.endpoint == STATIC_ENDPOINT else "plotly.js"
    return f"{request.endpoint}:{asset}@{_current_digest()}"


def serve_asset(response: Response) -> Response:
    """For sop-lms's asset responses (after every blueprint request): a year of caching when the URL
    names the current version, and the body compressed for a browser that accepts it."""
    if request.endpoint not in (STATIC_ENDPOINT, PLOTLY_ENDPOINT) or response.status_code != 200:
        return response
    digest = _current_digest()
    if digest is not None and request.args.get("v") == digest:
        response.cache_control.max_age = IMMUTABLE_SECONDS
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
        if request.endpoint == STATIC_ENDPOINT:
            response.cache_control.public = True  # the same bytes for everyone; plotly.js stays private
    if response.is_streamed:  # a file: read it, so the compressed body is cached, not redone per request
        response.direct_passthrough = False
        file, body = response.response, response.get_data()
        file.close()
        response.set_data(body)
    return compressor.after_request(response)
