"""What gunicorn itself refuses, before Django sees the request (a request line or headers over
its limits, a line it cannot read), comes back in the API's error shape as JSON, not as
gunicorn's HTML page (docs/decisions/0014). Tested against the real `talad serve`."""

import json
import socket

import pytest

from tests.concurrency import talad_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module", params=[2, 1], ids=["gthread-worker", "sync-worker"])
def server(request, tmp_path_factory):
    """`talad serve` with threads (gunicorn's gthread worker) and with one (its sync worker)."""
    home = tmp_path_factory.mktemp("gunicorn-errors")
    with talad_server(home, workers=1, threads=request.param) as srv:
        yield srv


def send_raw(server, data: bytes) -> tuple[int, dict, dict]:
    """Bytes as sent over a socket → (status, headers, JSON body) of the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    headers = {name.lower(): value for name, value in headers.items()}
    assert int(headers["content-length"]) == len(body)
    return int(status_line.split()[1]), headers, json.loads(body.decode("utf-8"))


def request(line: str, *headers: str) -> bytes:
    return "\r\n".join([line, "Host: 127.0.0.1", *headers, "", ""]).encode("latin-1")


@pytest.mark.parametrize("path", ["/api/v1/orders", "/orders"])
def test_a_request_line_over_gunicorns_limit_is_a_json_414_on_any_path(server, path):
    status, headers, body = send_raw(server, request(f"GET {path}?q={'x' * 5000} HTTP/1.1"))

    assert status == 414
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body == {
        "error": {"code": "request_line_too_long", "message": "URL ของคำขอยาวเกินไป", "fields": {}}
    }


def test_one_header_over_the_size_limit_is_a_json_431(server):
    status, headers, body = send_raw(
        server, request("GET /api/v1/orders HTTP/1.1", f"X-Note: {'y' * 9000}")
    )

    assert status == 431
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body["error"]["code"] == "headers_too_large"
    assert body["error"]["message"] == "ส่วนหัวของคำขอใหญ่เกินไปหรือมีมากเกินไป"


def test_more_headers_than_gunicorn_takes_is_a_json_431(server):
    many = [f"X-Tag-{i}: {i}" for i in range(150)]

    status, _headers, body = send_raw(server, request("GET /api/v1/orders HTTP/1.1", *many))

    assert (status, body["error"]["code"]) == (431, "headers_too_large")


@pytest.mark.parametrize(
    "raw",
    [
        b"THIS IS NOT HTTP\r\n\r\n",
        request("GET /api/v1/orders HTTP/9.9"),
        request("POST /api/v1/orders HTTP/1.1", "Content-Length: many"),
        request("GET /api/v1/orders HTTP/1.1", "Bad Name: 1"),
    ],
    ids=["request-line", "http-version", "content-length", "header-name"],
)
def test_a_request_gunicorn_cannot_read_is_a_json_400(server, raw):
    status, headers, body = send_raw(server, raw)

    assert status == 400
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body == {"error": {"code": "bad_request", "message": "คำขอไม่ถูกต้อง", "fields": {}}}


def test_an_ordinary_request_still_reaches_talad(server):
    response = server.request("GET", "/api/v1/stock")

    assert response.status == 401
    assert response.json()["error"]["code"] == "unauthenticated"
