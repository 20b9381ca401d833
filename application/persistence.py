"""Turns a database URL into eventsourcing's environment and a view-store URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from application.chained_recorders import recorder_topic
from application.settings import Settings


@dataclass(frozen=True)
class Database:
    """A parsed database URL."""

    kind: str  # "sqlite", "postgres" or "memory"
    path: str = ""  # sqlite file
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""

    @classmethod
    def parse(cls, url: str) -> Database:
        if url.startswith("memory://"):
            return cls(kind="memory")
        if url.startswith("sqlite://"):
            path = url.removeprefix("sqlite://")
            # sqlite:///relative and sqlite:////absolute, as SQLAlchemy spells them.
            path = path[1:] if path.startswith("/") else path
            if not path:
                msg = ("a sqlite URL needs a file path: sqlite:///var/investledger.db / "
                       "SQLite地址须含文件路径")
                raise ValueError(msg)
            return cls(kind="sqlite", path=path)
        parts = urlsplit(url)
        if parts.scheme not in ("postgresql", "postgres"):
            msg = f"unsupported database URL scheme {parts.scheme!r} / 不支持的数据库地址"
            raise ValueError(msg)
        query = parse_qs(parts.query)
        return cls(
            kind="postgres",
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname=(parts.path or "/").lstrip("/") or "postgres",
            schema=(query.get("schema") or [""])[0],
        )

    def eventsourcing_env(self, settings: Settings) -> dict[str, str]:
        """Environment for the eventsourcing Application (keys without the app prefix)."""
        env: dict[str, str] = {}
        if self.kind == "memory":
            env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
        elif self.kind == "sqlite":
            private_file(self.path)
            env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
            env["SQLITE_DBNAME"] = self.path
            env["SQLITE_LOCK_TIMEOUT"] = "10"
        else:
            env.update({
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": self.dbname,
                "POSTGRES_HOST": self.host,
                "POSTGRES_PORT": str(self.port),
                "POSTGRES_USER": self.user,
                "POSTGRES_PASSWORD": self.password,
                "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
                # Fail fast (503) instead of hanging while the database is away, and test a
                # pooled connection before use so a restarted server is not an error.
                "POSTGRES_CONNECT_TIMEOUT": str(max(1, round(settings.database_timeout))),
                "POSTGRES_PRE_PING": "y",
                "POSTGRES_LOCK_TIMEOUT": "10",
            })
            if self.schema:
                env["POSTGRES_SCHEMA"] = self.schema
        topic = recorder_topic(self.kind, settings.append_only_role)
        if topic:
            # The audit chain is written with the events (application/chained_recorders.py).
            env["APPLICATION_RECORDER_TOPIC"] = topic
        if settings.append_only_role:
            env["CREATE_TABLE"] = "n"  # the tables' owner made them (`audit grant`)
        if settings.cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
            env["CIPHER_KEY"] = settings.cipher_key
        return env

    def conninfo(self) -> str:
        """A libpq connection string for this PostgreSQL database (schema on search_path)."""
        fields = {"host": self.host, "port": str(self.port), "user": self.user,
                  "dbname": self.dbname}
        if self.password:
            fields["password"] = self.password
        if self.schema:
            fields["options"] = f"-c search_path={self.schema}"
        return " ".join(f"{k}='{_quote(v)}'" for k, v in fields.items())

    def views_url(self) -> str:
        """Default location of the read models for this event store."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.path}.views"
        if self.kind == "memory":
            return "sqlite:///:memory:"
        userinfo = quote(self.user, safe="") + (
            f":{quote(self.password, safe='')}" if self.password else "")
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?schema={quote(self.schema, safe='')}" if self.schema else ""
        return f"postgresql://{userinfo}@{host}:{self.port}/{quote(self.dbname, safe='')}{query}"


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def private_file(path: str) -> None:
    """Create the folder (0700) and the SQLite file (0600) before SQLite does, so events with
    complainants' phone numbers are readable by the service's user only; SQLite gives its
    -wal and -shm files the database file's permissions."""
    if path == ":memory:":
        return
    file = Path(path)
    if not file.parent.exists():
        file.parent.mkdir(parents=True, mode=0o700)
    if not file.exists():
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
