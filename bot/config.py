"""Settings from the environment (``CLUSTERBOT_*`` plus the platforms' own variables)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.i18n import SUPPORTED_LOCALES
from bot.errors import ConfigError

REPO_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
_PLATFORMS = ("console", "telegram", "slack")


class Settings(BaseSettings):
    """Every setting of the assistant; the README lists each variable."""

    model_config = SettingsConfigDict(env_prefix="CLUSTERBOT_", extra="ignore", frozen=True)

    db_path: str = "./data/clusterbot.sqlite3"
    content_dir: Path = REPO_CONTENT_DIR
    locale: str = "pl"
    timezone: str = "Europe/Warsaw"
    admins: Annotated[frozenset[str], NoDecode] = frozenset()
    log_level: str = "WARNING"
    max_input_chars: int = Field(default=4000, ge=100, le=100_000)

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            entries = [v.strip() for v in value.split(",") if v.strip()]
            for entry in entries:
                platform, _, user = entry.partition(":")
                if platform not in _PLATFORMS or not user:
                    known = ", ".join(_PLATFORMS)
                    raise ValueError(f"{entry!r} is not platform:user_id ({known})")
            return frozenset(entries)
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level


def load_settings() -> Settings:
    """Read the settings from the environment.

    Raises:
        ConfigError: a variable has an unusable value; the message names it.

    """
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "CLUSTERBOT_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise ConfigError(f"{name}: {first['msg']}") from exc
