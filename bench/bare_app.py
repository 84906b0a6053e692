"""The reference for bench/dashboard.py: a bare Flask endpoint, served by the same gunicorn setup."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)

PAGE = "<!doctype html><html><head><title>bare</title></head><body><p>hello</p></body></html>"


@app.get("/my/training")
def training() -> str:
    return PAGE
