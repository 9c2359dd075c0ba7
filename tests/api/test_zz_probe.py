from tests.conftest import make_variant

def show(r):
    print(r.status_code, r["Content-Type"], r.content[:200].decode(errors="replace"))

def test_probe(api, shop):
    a = make_variant(shop, "A-1", on_hand=5)
    b = make_variant(shop, "B-1", on_hand=5)
    show(api.get("/api/v1/products/abc"))
    show(api.get("/api/v1/nothing"))
    show(api.patch(f"/api/v1/products/{a.product_id}", {"variants": [{"id": a.pk, "price": "1"}, {"sku": "B-1", "price": "2"}]}))
    show(api.patch(f"/api/v1/products/{a.product_id}", {"variants": [{"id": a.pk, "sku": "B-1"}]}))
    show(api.patch(f"/api/v1/products/{a.product_id}", {"variants": [{"sku": "N-1", "price": "1"}, {"sku": "N-1", "price": "2"}]}))
    show(api.post("/api/v1/products", {"name": "x", "variants": [{"sku": "N-1", "price": "1"}, {"sku": "N-1", "price": "2"}]}))
