"""The Content-Security-Policy sop-lms sends: every script, style, font and image is served by sop-lms itself.

Pages that draw plotly figures get a looser style and image policy, because plotly.js cannot draw under a
strict one (plotly/plotly.js#2355 and #7543): it sets inline style attributes, adds a filled <style> element,
and probes WebP support with a `data:` image. Scripts stay `'self'` on every page, so an injected script
still cannot run; the figures' data travel in non-executable JSON blocks.
"""

from __future__ import annotations

from flask import Response, make_response

_COMMON = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
STRICT = _COMMON
FIGURE_PAGE = _COMMON + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


def figure_page(body: str) -> Response:
    """A rendered page that draws plotly figures, with the looser style and image policy."""
    response = make_response(body)
    response.headers["Content-Security-Policy"] = FIGURE_PAGE
    return response
