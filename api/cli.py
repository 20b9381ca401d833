"""The `investledger` command: serve, accounts, projections."""

from __future__ import annotations

import getpass
import logging
import os
import signal
import socket
import threading
from typing import Annotated
from uuid import UUID, uuid4

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from api.bootstrap import Container, build
from api.cli_audit import audit, demo_signing_key
from api.errors import DATABASE_ERRORS
from application.context import Caller
from application.errors import ApplicationError
from application.settings import Settings
from domain.errors import DomainError
from domain.shared import Role

app = typer.Typer(help="investledger: event-sourced ledger of investment promotion work.",
                  no_args_is_help=True)
accounts = typer.Typer(help="Accounts and bearer tokens.", no_args_is_help=True)
projections = typer.Typer(help="Read models: follow the log, rebuild, status.",
                          no_args_is_help=True)
calendar = typer.Typer(help="Working-day calendar (工作日历).", no_args_is_help=True)
app.add_typer(accounts, name="accounts")
app.add_typer(audit, name="audit")
app.add_typer(calendar, name="calendar")
app.add_typer(projections, name="projections")
console = Console()
OperatorOption = Annotated[str | None, typer.Option(
    "--as", help="Who runs this, as the audit journal shall name them (default: the OS user "
    "and host).")]


def _operator(name: str | None) -> Caller:
    """The person at the console, journaled as the actor of account changes: by the name
    given with --as, else as the OS user on this host; acting with the admin's rights."""
    where = f"{getpass.getuser()}@{socket.gethostname()}"
    return Caller(account_id=f"cli:{where}", name=(name or where).strip() or where,
                  role=Role.admin, correlation_id=f"cli-{uuid4().hex[:12]}")


def _container() -> Container:
    return build()


def _fail(exc: Exception) -> typer.Exit:
    console.print(f"[red]error:[/red] {exc}")
    return typer.Exit(code=2)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="TCP port (PORT overrides).")] = 8000,
    demo: Annotated[bool, typer.Option(help="Load demo data into an empty store.")] = False,
) -> None:
    """Start the HTTP API (and, on SQLite, the in-process projection follower)."""
    import uvicorn

    from api.app import create_app
    from api.demo import load_demo, read_tokens, save_tokens, tokens_path

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        container = _container()
    except DATABASE_ERRORS as exc:
        # Serve anyway: 503 with Retry-After until the database answers, then recover.
        settings = Settings()
        console.print(f"database not reachable ({exc}); serving 503 until it is, on "
                      f"http://{host}:{port}")
        uvicorn.run(create_app(settings=settings), host=host, port=port, log_level="info")
        return
    if demo:
        tokens_file = container.settings.demo_tokens_file or tokens_path(container.database)
        if container.ledger.head() == 0:
            console.print("Loading demo data (一打项目, 每个角色一个账号)…")
            save_tokens(tokens_file, load_demo(container))
        tokens = read_tokens(tokens_file)
        if tokens:
            table = Table(title=f"Demo login tokens (kept in {tokens_file})")
            table.add_column("role")
            table.add_column("Authorization: Bearer …")
            for label, token in tokens.items():
                table.add_row(label, token)
            console.print(table)
        demo_signing_key(container)
    elif container.ledger.head() == 0:
        console.print("The store is empty. Create the first administrator with\n"
                      "  investledger accounts add --name NAME --role admin --as YOUR_NAME\n"
                      "and use the token it prints; `make run` (--demo) loads demo data instead.")
    _report_sync(container)
    console.print(f"API on http://{host}:{port}/docs  ·  store: {_describe(container)}")
    try:
        uvicorn.run(create_app(container), host=host, port=port, log_level="info")
    finally:
        container.close()


def _report_sync(container: Container) -> None:
    result = container.sync_calendar()
    if result.previous_version != result.version:
        console.print(f"working-day calendar: {result.previous_version or 'none recorded'} → "
                      f"{result.version}; {result.recomputed} provisional deadline(s) recomputed")


@calendar.command("sync")
def calendar_sync() -> None:
    """Record the calendar in force and recompute open provisional deadlines if it changed
    (run after setting LEDGER_CALENDAR_OVERRIDES_FILE; `serve` also does it at start-up)."""
    container = _container()
    try:
        _report_sync(container)
        console.print(f"calendar in force: {container.calendar.version}")
    finally:
        container.close()


def _describe(c: Container) -> str:
    db = c.database
    if db.kind == "sqlite":
        return f"SQLite {db.path}"
    if db.kind == "postgres":
        return f"PostgreSQL {db.host}:{db.port}/{db.dbname}" + (f" schema {db.schema}"
                                                               if db.schema else "")
    return "in memory"


@accounts.command("add")
def accounts_add(
    name: Annotated[str, typer.Option(help="Person or office name.")],
    role: Annotated[str, typer.Option(help="admin, leader, supervisor, bureau, unit, "
                                      "park_office, agent or enterprise.")],
    unit: Annotated[str | None, typer.Option(help="Unit code (required for role unit).")] = None,
    enterprise: Annotated[str | None, typer.Option(
        help="Enterprise credit code (required for role enterprise).")] = None,
    operator: OperatorOption = None,
) -> None:
    """Open an account; its bearer token is printed as the last line (shown only once)."""
    container = _container()
    try:
        new = container.accounts.add(_operator(operator), name, role, unit, enterprise)
    except (DomainError, ApplicationError) as exc:
        raise _fail(exc) from None
    finally:
        container.close()
    console.print(f"account {new.account_id} ({role}{'/' + unit if unit else ''}) created; "
                  "token (store it now, it is not kept):")
    typer.echo(new.token)


@accounts.command("reissue")
def accounts_reissue(account_id: UUID, operator: OperatorOption = None) -> None:
    """Issue a new token for an account; the old one stops working."""
    container = _container()
    try:
        new = container.accounts.reissue(_operator(operator), account_id)
    except (DomainError, ApplicationError) as exc:
        raise _fail(exc) from None
    finally:
        container.close()
    typer.echo(new.token)


@accounts.command("deactivate")
def accounts_deactivate(account_id: UUID,
                        reason: Annotated[str, typer.Option(help="Why (audited).")],
                        operator: OperatorOption = None) -> None:
    """Deactivate an account; its token stops working."""
    container = _container()
    try:
        container.accounts.deactivate(_operator(operator), account_id, reason)
    except (DomainError, ApplicationError) as exc:
        raise _fail(exc) from None
    finally:
        container.close()
    console.print(f"account {account_id} deactivated")


@accounts.command("list")
def accounts_list(operator: OperatorOption = None) -> None:
    """Every account: id, name, role, unit or enterprise, active (never tokens)."""
    container = _container()
    try:
        found = container.accounts.list(_operator(operator))
    finally:
        container.close()
    table = Table("id", "name", "role", "unit", "active")
    for a in found:
        table.add_row(str(a.account_id), a.name, f"{a.role} {Role(a.role).label}",
                      a.unit or a.enterprise or "", "yes" if a.active else "no")
    console.print(table)


@projections.command("follow")
def projections_follow() -> None:
    """Follow the log into every projection until interrupted (the PostgreSQL worker)."""
    from projections.worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    container = _container()
    stop = threading.Event()

    def request_stop(*_: object) -> None:
        stop.set()
        container.follower.wake()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, request_stop)
    try:
        if container.settings.is_postgres:
            conninfo = container.database.conninfo()
            channel = container.ledger.recorder.channel_name  # type: ignore[attr-defined]
            run_worker(container.follower, conninfo, channel, container.settings.poll_interval,
                       stop, lambda n: console.print(f"waiting: another worker follows {n}"))
        else:
            container.follower.follow(container.settings.poll_interval, stop=stop)
    finally:
        container.close()


@projections.command("rebuild")
def projections_rebuild(
    name: Annotated[str | None, typer.Argument(help="Projection to rebuild; default all.")] = None,
) -> None:
    """Rebuild read models from the whole log; readers see the old rows until it commits."""
    container = _container()
    try:
        names = [name] if name else list(container.follower.projections)
        unknown = [n for n in names if n not in container.follower.projections]
        if unknown:
            known = ", ".join(container.follower.projections)
            raise _fail(ValueError(f"unknown projection {unknown[0]!r}; known: {known}"))
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as bar:
            for each in names:
                task = bar.add_task(each, total=container.ledger.head() or 1)

                def advance(n: int, total: int, task: TaskID = task) -> None:
                    bar.update(task, completed=n, total=total)

                done = container.follower.rebuild(each, advance)
                bar.update(task, completed=done or 1, total=done or 1)
        console.print(f"rebuilt {', '.join(names)} up to position {container.ledger.head()}",
                      soft_wrap=True)  # one line to read or grep, however many projections
    finally:
        container.close()


@projections.command("status")
def projections_status() -> None:
    """Each projection's position against the head of the log."""
    container = _container()
    try:
        head = container.ledger.head()
        failures = container.follower.failures()
        table = Table("projection", "position", "behind", "stopped before event")
        for each in container.follower.projections:
            pos = container.follower.position(each)
            failed = failures.get(each)
            table.add_row(each, str(pos), str(head - pos), str(failed.position) if failed else "")
        console.print(f"head of the log: {head}")
        console.print(table)
        for failed in failures.values():  # whole lines: an error must not be cut by the table
            console.print(f"{failed.name} stopped before event {failed.position} "
                          f"({failed.event}) since {failed.failed_at}: {failed.error}",
                          soft_wrap=True, markup=False)
    finally:
        container.close()


def main() -> None:  # pragma: no cover - console-script shim
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
