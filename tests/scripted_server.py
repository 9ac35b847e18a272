"""A loopback OpenAI-compatible server that answers from a script: responses and faults.

Deterministic tests drive the real client stack (openai SDK, instructor, tenacity) against it;
nothing of the code under test is mocked. A script is a list of actions, consumed one per
`POST /v1/chat/completions`, or a callable `(request_json) -> Action`. Every request is recorded
(path, headers, JSON body) for the test to inspect.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "test"


@dataclass(frozen=True)
class Action:
    """One scripted answer. Build with the helpers below rather than by hand."""

    kind: str  # answer | status | hang | drop | raw | empty_choices
    content: str = ""
    finish_reason: str = "stop"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    seconds: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    logprobs: dict[str, Any] | None = None  # the choice's `logprobs`, as the server sends it


Script = Sequence[Action] | Callable[[dict[str, Any]], Action]


def _text(content: str | dict[str, Any] | list[Any]) -> str:
    return content if isinstance(content, str) else json.dumps(content)


def answer(content: str | dict[str, Any], *, prompt_tokens: int = 11,
           completion_tokens: int = 7, logprobs: dict[str, Any] | None = None) -> Action:
    """A chat.completion whose message content is `content` (a dict is JSON-encoded)."""
    return Action("answer", content=_text(content), prompt_tokens=prompt_tokens,
                  completion_tokens=completion_tokens, logprobs=logprobs)


def label_logprobs(field: str, chosen: str, probs: dict[str, float]) -> dict[str, Any]:
    """`logprobs` for the answer {"field": "chosen"} tokenised as llama.cpp does, with `probs`
    as the top alternatives at the value's first token."""
    import math

    def tok(t: str, alts: dict[str, float] | None = None) -> dict[str, Any]:
        top = [{"token": k, "logprob": math.log(v)} for k, v in (alts or {t: 1.0}).items()]
        return {"token": t, "logprob": top[0]["logprob"], "top_logprobs": top}

    tokens = [tok("{"), tok(' "'), tok(field), tok('":'), tok(' "'), tok(chosen, probs),
              tok('"'), tok(" }")]
    return {"content": tokens}


def truncated(partial: str, *, prompt_tokens: int = 11, completion_tokens: int = 50) -> Action:
    """An answer cut off by max_tokens: finish_reason 'length' and partial content."""
    return Action("answer", content=partial, finish_reason="length",
                  prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)


def status(code: int, message: str = "scripted failure", *,
           retry_after: str | float | None = None) -> Action:
    """An HTTP error with an OpenAI-style error body, optionally with Retry-After."""
    headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
    body = json.dumps({"error": {"message": message, "type": "scripted", "code": code}})
    return Action("status", status=code, headers=headers, body=body.encode())


def rate_limited(retry_after: str | float | None = None) -> Action:
    return status(429, "Rate limit reached for requests", retry_after=retry_after)


def unauthorized() -> Action:
    return status(401, "Incorrect API key provided")


def hang(seconds: float = 5.0) -> Action:
    """Accept the request and answer nothing for `seconds` (longer than the client timeout)."""
    return Action("hang", seconds=seconds)


def drop() -> Action:
    """Close the connection without answering."""
    return Action("drop")


def not_json(body: bytes = b'{"id": "chatcmpl-1", "choices": [{"mess',
             content_type: str = "application/json") -> Action:
    """HTTP 200 with a body that is not JSON (by default cut short, yet labelled JSON)."""
    return Action("raw", status=200, body=body, headers=(("Content-Type", content_type),))


def empty_choices() -> Action:
    """A chat.completion with an empty `choices` list."""
    return Action("empty_choices", prompt_tokens=5)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: dict[str, Any] | None
    at: float = field(default_factory=time.monotonic)  # arrival time

    @property
    def data(self) -> dict[str, Any]:
        """The JSON body, {} when there is none."""
        return self.body or {}

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.data.get("messages", []))


@dataclass
class ScriptedServer:
    """Serve `script` on 127.0.0.1 at a free port; use as a context manager."""

    script: Script = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    served_usage: dict[str, int] = field(
        default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0})
    _httpd: ThreadingHTTPServer | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next: int = 0

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def set_script(self, script: Script) -> None:
        with self._lock:
            self.script, self._next = script, 0

    def _action(self, body: dict[str, Any]) -> Action:
        with self._lock:
            if callable(self.script):
                return self.script(body)
            if self._next >= len(self.script):
                return status(418, f"script exhausted after {self._next} requests")
            self._next += 1
            return self.script[self._next - 1]

    def _record_usage(self, action: Action) -> None:
        with self._lock:
            self.served_usage["prompt_tokens"] += action.prompt_tokens
            self.served_usage["completion_tokens"] += action.completion_tokens

    def start(self) -> ScriptedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def _headers(self) -> dict[str, str]:
                return {k.lower(): v for k, v in self.headers.items()}

            def _send(self, code: int, body: bytes,
                      headers: Sequence[tuple[str, str]] = ()) -> None:
                self.send_response(code)
                names = {k.lower() for k, _ in headers}
                if "content-type" not in names:
                    self.send_header("Content-Type", "application/json")
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(Recorded("GET", self.path, self._headers(), None))
                if self.path.rstrip("/") == "/v1/models":
                    data = {"object": "list", "data": [
                        {"id": MODEL, "object": "model", "created": 0, "owned_by": "tests"}]}
                    self._send(200, json.dumps(data).encode())
                else:
                    self._send(404, b'{"error": {"message": "not found"}}')

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                server.requests.append(Recorded("POST", self.path, self._headers(), body))
                if self.path.rstrip("/") != "/v1/chat/completions" or body is None:
                    self._send(404, b'{"error": {"message": "not found"}}')
                    return
                self._act(server._action(body), body)

            def _act(self, action: Action, body: dict[str, Any]) -> None:
                if action.kind == "hang":
                    server._stop.wait(action.seconds)
                    self.close_connection = True
                elif action.kind == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                elif action.kind in ("status", "raw"):
                    self._send(action.status, action.body, action.headers)
                else:
                    server._record_usage(action)
                    choices = [] if action.kind == "empty_choices" else [{
                        "index": 0,
                        "message": {"role": "assistant", "content": action.content},
                        "finish_reason": action.finish_reason,
                        "logprobs": action.logprobs,
                    }]
                    self._send(200, json.dumps({
                        "id": f"chatcmpl-{len(server.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", MODEL),
                        "choices": choices,
                        "usage": {
                            "prompt_tokens": action.prompt_tokens,
                            "completion_tokens": action.completion_tokens,
                            "total_tokens": action.prompt_tokens + action.completion_tokens,
                        },
                    }).encode())

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.02,), name="scripted-server",
                         daemon=True).start()
        return self

    def close(self) -> None:
        self._stop.set()  # release hanging handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()


@contextmanager
def scripted_server(script: Script = ()) -> Iterator[ScriptedServer]:
    with ScriptedServer(list(script) if not callable(script) else script) as server:
        yield server
