"""Settings from the environment (``CLUSTERBOT_*`` plus the platforms' own variables)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.i18n import SUPPORTED_LOCALES
from bot.errors import ConfigError
from bot.reminders.schedule import parse_offsets

REPO_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
_PLATFORMS = ("console", "telegram", "slack")


def _user_cache() -> Path | None:
    """``$XDG_CACHE_HOME/clusterbot``, else ``~/.cache/clusterbot``; None without a home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME and no user entry (some containers)
            return None
    return Path(base) / "clusterbot"


class Settings(BaseSettings):
    """Every setting of the assistant; the README lists each variable."""

    model_config = SettingsConfigDict(env_prefix="CLUSTERBOT_", extra="ignore", frozen=True)

    db_path: str = "./data/clusterbot.sqlite3"
    #: ``postgresql://user:password@host:5432/db``: PostgreSQL instead of the SQLite file,
    #: for several workers (secret: it holds the password).
    database_url: SecretStr | None = None
    #: Connections per worker to PostgreSQL for the stores (as many again for turn locks).
    db_pool: int = Field(default=10, ge=1, le=500)
    content_dir: Path = REPO_CONTENT_DIR
    #: Where the knowledge base, once indexed, is kept for the next start; "off": nowhere.
    index_cache: Annotated[Path | None, NoDecode] = Field(default_factory=lambda: _user_cache())
    locale: str = "pl"
    timezone: str = "Europe/Warsaw"
    admins: Annotated[frozenset[str], NoDecode] = frozenset()
    log_level: str = "WARNING"
    max_input_chars: int = Field(default=4000, ge=100, le=100_000)
    reminder_offsets: Annotated[tuple[int, ...], NoDecode] = (7 * 1440, 1440, 120)
    #: At most this many messages per user in this many seconds ("120/60"); more: "slow down".
    rate_limit: Annotated[tuple[int, int], NoDecode] = (120, 60)
    #: People whose working data stays cached in memory (0: read everything from SQLite).
    cache_size: int = Field(default=1000, ge=0, le=1_000_000)
    #: iCalendar feeds (http/https URLs, comma-separated) whose events the bot keeps in step.
    event_feeds: Annotated[tuple[str, ...], NoDecode] = ()
    #: Where the console chat saves the files it would send (PDF, chart, CSV, JSON, .ics).
    console_files: Path = Path("clusterbot-files")
    #: The web view's port (report pages, the policy overview); unset: no web view, 0: any free.
    web_port: int | None = Field(default=None, ge=0, le=65535)
    #: The address the web view listens on (``0.0.0.0`` behind a reverse proxy or in Docker).
    web_host: str = "127.0.0.1"
    #: The web view's address as people reach it (``https://…``), for the links the chat sends;
    #: unset: ``http://127.0.0.1:<port>``. ``https`` also makes the session cookie ``Secure``.
    public_url: str | None = None

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_BOT_TOKEN"
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL"
    )
    telegram_api_file_url: str | None = Field(
        default=None, validation_alias="TELEGRAM_API_FILE_URL"
    )
    telegram_webhook_url: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_listen: str = Field(
        default="0.0.0.0",  # noqa: S104 - a reverse proxy terminates TLS in front of it
        validation_alias="TELEGRAM_WEBHOOK_LISTEN",
    )
    telegram_webhook_port: int = Field(
        default=8443, ge=1, le=65535, validation_alias="TELEGRAM_WEBHOOK_PORT"
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET"
    )
    #: Overall messages per second (Telegram's limit is about 30; paid broadcasts allow more).
    telegram_max_rate: float = Field(
        default=30, gt=0, le=1000, validation_alias="TELEGRAM_MAX_RATE"
    )

    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_SIGNING_SECRET"
    )
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    slack_http_host: str = Field(
        default="0.0.0.0",  # noqa: S104 - a reverse proxy terminates TLS in front of it
        validation_alias="SLACK_HTTP_HOST",
    )
    slack_http_port: int = Field(default=3000, ge=0, le=65535, validation_alias="SLACK_HTTP_PORT")

    @property
    def telegram_file_url(self) -> str:
        """The file download base URL: set explicitly, or derived from the API base URL."""
        if self.telegram_api_file_url:
            return self.telegram_api_file_url
        base = self.telegram_api_base_url
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_WEBHOOK_URL is set "
                "(Telegram sends it with every update; requests without it are refused)"
            )
        if self.slack_bot_token and not (self.slack_app_token or self.slack_signing_secret):
            raise ValueError(
                "SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET "
                "(HTTP mode, requests verified)"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parts = urlsplit(value.get_secret_value())
            if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
                raise ValueError("must be postgresql://user:password@host:port/database")
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("must be an http:// or https:// address")
            if parts.query or parts.fragment:
                raise ValueError("must not have a query or fragment")
            return value.rstrip("/")
        return value

    @field_validator("index_cache", mode="before")
    @classmethod
    def _cache_folder(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if value.lower() in ("", "off", "none", "0"):
                return None
            return Path(value).expanduser()
        return value

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
                workspace, _, slack_user = user.partition(":")
                if platform == "slack" and not (workspace and slack_user):
                    raise ValueError(
                        f"{entry!r} must name the Slack workspace: slack:TEAM_ID:USER_ID"
                    )
            return frozenset(entries)
        return value

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _parse_offsets(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_offsets(value)  # ValueError names the bad part
        return value

    @field_validator("event_feeds", mode="before")
    @classmethod
    def _split_feeds(cls, value: object) -> object:
        if isinstance(value, str):
            urls = [v.strip() for v in value.replace("\n", ",").split(",") if v.strip()]
            for url in urls:
                parts = urlsplit(url)
                if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                    raise ValueError(f"{url!r} is not an http:// or https:// address")
            return tuple(dict.fromkeys(urls))
        return value

    @field_validator("rate_limit", mode="before")
    @classmethod
    def _parse_rate(cls, value: object) -> object:
        if isinstance(value, str):
            count, _, seconds = value.partition("/")
            if not (count.strip().isdigit() and seconds.strip().isdigit()):
                raise ValueError("must be messages/seconds, e.g. 30/60")
            if int(count) < 1 or int(seconds) < 1:
                raise ValueError("both numbers must be at least 1")
            return (int(count), int(seconds))
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
        raise ConfigError(f"{_variable(first['loc'])}: {first['msg']}") from exc


def _variable(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return "settings"
    name = str(loc[0])
    if name.upper().startswith(("TELEGRAM_", "SLACK_")):
        return name.upper()
    return "CLUSTERBOT_" + name.upper()
