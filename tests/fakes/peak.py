"""A local fake of PEAK's Open API (Thai cloud accounting), served over real HTTP for tests.

    with FakePeak() as peak:
        client = MyPeakClient(base_url=peak.url, connect_id="CID", connect_key="CKEY",
                              user_token="UTOKEN")
        ...
        assert peak.count("receipts", "RT-2568-01-00001") == 1

What it imitates (the publicly known parts of PEAK; nothing more is promised):

- Everything lives under `/api/v1`; `url` is `http://127.0.0.1:<port>/api/v1`.
- `POST /clienttoken` with `{"PeakClientToken": {"connectId", "password"}}` (password = Connect
  Key) and the headers `Time-Stamp` (UTC `yyyyMMddHHmmss`, ±5 minutes of the server's clock) and
  `Time-Signature` (HMAC-SHA1, key = Connect ID, message = the Time-Stamp; hex digest, or base64
  of the raw digest with `signature="base64"`) answers `{"PeakClientToken": {"resCode": "200",
  "token": …}}`. Errors come back as HTTP 200 with `resCode` "401" and an English `resDesc`.
- Every other call needs `Client-Token`, `User-Token`, `Time-Stamp`, `Time-Signature` (and
  `Content-Type: application/json` on POSTs). Envelope errors are a top-level
  `{"resCode", "resDesc"}`: "401" Invalid Client Token, "600" Client Token Expired, "401" Invalid
  User Token, "401" Invalid API Validate Data. (TimeStamp) / (TimeSignature).
- Collections `/contacts`, `/products`, `/invoices`, `/receipts`, `/creditnotes`,
  `/dailyjournals`. POST takes `{"PeakInvoices": {"invoices": […]}}` (either wrapper casing) and
  answers with the upper-camel wrapper and one result row per posted row, in order. Each row is
  validated on its own: a bad row gets its own `resCode` "400" and `resDesc` and is not stored,
  the others are stored, and the envelope `resCode` stays "200" regardless.
- `GET /<collection>` answers every stored row in the lower-camel wrapper (`peakInvoices`) and
  ignores `?code=` on purpose: clients must filter client-side. Nothing is de-duplicated.
- `GET /paymentmethods` → `{"peakPaymentMethods": {"resCode", "paymentMethods": [{id, name}]}}`;
  `GET /dailyjournals/accountcode` → `{"peakAccountCodes": {"resCode", "accountCodes": [{code,
  name}]}}`; `GET /documents/<id>` (no auth: a share link) → a small HTML page.

Fault injection (`fail_next`) queues faults per POST path, consumed in order. `http_502` and
`expire_token` act before authentication, so the next POST to the path takes them whatever its
tokens; the others need a request that passes authentication (one refused with 401/600 leaves
them queued), because they are about what happens after PEAK has done the work.

`requests` records `(method, path)` for every request, the path relative to `/api/v1` (e.g.
`("POST", "/receipts")`) and without the query string; a path outside `/api/v1` is recorded as
received. `token_requests` counts the POST /clienttoken calls that were answered with a token.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import hmac
import json
import socket
import threading
import time
import traceback
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

PREFIX = "/api/v1"
CLOCK_TOLERANCE_SECONDS = 300

# collection → (upper-camel wrapper, rows key)
COLLECTIONS: dict[str, tuple[str, str]] = {
    "contacts": ("PeakContacts", "contacts"),
    "products": ("PeakProducts", "products"),
    "invoices": ("PeakInvoices", "invoices"),
    "receipts": ("PeakReceipts", "receipts"),
    "creditnotes": ("PeakCreditNotes", "creditNotes"),
    "dailyjournals": ("PeakDailyJournals", "dailyJournals"),
}

PAYMENT_METHODS: list[dict[str, str]] = [
    {"id": "11111111-1111-4111-8111-000000000001", "name": "เงินสด"},
    {"id": "11111111-1111-4111-8111-000000000002", "name": "โอนเงิน"},
    {"id": "11111111-1111-4111-8111-000000000003", "name": "บัตรเครดิต"},
    {"id": "11111111-1111-4111-8111-000000000004", "name": "เช็ค"},
]

ACCOUNT_CODES: list[dict[str, str]] = [
    {"code": "111101", "name": "เงินสด"},
    {"code": "111201", "name": "เงินฝากกระแสรายวัน"},
    {"code": "111301", "name": "เงินฝากออมทรัพย์"},
    {"code": "113101", "name": "ลูกหนี้การค้า"},
    {"code": "114101", "name": "สินค้าคงเหลือ"},
    {"code": "115101", "name": "ภาษีซื้อ"},
    {"code": "213101", "name": "ภาษีขาย"},
    {"code": "215101", "name": "ภาษีขาย"},
    {"code": "214101", "name": "เงินรับล่วงหน้าจากลูกค้า"},
    {"code": "410101", "name": "รายได้จากการขาย"},
    {"code": "410201", "name": "รับคืนสินค้า/ลดหนี้"},
    {"code": "410301", "name": "รายได้ค่าขนส่ง"},
    {"code": "510101", "name": "ต้นทุนขาย"},
    {"code": "530301", "name": "ค่าขนส่ง"},
    {"code": "530501", "name": "ค่าธรรมเนียม"},
    {"code": "530502", "name": "ค่าธรรมเนียมแพลตฟอร์ม"},
]

FAULT_MODES = frozenset(
    {"drop_after_store", "http_502", "slow", "expire_token", "row_error", "garbage"}
)
_PRE_AUTH_MODES = frozenset({"http_502", "expire_token"})

_BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)


@dataclass
class _Fault:
    mode: str
    delay: float
    message: str


@dataclass
class _Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0
    drop: bool = False


class _RowError(Exception):
    pass


def _json_reply(payload: dict, status: int = 200) -> _Reply:
    return _Reply(status=status, body=json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _error(code: str, desc: str) -> _Reply:
    return _json_reply({"resCode": code, "resDesc": desc})


def _normalize_path(path: str) -> str:
    if path == PREFIX or path.startswith(PREFIX + "/"):
        path = path[len(PREFIX) :]
    path = "/" + path.strip("/")
    return path


def _get_ci(mapping: dict, key: str):
    """mapping[key], also accepting the key with another casing (PeakContacts / peakContacts)."""
    if key in mapping:
        return mapping[key]
    for k, v in mapping.items():
        if isinstance(k, str) and k.lower() == key.lower():
            return v
    return None


# --- row validation ---------------------------------------------------------------------------


def _present(row: dict, field: str):
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _RowError(f"{field} is required")
    return value


def _text(row: dict, field: str) -> str:
    value = _present(row, field)
    if not isinstance(value, str):
        raise _RowError(f"{field} must be a string")
    return value


def _date(row: dict, field: str) -> str:
    value = _text(row, field)
    message = f"{field} must be a Gregorian date yyyyMMdd (got {value!r})"
    if len(value) != 8 or not value.isdigit():
        raise _RowError(message)
    try:
        parsed = datetime.strptime(value, "%Y%m%d")
    except ValueError:
        raise _RowError(message) from None
    if not 1900 <= parsed.year <= 2200:  # 2568 is a Buddhist Era year, not a Gregorian one
        raise _RowError(message)
    return value


def _number(value, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _RowError(f"{field} must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _RowError(f"{field} must be a number") from None
    if not number.is_finite():
        raise _RowError(f"{field} must be a number")
    return number


def _choice(value, field: str, allowed: tuple[int, ...]) -> int:
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value not in allowed:
        raise _RowError(f"{field} must be one of {', '.join(map(str, allowed))}")
    return value


def _flag(row: dict, field: str) -> int:
    if row.get(field) is None:
        return 0
    return _choice(row[field], field, (0, 1))


def _products(row: dict) -> None:
    products = row.get("products")
    if not isinstance(products, list) or not products:
        raise _RowError("products is required (a non-empty list)")
    for i, line in enumerate(products):
        where = f"products[{i}]"
        if not isinstance(line, dict):
            raise _RowError(f"{where} must be an object")
        for field in ("quantity", "price", "vatType"):
            if line.get(field) is None:
                raise _RowError(f"{where}.{field} is required")
        if _number(line["quantity"], f"{where}.quantity") <= 0:
            raise _RowError(f"{where}.quantity must be greater than 0")
        if _number(line["price"], f"{where}.price") < 0:
            raise _RowError(f"{where}.price must not be negative")
        _choice(line["vatType"], f"{where}.vatType", (1, 2, 3))


def _paid_payments(row: dict) -> None:
    paid = row.get("paidPayments")
    if paid is None:
        return
    if not isinstance(paid, dict):
        raise _RowError("paidPayments must be an object")
    _date(paid, "paymentDate")
    payments = paid.get("payments")
    if not isinstance(payments, list) or not payments:
        raise _RowError("paidPayments.payments is required (a non-empty list)")
    for i, payment in enumerate(payments):
        where = f"paidPayments.payments[{i}]"
        if not isinstance(payment, dict):
            raise _RowError(f"{where} must be an object")
        if payment.get("paymentMethodId") in (None, ""):
            raise _RowError(f"{where}.paymentMethodId is required")
        if payment.get("amount") is None:
            raise _RowError(f"{where}.amount is required")
        if _number(payment["amount"], f"{where}.amount") <= 0:
            raise _RowError(f"{where}.amount must be greater than 0")


def _row_code(collection: str, row) -> str | None:
    """The code a posted row claims, for echoing in its result (None if it has none)."""
    if not isinstance(row, dict):
        return None
    if collection == "creditnotes":
        transactions = row.get("transactions")
        code = transactions.get("code") if isinstance(transactions, dict) else None
    else:
        code = row.get("code")
    return code if isinstance(code, str) else None


# --- the HTTP plumbing ------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakePeak

    def handle_error(self, request, client_address):  # quiet: resets are part of the job
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakePeak/1.0"
    sys_version = ""
    timeout = 60
    server: _Server

    def log_message(self, format, *args):
        pass

    def setup(self):
        super().setup()
        # Without Nagle's algorithm: headers and body are two writes, and the second would
        # otherwise wait ~40 ms for the client's delayed ACK.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._track(self.connection)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.fake._untrack(self.connection)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        fake = self.server.fake
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        reply = fake._dispatch(method, self.path, self.headers, body)
        if reply.delay > 0:
            fake._stopping.wait(reply.delay)
        if reply.drop:
            # The work is done; the client never hears about it.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:  # the client gave up (a timeout in the "slow" fault, typically)
            self.close_connection = True


# --- the fake ---------------------------------------------------------------------------------


class FakePeak:
    """PEAK's Open API on 127.0.0.1, with in-memory state and injectable faults."""

    def __init__(
        self,
        *,
        connect_id: str = "CID",
        connect_key: str = "CKEY",
        user_token: str = "UTOKEN",
        signature: str = "hex",
        token_ttl: float = 86400.0,
    ):
        if signature not in ("hex", "base64"):
            raise ValueError("signature must be 'hex' or 'base64'")
        self.connect_id = connect_id
        self.connect_key = connect_key
        self.user_token = user_token
        self.signature = signature
        self.token_ttl = token_ttl
        self.requests: list[tuple[str, str]] = []
        self.token_requests = 0
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._tokens: dict[str, float] = {}  # token → monotonic issue time
        self._expired: set[str] = set()
        self._store: dict[str, list[dict]] = {name: [] for name in COLLECTIONS}
        self._faults: dict[str, deque[_Fault]] = {}
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakePeak is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"

    def start(self) -> FakePeak:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
            name="fake-peak",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in the "slow" fault
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # idle keep-alive connections would otherwise linger
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=2)
        self._server = self._thread = None

    def __enter__(self) -> FakePeak:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # test controls

    def expire_tokens(self) -> None:
        """Every client token issued so far now answers resCode 600."""
        with self._lock:
            self._expire_all_locked()

    def fail_next(
        self, path: str, mode: str, *, count: int = 1, delay: float = 0.0, message: str = ""
    ) -> None:
        """Queue `count` faults of `mode` for the next POSTs to `path` (e.g. "/receipts")."""
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; one of {sorted(FAULT_MODES)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        key = _normalize_path(path)
        with self._lock:
            queue = self._faults.setdefault(key, deque())
            for _ in range(count):
                queue.append(_Fault(mode=mode, delay=delay, message=message))

    def rows(self, collection: str) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self._collection(collection))

    def count(self, collection: str, code: str) -> int:
        with self._lock:
            return sum(1 for row in self._collection(collection) if row.get("code") == code)

    # internals

    def _collection(self, name: str) -> list[dict]:
        try:
            return self._store[name]
        except KeyError:
            raise ValueError(f"unknown collection {name!r}; one of {sorted(COLLECTIONS)}") from None

    def _track(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)

    def _untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _expire_all_locked(self) -> None:
        self._expired.update(self._tokens)

    def _expected_signature(self, timestamp: str) -> str:
        digest = hmac.new(self.connect_id.encode(), timestamp.encode(), hashlib.sha1)
        if self.signature == "base64":
            return base64.b64encode(digest.digest()).decode("ascii")
        return digest.hexdigest()

    def _time_error(self, headers) -> str | None:
        """The resDesc for a bad Time-Stamp / Time-Signature pair, or None."""
        timestamp = (headers.get("Time-Stamp") or "").strip()
        try:
            when = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            return "Invalid API Validate Data. (TimeStamp)"
        if abs((datetime.now(UTC) - when).total_seconds()) > CLOCK_TOLERANCE_SECONDS:
            return "Invalid API Validate Data. (TimeStamp)"
        signature = (headers.get("Time-Signature") or "").strip()
        expected = self._expected_signature(timestamp)
        if self.signature == "hex":
            signature = signature.lower()
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return "Invalid API Validate Data. (TimeSignature)"
        return None

    def _auth_error(self, headers, method: str) -> _Reply | None:
        token = headers.get("Client-Token") or ""
        if token not in self._tokens:
            return _error("401", "Invalid Client Token")
        if token in self._expired or time.monotonic() - self._tokens[token] > self.token_ttl:
            return _error("600", "Client Token Expired")
        user_token = headers.get("User-Token") or ""
        if not hmac.compare_digest(user_token.encode(), self.user_token.encode()):
            return _error("401", "Invalid User Token")
        time_error = self._time_error(headers)
        if time_error:
            return _error("401", time_error)
        if method == "POST":
            content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type != "application/json":
                return _error("415", "Content-Type must be application/json")
        return None

    def _dispatch(self, method: str, raw_path: str, headers, body: bytes) -> _Reply:
        path = urlsplit(raw_path).path
        inside = path == PREFIX or path.startswith(PREFIX + "/")
        rel = _normalize_path(path) if inside else path
        with self._lock:
            self.requests.append((method, rel))
        if not inside:
            return _json_reply({"resCode": "404", "resDesc": "Not Found"}, status=404)
        try:
            return self._route(method, rel, headers, body)
        except Exception:  # a bug in the fake: make it loud in the client's face
            return _json_reply(
                {"resCode": "500", "resDesc": "FakePeak error", "trace": traceback.format_exc()},
                status=500,
            )

    def _route(self, method: str, rel: str, headers, body: bytes) -> _Reply:
        name = rel.lstrip("/")
        known = rel in ("/clienttoken", "/paymentmethods", "/dailyjournals/accountcode")
        if rel.startswith("/documents/") and method == "GET":
            return self._document(rel.removeprefix("/documents/"))
        if not known and name not in COLLECTIONS:
            return _json_reply({"resCode": "404", "resDesc": "Not Found"}, status=404)
        if method == "POST" and rel not in ("/paymentmethods", "/dailyjournals/accountcode"):
            return self._post(rel, headers, body)
        if method != "GET" or rel == "/clienttoken":
            return _json_reply({"resCode": "405", "resDesc": "Method Not Allowed"}, status=405)
        with self._lock:
            refused = self._auth_error(headers, method)
            if refused:
                return refused
            if rel == "/paymentmethods":
                return _json_reply(
                    {
                        "peakPaymentMethods": {
                            "resCode": "200",
                            "resDesc": "Success",
                            "paymentMethods": copy.deepcopy(PAYMENT_METHODS),
                        }
                    }
                )
            if rel == "/dailyjournals/accountcode":
                return _json_reply(
                    {
                        "peakAccountCodes": {
                            "resCode": "200",
                            "resDesc": "Success",
                            "accountCodes": copy.deepcopy(ACCOUNT_CODES),
                        }
                    }
                )
            wrapper, rows_key = COLLECTIONS[name]
            lower = wrapper[0].lower() + wrapper[1:]
            # ?code= is ignored on purpose: real PEAK may, so clients must filter themselves.
            return _json_reply(
                {
                    lower: {
                        "resCode": "200",
                        "resDesc": "Success",
                        rows_key: copy.deepcopy(self._store[name]),
                    }
                }
            )

    def _document(self, doc_id: str) -> _Reply:
        with self._lock:
            for name in ("invoices", "receipts", "creditnotes"):
                for row in self._store[name]:
                    if row["id"] == doc_id:
                        html = f"<html><body><h1>{name} {row['code']}</h1></body></html>"
                        return _Reply(body=html.encode(), content_type="text/html; charset=utf-8")
        return _Reply(status=404, body=b"Not Found", content_type="text/plain; charset=utf-8")

    def _post(self, rel: str, headers, body: bytes) -> _Reply:
        with self._lock:
            queue = self._faults.get(rel)
            if queue and queue[0].mode in _PRE_AUTH_MODES:
                fault = queue.popleft()
                if fault.mode == "http_502":
                    return _Reply(status=502, body=_BAD_GATEWAY_HTML, content_type="text/html")
                self._expire_all_locked()
            if rel == "/clienttoken":
                refused = self._token_refusal(headers, body)
            else:
                refused = self._auth_error(headers, "POST")
            if refused:
                return refused
            fault = queue.popleft() if queue and queue[0].mode not in _PRE_AUTH_MODES else None
            if rel == "/clienttoken":
                payload = self._issue_token(fault)
            else:
                payload = self._post_rows(rel.lstrip("/"), body, fault)
        reply = _json_reply(payload) if isinstance(payload, dict) else payload
        if fault is None or reply.status != 200:
            return reply
        if fault.mode == "drop_after_store":
            reply.drop = True
        elif fault.mode == "slow":
            reply.delay = fault.delay
        elif fault.mode == "garbage":
            reply.body = reply.body[: max(1, len(reply.body) // 2)]  # truncated: not JSON
        return reply

    # POST /clienttoken

    def _token_refusal(self, headers, body: bytes) -> _Reply | None:
        def refuse(desc: str) -> _Reply:
            return _json_reply({"PeakClientToken": {"resCode": "401", "resDesc": desc}})

        time_error = self._time_error(headers)
        if time_error:
            return refuse(time_error)
        try:
            data = json.loads(body or b"null")
        except ValueError:
            data = None
        inner = _get_ci(data, "PeakClientToken") if isinstance(data, dict) else None
        if not isinstance(inner, dict):
            return refuse("Invalid request: PeakClientToken is required")
        connect_id = inner.get("connectId")
        password = inner.get("password")
        if not isinstance(connect_id, str) or not isinstance(password, str):
            return refuse("Invalid Connect ID or Connect Key")
        ok_id = hmac.compare_digest(connect_id.encode(), self.connect_id.encode())
        ok_key = hmac.compare_digest(password.encode(), self.connect_key.encode())
        if not (ok_id and ok_key):
            return refuse("Invalid Connect ID or Connect Key")
        return None

    def _issue_token(self, fault: _Fault | None) -> dict:
        if fault is not None and fault.mode == "row_error":
            message = fault.message or "Cannot create client token"
            return {"PeakClientToken": {"resCode": "400", "resDesc": message}}
        token = uuid.uuid4().hex
        self._tokens[token] = time.monotonic()
        self.token_requests += 1
        return {"PeakClientToken": {"resCode": "200", "resDesc": "Success", "token": token}}

    # POST /<collection>

    def _post_rows(self, name: str, body: bytes, fault: _Fault | None) -> dict | _Reply:
        wrapper, rows_key = COLLECTIONS[name]
        try:
            data = json.loads(body or b"null")
        except ValueError:
            return _error("400", "Invalid JSON body")
        inner = _get_ci(data, wrapper) if isinstance(data, dict) else None
        rows = _get_ci(inner, rows_key) if isinstance(inner, dict) else None
        if not isinstance(rows, list):
            return _error("400", f"{wrapper}.{rows_key} is required (a list)")
        results = []
        for row in rows:
            code = _row_code(name, row)
            if fault is not None and fault.mode == "row_error":
                message = fault.message or "Cannot save the document, please try again"
                results.append({"resCode": "400", "resDesc": message, "code": code})
                continue
            try:
                if not isinstance(row, dict):
                    raise _RowError("each row must be an object")
                stored, extras = self._validate(name, row)
            except _RowError as e:
                results.append({"resCode": "400", "resDesc": str(e), "code": code})
                continue
            self._store[name].append(stored)
            results.append(
                {
                    "resCode": "200",
                    "resDesc": "Success",
                    "id": stored["id"],
                    "code": stored["code"],
                    **extras,
                }
            )
        return {wrapper: {"resCode": "200", "resDesc": "Success", rows_key: results}}

    def _validate(self, name: str, row: dict) -> tuple[dict, dict]:
        """(the row as stored, extra result fields); raises _RowError for a bad row."""
        doc_id = str(uuid.uuid4())
        extras: dict[str, str] = {}
        if name in ("contacts", "products"):
            fields = ("name", "code") if name == "contacts" else ("code", "name")
            for field in fields:
                _text(row, field)
            code = row["code"]
        elif name in ("invoices", "receipts"):
            code = _text(row, "code")
            _date(row, "issuedDate")
            if row.get("dueDate") is not None:
                _date(row, "dueDate")
            _products(row)
            if not self._contact_exists(row.get("contactId"), row.get("contactCode")):
                raise _RowError("Contact not found")
            is_tax_invoice = _flag(row, "isTaxInvoice")
            _flag(row, "taxStatus")
            if name == "receipts":
                _paid_payments(row)
                extras["receiptCode"] = code
            if is_tax_invoice == 1:
                extras["taxInvoiceCode"] = code
            extras["documentLink"] = f"{self.url}/documents/{doc_id}"
        elif name == "creditnotes":
            _present(row, "transactionType")  # a number in PEAK (102: an invoice), or text
            transaction_id = _text(row, "transactionId")
            transactions = row.get("transactions")
            if not isinstance(transactions, dict):
                raise _RowError("transactions is required (an object: code, issuedDate, remark)")
            code = _text(transactions, "code")
            _date(transactions, "issuedDate")
            _text(transactions, "remark")
            _products(row)
            if not any(
                r["id"] == transaction_id for r in self._store["invoices"] + self._store["receipts"]
            ):
                raise _RowError("Transaction not found")
            extras["creditNoteCode"] = code
            extras["documentLink"] = f"{self.url}/documents/{doc_id}"
        else:  # dailyjournals
            code = _text(row, "code")
            _date(row, "issuedDate")
            entries = row.get("journalEntries")
            if not isinstance(entries, list) or not entries:
                raise _RowError("journalEntries is required (a non-empty list)")
            debit = credit = Decimal(0)
            for i, entry in enumerate(entries):
                where = f"journalEntries[{i}]"
                if not isinstance(entry, dict):
                    raise _RowError(f"{where} must be an object")
                if entry.get("accountCode") in (None, ""):
                    raise _RowError(f"{where}.accountCode is required")
                d = _number(entry.get("debit", 0) or 0, f"{where}.debit")
                c = _number(entry.get("credit", 0) or 0, f"{where}.credit")
                if d < 0 or c < 0:
                    raise _RowError(f"{where}: debit and credit must not be negative")
                debit += d
                credit += c
            if debit.quantize(Decimal("0.01")) != credit.quantize(Decimal("0.01")):
                raise _RowError("Debit and credit not balance")
        stored = copy.deepcopy(row)
        stored.update(id=doc_id, code=code, **extras)
        return stored, extras

    def _contact_exists(self, contact_id, contact_code) -> bool:
        for contact in self._store["contacts"]:
            if contact_id and contact["id"] == contact_id:
                return True
            if contact_code and contact["code"] == contact_code:
                return True
        return False
