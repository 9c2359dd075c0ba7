"""gunicorn's own error answers in the API's error shape (docs/decisions/0014).

gunicorn refuses some requests before Django sees them: a request line or headers over its
limits, a line or header it cannot parse. Its answer is an HTML page; these workers answer the
same status with `{"error": {"code", "message", "fields"}}` instead, on every path, because a
request line too long to read has no path to tell an API call from a page.
"""

import json
from datetime import datetime
from ssl import SSLError

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from gunicorn import util
from gunicorn.http import errors
from gunicorn.http.wsgi import Response, default_environ
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker


def refusal(exc: BaseException) -> tuple[int, str, str, str] | None:
    """(status, reason phrase, code, message) for what the client sent wrong, or None when it
    is not the client's fault (a bad header from the application itself, a bug)."""
    if isinstance(exc, errors.InvalidResponseHeader | errors.InvalidResponseHeaderName):
        return None
    if isinstance(exc, errors.LimitRequestLine):
        return 414, "URI Too Long", "request_line_too_long", _("URL ของคำขอยาวเกินไป")
    if isinstance(exc, errors.LimitRequestHeaders):
        return (
            431,
            "Request Header Fields Too Large",
            "headers_too_large",
            _("ส่วนหัวของคำขอใหญ่เกินไปหรือมีมากเกินไป"),
        )
    if isinstance(exc, errors.ExpectationFailed):
        return 417, "Expectation Failed", "expectation_failed", _("ทำตามส่วนหัว Expect ไม่ได้")
    if isinstance(exc, errors.UnsupportedTransferCoding):
        return 501, "Not Implemented", "not_implemented", _("ไม่รองรับ Transfer-Encoding นี้")
    if isinstance(exc, errors.ForbiddenProxyRequest | SSLError):
        return 403, "Forbidden", "forbidden", _("ไม่มีสิทธิ์ทำรายการนี้")
    if isinstance(exc, errors.ConfigurationProblem):
        return 500, "Internal Server Error", "server_error", _("เกิดข้อผิดพลาดในระบบ")
    if isinstance(exc, errors.ParseException):
        return 400, "Bad Request", "bad_request", _("คำขอไม่ถูกต้อง")
    return None


class JSONErrors:
    """Replaces gunicorn's `Worker.handle_error` (gunicorn/workers/base.py): the same statuses,
    log lines and access-log entry, with a JSON body."""

    def handle_error(self, req, client, addr, exc):
        started = datetime.now()
        addr = addr or ("", -1)  # a unix socket has no address
        with translation.override(settings.LANGUAGE_CODE):  # its headers may be what is broken
            answer = refusal(exc)
            if answer is None:
                self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI)"))
                answer = 500, "Internal Server Error", "server_error", _("เกิดข้อผิดพลาดในระบบ")
            else:
                self.log.warning("Invalid request from ip=%s: %s", addr[0], exc)
        status, reason, code, message = answer
        body = json.dumps(
            {"error": {"code": code, "message": message, "fields": {}}}, ensure_ascii=False
        ).encode()
        if req is None and isinstance(exc, errors.InvalidHeader | errors.InvalidHeaderName):
            req = getattr(exc, "req", None)  # a bad header carries the request it was in
        if req is not None:
            self._log_access(req, client, addr, f"{status} {reason}", len(body), started)
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except OSError:
            self.log.debug("Failed to send error message.")

    def _log_access(self, req, client, addr, status, length, started):
        environ = default_environ(req, client, self.cfg)
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = addr[0], str(addr[1])
        response = Response(req, client, self.cfg)
        response.status, response.response_length = status, length
        self.log.access(response, req, environ, datetime.now() - started)


class JSONErrorsThreadWorker(JSONErrors, ThreadWorker):
    """gunicorn's gthread worker (`talad serve --threads` > 1)."""


class JSONErrorsSyncWorker(JSONErrors, SyncWorker):
    """gunicorn's sync worker (`talad serve --threads 1`)."""
