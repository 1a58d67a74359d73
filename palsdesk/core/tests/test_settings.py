"""Settings come from the environment; a bad or missing value stops the app at start, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import ImproperEnvironment, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[3]


def test_booleans_accept_the_usual_words_and_refuse_others(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperEnvironment, match="FLAG must be true or false, not 'maybe'"):
        env_bool("FLAG", default=False)


def test_numbers_refuse_words(monkeypatch):
    monkeypatch.setenv("SECONDS", "eight hours")
    with pytest.raises(ImproperEnvironment, match="SECONDS must be a whole number"):
        env_int("SECONDS", default=1)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.nhs.uk, b.nhs.uk,")
    assert env_list("HOSTS", default=[]) == ["a.nhs.uk", "b.nhs.uk"]


def test_with_debug_off_a_missing_secret_key_stops_the_app():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment["PYTHONPATH"] = str(ROOT)
    environment["PALSDESK_ENV_FILE"] = "/nonexistent/.env"  # not the developer's own .env
    started = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd="/",
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in started.stderr


def test_manage_py_names_the_missing_setting_without_a_traceback():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment["PALSDESK_ENV_FILE"] = "/nonexistent/.env"
    started = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 1
    assert started.stderr.startswith("PALS Desk cannot start: DJANGO_SECRET_KEY is not set.")
    assert "Traceback" not in started.stderr
