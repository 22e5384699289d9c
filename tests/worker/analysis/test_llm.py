"""Tests for the optional LLM summariser against a real local chat-completions server."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from corpus.db import transaction
from corpus.settings import LLMSettings
from corpus.tables import LlmCall
from worker.analysis.llm import LLMSummariser, grounding_problems, summariser_from_settings
from worker.analysis.summary import ExtractiveSummariser

SEED = Path(__file__).resolve().parents[3] / "corpus" / "samples" / "004_78f9c8f826e79d3a.txt"
TITLE, _, TEXT = SEED.read_text(encoding="utf-8").partition("\n")
GROUNDED = (
    "Wang Yi visited Moscow in February 2023 as China and Russia strengthened their partnership. "
    "Sino-Russian trade totalled $172.41 billion over 11 months, an increase of 32 per cent. "
    "The US warned China against providing lethal support to Russia."
)
INVENTED_FIGURE = "Wang Yi visited Moscow. Trade between the two countries reached $190 billion."
INVENTED_NAME = "Wang Yi visited Moscow and met Sergei Lavrov to discuss trade."


class ChatServer:
    """A chat-completions endpoint on 127.0.0.1 that answers with queued canned replies."""

    def __init__(self) -> None:
        self.replies: list[dict] = []
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
                )
                reply = server.replies.pop(0) if server.replies else {"content": GROUNDED}
                time.sleep(reply.get("delay", 0))
                status = reply.get("status", 200)
                payload = {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "model": body.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply.get("content")},
                            "finish_reason": "stop",
                        }
                    ],
                }
                data = json.dumps(payload if status == 200 else {"error": "busy"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as c:
        yield c


def _summariser(chat, sessions, client, **overrides):
    settings = LLMSettings(
        base_url=chat.base_url,
        model="test-model",
        api_key=SecretStr("sk-test"),
        timeout_seconds=overrides.pop("timeout_seconds", 5.0),
        daily_call_cap=overrides.pop("daily_call_cap", 10),
    )
    return LLMSummariser(settings, sessions, client, **overrides)


def _extractive():
    return ExtractiveSummariser().summarise(TITLE, TEXT)


def test_grounded_reply_is_used_and_request_is_well_formed(chat, sessions, client):
    """A grounded reply becomes the summary; the request names the model, key and article."""
    sentences, backend = _summariser(chat, sessions, client).summarise(TITLE, TEXT)
    assert backend == "llm"
    assert len(sentences) == 3
    assert sentences[1].startswith("Sino-Russian trade totalled $172.41 billion")
    (request,) = chat.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "test-model"
    assert "Wang Yi" in request["body"]["messages"][-1]["content"]


def test_result_is_cached_by_article_text(chat, sessions, client):
    """The same article text is summarised once; later calls read the cache."""
    summariser = _summariser(chat, sessions, client)
    first = summariser.summarise(TITLE, TEXT)
    second = summariser.summarise("Another title", TEXT)
    assert first == second
    assert len(chat.requests) == 1


def test_reply_with_invented_figure_falls_back_and_logs_why(chat, sessions, client, caplog):
    """A reply with a number not in the article is rejected for the extractive summary."""
    chat.replies.append({"content": INVENTED_FIGURE})
    with caplog.at_level(logging.WARNING, logger="worker.analysis.llm"):
        result = _summariser(chat, sessions, client).summarise(TITLE, TEXT)
    assert result == _extractive()
    assert "the number 190 is not in the article" in caplog.text
    with transaction(sessions) as s:
        (row,) = s.scalars(select(LlmCall)).all()
        assert row.summary is None and "190" in row.rejected_reason


def test_reply_with_invented_name_falls_back_and_is_not_retried(chat, sessions, client, caplog):
    """A reply naming someone the article does not is rejected, and not asked again."""
    chat.replies.append({"content": INVENTED_NAME})
    summariser = _summariser(chat, sessions, client)
    with caplog.at_level(logging.WARNING, logger="worker.analysis.llm"):
        assert summariser.summarise(TITLE, TEXT) == _extractive()
    assert "'Lavrov' is not in the article" in caplog.text
    assert summariser.summarise(TITLE, TEXT) == _extractive()
    assert len(chat.requests) == 1


def test_timeout_falls_back_and_is_retried_later(chat, sessions, client, caplog):
    """A server slower than the timeout gives the extractive summary; a later call retries."""
    chat.replies.append({"content": GROUNDED, "delay": 1.0})
    summariser = _summariser(chat, sessions, client, timeout_seconds=0.3)
    with caplog.at_level(logging.WARNING, logger="worker.analysis.llm"):
        assert summariser.summarise(TITLE, TEXT) == _extractive()
    assert "timed out after 0.3 s" in caplog.text
    assert summariser.summarise(TITLE, TEXT)[1] == "llm"
    assert len(chat.requests) == 2


def test_server_error_falls_back(chat, sessions, client, caplog):
    """An HTTP error status gives the extractive summary and says which status."""
    chat.replies.append({"status": 503})
    with caplog.at_level(logging.WARNING, logger="worker.analysis.llm"):
        assert _summariser(chat, sessions, client).summarise(TITLE, TEXT) == _extractive()
    assert "HTTP 503" in caplog.text


def test_daily_cap_stops_calls_until_the_next_day(chat, sessions, client, caplog):
    """With a cap of 1, a second article that day is not sent; the next day it is."""
    day = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    clock = {"now": day}
    summariser = _summariser(chat, sessions, client, daily_call_cap=1, now=lambda: clock["now"])
    assert summariser.summarise(TITLE, TEXT)[1] == "llm"
    other = TEXT.replace("Wang Yi", "Wang  Yi")
    with caplog.at_level(logging.WARNING, logger="worker.analysis.llm"):
        assert summariser.summarise(TITLE, other)[1] == "extractive"
    assert "daily cap of 1 calls reached" in caplog.text
    assert len(chat.requests) == 1
    clock["now"] = day + timedelta(hours=2)
    assert summariser.summarise(TITLE, other)[1] == "llm"
    assert len(chat.requests) == 2
    with transaction(sessions) as s:
        assert s.scalar(select(func.count()).select_from(LlmCall)) == 2


def test_without_base_url_the_extractive_summariser_is_chosen(client, sessions):
    """No endpoint configured means the extractive summariser, and no HTTP at all."""
    chosen = summariser_from_settings(LLMSettings(base_url=None), sessions, client)
    assert isinstance(chosen, ExtractiveSummariser)


def test_grounding_accepts_reworded_units_and_dotted_acronyms():
    """ "32%" is grounded by "32 per cent" and "US" by "U.S."; a new number is not."""
    article = "Trade rose 32 per cent to $172.41 billion, the U.S. said."
    assert grounding_problems(["The US said trade rose 32% to $172.41 billion."], article) == []
    assert grounding_problems(["Trade rose 33%."], article) == [
        "the number 33 is not in the article"
    ]
