"""The `talad` command line (docs/design/cli.md): a contract other tools call."""

import io

import pytest
from django.core.management import CommandError, call_command

from talad.inventory.models import StockLevel
from talad.shops.models import Membership, Shop
from talad.shops.services import authenticate_token
from tests.conftest import make_variant


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createshop_makes_a_shop_and_its_owner(db):
    out = run("createshop", "--name", "ร้านป้าแดง", "--slug", "pa-daeng",
              "--owner-email", "Daeng@Example.com", "--password", "pw-12345678")  # fmt: skip
    shop = Shop.objects.get(slug="pa-daeng")
    assert "pa-daeng" in out
    owner = Membership.objects.get(shop=shop)
    assert (owner.user.username, owner.role) == ("daeng@example.com", "owner")
    assert owner.user.check_password("pw-12345678")


def test_createshop_refuses_a_taken_slug_without_writing(db):
    run("createshop", "--name", "A", "--slug", "same", "--owner-email", "a@x.th", "--password", "p")
    with pytest.raises(CommandError, match="same"):
        run(
            "createshop",
            "--name",
            "B",
            "--slug",
            "same",
            "--owner-email",
            "b@x.th",
            "--password",
            "p",
        )
    assert Shop.objects.count() == 1


def test_createshop_names_a_bad_tax_id(db):
    with pytest.raises(CommandError, match="tax_id"):
        run("createshop", "--name", "A", "--slug", "a", "--owner-email", "a@x.th",
            "--password", "p", "--tax-id", "123")  # fmt: skip
    assert not Shop.objects.exists()


def test_token_prints_a_working_token_for_the_shop_and_role(shop):
    plaintext = run("token", "--shop", shop.slug, "--role", "packer").strip()
    token = authenticate_token(plaintext)
    assert (token.shop_id, token.role) == (shop.pk, "packer")


def test_token_for_an_unknown_shop_fails(db):
    with pytest.raises(CommandError, match="nope"):
        run("token", "--shop", "nope", "--role", "staff")


def test_doctor_is_quiet_when_ledger_equals_levels(shop):
    make_variant(shop, "A", on_hand=3)
    assert "ok" in run("doctor")


def test_doctor_names_every_violation_and_exits_1(shop):
    make_variant(shop, "A", on_hand=3)
    make_variant(shop, "B", on_hand=2)
    # Corrupt the cached levels behind the services' back, as a bad migration might.
    StockLevel.objects.for_shop(shop).filter(variant__sku="A").update(on_hand=5)
    StockLevel.objects.for_shop(shop).filter(variant__sku="B").update(reserved=4)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("doctor", "--shop", shop.slug, stdout=out)
    assert exc.value.code == 1
    report = out.getvalue()
    assert "SKU A" in report and "on_hand is 5 but the ledger sums to 3" in report
    assert "SKU B" in report and "reserved is 4 but the ledger sums to 0" in report
    assert "available is -2" in report


def test_talad_help_lists_talads_commands_and_django_stays_reachable():
    import subprocess
    import sys

    def talad(*args):
        return subprocess.run(
            [sys.executable, "-m", "talad.cli", *args], capture_output=True, text=True, timeout=120
        )

    listing = talad("--help")
    assert listing.returncode == 0, listing.stderr
    names = {line.split()[0] for line in listing.stdout.splitlines() if line.startswith("  ")}
    assert {"serve", "createshop", "token", "doctor", "worker", "peak", "backup"} <= names
    assert not names & {"migrate", "runserver", "shell", "axes_reset", "collectstatic"}
    assert talad().stdout == listing.stdout == talad("help").stdout

    django_list = talad("django", "help")
    assert "migrate" in django_list.stdout and "axes_reset_username" in django_list.stdout
    assert talad("django", "check").returncode == 0
