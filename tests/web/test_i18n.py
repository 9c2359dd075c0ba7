"""Thai by default, English on request: the catalogues are complete, current and compiled, and
pages and API messages follow the language the seller (or the API client) asked for.

Msgids are Thai (docs/decisions/0006-thai-source-strings.md). After changing visible text:
    cd src/talad && ../../.venv/bin/talad makemessages -l en -l th --no-obsolete --add-location file
then give every new entry its English (and its Thai, the msgid itself) and run `talad compilemessages`.
"""

import os
import re
import shutil
import struct
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

import talad
from talad.catalog.models import Variant
from talad.catalog.services import create_product
from talad.inventory.services import receive_stock
from talad.shops.actors import Actor
from talad.shops.services import add_member, create_shop
from tests.conftest import ApiClient, make_variant, token_for
from tests.orders.factories import CUSTOMER, make_order, order_in_status

SOURCE = Path(talad.__file__).resolve().parent
LOCALE = SOURCE / "locale"
LANGUAGES = ("th", "en")
UPDATE_HINT = (
    "cd src/talad && ../../.venv/bin/talad makemessages -l en -l th --no-obsolete "
    "--add-location file, translate the new entries, then talad compilemessages"
)
# Thai letters and marks; not U+0E3F, the baht sign every amount carries in both languages.
THAI = re.compile(r"[\u0e01-\u0e3a\u0e40-\u0e5b]+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


# --- reading the catalogues (stdlib only: a fresh machine has no gettext tools) ---------------


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text[1:-1])


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags. Header first."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry or {"flags": set(), "msgstr": []}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):  # references, comments, obsolete (#~) entries
            continue
        elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[\d+\])? (\".*\")$", line):
            field = match[1]
            if field == "msgstr":
                entry["msgstr"].append(_unquote(match[2]))
            else:
                entry[field] = _unquote(match[2])
        elif line.startswith('"') and field == "msgstr":
            entry["msgstr"][-1] += _unquote(line)
        elif line.startswith('"'):
            entry[field] += _unquote(line)
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """A compiled catalogue: original (ctx\\x04id, id\\x00plural) → translation(s)."""
    data = path.read_bytes()
    magic, _revision, count, originals, translations = struct.unpack("<5I", data[:20])
    assert magic == 0x950412DE, f"{path} is not a little-endian .mo file"

    def string(table: int, i: int) -> str:
        length, offset = struct.unpack("<2I", data[table + 8 * i : table + 8 * i + 8])
        return data[offset : offset + length].decode("utf-8")

    return {string(originals, i): string(translations, i) for i in range(count)}


def key_of(entry: dict) -> str:
    """The entry as gettext stores it in a .mo file."""
    key = entry["msgid"]
    if "msgid_plural" in entry:
        key += "\x00" + entry["msgid_plural"]
    return f"{entry['msgctxt']}\x04{key}" if "msgctxt" in entry else key


def catalogue(language: str) -> list[dict]:
    return read_po(LOCALE / language / "LC_MESSAGES" / "django.po")


def header_field(language: str, name: str) -> str:
    header = catalogue(language)[0]["msgstr"][0]
    return re.search(rf"^{name}: (.*)$", header, re.M)[1].strip()


# --- (a) every string has its words in both languages -------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_has_a_translation_in_the_catalogue(language):
    entries = catalogue(language)[1:]
    assert len(entries) > 250
    plurals = int(re.search(r"nplurals=(\d+)", header_field(language, "Plural-Forms"))[1])
    empty = [
        e["msgid"]
        for e in entries
        if len(e["msgstr"]) != (plurals if "msgid_plural" in e else 1)
        or not all(s.strip() for s in e["msgstr"])
    ]
    fuzzy = [e["msgid"] for e in catalogue(language) if "fuzzy" in e["flags"]]
    assert not empty, f"{language}: entries without a translation: {empty}"
    assert not fuzzy, f"{language}: fuzzy entries (gettext ignores them): {fuzzy}"


def test_thai_catalogue_has_one_plural_form_and_english_two():
    assert header_field("th", "Language") == "th"
    assert header_field("th", "Plural-Forms") == "nplurals=1; plural=0;"
    assert header_field("en", "Language") == "en"
    assert header_field("en", "Plural-Forms") == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_of_the_thai_text(language):
    broken = [
        (e["msgid"], text)
        for e in catalogue(language)[1:]
        for text in e["msgstr"]
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e["msgid"]))
    ]
    assert not broken, f"{language}: placeholders differ from the msgid: {broken}"


def test_english_catalogue_has_no_thai_left_in_it():
    thai = [(e["msgid"], s) for e in catalogue("en")[1:] for s in e["msgstr"] if THAI.search(s)]
    assert not thai, f"English entries still in Thai: {thai}"


def test_thai_catalogue_starts_as_the_thai_source_text():
    # A copy editor may change a msgstr later; until then the Thai shown is the msgid itself.
    entry = next(e for e in catalogue("th") if e["msgid"] == "รอชำระเงิน")
    assert entry["msgstr"] == ["รอชำระเงิน"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The .mo files are tracked so a machine without gettext runs; they must not go stale."""
    compiled = read_mo(LOCALE / language / "LC_MESSAGES" / "django.mo")
    entries = catalogue(language)[1:]
    expected = {key_of(e): "\x00".join(e["msgstr"]) for e in entries}
    compiled.pop("", None)  # the header
    assert compiled == expected, f"{language}: django.mo is out of date: run talad compilemessages"


# --- (b) the catalogues hold exactly the strings the code uses -----------------------------


def test_catalogues_are_up_to_date_with_the_code(tmp_path, monkeypatch):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but GNU gettext (xgettext) is not installed")
        pytest.skip("GNU gettext's xgettext is not installed; cannot extract strings here")
    copy = tmp_path / "talad"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc")
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        call_command("makemessages", locale=["en"], verbosity=0)
    fresh = {key_of(e) for e in read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")[1:]}
    for language in LANGUAGES:
        tracked = {key_of(e) for e in catalogue(language)[1:]}
        missing, stale = sorted(fresh - tracked), sorted(tracked - fresh)
        assert not missing, (
            f"{language}: strings in the code but not in the catalogue: {missing}. {UPDATE_HINT}"
        )
        assert not stale, f"{language}: strings no longer in the code: {stale}. {UPDATE_HINT}"


# --- (c) pages switch language and back ----------------------------------------------------


@pytest.fixture
def english_shop(db):
    """A shop whose own data is in English, so any Thai left on an English page is ours."""
    shop = create_shop(
        name="Lamp Shop",
        slug="lamp-shop",
        owner_email="founder@example.com",
        password="x-secret-9",
        by=Actor.system("test"),
    )
    create_product(
        shop=shop,
        name="Desk lamp",
        by=Actor.system("test"),
        variants=[{"sku": "LAMP", "price": Decimal("250.00"), "low_stock_threshold": 50}],
    )
    receive_stock(
        shop=shop, sku="LAMP", quantity=20, unit_cost=Decimal("90"), by=Actor.system("test")
    )
    return shop


def seller(shop) -> Client:
    add_member(
        shop=shop,
        email="seller@example.com",
        role="owner",
        password="pw-123456",
        by=Actor.system("test"),
    )
    client = Client()
    assert client.login(username="seller@example.com", password="pw-123456")
    return client


def switch_to(client: Client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, follow=True)


def test_the_login_page_is_thai_by_default_and_english_after_switching(db):
    client = Client()
    page = client.get("/login/").content.decode()
    assert '<html lang="th">' in page
    assert "เข้าสู่ระบบ" in page
    assert "Log in" not in page

    page = switch_to(client, "en", "/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page and "Password" in page
    assert "เข้าสู่ระบบ" not in page

    page = switch_to(client, "th", "/login/").content.decode()
    assert '<html lang="th">' in page
    assert "เข้าสู่ระบบ" in page


def test_the_dashboard_speaks_english_after_switching_and_thai_again_after_switching_back(
    english_shop,
):
    variant = Variant.objects.for_shop(english_shop).get(sku="LAMP")
    order_in_status(english_shop, variant, "pending")
    client = seller(english_shop)

    thai = client.get("/").content.decode()
    assert '<html lang="th">' in thai
    assert "รายการออเดอร์" in thai and "รอชำระเงิน" in thai

    english = switch_to(client, "en").content.decode()
    assert '<html lang="en">' in english
    for words in ("Dashboard", "Orders", "Pending payment", "Stuck orders", "Low stock", "Log out"):
        assert words in english, words
    assert "รายการออเดอร์" not in english

    thai_again = switch_to(client, "th").content.decode()
    assert '<html lang="th">' in thai_again
    assert "รายการออเดอร์" in thai_again and "Pending payment" not in thai_again


def test_english_pages_leave_no_thai_words_but_the_brand_and_the_language_button(english_shop):
    """Every visible string of the main pages goes through the catalogue."""
    lamp = Variant.objects.for_shop(english_shop).get(sku="LAMP")
    customer = {
        "name": "Jane Doe",
        "phone": "081-234-5678",
        "address": {
            "line": "99/1 Moo 4",
            "subdistrict": "คลองหนึ่ง",
            "district": "คลองหลวง",
            "province": "ปทุมธานี",
            "postcode": "12120",
        },
    }
    order = make_order(english_shop, lamp, 2, customer=customer)
    to_pack = order_in_status(english_shop, lamp, "to_pack")
    client = seller(english_shop)
    switch_to(client, "en")
    # The brand, the language button, the default warehouse and the customers' own words.
    data_in_thai = {"ตลาด", "ไทย", "คลังหลัก", *THAI.findall(str(CUSTOMER))}
    pages = [
        "/",
        "/orders/",
        f"/orders/{order.pk}/",
        "/orders/new/",
        "/orders/stuck-limits/",
        "/products/",
        f"/products/{lamp.product_id}/",
        "/stock/",
        "/stock/sku/?sku=LAMP",
        "/shop/settings/",
        "/shipping/pack/",
        f"/shipping/pack/?order={to_pack.pk}",
        "/accounting/",
        "/accounting/vat-sales/",
        "/accounting/settings/",
        "/shipping/import/tracking/",
        "/shipping/import/status/",
        "/payments/cod/statements/",
        "/payments/cod/outstanding/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        left = set(THAI.findall(html)) - data_in_thai
        assert not left, f"{url} shows Thai in English: {sorted(left)}"


def test_a_form_error_beside_the_field_is_in_the_language_of_the_page(english_shop):
    client = seller(english_shop)

    def bad_receipt() -> str:
        page = client.get("/stock/sku/", {"sku": "LAMP"}).content.decode()
        token = re.search(r'name="receive-form_token" value="([0-9a-f]+)"', page)[1]
        response = client.post(
            "/stock/receive/",
            {
                "receive-form_token": token,
                "receive-sku": "LAMP",
                "receive-quantity": "2",
                "receive-unit_cost": "-1",
            },
        )
        assert response.status_code == 400
        beside = re.search(
            r'data-error-for="receive-unit_cost">([^<]*)<', response.content.decode()
        )
        return beside[1]

    assert bad_receipt() == "จำนวนเงินไม่ถูกต้อง"
    switch_to(client, "en")
    assert bad_receipt() == "Invalid amount"


# --- (d) API messages follow Accept-Language -----------------------------------------------


def test_an_api_error_is_in_thai_by_default_and_in_english_when_asked(shop):
    api = ApiClient(token_for(shop))

    thai = api.get("/api/v1/stock?sku=NOPE")
    assert thai.status_code == 404
    assert thai.json()["error"]["message"] == "ไม่พบ SKU 'NOPE'"

    english = api.get("/api/v1/stock?sku=NOPE", **{"Accept-Language": "en"})
    assert english.status_code == 404
    assert english.json()["error"] == {
        "code": "not_found",
        "message": "SKU 'NOPE' not found",
        "fields": {"sku": "unknown_sku"},
    }

    preferring_thai = api.get("/api/v1/stock?sku=NOPE", **{"Accept-Language": "th-TH,en;q=0.8"})
    assert preferring_thai.json()["error"]["message"] == "ไม่พบ SKU 'NOPE'"


def test_a_stock_shortage_is_explained_in_the_language_of_the_request(shop):
    api = ApiClient(token_for(shop))
    make_variant(shop, "MUG", on_hand=1)
    body = {
        "channel": "line",
        "payment_method": "transfer",
        "customer": {"name": "Jane Doe", "phone": "0812345678"},
        "lines": [{"sku": "MUG", "quantity": 3}],
    }
    english = api.post("/api/v1/orders", body, **{"Accept-Language": "en"})
    assert english.status_code == 409
    assert english.json()["error"]["code"] == "insufficient_stock"
    assert english.json()["error"]["message"] == "Not enough stock: MUG"

    thai = api.post("/api/v1/orders", body)
    assert thai.json()["error"]["message"] == "สินค้าไม่พอ: MUG"


@pytest.mark.django_db
def test_pages_open_in_thai_even_when_the_browser_asks_for_english():
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    page = client.get("/login/").content.decode()
    assert '<html lang="th">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert '<html lang="en">' in client.get("/login/").content.decode()
