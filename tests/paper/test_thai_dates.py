"""Buddhist Era dates on Thai documents: store Gregorian, show พ.ศ.
(docs/design/money.md#thai-tax-document-legal-fields)."""

from datetime import UTC, date, datetime

from talad.thai_dates import THAI_MONTHS, THAI_MONTHS_SHORT, be_date, be_datetime, be_year


def test_an_invoice_date_shows_the_thai_month_and_buddhist_year():
    assert be_date(date(2026, 11, 26)) == "26 พฤศจิกายน 2569"


def test_the_short_form_fits_a_label():
    assert be_date(date(2026, 11, 26), short=True) == "26 พ.ย. 2569"


def test_every_month_has_its_own_name():
    names = [be_date(date(2026, month, 1)) for month in range(1, 13)]
    assert names[0] == "1 มกราคม 2569"
    assert names[1] == "1 กุมภาพันธ์ 2569"
    assert names[11] == "1 ธันวาคม 2569"
    assert len(set(THAI_MONTHS)) == len(set(THAI_MONTHS_SHORT)) == 12
    assert [be_date(date(2026, m, 1), short=True).split()[1] for m in range(1, 13)] == list(
        THAI_MONTHS_SHORT
    )


def test_a_late_evening_utc_moment_is_already_the_next_day_in_bangkok():
    new_year_in_bangkok = datetime(2026, 12, 31, 18, 30, tzinfo=UTC)
    assert be_date(new_year_in_bangkok) == "1 มกราคม 2570"
    assert be_year(new_year_in_bangkok) == 2570
    assert be_datetime(new_year_in_bangkok) == "1 ม.ค. 2570 01:30 น."


def test_leap_day_and_year_boundaries():
    assert be_date(date(2024, 2, 29), short=True) == "29 ก.พ. 2567"
    assert be_year(date(1957, 1, 1)) == 2500
