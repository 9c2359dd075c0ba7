from tests.conftest import make_variant
from tests.orders.factories import order_in_status
from talad.inventory.checks import stock_violations

def test_all_paths(shop):
    v = make_variant(shop, "A", on_hand=50)
    for s in ["pending","to_pack","to_ship","shipped","delivered","cancelled","returning","returned"]:
        o = order_in_status(shop, v, s)
        assert o.status == s
    assert stock_violations(shop) == []

def test_api(api, shop):
    make_variant(shop, "A", on_hand=5)
    body = {"channel": "facebook", "customer": {"name": "นก", "phone": "+66 81 234 5678", "address": {"postcode": "10110"}},
            "lines": [{"sku": "A", "quantity": 2}], "payment_method": "transfer"}
    r = api.post("/api/v1/orders", body, **{"Idempotency-Key": "k1"})
    print(r.json()); assert r.status_code == 201
    r2 = api.post("/api/v1/orders", body, **{"Idempotency-Key": "k1"})
    assert r2.json() == r.json()
    oid = r.json()["id"]
    r = api.post(f"/api/v1/orders/{oid}/actions/ship", {"carrier": "flash", "tracking_number": "x"})
    print(r.json()); assert r.status_code == 409
    r = api.post(f"/api/v1/orders/{oid}/actions/pay", {"amount": "200.00", "method": "transfer"})
    print(r.json()); assert r.status_code == 200
    print(api.get("/api/v1/orders?q=0812345678").json())
    print(api.get("/api/v1/orders/stuck").json())
    print(api.get("/api/v1/orders/counts").json())
