"""`investledger audit …`: the signing key, signed checkpoints, verifying the chain, and
checking proofs offline (README, Audit). Exit codes: 0 intact or verified, 1 broken or
rejected, 2 a usage or configuration error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.bootstrap import Container, build
from api.schemas.audit import CheckpointPublic, ConsistencyProofPublic, InclusionProofPublic
from application.audit_offline import Verdict, check_consistency, check_inclusion
from application.audit_verify import ChainVerifier, Report
from application.checkpoints import Checkpoint, Signer, keygen, private_key, public_key
from application.errors import NotConfigured
from application.ledger import build_ledger
from application.persistence import Database
from application.settings import Settings

audit = typer.Typer(help="Audit chain (审计链): signing key, checkpoints, verification.",
                    no_args_is_help=True)
console = Console()
CheckpointFiles = Annotated[list[Path] | None, typer.Option(
    "--checkpoint", help="A checkpoint JSON file kept outside the system (repeatable).",
    exists=True, dir_okay=False)]


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", soft_wrap=True)
    return typer.Exit(code=2)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(f"{path}: not a JSON file ({exc}) / 不是 JSON 文件") from None


def _checkpoints(paths: list[Path] | None) -> list[Checkpoint]:
    found = []
    for path in paths or ():
        try:
            found.append(CheckpointPublic.model_validate(_json(path)).checkpoint())
        except (ValidationError, ValueError) as exc:
            raise _fail(f"{path}: not a checkpoint ({exc}) / 不是审计检查点") from None
    return found


def _public_key(text: str | None, settings: Settings | None = None) -> Ed25519PublicKey | None:
    try:
        if text:
            return public_key(text)
        if settings is not None and settings.signing_key:
            return private_key(settings.signing_key).public_key()
    except ValueError as exc:
        raise _fail(str(exc)) from None
    return None


@audit.command("keygen")
def audit_keygen() -> None:
    """Make an Ed25519 signing key: the private key for LEDGER_SIGNING_KEY (keep it secret,
    in the service's environment only) and the public key and key_id for auditors."""
    pair = keygen()
    typer.echo(f"LEDGER_SIGNING_KEY={pair.private}")
    typer.echo(f"public key: {pair.public}")
    typer.echo(f"key_id: {pair.key_id}")


@audit.command("checkpoint")
def audit_checkpoint(output: Annotated[Path | None, typer.Option(
        help="Also write the checkpoint to this file.")] = None) -> None:
    """Sign the chain's head and the log's Merkle root now; prints the checkpoint as JSON.
    Keep it outside the system: `audit verify --checkpoint FILE` checks the log against it."""
    container = build()
    try:
        checkpoint = container.audit.sign_head()
    except NotConfigured as exc:
        raise _fail(str(exc)) from None
    finally:
        container.close()
    text = json.dumps(checkpoint.as_dict(), indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    typer.echo(text)


@audit.command("verify")
def audit_verify(
    checkpoint: CheckpointFiles = None,
    public_key_text: Annotated[str | None, typer.Option(
        "--public-key", help="The signing key's public key (base64, as keygen printed it); "
        "default: that of LEDGER_SIGNING_KEY.")] = None,
) -> None:
    """Walk the whole chain beside the stored events and report the first broken link;
    with --checkpoint, also that the log extends each checkpoint (and its signature)."""
    checkpoints = _checkpoints(checkpoint)
    settings = Settings()
    key = _public_key(public_key_text, settings)
    if checkpoints and key is None:
        raise _fail("give --public-key (or set LEDGER_SIGNING_KEY) to check the checkpoints' "
                    "signatures / 请提供公钥以核验检查点签名")
    container = build(settings)
    try:
        report = _verify(container, checkpoints, key)
    finally:
        container.close()
    _print_report(report)
    raise typer.Exit(code=0 if report.intact else 1)


def _verify(container: Container, checkpoints: list[Checkpoint],
            key: Ed25519PublicKey | None) -> Report:
    if container.audit.recorder is None:
        raise _fail("this store keeps no audit chain (in-memory store) / 内存存储没有审计链")
    with Progress(TextColumn("verifying the chain"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("chain", total=None)
        return ChainVerifier(container.audit.recorder).verify(
            checkpoints, key, lambda n, total: bar.update(task, completed=n, total=total))


def _print_report(report: Report) -> None:
    say = console.print
    head = report.head
    if head:
        say(f"chain: {report.entries} entries up to position {head.entry.position}, head "
            f"{head.hash.hex()}", soft_wrap=True, markup=False)
    else:
        say(f"chain: {report.entries} entries", markup=False)
    if report.start:
        say(f"note: entries #0..#{report.start.entries - 1} (positions up to "
            f"{report.start.up_to_position}) were stored before the chain existed and were "
            f"chained on {report.start.chained_at}: they are proven unchanged since then",
            soft_wrap=True, markup=False)
    for confirmed in report.confirmed:
        say(f"extends checkpoint: {confirmed}", soft_wrap=True, markup=False)
    finding = report.finding
    if finding is None:
        say("INTACT: every stored event matches its chain entry"
            + (" and the log extends every checkpoint given" if report.confirmed else "")
            + " / 审计链完整：每个事件都与其链条目一致"
            + ("，且日志延续所给的每个检查点" if report.confirmed else ""),
            soft_wrap=True, markup=False)
        return
    where = ", ".join(part for part in (
        f"position {finding.position}" if finding.position is not None else "",
        f"chain entry #{finding.leaf_index}" if finding.leaf_index is not None else "",
        f"item {finding.item}" if finding.item else "",
        f"event {finding.event_type}" if finding.event_type else "") if part)
    say(f"BROKEN ({finding.kind}): {where}" if where else f"BROKEN ({finding.kind})",
        soft_wrap=True, markup=False)
    say(f"  {finding.detail}", soft_wrap=True, markup=False)
    say(f"  审计链在此断开：{BROKEN_ZH.get(finding.kind, finding.kind)}", soft_wrap=True,
        markup=False)


# What each kind of finding means (application/audit_verify.py), for Chinese readers.
BROKEN_ZH = {
    "changed": "事件的存储内容与写入时的链条目不符（被修改）",
    "deleted": "链条目所指的事件已不在存储中（被删除）",
    "inserted": "存储中有未入链的事件（被插入）",
    "reordered": "该位置的事件与链记录的位置不符（顺序被调换）",
    "chain": "链表本身被改动",
    "truncated": "日志短于所给检查点（被截断）",
    "checkpoint": "日志未延续所给检查点（被改写）",
    "signature": "检查点签名无法验证",
}


@audit.command("verify-proof")
def audit_verify_proof(
    proof: Annotated[Path, typer.Option(help="The proof JSON file (GET /api/v1/audit/proof or "
                                        "/consistency).", exists=True, dir_okay=False)],
    checkpoint: CheckpointFiles = None,
    public_key_text: Annotated[str | None, typer.Option(
        "--public-key", help="The signing key's public key (base64, as keygen printed it).")
    ] = None,
) -> None:
    """Check an inclusion or consistency proof offline, against signed checkpoints only:
    no database, no data key."""
    checkpoints = _checkpoints(checkpoint)
    key = _public_key(public_key_text)
    if key is None or not checkpoints:
        raise _fail("give --public-key and the --checkpoint file(s) the proof is checked "
                    "against / 请提供公钥和检查点文件")
    data = _json(proof)
    try:
        if isinstance(data, dict) and data.get("kind") == "consistency":
            verdict = check_consistency(ConsistencyProofPublic.model_validate(data).proven(),
                                        checkpoints, key)
        else:
            verdict = check_inclusion(InclusionProofPublic.model_validate(data).proven(),
                                      checkpoints, key)
    except ValidationError as exc:
        raise _fail(f"{proof}: not an inclusion or consistency proof ({exc}) "
                    "/ 不是包含或一致性证明") from None
    _print_verdict(verdict, data.get("kind", "inclusion"))
    raise typer.Exit(code=0 if verdict.ok else 1)


def _print_verdict(verdict: Verdict, kind: str) -> None:
    if verdict.ok:
        console.print(f"VERIFIED ({kind} proof): {verdict.message}", soft_wrap=True,
                      markup=False)
    else:
        console.print(f"REJECTED ({kind} proof): {verdict.message}", soft_wrap=True,
                      markup=False)


@audit.command("grant")
def audit_grant(role: Annotated[str, typer.Argument(help="The PostgreSQL role the service "
                                                    "will connect as.")]) -> None:
    """PostgreSQL, run as the tables' owner: create the event store's tables and triggers,
    and let ROLE only read and append events (the service then runs as ROLE with
    LEDGER_APPEND_ONLY_ROLE=true)."""
    settings = Settings()
    database = Database.parse(settings.database_url)
    if database.kind != "postgres":
        raise _fail("audit grant is for PostgreSQL (a SQLite file is protected by its "
                    "permissions and the triggers) / 仅适用于 PostgreSQL")
    ledger = build_ledger(settings.model_copy(update={"append_only_role": False}), database)
    try:
        recorder: Any = ledger.recorder
        with recorder.datastore.transaction(commit=True) as c:
            for statement in recorder.grant_statements(role):
                c.execute(statement)
    finally:
        ledger.close()
    console.print(f"{role} may read and append events, and nothing more on the event store "
                  "(no UPDATE, DELETE or TRUNCATE); run the service as that role with "
                  "LEDGER_APPEND_ONLY_ROLE=true", soft_wrap=True, markup=False)


def demo_signing_key(container: Container) -> None:
    """Demo mode without LEDGER_SIGNING_KEY: sign checkpoints with a key made for this run."""
    if container.audit.signer is not None:
        return
    pair = keygen()
    container.audit.use_key(Signer(private_key(pair.private)))
    console.print(f"audit checkpoints are signed with a key made for this demo run only "
                  f"(key_id {pair.key_id}, public key {pair.public}); set LEDGER_SIGNING_KEY "
                  "for one that lasts", soft_wrap=True, markup=False)
