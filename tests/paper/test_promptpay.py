"""PromptPay QR payloads on unpaid bills (docs/design/money.md#pdfs-and-promptpay)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talad.promptpay import crc16, payload, qr_svg

REFERENCE_PAYLOAD = (
    "00020101021229370016A00000067701011101130066812345678530376454071234.505802TH63048025"
)
COMPANY_TAX_ID = "0999999000004"  # made up, with a correct check digit


def fields(text: str) -> dict[str, str]:
    """Tag → value of a payload's top-level TLV fields, checking every length on the way."""
    out, i = {}, 0
    while i < len(text):
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        out[tag] = text[i + 4 : i + 4 + length]
        assert len(out[tag]) == length
        i += 4 + length
    return out


def test_crc_matches_the_ccitt_false_check_value():
    assert f"{crc16(b'123456789'):04X}" == "29B1"


def test_a_bill_to_a_mobile_number_matches_the_reference_payload():
    assert payload("0812345678", Decimal("1234.50")) == REFERENCE_PAYLOAD


def test_a_mobile_number_written_with_dashes_or_country_code_gives_the_same_payload():
    assert payload("081-234-5678", Decimal("1234.50")) == REFERENCE_PAYLOAD
    assert payload("+66 81 234 5678", Decimal("1234.50")) == REFERENCE_PAYLOAD


def test_half_a_satang_rounds_up_where_the_promptpay_package_rounds_down():
    assert fields(payload("0812345678", Decimal("2.675")))["54"] == "2.68"


def test_a_whole_amount_is_written_with_two_decimals():
    assert fields(payload("0812345678", Decimal("500")))["54"] == "500.00"


def test_a_company_tax_id_goes_in_the_id_subfield():
    account = fields(payload(COMPANY_TAX_ID, Decimal("1070.00")))["29"]
    assert fields(account) == {"00": "A000000677010111", "02": COMPANY_TAX_ID}


def test_a_static_qr_without_amount_lets_the_payer_type_it():
    parts = fields(payload("0812345678"))
    assert parts["01"] == "11"
    assert "54" not in parts
    assert list(parts) == ["00", "01", "29", "53", "58", "63"]


def test_an_e_wallet_id_goes_in_its_own_subfield():
    account = fields(payload("004999000288505", Decimal("1.00")))["29"]
    assert fields(account)["03"] == "004999000288505"


@pytest.mark.parametrize("target", ["", "12345", "081234567", "0999999000005", "abc0812345678"])
def test_a_target_that_is_no_promptpay_account_is_refused(target):
    with pytest.raises(ValueError):
        payload(target, Decimal("1.00"))


@pytest.mark.parametrize("amount", ["0", "-1", "0.001", "10000000000", "NaN"])
def test_an_amount_no_bank_app_accepts_is_refused(amount):
    with pytest.raises(ValueError):
        payload("0812345678", Decimal(amount))


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError):
        payload("0812345678", 1234.5)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2))
def test_every_bill_payload_carries_its_amount_and_a_valid_crc(amount):
    text = payload("0812345678", amount)
    parts = fields(text)
    assert Decimal(parts["54"]) == amount
    assert parts["01"] == "12"
    assert text[-8:-4] == "6304"
    assert int(parts["63"], 16) == crc16(text[:-4].encode())


def test_the_qr_svg_is_scalable_for_fpdf2_and_web_pages():
    svg = qr_svg(REFERENCE_PAYLOAD)
    assert svg.startswith("<svg")
    assert 'viewBox="0 0 ' in svg
    head = svg[: svg.index(">")]
    assert "width=" not in head and "height=" not in head
