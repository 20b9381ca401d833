"""Consistency checks of the build, CI and deployment files against the code.

They read docker-compose.yml, Dockerfile, Makefile and .ci/run as text (no Docker needed) and
check them against `application.settings.Settings`, so that a renamed setting or a typo in an
environment variable name fails here instead of being silently ignored in production.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from application.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
MAKEFILE = ROOT / "Makefile"
CI_RUN = ROOT / ".ci" / "run"

APP_SERVICES = ("api", "projections-worker")
ENV_PREFIX = "LEDGER_"
PASSWORD = {"POSTGRES_PASSWORD": "s3cret-Pass"}  # compose requires one


# --------------------------------------------------------------------------- helpers


def _interpolate(value: str, env: dict[str, str] | None = None) -> str:
    """Substitute ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR and $$ as Compose does."""
    env = {} if env is None else env

    def replace(match: re.Match[str]) -> str:
        if match.group("escaped"):
            return "$"
        name = match.group("braced") or match.group("named")
        op, default = match.group("op"), match.group("default") or ""
        if op in (":?", "?") and not (env.get(name) if op == ":?" else name in env):
            msg = f"required variable {name} is missing: {default}"
            raise ValueError(msg)
        if op in (":?", "?"):
            return env[name]
        if op == ":-":
            return env.get(name) or default
        if op == "-":
            return env.get(name, default)
        return env.get(name, "")

    pattern = re.compile(
        r"(?P<escaped>\$\$)"
        r"|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<default>[^}]*))?\}"
        r"|\$(?P<named>[A-Za-z_][A-Za-z0-9_]*)"
    )
    return pattern.sub(replace, value)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment:` as a dict, whether written as a mapping or a list."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        pairs = (item.split("=", 1) if "=" in item else (item, "") for item in raw)
        return {name: value for name, value in pairs}
    return {str(name): "" if value is None else str(value) for name, value in raw.items()}


def _setting_field(env_name: str) -> str:
    return env_name.removeprefix(ENV_PREFIX).lower()


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    current = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, args = current.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        current = ""
    assert not current, "Dockerfile ends inside a continued line"
    return instructions


def _dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, args in _dockerfile_instructions():
        if keyword != "ENV":
            continue
        words = shlex.split(args)
        if words and "=" not in words[0]:  # legacy form: ENV NAME value with spaces
            env[words[0]] = " ".join(words[1:])
            continue
        for word in words:
            name, _, value = word.partition("=")
            env[name] = value
    return env


def _exec_or_shell(args: str) -> list[str]:
    """The argv of a CMD/ENTRYPOINT in exec (JSON) or shell form."""
    if args.startswith("["):
        argv = json.loads(args)
        assert isinstance(argv, list)
        return [str(word) for word in argv]
    return shlex.split(args)


def _make_rules() -> dict[str, list[str]]:
    """Explicit targets of the Makefile mapped to their recipe lines."""
    rules: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in MAKEFILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            if current is not None:
                current.append(line[1:])
            continue
        rule = re.match(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)", line)
        if rule and not re.match(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*[:?+!]?=", line):
            current = []
            for target in rule.group(1).split():
                rules.setdefault(target, current)
        elif line.strip() and not line.startswith("#"):
            current = None
    return rules


def _script_lines(path: Path) -> list[str]:
    """Non-comment lines of a shell script."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append(stripped)
    return lines


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml is not a mapping"
    assert isinstance(data.get("services"), dict), "docker-compose.yml has no services"
    return data


# --------------------------------------------------------------------------- docker-compose.yml


def test_compose_declares_the_services(compose: dict[str, Any]) -> None:
    missing = {"postgres", *APP_SERVICES} - set(compose["services"])
    assert not missing, f"docker-compose.yml lacks services: {sorted(missing)}"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_env_vars_are_settings_fields(compose: dict[str, Any], service: str) -> None:
    env = _environment(compose["services"][service])
    assert env, f"{service} sets no environment variables"
    fields = set(Settings.model_fields)
    for name in env:
        assert name.startswith(ENV_PREFIX), f"{service}: {name} does not start with {ENV_PREFIX}"
        assert _setting_field(name) in fields, (
            f"{service}: {name} is not a Settings field (known: {sorted(fields)})"
        )


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_env_values_are_valid_settings(compose: dict[str, Any], service: str) -> None:
    env = _environment(compose["services"][service])
    values = {_setting_field(name): _interpolate(value, PASSWORD) for name, value in env.items()}
    settings = Settings.model_validate(values)  # raises ValidationError on a bad value
    assert settings.is_postgres, f"{service} does not use PostgreSQL"
    assert not settings.follows_in_process, (
        f"{service} would follow projections in-process; that is the worker's job"
    )


def test_compose_app_services_share_a_postgres_database(compose: dict[str, Any]) -> None:
    urls = {
        service: _environment(compose["services"][service]).get("LEDGER_DATABASE_URL")
        for service in APP_SERVICES
    }
    assert urls["api"], "api has no LEDGER_DATABASE_URL"
    assert urls["api"] == urls["projections-worker"], (
        f"api and projections-worker use different databases: {urls}"
    )

    postgres_env = _environment(compose["services"]["postgres"])
    url = urlsplit(_interpolate(urls["api"], PASSWORD))
    assert url.scheme in ("postgresql", "postgres"), f"not a PostgreSQL URL: {urls['api']}"
    assert url.hostname == "postgres", "LEDGER_DATABASE_URL must point at the postgres service"
    assert (url.port or 5432) == 5432
    assert unquote(url.username or "") == _interpolate(postgres_env["POSTGRES_USER"])
    assert unquote(url.password or "") == _interpolate(postgres_env["POSTGRES_PASSWORD"],
                                                       PASSWORD)
    assert url.path.lstrip("/") == _interpolate(postgres_env["POSTGRES_DB"])


def test_compose_password_override_reaches_both_sides(compose: dict[str, Any]) -> None:
    env = {"POSTGRES_PASSWORD": "s3cret-Pass"}
    url = _interpolate(_environment(compose["services"]["api"])["LEDGER_DATABASE_URL"], env)
    server = _interpolate(_environment(compose["services"]["postgres"])["POSTGRES_PASSWORD"], env)
    assert server == "s3cret-Pass"
    assert urlsplit(url).password == server


def test_compose_refuses_to_start_without_a_password(compose: dict[str, Any]) -> None:
    url = _environment(compose["services"]["api"])["LEDGER_DATABASE_URL"]
    server = _environment(compose["services"]["postgres"])["POSTGRES_PASSWORD"]
    for value in (url, server):
        with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
            _interpolate(value)
        with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
            _interpolate(value, {"POSTGRES_PASSWORD": ""})


def test_compose_publishes_the_api_on_loopback_unless_told(compose: dict[str, Any]) -> None:
    (published,) = compose["services"]["api"]["ports"]
    assert _interpolate(published) == "127.0.0.1:8000:8000"
    assert _interpolate(published, {"API_PUBLISH_ADDRESS": "0.0.0.0"}) == "0.0.0.0:8000:8000"


def test_compose_postgres_is_healthchecked(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert str(postgres.get("image", "")).startswith("postgres:")
    test = postgres.get("healthcheck", {}).get("test")
    assert test, "postgres has no healthcheck"
    assert "pg_isready" in (" ".join(test) if isinstance(test, list) else str(test))
    assert any(str(volume).startswith("pgdata:") for volume in postgres.get("volumes", []))
    assert "pgdata" in (compose.get("volumes") or {})


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_waits_for_healthy_postgres(compose: dict[str, Any], service: str) -> None:
    depends_on = compose["services"][service].get("depends_on")
    assert isinstance(depends_on, dict), f"{service}: depends_on must be a mapping with conditions"
    assert depends_on.get("postgres", {}).get("condition") == "service_healthy"


@pytest.mark.parametrize(
    ("service", "expected"),
    [("api", ["investledger", "serve"]), ("projections-worker", ["investledger", "projections",
                                                                  "follow"])],
)
def test_compose_app_commands(compose: dict[str, Any], service: str, expected: list[str]) -> None:
    command = compose["services"][service].get("command")
    argv = command if isinstance(command, list) else shlex.split(str(command or ""))
    assert argv[: len(expected)] == expected, f"{service} runs {argv}"


def test_compose_worker_restarts(compose: dict[str, Any]) -> None:
    assert compose["services"]["projections-worker"].get("restart") == "unless-stopped"


# --------------------------------------------------------------------------- Dockerfile


def test_dockerfile_env_vars_are_settings_fields() -> None:
    ledger_env = {k: v for k, v in _dockerfile_env().items() if k.startswith(ENV_PREFIX)}
    assert "LEDGER_DATABASE_URL" in ledger_env, "the Dockerfile must set LEDGER_DATABASE_URL"
    fields = set(Settings.model_fields)
    for name in ledger_env:
        assert _setting_field(name) in fields, f"Dockerfile ENV {name} is not a Settings field"
    Settings.model_validate({_setting_field(name): value for name, value in ledger_env.items()})


def test_dockerfile_database_lives_in_the_volume() -> None:
    instructions = _dockerfile_instructions()
    url = _dockerfile_env()["LEDGER_DATABASE_URL"]
    assert url.startswith("sqlite:////data/"), f"the SQLite file must be under /data: {url}"
    volumes = [args for keyword, args in instructions if keyword == "VOLUME"]
    assert any("/data" in args for args in volumes), "the Dockerfile must declare VOLUME /data"


def test_dockerfile_cmd_serves_the_api() -> None:
    cmds = [args for keyword, args in _dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "the Dockerfile has no CMD"
    argv = _exec_or_shell(cmds[-1])
    assert argv[:2] == ["investledger", "serve"], f"CMD is {argv}"
    assert "0.0.0.0" in argv and "8000" in argv


def test_dockerfile_runs_as_non_root_and_is_healthchecked() -> None:
    instructions = _dockerfile_instructions()
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image must not run as root"
    assert instructions[0][0] == "FROM" and instructions[0][1].startswith("python:3.11")
    health = [args for keyword, args in instructions if keyword == "HEALTHCHECK"]
    assert health and "/healthz" in health[-1]
    assert any(keyword == "EXPOSE" and "8000" in args for keyword, args in instructions)


# --------------------------------------------------------------------------- Makefile


def test_makefile_has_the_targets() -> None:
    rules = _make_rules()
    missing = {"run", "test", "bench", "lint", "install", "worker", "rebuild", "clean",
               "help"} - set(rules)
    assert not missing, f"Makefile lacks targets: {sorted(missing)}"


def test_makefile_run_uses_demo_mode() -> None:
    recipe = " ".join(_make_rules().get("run", []))
    assert "investledger serve" in recipe, f"run recipe: {recipe!r}"
    assert "--demo" in recipe.split(), f"run recipe: {recipe!r}"


def test_makefile_is_tab_indented() -> None:
    for number, line in enumerate(MAKEFILE.read_text(encoding="utf-8").splitlines(), 1):
        assert not re.match(r"^ +\S", line) or line.lstrip().startswith("#"), (
            f"Makefile line {number} is indented with spaces: {line!r}"
        )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_dry_run_expands_run() -> None:
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8123", "HOST=0.0.0.0"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    serve = [line for line in result.stdout.splitlines() if "investledger serve" in line]
    assert serve, result.stdout
    assert serve[-1].split()[-5:] == ["--host", "0.0.0.0", "--port", "8123", "--demo"]


# --------------------------------------------------------------------------- .ci/run


def test_ci_run_requires_postgres_and_runs_make_test() -> None:
    lines = _script_lines(CI_RUN)
    # Commands only: quoted strings (echo'd headers, messages) do not count.
    commands = [re.sub(r"\"[^\"]*\"|'[^']*'", '""', line) for line in lines]
    assert any(
        re.match(r"^(export\s+)?REQUIRE_POSTGRES=([\"']?)1\2(\s|;|$)", line) for line in lines
    ), ".ci/run must set REQUIRE_POSTGRES=1"
    make_test = re.compile(r"(^|[;&|]\s*|^if\s+!?\s*|^\S+=\S+\s+)make\s+test(\s|;|$)")
    assert any(make_test.search(line) for line in commands), ".ci/run must run `make test`"
    make_lint = re.compile(r"(^|[;&|]\s*|^if\s+!?\s*)make\s+lint(\s|;|$)")
    assert any(make_lint.search(line) for line in commands), ".ci/run must run `make lint`"
    assert "set -euo pipefail" in lines


def test_ci_run_is_an_executable_bash_script() -> None:
    first = CI_RUN.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#!") and "bash" in first, f"shebang is {first!r}"
    assert os.access(CI_RUN, os.X_OK), ".ci/run is not executable (chmod +x .ci/run)"
    if shutil.which("bash"):
        result = subprocess.run(["bash", "-n", str(CI_RUN)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stderr
