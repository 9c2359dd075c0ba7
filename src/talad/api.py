"""The HTTP API under /api/v1/ (docs/design/api.md): token auth, one error shape, every router.

Errors are always `{"error": {"code", "message", "fields"}}`. Domain errors carry their own
code and status; anything unexpected is logged and answered with a plain 500 body that
reveals nothing.
"""

import json
import logging
from typing import ClassVar

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.params.models import QueryModel
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.security import HttpBearer
from pydantic import ConfigDict

from talad.api_types import field_path
from talad.errors import TaladError
from talad.shops.actors import Actor
from talad.shops.scoping import UnscopedQuery
from talad.shops.services import authenticate_token

log = logging.getLogger(__name__)


class ThaiJSONRenderer(BaseRenderer):
    """JSON with Thai left readable (no \\u0e.. escapes)."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tld_…` → request.shop and request.actor from the token."""

    def authenticate(self, request, token):
        api_token = authenticate_token(token)
        if api_token is None:
            return None
        request.shop = api_token.shop
        request.actor = Actor.for_token(api_token)
        return api_token


class StrictJSONParser(Parser):
    """A JSON object as sent, refusing what no text column can store: a NUL character
    (PostgreSQL rejects it deep in a write, which would otherwise surface as a 500)."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):
            raise TaladError(_("ข้อมูลไม่ใช่ JSON ที่ถูกต้อง"), fields={"body": "invalid_json"}) from None
        if not isinstance(data, dict):
            raise TaladError(_("ข้อมูลต้องเป็น JSON object"), fields={"body": "not_an_object"})
        _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise TaladError(_("ข้อมูลมีอักขระ NUL"), fields={key: "nul_character"})
        return super().parse_querydict(data, list_fields, request)


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UnknownQueryParams(QueryModel):
    """Added to every write operation beside its own parameters: a query parameter it does not
    declare is a 422 `unknown_field`, like an unknown body field, instead of being ignored (a
    client must not believe `?dry_run=1` did anything on an endpoint that has no dry run).
    Reads stay lenient: links and caches add parameters of their own."""

    model_config = ConfigDict(extra="forbid")
    __ninja_param_source__ = "query"
    __ninja_flatten_map_reverse__: ClassVar[dict] = {}
    declared: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def resolve(cls, request, api, path_params):
        if request.method not in WRITE_METHODS:
            return cls()
        sent = api.parser.parse_querydict(request.GET, [], request)
        return cls.model_validate({k: v for k, v in sent.items() if k not in cls.declared})


class UnknownFormFields(UnknownQueryParams):
    """The same for a multipart body: a form field or file part the operation does not declare
    (`carier=flash`, a second file) is a 422 `unknown_field`, not dropped."""

    __ninja_param_source__ = "form"

    @classmethod
    def resolve(cls, request, api, path_params):
        if request.method not in WRITE_METHODS:
            return cls()
        sent = [*request.POST.keys(), *request.FILES.keys()]
        return cls.model_validate({k: "" for k in sent if k not in cls.declared})


def _declared(operation: Operation, *sources: str) -> frozenset[str]:
    """The names a client may send in `sources`, as ninja reads them (aliases included)."""
    names = set()
    for model in operation.models:
        if model.__ninja_param_source__ not in sources or issubclass(model, UnknownQueryParams):
            continue
        flat = getattr(model, "__ninja_flatten_map__", None)
        names.update(flat or (f.alias or n for n, f in model.model_fields.items()))
    return frozenset(names)


def refuse_unknown_form_fields(operation: Operation) -> None:
    """Give a write operation that takes a multipart body an UnknownFormFields."""
    if not WRITE_METHODS.intersection(operation.methods):
        return
    if not any(m.__ninja_param_source__ in ("form", "file") for m in operation.models):
        return
    declared = _declared(operation, "form", "file")
    strict = type("UnknownFormFields", (UnknownFormFields,), {"declared": declared})
    operation.models = [*operation.models, strict]


def refuse_unknown_query_params(operation: Operation) -> None:
    """Give a write operation an UnknownQueryParams knowing the names it declares, so ninja
    reports unknown ones with its own validation errors (after auth, beside the body's)."""
    if not WRITE_METHODS.intersection(operation.methods):
        return
    declared = _declared(operation, "query")
    strict = type("UnknownQueryParams", (UnknownQueryParams,), {"declared": declared})
    operation.models = [*operation.models, strict]


def _refuse_nul(data) -> None:
    """Walk the parsed body (without recursion: it may be deeply nested) for NUL characters."""
    stack = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            raise TaladError(_("ข้อมูลมีอักขระ NUL"), fields={path or "body": "nul_character"})
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise TaladError(_("ข้อมูลมีอักขระ NUL"), fields={path or "body": "nul_character"})
                stack.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))


api = NinjaAPI(
    title="Talad API",
    version="1",
    description="Orders, stock, shipping and accounting for Thai online shops.",
    auth=TokenAuth(),
    renderer=ThaiJSONRenderer(),
    parser=StrictJSONParser(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api-v1",
)


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


@api.exception_handler(TaladError)
def _domain_error(request, exc: TaladError):
    return api.create_response(
        request, error_body(exc.code, exc.message, exc.fields, **exc.extra), status=exc.status
    )


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields = {}
    for err in exc.errors:
        problem = "unknown_field" if err.get("type") == "extra_forbidden" else err.get("msg")
        fields.setdefault(field_path(err.get("loc", ())), problem or "invalid")
    return api.create_response(
        request, error_body("validation_error", _("ข้อมูลไม่ถูกต้อง"), fields), status=422
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request, error_body("unauthenticated", _("ต้องใช้ API token ที่ถูกต้อง")), status=401
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, TaladError):  # ninja wraps every body-parsing failure
        return _domain_error(request, exc.__cause__)
    code = "bad_request" if exc.status_code == 400 else f"http_{exc.status_code}"
    return api.create_response(request, error_body(code, str(exc)), status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, error_body("not_found", _("ไม่พบข้อมูล")), status=404)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return api.create_response(
        request, error_body("body_too_large", _("ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป")), status=413
    )


@api.exception_handler(MultiPartParserError)
@api.exception_handler(TooManyFilesSent)
@api.exception_handler(TooManyFieldsSent)
def _unreadable_multipart(request, exc):
    """A form body Django cannot split (no boundary, a part never closed, too many parts)."""
    return _domain_error(
        request,
        TaladError(_("อ่านข้อมูล multipart ที่ส่งมาไม่ได้"), fields={"body": "invalid_multipart"}),
    )


@api.exception_handler(Exception)
def _unexpected(request, exc):
    level = log.error if not isinstance(exc, UnscopedQuery) else log.critical
    level("unexpected error in %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(
        request, error_body("server_error", _("เกิดข้อผิดพลาดในระบบ")), status=500
    )


def _mount_routers() -> None:
    from talad.accounting.api import router as accounting_router
    from talad.catalog.api import router as catalog_router
    from talad.channels.api import router as channels_router
    from talad.channels.imports.api import router as imports_router
    from talad.channels.stock_api import router as channel_stock_router
    from talad.integrations.api import router as integrations_router
    from talad.inventory.api import router as inventory_router
    from talad.orders.api import router as orders_router
    from talad.payments.api import router as cod_router
    from talad.payments.payouts_api import router as payouts_router
    from talad.payments.refunds_api import router as refunds_router
    from talad.shipping.api import carriers_router
    from talad.shipping.api import router as shipments_router
    from talad.shipping.print_api import router as print_router

    mounts = [
        ("/products", catalog_router),
        ("/stock", inventory_router),
        ("/orders", orders_router),
        ("/parse-contact", channels_router),
        ("/channels", channel_stock_router),  # /channels/{channel}/stock.xlsx, stock-buffer
        ("/imports", imports_router),
        ("/shipments", shipments_router),
        ("/carriers", carriers_router),
        ("/print", print_router),
        ("/cod", cod_router),
        ("/payouts", payouts_router),
        ("", accounting_router),  # /orders/{id}/documents, /documents, /journal, /reports
        ("", integrations_router),  # /integrations/peak, /outbox, /webhooks
        ("", refunds_router),  # /orders/{id}/refunds
    ]
    for prefix, router in mounts:
        api.add_router(prefix, router)
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                refuse_unknown_query_params(operation)
                refuse_unknown_form_fields(operation)


_mount_routers()
