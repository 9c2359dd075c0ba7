"""Shared fixtures: shops, actors, variants with stock, and an API client with a token."""

import itertools
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from talad.catalog.services import create_product
from talad.inventory.services import receive_stock
from talad.shops.actors import Actor
from talad.shops.services import create_api_token, create_shop

_seq = itertools.count(1)


def pytest_report_header(config):
    from django.conf import settings

    return f"talad database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture
def owner():
    return Actor.system("test")


def make_shop(slug=None, **profile):
    n = next(_seq)
    return create_shop(
        name=f"ร้านทดสอบ {n}",
        slug=slug or f"shop-{n}",
        owner_email=f"owner{n}@example.com",
        password="x-secret-9",
        by=Actor.system("test"),
        **profile,
    )


@pytest.fixture
def shop(db):
    return make_shop()


@pytest.fixture
def other_shop(db):
    return make_shop()


def make_variant(shop, sku=None, *, on_hand=0, price="100.00", cost="60.00", **fields):
    """A one-variant product, with `on_hand` units received at `cost`."""
    sku = sku or f"SKU-{next(_seq)}"
    product = create_product(
        shop=shop,
        name=f"สินค้า {sku}",
        by=Actor.system("test"),
        variants=[{"sku": sku, "price": Decimal(price), **fields}],
    )
    if on_hand:
        receive_stock(
            shop=shop, sku=sku, quantity=on_hand, unit_cost=Decimal(cost), by=Actor.system("test")
        )
    return product.variants.get(sku=sku)


class ApiClient:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method, path, body=None, raw=None, **headers):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"content_type": "application/json"} if data is not None else {}
        if data is not None:
            kwargs["data"] = data
        return getattr(self.client, method)(path, headers={**self.headers, **headers}, **kwargs)

    def get(self, path, **headers):
        return self._call("get", path, **headers)

    def post(self, path, body=None, **kw):
        return self._call("post", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self._call("patch", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self._call("put", path, body, **kw)

    def delete(self, path, **headers):
        return self._call("delete", path, **headers)


def token_for(shop, role="owner"):
    _t, plaintext = create_api_token(shop=shop, role=role, by=Actor.system("test"))
    return plaintext


@pytest.fixture
def api(shop):
    return ApiClient(token_for(shop))


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
