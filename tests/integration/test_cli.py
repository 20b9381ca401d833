"""The `investledger` command: accounts and projections (on each backend), and serve --demo as
`make run` uses it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.bootstrap import build
from api.cli import app
from application.errors import Unauthenticated
from application.settings import Settings
from tests.conftest import on_every_backend

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ledger_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The test's settings, where the command finds them: in the environment."""
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    return settings


@on_every_backend
def test_accounts_add_prints_a_working_token_as_last_line(ledger_env: Settings) -> None:
    result = runner.invoke(app, ["accounts", "add", "--name", "柳东新区", "--role", "unit",
                                 "--unit", "liudong"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("il_")
    c = build(ledger_env)
    try:
        caller = c.accounts.authenticate(token)
    finally:
        c.close()
    assert (caller.name, caller.role, caller.unit) == ("柳东新区", "unit", "liudong")


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "unit"], "needs a unit code"),
    (["--role", "wizard"], "role must be one of"),
    (["--role", "unit", "--unit", "nowhere"], "unknown unit code"),
])
def test_accounts_add_refuses_bad_input_with_exit_code_2(ledger_env: Settings, args: list[str],
                                                         message: str) -> None:
    result = runner.invoke(app, ["accounts", "add", "--name", "x", *args])
    assert result.exit_code == 2
    assert message in result.output
    c = build(ledger_env)
    try:
        assert c.ledger.head() == 0
    finally:
        c.close()


@on_every_backend
def test_reissue_replaces_the_token_and_deactivate_revokes_it(ledger_env: Settings) -> None:
    first = runner.invoke(app, ["accounts", "add", "--name", "王", "--role", "bureau"])
    old = first.output.strip().splitlines()[-1]
    account_id = re.search(r"account ([0-9a-f-]{36})", first.output).group(1)  # type: ignore[union-attr]
    new = runner.invoke(app, ["accounts", "reissue", account_id]).output.strip().splitlines()[-1]
    c = build(ledger_env)
    try:
        assert c.accounts.authenticate(new).name == "王"
        with pytest.raises(Unauthenticated, match="invalid bearer token"):
            c.accounts.authenticate(old)
    finally:
        c.close()
    assert runner.invoke(app, ["accounts", "deactivate", account_id, "--reason", "调岗"]
                         ).exit_code == 0
    c = build(ledger_env)
    try:
        with pytest.raises(Unauthenticated, match="invalid bearer token"):
            c.accounts.authenticate(new)
    finally:
        c.close()


@on_every_backend
def test_rebuild_and_status_report_positions(ledger_env: Settings) -> None:
    from api.demo import load_demo

    c = build(ledger_env)
    try:
        load_demo(c)
        head = c.ledger.head()
    finally:
        c.close()
    result = runner.invoke(app, ["projections", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"up to position {head}" in result.output
    status = runner.invoke(app, ["projections", "status"])
    assert f"head of the log: {head}" in status.output
    assert re.search(rf"project_ledger\s+.\s+{head}\s+.\s+0", status.output)
    unknown = runner.invoke(app, ["projections", "rebuild", "nope"])
    assert unknown.exit_code == 2
    assert "unknown projection" in unknown.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(tmp_path: Path, port: int) -> tuple[subprocess.Popen[str], dict[str, str]]:
    # The console script imports the installed package; PYTHONPATH makes it serve this
    # checkout's code (a git worktree shares its venv's editable install with main).
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "LEDGER_DATABASE_URL": f"sqlite:///{tmp_path}/run.db",
           "LEDGER_DEMO_TOKENS_FILE": str(tmp_path / "tokens.txt"), "COLUMNS": "200",
           "PYTHONPATH": pythonpath}
    cli = Path(sys.executable).with_name("investledger")
    proc = subprocess.Popen([str(cli), "serve", "--demo", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output, _ = proc.communicate(timeout=20)
            pytest.fail(f"serve --demo exited with {proc.returncode}; it printed:\n{output}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        output, _ = proc.communicate(timeout=20)
        pytest.fail(f"serve --demo did not answer /healthz within 60 s; it printed:\n{output}")
    tokens = dict(line.split("\t") for line in
                  (tmp_path / "tokens.txt").read_text().splitlines())
    return proc, tokens


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    out, _ = proc.communicate(timeout=20)
    return out


def test_serve_demo_loads_once_prints_tokens_and_keeps_data_across_restarts(
        tmp_path: Path) -> None:
    port = _free_port()
    proc, tokens = _serve(tmp_path, port)
    try:
        assert {"admin", "leader", "supervisor", "bureau", "unit:liudong"} <= set(tokens)
        ledger = httpx.get(f"http://127.0.0.1:{port}/api/v1/ledgers/projects",
                           headers={"Authorization": f"Bearer {tokens['bureau']}"}).json()
        assert ledger["count"] == 12
        assert set(ledger["totals"]) == {"negotiating", "signed", "under_construction",
                                         "in_production", "terminated"}
    finally:
        first_output = _stop(proc)
    assert tokens["bureau"] in first_output
    proc, again = _serve(tmp_path, port)
    try:
        assert again == tokens
        ledger = httpx.get(f"http://127.0.0.1:{port}/api/v1/ledgers/projects",
                           headers={"Authorization": f"Bearer {tokens['bureau']}"}).json()
        assert ledger["count"] == 12  # not loaded twice
    finally:
        second_output = _stop(proc)
    assert "Loading demo data" not in second_output
    assert tokens["bureau"] in second_output
