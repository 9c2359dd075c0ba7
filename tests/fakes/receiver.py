"""A local HTTP endpoint that plays a shop's webhook receiver in tests, over real HTTP.

    with Receiver() as hook:
        hook.answer_next(500)            # the next request gets a 500, later ones 200
        ...deliver...
        (first, second) = hook.requests
        assert first.body == second.body

Every request is recorded (method, path, headers, the raw body bytes) *before* it is answered,
so once the client has its answer the record is there: no waiting in tests. Answers follow a
script: `answer_next(status, count)` queues statuses, `delay_next(seconds, count)` holds the
next answers back (cut short by `stop()`); anything unscripted gets `200 {"ok": true}`.

`stop()` closes the port and every open connection (a sender then gets "connection refused");
`start()` opens the same port again, so a subscription's URL keeps working across a restart.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body)


@dataclass
class _Step:
    status: int = 200
    delay: float = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    receiver: Receiver

    def handle_error(self, request, client_address):  # quiet: a client giving up is normal
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestReceiver/1.0"
    sys_version = ""
    timeout = 30
    server: _Server

    def log_message(self, format, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body are two writes; without this the second waits for a delayed ACK.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.receiver._track(self.connection, open=True)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.receiver._track(self.connection, open=False)

    def _handle(self) -> None:
        receiver = self.server.receiver
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        step = receiver._record(
            Received(
                method=self.command,
                path=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
                body=body,
            )
        )
        if step.delay > 0:
            receiver._stopping.wait(step.delay)
        answer = json.dumps({"ok": 200 <= step.status < 300}).encode()
        try:
            self.send_response(step.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:  # the client timed out and went away
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class Receiver:
    """A webhook receiver on 127.0.0.1 that records what it gets and answers as scripted."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._script: deque[_Step] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._port = 0

    # --- the script ------------------------------------------------------------------------

    def answer_next(self, status: int, count: int = 1) -> None:
        """The next `count` requests (after those already scripted) get `status`."""
        with self._lock:
            self._script.extend(_Step(status=status) for _ in range(count))

    def delay_next(self, seconds: float, count: int = 1, *, status: int = 200) -> None:
        """The next `count` requests are answered `status` after `seconds`."""
        with self._lock:
            self._script.extend(_Step(status=status, delay=seconds) for _ in range(count))

    def _track(self, conn: socket.socket, *, open: bool) -> None:
        with self._lock:
            (self._connections.add if open else self._connections.discard)(conn)

    def _record(self, request: Received) -> _Step:
        with self._lock:
            self.requests.append(request)
            return self._script.popleft() if self._script else _Step()

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("the receiver has not been started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Receiver:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", self._port), _Handler)
        server.receiver = self
        self._port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
            name="test-receiver",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port and every connection (a sender's kept-alive one too): down is down.
        Requests in the middle of a delay are answered at once."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
