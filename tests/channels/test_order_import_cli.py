"""`talad import-orders`: the same import from the command line, dry run first."""

import io

import pytest
from django.core.management import call_command

from talad.orders.models import Order
from tests.conftest import make_variant
from tests.shipping.helpers import csv_file

HEADER = [
    "order_id",
    "channel",
    "status",
    "sku",
    "quantity",
    "unit_price",
    "recipient_name",
    "phone",
    "postcode",
]


def run(*args) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("import-orders", *args, stdout=out)
    except SystemExit as exc:
        return out.getvalue(), exc.code
    return out.getvalue(), 0


def test_a_dry_run_prints_the_report_and_the_import_then_creates(shop, tmp_path):
    make_variant(shop, "MUG", on_hand=5)
    export = tmp_path / "orders.csv"
    export.write_bytes(
        csv_file(
            [
                HEADER,
                ["SP-1", "shopee", "paid", "MUG", "1", "150", "สมชาย", "0812345678", "12120"],
                ["SP-2", "shopee", "paid", "NOPE", "1", "90", "สมหญิง", "0898765432", "12120"],
            ]
        )
    )
    out, code = run("--shop", shop.slug, "--format", "csv", str(export), "--dry-run")
    assert code == 1
    assert out.startswith("dry run: 2 rows; created 1, updated 0, unchanged 0, skipped 0, errors 1")
    assert "error row 3 [sku] unmapped_sku SP-2" in out
    assert not Order.objects.for_shop(shop).exists()
    out, code = run("--shop", shop.slug, "--format", "csv", str(export))
    assert "SP-1: created SO-000001 to_pack" in out
    assert Order.objects.for_shop(shop).count() == 1


def test_an_unknown_shop_or_a_missing_file_is_a_clear_error(shop, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no shop"):
        run("--shop", "nope", "--format", "csv", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match=r"x\.csv"):
        run("--shop", shop.slug, "--format", "csv", str(tmp_path / "x.csv"))
