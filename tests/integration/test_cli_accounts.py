"""Accounts an administrator runs from the console: listed, and journaled with the
operator who changed them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api import cli
from api.bootstrap import build
from api.demo import tokens_path
from application.context import SYSTEM
from application.persistence import Database
from tests.conftest import sqlite_settings

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings = sqlite_settings(tmp_path)
    monkeypatch.setattr(cli, "_container", lambda: build(settings))
    return tmp_path


def test_accounts_list_shows_every_account_and_no_token(store: Path) -> None:
    added = runner.invoke(cli.app, ["accounts", "add", "--name", "柳东新区", "--role", "unit",
                                    "--unit", "liudong"])
    token = added.output.strip().splitlines()[-1]

    listed = runner.invoke(cli.app, ["accounts", "list"], env={"COLUMNS": "200"})

    assert listed.exit_code == 0, listed.output
    assert "柳东新区" in listed.output and "liudong" in listed.output and "yes" in listed.output
    assert token not in listed.output


def test_account_changes_from_the_console_name_the_operator(store: Path) -> None:
    added = runner.invoke(cli.app, ["accounts", "add", "--name", "督查室", "--role",
                                    "supervisor", "--as", "王颖颖"])
    assert added.exit_code == 0, added.output
    unnamed = runner.invoke(cli.app, ["accounts", "add", "--name", "领导", "--role", "leader"])
    assert unnamed.exit_code == 0, unnamed.output

    c = build(sqlite_settings(store))
    try:
        entries = c.journal.read(SYSTEM, 0, 100).entries
    finally:
        c.close()
    actors = [e.entry.actor for e in entries if e.item_kind == "account"]
    assert actors[0]["name"] == "王颖颖" and str(actors[0]["id"]).startswith("cli:")
    assert actors[1]["name"] != "system" and "@" in str(actors[1]["name"])


def test_each_demo_store_keeps_its_own_tokens() -> None:
    one = tokens_path(Database.parse("sqlite:///var/a.db"))
    other = tokens_path(Database.parse("sqlite:////srv/b.db"))
    pg = tokens_path(Database.parse("postgresql://u@h:5433/ledger?schema=demo"))

    assert (str(one), str(other)) == ("var/a.db.demo-tokens", "/srv/b.db.demo-tokens")
    assert pg.name == "demo-tokens-h-5433-ledger-demo.txt"


def test_serve_on_an_empty_store_says_how_to_create_the_first_admin(
        store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(options))

    shown = runner.invoke(cli.app, ["serve", "--port", "8765"], env={"COLUMNS": "200"})

    assert shown.exit_code == 0, shown.output
    assert "accounts add --name NAME --role admin" in shown.output
    assert served == [{"host": "127.0.0.1", "port": 8765, "log_level": "info"}]
