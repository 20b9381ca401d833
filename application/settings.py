"""One Settings object, read from the environment, for the API, CLI, workers and compose."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from application.calendar import WorkingDays
from application.checkpoints import private_key
from domain.reporting import Cadence

DEFAULT_DATABASE_URL = "sqlite:///./var/investledger.db"


class Settings(BaseSettings, WorkingDays):
    """Configuration; every field is read from `LEDGER_<FIELD>` (e.g. LEDGER_DATABASE_URL),
    the working days of each deadline (LEDGER_REPLY_DAYS, …) included."""

    model_config = SettingsConfigDict(env_prefix="LEDGER_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="sqlite:///PATH (embedded) or postgresql://USER:PASS@HOST:PORT/DB[?schema=S]",
    )
    views_database_url: str | None = Field(
        None,
        description="Where read models live; default: the same PostgreSQL database, or a "
        "sibling SQLite file (PATH.views) so projection writes never block event writes.",
    )
    timezone: str = Field("Asia/Shanghai", description="Zone of business dates (today's date).")
    follow_in_process: bool | None = Field(
        None,
        description="Follow projections inside the API process; default: yes on SQLite, "
        "no on PostgreSQL (run `investledger projections follow`).",
    )
    wait_timeout: float = Field(5.0, ge=0, le=60,
                                description="Longest wait of a read for min_position, seconds.")
    snapshot_interval: int = Field(50, ge=0, description="Snapshot every N versions; 0: never.")
    cipher_key: str | None = Field(
        None, description="Base64 AES key; when set, event payloads are encrypted at rest."
    )
    signing_key: str | None = Field(
        None, description="Base64 Ed25519 private key (32 bytes) that signs audit checkpoints "
        "(`investledger audit keygen` makes one); unset: checkpoints are refused (503).")
    append_only_role: bool = Field(
        False, description="PostgreSQL: the service connects as a role that may only read and "
        "append events (`investledger audit grant ROLE`, run by the tables' owner): it creates "
        "no event tables and serialises its writes without LOCK TABLE.")
    postgres_pool_size: int = Field(5, ge=1, le=100)
    database_timeout: float = Field(5.0, gt=0, le=60, description="Longest wait for a "
                                    "database connection, seconds; past it the API answers "
                                    "503 with Retry-After.")
    projection_batch_size: int = Field(500, ge=1, le=100_000)
    poll_interval: float = Field(0.5, gt=0, le=60,
                                 description="How often a follower polls when not woken.")
    units_file: Path | None = Field(None, description="Unit reference list (JSON); default: "
                                    "the bundled Liuzhou-like set.")
    industries_file: Path | None = Field(None, description="Industry reference list (JSON "
                                         "[{code, name}]); default: the bundled list.")
    review_units: Annotated[tuple[str, ...], NoDecode] = Field(
        ("gxj", "zrzyj", "sthjj", "fgw"), description="Units that review every park-entry "
        "project (入园联合论证) besides the park's managing unit: unit codes, comma separated.")
    agency_items_file: Path | None = Field(
        None, description="Permit items of agency cases (代办事项清单; JSON [{code, name}]); "
        "default: the bundled list from 立项备案 to 竣工验收.")
    calendar_overrides_file: Path | None = Field(
        None, description="Official holiday schedules for years chinese-calendar lacks "
        "(JSON; see application/data/calendar-overrides.example.json). Setting it recomputes "
        "open provisional deadlines at start-up.")
    nearly_due_days: int = Field(2, ge=0, le=30, description="临期: items due within N "
                                 "working days")
    report_period: Cadence = Field(Cadence.month, description="信息报送: key projects report "
                                   "once a month or once a quarter (month | quarter)")
    report_due_workday: int = Field(5, ge=1, le=20, description="信息报送: a period's report "
                                    "is due on this working day of the following period")
    earliest_business_date: date = Field(
        date(1990, 1, 1), description="Business dates before this day are refused (422): a "
        "typo such as 0001-01-01 would otherwise count working days over centuries.")
    max_body_bytes: int = Field(1024 * 1024, ge=1024, le=64 * 1024 * 1024,
                                description="Request bodies over this many bytes are refused "
                                "(413).")
    public_filing_rate: str = Field(
        "30/minute", description="Public complaint filings per client address (网站投诉; "
        "Open311 without api_key), as `N/second|minute|hour|day`; over it: 429.")
    public_lookup_rate: str = Field(
        "120/minute", description="Receipt-code look-ups per client address without an "
        "account; over it: 429.")
    open311_public_search: bool = Field(
        True, description="Open311 GET requests without api_key lists complaints in the "
        "public view (status, service, dates, agency; no description, no personal data); "
        "false: it needs an api_key.")
    demo_tokens_file: Path | None = Field(
        None, description="Where demo tokens are kept (demo mode only); default: beside the "
        "SQLite database (PATH.demo-tokens), or var/demo-tokens-DB.txt for PostgreSQL, so a "
        "demo of another store never prints this one's tokens.")

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgres://", "memory://")):
            msg = ("LEDGER_DATABASE_URL must start with sqlite://, postgresql:// or memory:// / "
                   "数据库地址须以sqlite://、postgresql://或memory://开头")
            raise ValueError(msg)
        return value

    @field_validator("signing_key", mode="before")
    @classmethod
    def _signing_key(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None  # an empty variable (compose's ${LEDGER_SIGNING_KEY:-}) is no key
        if isinstance(value, str):
            private_key(value)  # refuse a malformed key at start, naming the setting
        return value

    @field_validator("review_units", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(code.strip() for code in value.split(",") if code.strip())
        return value

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def follows_in_process(self) -> bool:
        if self.follow_in_process is None:
            return not self.is_postgres
        return self.follow_in_process
