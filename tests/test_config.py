"""Configuration that several processes share must agree."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from lms.config import normalise_database_url, secret_key


def _key(folder: str, queue) -> None:
    queue.put(secret_key(folder))


def test_workers_starting_together_share_one_secret_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    context = multiprocessing.get_context("spawn")
    for trial in range(3):
        folder = tmp_path / f"instance-{trial}"
        queue = context.Queue()
        workers = [context.Process(target=_key, args=(str(folder), queue)) for _ in range(6)]
        for worker in workers:
            worker.start()
        keys = {queue.get(timeout=60) for _ in workers}
        for worker in workers:
            worker.join(timeout=60)
        queue.close()
        queue.join_thread()
        assert len(keys) == 1 and len(next(iter(keys))) == 64
        assert (folder / "secret_key").stat().st_mode & 0o077 == 0, "the key file must be private"


def test_an_explicit_secret_key_wins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert secret_key(str(tmp_path)) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"
