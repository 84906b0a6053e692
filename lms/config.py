"""Configuration defaults, read from the environment so one build runs on a laptop and behind gunicorn."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sops.limits import ReadLimits

DEFAULT_UPLOAD_LIMIT_MB = 20


def database_url(instance_path: str) -> str:
    """`DATABASE_URL` when set (PostgreSQL in production), else an SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "sop-lms.sqlite")
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at psycopg 3, the driver sop-lms installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """`SECRET_KEY` when set; otherwise one generated once into the instance folder (never committed)."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:  # exclusive create: of several gunicorn workers starting at once, exactly one writes the key
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key)
    return key


def _read_key(path: Path, attempts: int = 50) -> str:
    """The key another process wrote; wait briefly if it has created the file but not yet written it."""
    for _ in range(attempts):
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty; delete it or set SECRET_KEY")


def apply_defaults(config: dict[str, Any], instance_path: str) -> None:
    """Fill in whatever the host or caller did not set; secrets and paths are only computed when missing."""
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = secret_key(instance_path)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = database_url(instance_path)
    # sop-lms's own engine: a database of its own when LMS_DATABASE_URI says so, else the host's
    url = config.get("LMS_DATABASE_URI") or config["SQLALCHEMY_DATABASE_URI"]
    config["LMS_DATABASE_URI"] = normalise_database_url(str(url))
    sqlite = config["LMS_DATABASE_URI"].startswith("sqlite")
    config.setdefault("LMS_ENGINE_OPTIONS", {"connect_args": {"timeout": 10}} if sqlite else {})
    upload_mb = int(os.environ.get("LMS_MAX_UPLOAD_MB", DEFAULT_UPLOAD_LIMIT_MB))
    config.setdefault("LMS_MAX_UPLOAD_BYTES", upload_mb * 1024 * 1024)
    config.setdefault("LMS_MAX_PDF_PAGES", int(os.environ.get("LMS_MAX_PDF_PAGES", 500)))
    config.setdefault("LMS_MAX_UNPACKED_BYTES", int(os.environ.get("LMS_MAX_UNPACKED_MB", 100)) * 1024 * 1024)
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # the name every report file and transcript carries in its header
    config.setdefault(
        "LMS_ORGANISATION_NAME", os.environ.get("LMS_ORGANISATION_NAME", "").strip() or "sop-lms"
    )
    config.setdefault("LMS_SIGNING_MAX_FAILURES", int(os.environ.get("LMS_SIGNING_MAX_FAILURES", 3)))
    config.setdefault("LMS_SIGNING_LOCK_MINUTES", int(os.environ.get("LMS_SIGNING_LOCK_MINUTES", 15)))
    if config.get("SESSION_COOKIE_SAMESITE") is None:
        config["SESSION_COOKIE_SAMESITE"] = "Lax"


def read_limits(config: Mapping[str, Any]) -> ReadLimits:
    """The document-reading limits (file size, PDF pages, DOCX expansion) this app is configured with."""
    return ReadLimits(
        max_bytes=config["LMS_MAX_UPLOAD_BYTES"],
        max_pages=config["LMS_MAX_PDF_PAGES"],
        max_unpacked_bytes=config["LMS_MAX_UNPACKED_BYTES"],
    )
