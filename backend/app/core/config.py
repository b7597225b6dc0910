"""Settings, read from the environment (``TEMPO_`` prefix) with pydantic-settings.

``DATABASE_URL`` and ``REDIS_URL`` are also read without the prefix because
deploy platforms and the pinned CLI contract use those names.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

INSECURE_SECRET = "change-me-dev-only-secret"  # noqa: S105 - the sentinel we refuse outside dev
REPO_ROOT = Path(__file__).resolve().parents[3]


def _asyncpg_url(url: str) -> str:
    """Accept ``postgres://`` / ``postgresql://`` URLs and use the asyncpg driver."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TEMPO_", env_file=".env", extra="ignore")

    environment: Literal["dev", "test", "production"] = "dev"
    # Logs: JSON lines (for collectors), console (for a person at a terminal), or auto
    # (console when stderr is a terminal, else JSON).
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    database_url: str | None = Field(default=None, validation_alias=AliasChoices("TEMPO_DATABASE_URL", "DATABASE_URL"))
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("TEMPO_REDIS_URL", "REDIS_URL"))
    # Key that signs session tokens' companions and hashes end-user ids (HMAC).
    secret_key: str = INSECURE_SECRET
    data_dir: Path = REPO_ROOT / ".data"
    reporting_currency: str = "USD"
    # The reactivation window (docs/metrics.md): ARR back within this many days of reaching
    # zero is bridged (the account never left); a churn is confirmed once it has passed.
    revenue_bridge_days: int = Field(default=30, ge=0, le=365)
    gross_margin: Decimal = Decimal("0.80")
    session_ttl_hours: int = 12
    login_rate_limit: str = "10/minute"
    cors_origins: list[str] = []
    public_url: str = "http://127.0.0.1:8000"
    arq_queue_name: str = "tempo:queue"
    db_pool_size: int = 10
    db_max_overflow: int = 10
    # Raw usage events are kept this long (dedupe, drill-down), then purged daily.
    usage_event_retention_days: int = 35
    # Daily scoring cron time (UTC).
    daily_scoring_hour: int = 2
    daily_scoring_minute: int = 15
    # Stripe webhook signing secret (whsec_...); webhooks answer 503 until it is set.
    stripe_webhook_secret: str | None = None
    # Deliveries signed longer ago (or further ahead) than this are refused as replays.
    stripe_webhook_tolerance_seconds: int = 300
    # Write key that Segment/RudderStack webhook destinations send as the HTTP Basic username.
    segment_write_key: str | None = None
    # Segment ``group`` traits create and update accounts (name, plan, industry, website as
    # domain). Off by default: most teams keep accounts in their CRM and let Segment only
    # bind users to them.
    segment_group_accounts: bool = False
    # Outgoing email (alert notifications, digests): an SMTP relay.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_from: str = "Tempo <tempo@localhost>"
    # Deliveries: attempts before a delivery is dead-lettered, and the first retry delay.
    delivery_max_attempts: int = 5
    delivery_backoff_seconds: int = 30
    # Plays alerts start on their own, per account owner and day (the most severe and
    # valuable first); beyond it they stay suggested in the queue, one click away.
    auto_plays_per_owner_per_day: int = Field(default=10, ge=0, le=1000)
    # Who does the "support lead" steps of a play (escalating a ticket): a user's email. Unset,
    # or no active user with it: the account owner's lead does them.
    support_lead_email: str | None = None

    # --- Hardening (DESIGN §16) ---
    # Template rendering (playbook previews, runs, digests): wall-clock time and output size
    # a render may take before it is stopped with a 422.
    template_render_seconds: float = Field(default=0.5, gt=0, le=30)
    template_output_chars: int = Field(default=100_000, ge=1_000, le=10_000_000)
    # Any request body larger than this is refused with 413 before it is read; the ingest and
    # import routes declare their own, higher limits. JSON nested deeper is a 400.
    max_request_bytes: int = Field(default=1_048_576, ge=1_024)
    json_max_depth: int = Field(default=64, ge=8, le=1_000)
    # Outbound URLs (webhook and Slack channels): https only, and never private, loopback,
    # link-local or cloud-metadata addresses unless listed here (CIDRs like 10.0.0.0/8, or
    # host names). ``outbound_allow_http`` admits plain http (for a receiver inside the network).
    outbound_allow: list[str] = []
    outbound_allow_http: bool = False
    # Proxies (CIDRs) whose X-Forwarded-For / X-Forwarded-Proto are believed; none by default,
    # so a client cannot choose the address its sign-in attempts are counted against.
    trusted_proxies: list[str] = []
    # Sign-in: after this many wrong passwords for one user, further attempts from devices the
    # user has not signed in from before wait an exponentially growing delay (capped); a
    # device that signed in before is never delayed by someone else's guesses.
    login_backoff_after: int = Field(default=5, ge=1, le=100)
    login_backoff_max_seconds: int = Field(default=900, ge=1, le=86_400)
    # A session unused this long ends (it also ends ``session_ttl_hours`` after sign-in).
    session_idle_minutes: int = Field(default=120, ge=1, le=43_200)
    # Whether CSMs read the whole book (they write only accounts they own or are on the team of).
    csm_read_whole_book: bool = True
    # /docs and /redoc (with assets served by Tempo itself); default: on, except in production.
    api_docs: bool | None = None
    # /readyz says the worker is down when its last heartbeat is older than this.
    worker_heartbeat_stale_seconds: int = Field(default=90, ge=10)
    # GraphQL: points each caller may spend per minute, and the most one query may cost
    # (app/graphql/cost.py says how a query is priced).
    graphql_points_per_minute: int = Field(default=10_000, ge=1)
    graphql_max_query_cost: int = Field(default=5_000, ge=1)
    # Embed tokens: the lifetime a request gets when it names none, and the longest it may ask
    # for (never more than 10 minutes: a leaked token is useful for that long at most).
    embed_token_default_seconds: int = Field(default=600, ge=1, le=600)
    embed_token_max_seconds: int = Field(default=600, ge=1, le=600)
    # Each API process reuses a tile, and what it checked of an embed token (key in service,
    # configuration active, token not revoked), for this long: a new score, a pause or a
    # revocation made through another process shows within it (0: check every request).
    embed_cache_seconds: float = Field(default=5, ge=0, le=60)
    # Tiles posted ``tempo:token-expiring`` this long before their token expires.
    embed_refresh_notice_seconds: int = Field(default=60, ge=1, le=300)

    @field_validator("reporting_currency")
    @classmethod
    def _upper_currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError("reporting_currency must be an ISO-4217 code such as USD")
        return value.upper()

    @field_validator("gross_margin")
    @classmethod
    def _margin_range(cls, value: Decimal) -> Decimal:
        if not Decimal(0) < value <= Decimal(1):
            raise ValueError("gross_margin must be in (0, 1]")
        return value

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.environment == "production" and (self.secret_key == INSECURE_SECRET or len(self.secret_key) < 32):
            raise ValueError(
                "TEMPO_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return self

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.environment != "production"

    @property
    def async_database_url(self) -> str:
        if not self.database_url:
            raise RuntimeError("DATABASE_URL is not configured")
        return _asyncpg_url(self.database_url)


@lru_cache
def get_settings() -> Settings:
    return Settings()
