"""``newsbrief commands --json``: the registered payloads, checked against Discord's rules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

# Discord's rule for command and option names (CHAT_INPUT), lower-case only.
NAME = re.compile(r"^[-_\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")
MANAGE_GUILD = 1 << 5
ADMIN_ONLY = {
    "sources"
}  # whole command admin-only; groups mixing public subcommands check server-side


@pytest.fixture(scope="module")
def payloads(tmp_path_factory) -> list[dict]:
    """Run the real command in a child process with no token and no network."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env["NEWSBRIEF_DATA_DIR"] = str(tmp_path_factory.mktemp("cmds"))
    done = subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "commands", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


def _items(payload):
    """The command itself, then every subcommand and option under it, with their paths."""
    yield payload["name"], payload
    yield from _walk(payload.get("options", []), payload["name"])


def _walk(options, path):
    for option in options:
        yield f"{path} {option['name']}", option
        yield from _walk(option.get("options", []), f"{path} {option['name']}")


def _length(payload: dict) -> int:
    """Characters Discord counts toward a command's 4000 limit: names, descriptions, choices."""
    total = len(payload["name"]) + len(payload.get("description", ""))
    for option in payload.get("options", []):
        total += _length(option)
    for choice in payload.get("choices", []):
        total += len(choice["name"]) + len(str(choice["value"]))
    return total


def test_the_user_commands_are_registered(payloads):
    """/brief, /figures, /story and /topics are among the registered commands."""
    names = {p["name"] for p in payloads}
    assert {"brief", "figures", "story", "topics"} <= names


def test_names_are_lowercase_and_valid(payloads):
    """Every command, subcommand and option name matches Discord's pattern in lower case."""
    for payload in payloads:
        for path, item in [
            (payload["name"], payload),
            *_walk(payload.get("options", []), payload["name"]),
        ]:
            assert NAME.match(item["name"]), path
            assert item["name"] == item["name"].lower(), path


def test_descriptions_are_1_to_100_characters(payloads):
    """Every command, subcommand and option has a description of 1–100 characters."""
    for payload in payloads:
        for path, item in [
            (payload["name"], payload),
            *_walk(payload.get("options", []), payload["name"]),
        ]:
            assert 1 <= len(item["description"]) <= 100, (path, item["description"])


def test_option_and_choice_counts_are_within_limits(payloads):
    """At most 25 options per level and 25 choices per option; 4000 characters per command."""
    for payload in payloads:
        assert len(payload.get("options", [])) <= 25
        for path, item in _walk(payload.get("options", []), payload["name"]):
            assert len(item.get("options", [])) <= 25, path
            assert len(item.get("choices", [])) <= 25, path
        assert _length(payload) <= 4000, payload["name"]
    assert len(payloads) <= 100


def test_required_options_come_first(payloads):
    """Discord rejects a required option after an optional one."""
    for payload in payloads:
        levels = [payload] + [o for _, o in _walk(payload.get("options", []), "")]
        for level in levels:
            flags = [o.get("required", False) for o in level.get("options", []) if o["type"] > 2]
            assert flags == sorted(flags, reverse=True), level["name"]


def test_every_command_carries_permission_fields(payloads):
    """Each command states its default permissions and where it may be used."""
    for payload in payloads:
        assert "default_member_permissions" in payload, payload["name"]
        assert "dm_permission" in payload or "contexts" in payload, payload["name"]


def test_admin_commands_need_manage_server_and_a_server(payloads):
    """Admin-only commands default to Manage Server and cannot run in DMs."""
    by_name = {p["name"]: p for p in payloads}
    for name in ADMIN_ONLY & by_name.keys():
        payload = by_name[name]
        assert int(payload["default_member_permissions"]) & MANAGE_GUILD, name
        assert payload.get("dm_permission") is False or payload.get("contexts") == [0], name


def test_brief_options_match_the_issue(payloads):
    """/brief takes topic (autocomplete), days 1–90 and theme from fixed choices."""
    brief = next(p for p in payloads if p["name"] == "brief")
    options = {o["name"]: o for o in brief["options"]}
    assert options["topic"]["required"] and options["topic"]["autocomplete"]
    assert (options["days"]["min_value"], options["days"]["max_value"]) == (1, 90)
    assert {c["value"] for c in options["theme"]["choices"]} >= {"energy", "trade-economy"}
