"""One typed settings object, read from ``NEWSBRIEF_*`` environment variables.

What only the bot reads is in ``settings.bot``, what only the worker reads in
``settings.worker``; the rest is shared. The sections do not show in the variable names:
``NEWSBRIEF_DISCORD_TOKEN`` is ``settings.bot.discord_token`` and
``NEWSBRIEF_FETCH_TOTAL_TIMEOUT`` is ``settings.worker.fetch_total_timeout``. Keyword arguments
use the same flat names (``Settings(fetch_total_timeout=5)``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr, create_model, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from corpus.location import ENV_FILE, ENV_PREFIX, database_url_for, default_data_dir

_CONFIG = SettingsConfigDict(
    env_prefix=ENV_PREFIX,
    env_nested_delimiter="__",
    env_file=ENV_FILE,
    extra="ignore",
)


class LLMSettings(BaseSettings):
    """Optional OpenAI-compatible chat-completions backend for summaries."""

    model_config = SettingsConfigDict(extra="ignore")

    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key: SecretStr | None = None
    timeout_seconds: float = 20.0
    daily_call_cap: int = 500


class BotSettings(BaseModel):
    """What only the Discord bot reads."""

    discord_token: SecretStr | None = None
    dev_guild_id: int | None = None
    owner_ids: list[int] = Field(default_factory=list)


class WorkerSettings(BaseModel):
    """What only the ingestion worker reads: fetching, politeness, the queue, clustering."""

    user_agent: str = "newsbrief/0.1 (+{contact_url})"
    contact_url: str = "https://github.com/newsbrief/newsbrief"

    fetch_total_timeout: float = 30.0
    fetch_connect_timeout: float = 10.0
    fetch_read_timeout: float = 15.0
    fetch_max_bytes: int = 20 * 1024 * 1024
    fetch_max_redirects: int = 3
    host_max_in_flight: int = 2
    host_min_interval: float = 1.0
    # A discovered article still not fetched after this many seconds has lost its fetch task
    # (a worker died between the poll's commit and queueing it); its source's next poll
    # queues it again.
    stale_pending_seconds: int = 600
    # Stored but not analysed for this long: the analysis task was lost and beat re-queues it.
    analysis_overdue_seconds: int = 600
    # Redis redelivers an unacknowledged task after this many seconds; every retry
    # countdown stays far below it so a delayed retry is never delivered twice.
    celery_visibility_timeout: int = 3600

    # Event clustering: an article joins the most similar open event when its mean TF-IDF
    # cosine with the event's articles reaches this (a title-only article: its cosine with
    # the event's centroid, at the headline threshold); an article at the merge threshold
    # to two events bridges them into one. Events idle this many days close, and a score
    # falls to 1/e this far from an event's dates (recency).
    event_threshold: float = 0.18
    event_headline_threshold: float = 0.15
    event_merge_threshold: float = 0.35
    event_window_days: float = 3.0

    @property
    def effective_user_agent(self) -> str:
        """The User-Agent header, naming the project and a contact URL."""
        return self.user_agent.format(contact_url=self.contact_url)


_SECTIONS: dict[str, type[BaseModel]] = {"bot": BotSettings, "worker": WorkerSettings}


class Settings(BaseSettings):
    """Every setting of newsbrief; see ``.env.example`` for what each one does."""

    model_config = _CONFIG

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    redis_url: str | None = None

    # Read by the worker and by the commands that check a source's URL (`sources add`).
    allow_private_networks: bool = False
    poll_interval_seconds: int = 900
    max_consecutive_failures: int = 5

    llm: LLMSettings = Field(default_factory=LLMSettings)
    bot: BotSettings = Field(default_factory=BotSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read the environment and ``.env`` by the flat names of :func:`environment_names`."""
        names = environment_names()
        env_file = getattr(dotenv_settings, "env_file", _CONFIG.get("env_file"))
        return (
            init_settings,
            EnvSettingsSource(names),
            DotEnvSettingsSource(names, env_file=env_file),
            file_secret_settings,
        )

    @model_validator(mode="before")
    @classmethod
    def _into_sections(cls, data: Any) -> Any:
        """Put each flat name that belongs to a section into its section."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for section, model in _SECTIONS.items():
            moved = {name: data.pop(name) for name in list(data) if name in model.model_fields}
            if not moved:
                continue
            given = data.get(section)
            if isinstance(given, BaseModel):
                given = {name: getattr(given, name) for name in given.model_fields_set}
            data[section] = {**moved, **(given or {})}
        return data

    @property
    def effective_database_url(self) -> str:
        """The configured database URL, or an SQLite file in the data directory."""
        return database_url_for(self.database_url, self.data_dir)


@lru_cache(maxsize=1)
def environment_names() -> type[BaseSettings]:
    """Return the settings as the environment names them: sections' fields at the top level."""
    fields: dict[str, Any] = {}
    for name, info in Settings.model_fields.items():
        section = _SECTIONS.get(name)
        if section is None:
            fields[name] = (info.annotation, None)
        else:
            fields.update({sub: (f.annotation, None) for sub, f in section.model_fields.items()})
    model: type[BaseSettings] = create_model("EnvironmentNames", __base__=_Names, **fields)
    return model


class _Names(BaseSettings):
    model_config = _CONFIG


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
