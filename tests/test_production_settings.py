"""Production never starts insecure (issue 10): a secret key of its own, its public address on
https (every absolute link is built on it), secure cookies, and only its own host answered."""

from __future__ import annotations

import pytest

from webapp import InsecureConfiguration, create_app
from webapp.config import from_environment, insecure_settings

GOOD = {"APP_ENV": "production", "SECRET_KEY": "k" * 48,
        "PUBLIC_BASE_URL": "https://dichvucong.tayninh.example", "SESSION_COOKIE_SECURE": True}


def test_a_well_configured_production_has_nothing_to_say():
    assert insecure_settings(GOOD) == []


@pytest.mark.parametrize(("change", "words"), [
    ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
    ({"PUBLIC_BASE_URL": ""}, "PUBLIC_BASE_URL must be the site's https address"),
    ({"PUBLIC_BASE_URL": "http://dichvucong.tayninh.example"}, "PUBLIC_BASE_URL must be"),
    ({"SESSION_COOKIE_SECURE": False}, "COOKIE_SECURE must stay on"),
])
def test_each_insecure_setting_is_named(change, words):
    (problem,) = insecure_settings({**GOOD, **change})
    assert problem.startswith(words)


def test_development_is_not_held_to_it():
    assert insecure_settings({**GOOD, "APP_ENV": "development", "SECRET_KEY": ""}) == []


def test_production_refuses_to_start(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "PUBLIC_BASE_URL", "COOKIE_SECURE", "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(InsecureConfiguration) as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    message = str(refused.value)
    assert "SECRET_KEY" in message and "PUBLIC_BASE_URL" in message


def test_production_defaults_are_the_safe_ones(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("COOKIE_SECURE", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://dichvucong.tayninh.example/")
    monkeypatch.setenv("TRUSTED_HOSTS", "tayninh-smart.internal")
    config = from_environment(str(tmp_path))
    assert config["SECRET_KEY"] == ""  # never a key made up and kept in a folder
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["PUBLIC_BASE_URL"] == "https://dichvucong.tayninh.example"
    assert config["TRUSTED_HOSTS"] == ["dichvucong.tayninh.example", "tayninh-smart.internal"]
    assert not (tmp_path / "secret_key").exists()
