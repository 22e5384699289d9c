"""``newsbrief bot``: refuses to start without a token, with a message saying what to do."""

from __future__ import annotations

from pydantic import SecretStr

from newsbrief.cli import build_parser


def _run(settings, *argv):
    args = build_parser().parse_args(["bot", *argv])
    return args.handler(args, settings)


def test_missing_token_is_explained(settings, capsys):
    """Without NEWSBRIEF_DISCORD_TOKEN the command exits 2 and says how to get one."""
    assert settings.bot.discord_token is None
    assert _run(settings) == 2
    err = capsys.readouterr().err
    assert "NEWSBRIEF_DISCORD_TOKEN is not set" in err
    assert "newsbrief console" in err


def test_blank_token_is_treated_as_missing(settings, capsys):
    """An empty token is refused the same way, before any connection is tried."""
    blank = settings.model_copy(
        update={"bot": settings.bot.model_copy(update={"discord_token": SecretStr("  ")})}
    )
    assert _run(blank, "--sync-global") == 2
    assert "NEWSBRIEF_DISCORD_TOKEN is not set" in capsys.readouterr().err
