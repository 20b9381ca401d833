"""审计链 over HTTP: signed checkpoints and Merkle proofs for supervisors and admins, which an
auditor checks offline with `investledger audit verify-proof` and nothing else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.bootstrap import Container
from api.cli import app
from api.schemas.audit import ChainEntryPublic
from application.checkpoints import Checkpoint, Signer, keygen, private_key, public_key
from tests.conftest import auth
from tests.e2e.helpers import Api, assert_problem

AUDIT = "/api/v1/audit"


@pytest.fixture
def keys(container: Container) -> dict[str, str]:
    pair = keygen()
    container.audit.use_key(Signer(private_key(pair.private)))
    return {"public": pair.public, "key_id": pair.key_id}


def get(client: TestClient, token: str, path: str, **params: Any) -> Any:
    response = client.get(f"{AUDIT}/{path}", params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_supervisor_gets_a_checkpoint_of_the_head_signed_with_the_configured_key(
        client: TestClient, tokens: dict[str, str], container: Container,
        keys: dict[str, str]) -> None:
    body = get(client, tokens["supervisor"], "checkpoint")

    assert set(body) == {"position", "head_hash", "tree_size", "root_hash", "recorded_at",
                         "key_id", "signature"}
    assert body["position"] == container.ledger.head() == body["tree_size"]
    assert body["key_id"] == keys["key_id"] and body["recorded_at"].endswith("Z")
    assert Checkpoint.from_dict(body).signature_problem(public_key(keys["public"])) is None


@pytest.mark.parametrize("role", ["bureau", "leader", "unit", "enterprise"])
def test_other_roles_may_not_sign_checkpoints_or_read_proofs(
        client: TestClient, tokens: dict[str, str], keys: dict[str, str], role: str) -> None:
    for path, params in (("checkpoint", {}), ("proof", {"position": 1, "tree_size": 1}),
                         ("consistency", {"from": 1, "to": 1})):
        response = client.get(f"{AUDIT}/{path}", params=params, headers=auth(tokens[role]))
        assert "审计链" in assert_problem(response, 403)["detail"]


def test_without_a_signing_key_a_checkpoint_is_refused_saying_how_to_make_one(
        client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get(f"{AUDIT}/checkpoint", headers=auth(tokens["admin"]))

    problem = assert_problem(response, 503)
    assert "LEDGER_SIGNING_KEY" in problem["detail"] and "audit keygen" in problem["detail"]
    assert "Retry-After" not in response.headers  # waiting will not bring a key


def test_proofs_from_the_api_verify_offline_against_saved_checkpoints(
        client: TestClient, tokens: dict[str, str], api: Api, keys: dict[str, str],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    supervisor = tokens["supervisor"]
    older = save(tmp_path / "older.json", get(client, supervisor, "checkpoint"))
    project = api.create()
    newer = save(tmp_path / "newer.json", get(client, supervisor, "checkpoint"))
    position = newer["position"]  # the project's registration is the last event
    inclusion = save(tmp_path / "inclusion.json", get(
        client, supervisor, "proof", position=position, tree_size=newer["tree_size"]))
    consistency = save(tmp_path / "consistency.json", get(
        client, supervisor, "consistency", **{"from": older["tree_size"],
                                              "to": newer["tree_size"]}))
    # Offline: no database to reach, only the files and the public key.
    monkeypatch.setenv("LEDGER_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")

    included = verify_proof(tmp_path / "inclusion.json", keys, tmp_path / "newer.json")
    extended = verify_proof(tmp_path / "consistency.json", keys, tmp_path / "older.json",
                            tmp_path / "newer.json")

    assert inclusion["entry"]["originator_id"] == project["id"]
    assert inclusion["leaf_index"] == newer["tree_size"] - 1
    assert consistency["from"] == older["tree_size"] and consistency["proof"]
    assert included.exit_code == 0, included.output
    assert f"position {position} (item {project['id']} version 1, Project.Registered" in \
        included.output
    assert extended.exit_code == 0, extended.output
    assert "VERIFIED (consistency proof)" in extended.output


def test_an_altered_proof_or_the_wrong_checkpoint_is_rejected_offline(
        client: TestClient, tokens: dict[str, str], api: Api, keys: dict[str, str],
        tmp_path: Path) -> None:
    supervisor = tokens["supervisor"]
    api.create()
    checkpoint = save(tmp_path / "checkpoint.json", get(client, supervisor, "checkpoint"))
    proof = get(client, supervisor, "proof", position=3, tree_size=checkpoint["tree_size"])
    proof["entry"]["topic"] = "domain.account:Account.Deactivated"
    proof["leaf_hash"] = leaf_of(proof["entry"])
    save(tmp_path / "altered.json", proof)
    save(tmp_path / "forged.json", {**checkpoint, "root_hash": "0" * 64})

    altered = verify_proof(tmp_path / "altered.json", keys, tmp_path / "checkpoint.json")
    unsigned = verify_proof(tmp_path / "altered.json", keys, tmp_path / "forged.json")

    assert altered.exit_code == 1
    assert "REJECTED (inclusion proof)" in altered.output
    assert "does not lead to the root" in altered.output
    assert unsigned.exit_code == 1 and "the signature does not verify" in unsigned.output


@pytest.mark.parametrize(("path", "params", "says"), [
    ("proof", {"position": 5, "tree_size": 4}, "not among the first 4 entries"),
    ("proof", {"position": 1, "tree_size": 10_000}, "beyond the chain's"),
    ("proof", {"position": 9_999, "tree_size": 3}, "is not an event of the log"),
    ("proof", {"position": "abc", "tree_size": 3}, "position"),
    ("proof", {"position": 0, "tree_size": 3}, "position"),
    ("proof", {"tree_size": 3}, "position"),
    ("consistency", {"from": 5, "to": 3}, "must not exceed"),
    ("consistency", {"from": 1, "to": 10_000}, "beyond the chain's"),
    ("consistency", {"from": "x", "to": 3}, "from"),
    ("consistency", {"from": 1, "to": 2, "size": 3}, "unknown query parameter size"),
])
def test_bad_proof_requests_are_refused_with_422(client: TestClient, tokens: dict[str, str],
                                                 path: str, params: dict[str, Any],
                                                 says: str) -> None:
    response = client.get(f"{AUDIT}/{path}", params=params, headers=auth(tokens["admin"]))

    assert says in assert_problem(response, 422)["detail"]


def save(path: Path, body: dict[str, Any]) -> dict[str, Any]:
    path.write_text(json.dumps(body), encoding="utf-8")
    return body


def leaf_of(entry: dict[str, Any]) -> str:
    return ChainEntryPublic.model_validate(entry).entry().leaf_hash().hex()


def verify_proof(proof: Path, keys: dict[str, str], *checkpoints: Path) -> Any:
    args = ["audit", "verify-proof", "--proof", str(proof), "--public-key", keys["public"]]
    for checkpoint in checkpoints:
        args += ["--checkpoint", str(checkpoint)]
    return CliRunner().invoke(app, args)
