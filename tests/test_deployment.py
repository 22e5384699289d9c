"""The deployment files agree with the code: compose services, commands and settings."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel

from corpus.settings import environment_names
from newsbrief.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _setting_names(model: type[BaseModel], prefix: str = "NEWSBRIEF_") -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _setting_names(annotation, f"{prefix}{name.upper()}__")
        else:
            names.add(f"{prefix}{name.upper()}")
    return names


def _example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*(NEWSBRIEF_[A-Z0-9_]+)=", text, flags=re.MULTILINE))


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_env_example_lists_every_setting() -> None:
    """Every settings field has a line in .env.example."""
    assert _setting_names(environment_names()) - _example_names() == set()


def test_env_example_names_only_real_settings() -> None:
    """.env.example lists no variable the settings object ignores."""
    assert _example_names() - _setting_names(environment_names()) == set()


def test_compose_runs_the_five_services() -> None:
    """The compose file runs redis, postgres, worker, beat and bot."""
    assert set(_compose()["services"]) == {"redis", "postgres", "worker", "beat", "bot"}


def test_compose_commands_are_newsbrief_subcommands() -> None:
    """worker, beat and bot run subcommands the CLI actually has."""
    parser = build_parser()
    for name in ("worker", "beat", "bot"):
        service = _compose()["services"][name]
        args = parser.parse_args(service["command"])
        assert getattr(args, "handler", None) is not None, name


def test_compose_environment_uses_known_settings() -> None:
    """Every NEWSBRIEF_ variable the compose file sets is a real setting."""
    known = _setting_names(environment_names())
    for name in ("worker", "beat", "bot"):
        env = _compose()["services"][name]["environment"]
        assert set(env) <= known, name
        assert env["NEWSBRIEF_DATABASE_URL"].startswith("postgresql://")
        assert env["NEWSBRIEF_REDIS_URL"].startswith("redis://redis:")


def test_compose_services_wait_for_healthy_backends() -> None:
    """The app services start after redis and postgres report healthy."""
    compose = _compose()
    for backend in ("redis", "postgres"):
        assert "healthcheck" in compose["services"][backend]
    for name in ("worker", "beat", "bot"):
        depends = compose["services"][name]["depends_on"]
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["postgres"]["condition"] == "service_healthy"


def test_dockerfile_copies_every_package() -> None:
    """The image contains all four packages the entry point needs."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("corpus", "worker", "bot", "newsbrief"):
        assert f"COPY {package} ./{package}" in dockerfile
