"""Settings from the environment."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.db_path == "./data/clusterbot.sqlite3"
    assert settings.locale == "pl"
    assert settings.timezone == "Europe/Warsaw"
    assert settings.admins == frozenset()
    assert (settings.content_dir / "locales" / "pl.yaml").is_file()


def test_the_cache_can_be_sized_or_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().cache_size == 1000
    monkeypatch.setenv("CLUSTERBOT_CACHE_SIZE", "0")
    assert load_settings().cache_size == 0


def test_admins_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERBOT_ADMINS", "telegram:123, slack:T1:U42 ,")
    assert load_settings().admins == {"telegram:123", "slack:T1:U42"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLUSTERBOT_ADMINS", "123"),
        ("CLUSTERBOT_ADMINS", "fax:1"),
        ("CLUSTERBOT_ADMINS", "slack:U42"),  # a Slack admin is named with the workspace
        ("CLUSTERBOT_LOCALE", "de"),
        ("CLUSTERBOT_TIMEZONE", "Europe/Atlantis"),
        ("CLUSTERBOT_LOG_LEVEL", "LOUD"),
        ("CLUSTERBOT_CACHE_SIZE", "-1"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings()
