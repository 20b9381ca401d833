"""Every message the software writes for a person says it in Chinese as well as English
(DESIGN.md 7): a literal message in the source — `msg = …` or `raise SomeError(…)` — holds
Chinese text. The error handler's generic Chinese line is a safety net, not the message."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "application", "projections", "api")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _messages(tree: ast.AST) -> list[ast.expr]:
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "msg"):
            found.append(node.value)
        elif (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
              and isinstance(node.exc.func, ast.Name) and node.exc.func.id[:1].isupper()
              and node.exc.args):
            found.append(node.exc.args[0])
    return [m for m in found if isinstance(m, (ast.Constant, ast.JoinedStr, ast.BinOp))]


def test_every_literal_message_says_it_in_chinese_too() -> None:
    english_only = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            source = path.read_text("utf-8")
            for message in _messages(ast.parse(source)):
                text = ast.get_source_segment(source, message) or ""
                if not CHINESE.search(text):
                    english_only.append(f"{path.relative_to(ROOT)}:{message.lineno}: {text}")
    assert english_only == []


def test_the_check_finds_an_english_only_message() -> None:
    tree = ast.parse('msg = f"at most {n} items"\nraise InvalidValue("bad")\n'
                     'raise InvalidValue("错 / bad")\n')

    assert len(_messages(tree)) == 3
    assert [CHINESE.search(ast.unparse(m)) is None for m in _messages(tree)] == [
        True, True, False]
