"""`investledger audit`: keygen, checkpoint, verify (with its exit codes) on each backend, and
the demo key of `serve --demo`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.bootstrap import build
from api.cli import app
from api.cli_audit import demo_signing_key
from application.settings import Settings
from tests.conftest import on_every_backend, sqlite_settings
from tests.integration.audit_store import event_store

runner = CliRunner()


@pytest.fixture
def ledger_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The test's settings where the command finds them, with a store of a few events."""
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.delenv("LEDGER_SIGNING_KEY", raising=False)
    for name in ("甲", "乙", "丙"):
        added = runner.invoke(app, ["accounts", "add", "--name", name, "--role", "leader"])
        assert added.exit_code == 0, added.output
    return settings


def keygen() -> dict[str, str]:
    result = runner.invoke(app, ["audit", "keygen"])
    assert result.exit_code == 0
    private, public, key_id = result.output.strip().splitlines()
    return {"private": private.removeprefix("LEDGER_SIGNING_KEY="),
            "public": public.removeprefix("public key: "),
            "key_id": key_id.removeprefix("key_id: ")}


def test_a_checkpoint_needs_a_key_and_says_how_to_make_one(ledger_env: Settings) -> None:
    result = runner.invoke(app, ["audit", "checkpoint"])

    assert result.exit_code == 2
    assert "LEDGER_SIGNING_KEY" in result.output and "audit keygen" in result.output


@on_every_backend
def test_verify_confirms_saved_checkpoints_and_exits_1_at_the_first_broken_link(
        ledger_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = keygen()
    monkeypatch.setenv("LEDGER_SIGNING_KEY", key["private"])
    saved = tmp_path / "checkpoint.json"
    made = runner.invoke(app, ["audit", "checkpoint", "--output", str(saved)])
    checkpoint = json.loads(saved.read_text())
    monkeypatch.delenv("LEDGER_SIGNING_KEY")  # the auditor has only the public key
    verify = ["audit", "verify", "--checkpoint", str(saved), "--public-key", key["public"]]

    intact = runner.invoke(app, verify)
    with event_store(ledger_env) as raw:
        raw.disable_triggers()
        _, _, _, state = raw.row(4)
        raw.execute(f"UPDATE {raw.events} SET state = ? WHERE {raw.position} = ?",
                    (bytes(state) + b" ", 4))
    broken = runner.invoke(app, verify)

    assert made.exit_code == 0 and json.loads(made.output) == checkpoint
    assert checkpoint["tree_size"] == 6 and checkpoint["key_id"] == key["key_id"]
    assert intact.exit_code == 0, intact.output
    assert "INTACT" in intact.output and "extends checkpoint: 6 entries" in intact.output
    assert "审计链完整" in intact.output
    assert broken.exit_code == 1, broken.output
    assert "BROKEN (changed): position 4, chain entry #3, item " in broken.output
    assert re.search(r"item [0-9a-f-]{36}, event (Account|TokenIndex)\.\w+\n", broken.output)
    assert "no longer matches chain entry #3: its stored state bytes" in broken.output
    assert "审计链在此断开：事件的存储内容与写入时的链条目不符（被修改）" in broken.output


def test_checkpoints_are_not_taken_on_trust(ledger_env: Settings, tmp_path: Path) -> None:
    saved = tmp_path / "checkpoint.json"
    saved.write_text('{"position": 1}')

    unreadable = runner.invoke(app, ["audit", "verify", "--checkpoint", str(saved),
                                     "--public-key", keygen()["public"]])
    saved.write_text(json.dumps({"position": 3, "head_hash": "0" * 64, "tree_size": 3,
                                 "root_hash": "0" * 64, "recorded_at": "2025-01-01T00:00:00Z",
                                 "key_id": "0" * 16, "signature": "AA=="}))
    without_key = runner.invoke(app, ["audit", "verify", "--checkpoint", str(saved)])

    assert unreadable.exit_code == 2 and "not a checkpoint" in unreadable.output
    assert without_key.exit_code == 2 and "--public-key" in without_key.output


def test_demo_mode_signs_with_a_key_made_for_the_run(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    c = build(sqlite_settings(tmp_path))
    try:
        demo_signing_key(c)
        checkpoint = c.audit.sign_head()
    finally:
        c.close()

    assert checkpoint.tree_size == 0
    assert f"key made for this demo run only (key_id {checkpoint.key_id}" in \
        capsys.readouterr().out
