"""One typed settings object, read from ``NEWSBRIEF_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from corpus.location import ENV_FILE, ENV_PREFIX, database_url_for, default_data_dir


class LLMSettings(BaseSettings):
    """Optional OpenAI-compatible chat-completions backend for summaries."""

    model_config = SettingsConfigDict(extra="ignore")

    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key: SecretStr | None = None
    timeout_seconds: float = 20.0
    daily_call_cap: int = 500


class Settings(BaseSettings):
    """Every setting of newsbrief; see ``.env.example`` for what each one does."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_file=ENV_FILE,
        extra="ignore",
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    redis_url: str | None = None

    discord_token: SecretStr | None = None
    dev_guild_id: int | None = None
    owner_ids: list[int] = Field(default_factory=list)

    allow_private_networks: bool = False
    user_agent: str = "newsbrief/0.1 (+{contact_url})"
    contact_url: str = "https://github.com/newsbrief/newsbrief"

    poll_interval_seconds: int = 900
    fetch_total_timeout: float = 30.0
    fetch_connect_timeout: float = 10.0
    fetch_read_timeout: float = 15.0
    fetch_max_bytes: int = 20 * 1024 * 1024
    fetch_max_redirects: int = 3
    host_max_in_flight: int = 2
    host_min_interval: float = 1.0
    max_consecutive_failures: int = 5
    # A discovered article still not fetched after this many seconds has lost its fetch task
    # (a worker died between the poll's commit and queueing it); its source's next poll
    # queues it again.
    stale_pending_seconds: int = 600
    # Stored but not analysed for this long: the analysis task was lost and beat re-queues it.
    analysis_overdue_seconds: int = 600
    # Redis redelivers an unacknowledged task after this many seconds; every retry
    # countdown stays far below it so a delayed retry is never delivered twice.
    celery_visibility_timeout: int = 3600

    # Event clustering: an article joins the most similar open event at this TF-IDF cosine
    # or above (a title-only article at the headline threshold); an article at the merge
    # threshold to two events bridges them into one. Events idle this many days close.
    event_threshold: float = 0.25
    event_headline_threshold: float = 0.15
    event_merge_threshold: float = 0.35
    event_window_days: float = 3.0

    llm: LLMSettings = Field(default_factory=LLMSettings)

    @property
    def effective_database_url(self) -> str:
        """The configured database URL, or an SQLite file in the data directory."""
        return database_url_for(self.database_url, self.data_dir)

    @property
    def effective_user_agent(self) -> str:
        """The User-Agent header, naming the project and a contact URL."""
        return self.user_agent.format(contact_url=self.contact_url)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
