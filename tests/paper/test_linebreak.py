"""Thai line breaking without a dictionary (talad.paper.linebreak)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talad.paper.linebreak import clusters, fit_lines, segments

MARKS_AND_FOLLOWING = set("ัิีึืฺุู็่้๊๋์ํ๎ะาำๅฯๆ")
LEADING_VOWELS = set("เแโใไ")


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("สำนักงานใหญ่", ["สำ", "นักงาน", "ใหญ่"]),
        ("กรุงเทพมหานคร", ["กรุง", "เทพมหานคร"]),
        ("ประเทศไทย", ["ประ", "เทศ", "ไทย"]),
        ("โทรศัพท์มือถือ", ["โทร", "ศัพท์", "มือ", "ถือ"]),
        ("บริษัทที่ดี", ["บริ", "ษัท", "ที่", "ดี"]),
        ("ครีมกันแดดSPF50", ["ครีม", "กัน", "แดด", "SPF50"]),
        ("ค่าส่ง(เก็บปลายทาง)", ["ค่าส่ง", "(เก็บปลายทาง)"]),
        ("ที่อยู่ 99/9 ถนนสุขุมวิท", ["ที่อยู่ ", "99/9 ", "ถนน", "สุ", "ขุมวิท"]),
        ("สมบัติ", ["สม", "บัติ"]),
        ("ฤๅษี", ["ฤๅ", "ษี"]),
    ],
)
def test_lines_may_break_where_a_new_syllable_surely_starts(text, pieces):
    assert segments(text) == pieces


@pytest.mark.parametrize(
    "word",
    # clusters, leading ห/อ and silent Pali endings that a naive rule would cut
    ["ปรับ", "ครับ", "หนัง", "อยู่", "เปลี่ยน", "ชาติ", "บัติ", "เหตุ", "เป็น", "น้ำ", "ธาตุ"],
)
def test_a_syllable_is_never_cut(word):
    assert segments(word) == [word]


def test_clusters_keep_marks_and_vowels_with_their_consonant():
    assert clusters("น้ำแข็ง") == ["น้ำ", "แข็", "ง"]
    assert clusters("ปั้น") == ["ปั้", "น"]


def test_a_newline_always_breaks_and_spaces_at_a_break_are_dropped():
    assert fit_lines("ร้านค้า ออนไลน์\nส่งฟรี", 100, len) == ["ร้านค้า ออนไลน์", "ส่งฟรี"]
    assert fit_lines("ร้านค้า ออนไลน์", 10, len) == ["ร้านค้า", "ออนไลน์"]


def test_a_space_near_the_end_of_the_line_is_preferred_to_splitting_a_word():
    assert fit_lines("ตำบลคลองหนึ่ง อำเภอคลองหลวง", 16, len) == ["ตำบลคลองหนึ่ง", "อำเภอคลองหลวง"]
    # with the space far back, the line is filled up to a syllable break instead
    assert fit_lines("ที่ ตำบลคลองหนึ่ง", 12, len) == ["ที่ ตำ", "บลคลองหนึ่ง"]


def test_a_word_too_long_for_the_line_is_cut_between_clusters():
    lines = fit_lines("ผลิตภัณฑ์", 3, len)
    assert "".join(lines) == "ผลิตภัณฑ์"
    assert all(line[0] not in MARKS_AND_FOLLOWING for line in lines)
    assert all(len(line) <= 3 for line in lines)


thai_text = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x0E01, 0x0E5C) if chr(c).isprintable()] + list(" 09AZ()/-.")
    ),
    max_size=80,
)


@given(thai_text)
def test_segments_put_the_text_back_together_and_never_strand_a_mark(text):
    pieces = segments(text)
    assert "".join(pieces) == text
    for piece in pieces[1:]:
        assert piece[0] not in MARKS_AND_FOLLOWING
    for piece in pieces[:-1]:
        assert piece[-1] not in LEADING_VOWELS


@given(thai_text, st.integers(min_value=1, max_value=30))
def test_fitted_lines_keep_every_letter_and_stay_within_width(text, width):
    lines = fit_lines(text, width, len)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert len(line) <= width or len(clusters(line.strip())) == 1
