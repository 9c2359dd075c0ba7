"""Smart paste: what customers type in chats, read into the order form's fields.

Every expected area below is GeoThai's own spelling (a Bangkok district keeps its "เขต").
"""

import random

import geothai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talad.channels.smart_paste import ParsedContact, parse_contact

FIELDS = ("name", "phone", "address_line", "subdistrict", "district", "province", "postcode")


def row(text, name, phone, line, subdistrict, district, province, postcode, *, id):
    expected = dict(
        zip(FIELDS, (name, phone, line, subdistrict, district, province, postcode), strict=True)
    )
    return pytest.param(text, expected, id=id)


BKK = "กรุงเทพมหานคร"

# Chats as sellers receive them: one line or several, with and without markers, names
# before or after the address, phones in every spelling; Bangkok and 25 provinces.
SAMPLES = [
    row(
        "สมชาย ใจดี 0812345678 99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120",
        "สมชาย ใจดี",
        "0812345678",
        "99/1 ม.4",
        "คลองหนึ่ง",
        "คลองหลวง",
        "ปทุมธานี",
        "12120",
        id="the-issue-example",
    ),
    row(
        "คุณมาลี 02-123-4567 123 ถ.วิทยุ แขวงลุมพินี เขตปทุมวัน กรุงเทพฯ 10330",
        "มาลี",
        "021234567",
        "123 ถ.วิทยุ",
        "ลุมพินี",
        "เขตปทุมวัน",
        BKK,
        "10330",
        id="bangkok-khun-landline",
    ),
    row(
        "ชื่อ: นางสาวสมหญิง รักดี\nเบอร์: 089-765-4321\n"
        "ที่อยู่: 45/12 หมู่บ้านพฤกษา ถ.รังสิต-นครนายก\nต.บึงยี่โถ อ.ธัญบุรี จ.ปทุมธานี 12130",
        "นางสาวสมหญิง รักดี",
        "0897654321",
        "45/12 หมู่บ้านพฤกษา ถ.รังสิต-นครนายก",
        "บึงยี่โถ",
        "ธัญบุรี",
        "ปทุมธานี",
        "12130",
        id="labelled-lines",
    ),
    row(
        "วิภา แสงทอง 0891112222 12 ม.3 คลองหนึ่ง คลองหลวง ปทุมธานี 12120",
        "วิภา แสงทอง",
        "0891112222",
        "12 ม.3",
        "คลองหนึ่ง",
        "คลองหลวง",
        "ปทุมธานี",
        "12120",
        id="no-markers",
    ),
    row(
        "123/45 ถ.นิมมานเหมินท์ ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200 ผู้รับ ณัฐพล ศรีสุข โทร 0867778888",
        "ณัฐพล ศรีสุข",
        "0867778888",
        "123/45 ถ.นิมมานเหมินท์",
        "สุเทพ",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50200",
        id="name-after-address",
    ),
    row(
        "นาย ธนากร มั่นคง +66 81 234 5678 55 ม.2 ต.ศิลา อ.เมืองขอนแก่น ขอนแก่น 40000",
        "นายธนากร มั่นคง",
        "0812345678",
        "55 ม.2",
        "ศิลา",
        "เมืองขอนแก่น",
        "ขอนแก่น",
        "40000",
        id="plus66-title-apart",
    ),
    row(
        "ปวีณา ทองคำ 0823456789 9/9ม.1ต.หมากแข้งอ.เมืองจ.อุดรธานี41000",
        "ปวีณา ทองคำ",
        "0823456789",
        "9/9ม.1",
        "หมากแข้ง",
        "เมืองอุดรธานี",
        "อุดรธานี",
        "41000",
        id="glued-without-spaces",
    ),
    row(
        "นางกาญจนา วงศ์ใหญ่ 081 999 8888 บ้านเลขที่ 7 หมู่ที่ 5 ตำบลท่าช้าง อำเภอเมืองจันทบุรี จังหวัดจันทบุรี 22000",
        "นางกาญจนา วงศ์ใหญ่",
        "0819998888",
        "บ้านเลขที่ 7 หมู่ที่ 5",
        "ท่าช้าง",
        "เมืองจันทบุรี",
        "จันทบุรี",
        "22000",
        id="markers-spelt-out",
    ),
    row(
        "ศิริพร ใจงาม 0945556666 1/23 คอนโดไอดีโอ ชั้น 12 ห้อง 1205 ถนนพหลโยธิน "
        "แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร 10900",
        "ศิริพร ใจงาม",
        "0945556666",
        "1/23 คอนโดไอดีโอ ชั้น 12 ห้อง 1205 ถนนพหลโยธิน",
        "ลาดยาว",
        "เขตจตุจักร",
        BKK,
        "10900",
        id="bangkok-condo",
    ),
    row(
        "ประยุทธ์ ดีมาก 0812223333 77 ซอยลาดพร้าว 101 แขวงคลองจั่น เขตบางกะปิ กทม. 10240",
        "ประยุทธ์ ดีมาก",
        "0812223333",
        "77 ซอยลาดพร้าว 101",
        "คลองจั่น",
        "เขตบางกะปิ",
        BKK,
        "10240",
        id="bangkok-soi-named-like-a-district",
    ),
    row(
        "อรุณี สายสุด 0898887777 55/5 สีลม บางรัก กรุงเทพ 10500",
        "อรุณี สายสุด",
        "0898887777",
        "55/5",
        "สีลม",
        "เขตบางรัก",
        BKK,
        "10500",
        id="bangkok-no-markers",
    ),
    row(
        "K.ต้น 0801234567 88 ถ.เพชรเกษม ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา 90110",
        "ต้น",
        "0801234567",
        "88 ถ.เพชรเกษม",
        "หาดใหญ่",
        "หาดใหญ่",
        "สงขลา",
        "90110",
        id="k-dot-nickname",
    ),
    row(
        "น.ส.พิมพ์ชนก แก้วใส 0934445555 ๑๒/๓ ถ.ราษฎร์อุทิศ ต.ป่าตอง อ.กะทู้ จ.ภูเก็ต ๘๓๑๕๐",
        "นางสาวพิมพ์ชนก แก้วใส",
        "0934445555",
        "12/3 ถ.ราษฎร์อุทิศ",
        "ป่าตอง",
        "กะทู้",
        "ภูเก็ต",
        "83150",
        id="thai-digits",
    ),
    row(
        "สุดารัตน์ พรมมา\n0861239876\n99/99 ม.6 ต.บางพลีใหญ่\nอ.บางพลี จ.สมุทรปราการ 10540",
        "สุดารัตน์ พรมมา",
        "0861239876",
        "99/99 ม.6",
        "บางพลีใหญ่",
        "บางพลี",
        "สมุทรปราการ",
        "10540",
        id="multi-line-no-labels",
    ),
    row(
        "ชยพล อินทร์แก้ว 0874561230 บ้านเลขที่ 5/1 ซ.แจ้งวัฒนะ 14 ต.ท่าอิฐ อ.ปากเกร็ด นนทบุรี 11120",
        "ชยพล อินทร์แก้ว",
        "0874561230",
        "บ้านเลขที่ 5/1 ซ.แจ้งวัฒนะ 14",
        "ท่าอิฐ",
        "ปากเกร็ด",
        "นนทบุรี",
        "11120",
        id="subdistrict-name-in-two-provinces",
    ),
    row(
        "กิตติ ศรีวงศ์ 0819876543 22/7 ม.9 ต.หนองปรือ อ.บางละมุง จ.ชลบุรี 20150",
        "กิตติ ศรีวงศ์",
        "0819876543",
        "22/7 ม.9",
        "หนองปรือ",
        "บางละมุง",
        "ชลบุรี",
        "20150",
        id="chonburi",
    ),
    row(
        "มานพ ใจเย็น 0863334444 10 ม.2 ต.เนินพระ อ.เมืองระยอง จ.ระยอง 21000",
        "มานพ ใจเย็น",
        "0863334444",
        "10 ม.2",
        "เนินพระ",
        "เมืองระยอง",
        "ระยอง",
        "21000",
        id="subdistrict-with-two-postcodes",
    ),
    row(
        "เยาวลักษณ์ คำดี 0835556677 199 ม.12 ต.รอบเวียง อ.เมือง จ.เชียงราย 57000",
        "เยาวลักษณ์ คำดี",
        "0835556677",
        "199 ม.12",
        "รอบเวียง",
        "เมืองเชียงราย",
        "เชียงราย",
        "57000",
        id="chiang-rai-amphoe-mueang",
    ),
    row(
        "สมศักดิ์ บุญมา 0647778899 45 ถ.ชยางกูร ต.ในเมือง อ.เมือง จ.อุบลราชธานี 34000",
        "สมศักดิ์ บุญมา",
        "0647778899",
        "45 ถ.ชยางกูร",
        "ในเมือง",
        "เมืองอุบลราชธานี",
        "อุบลราชธานี",
        "34000",
        id="ubon",
    ),
    row(
        "นันทนา ทองดี 0929998888 88/1 ม.1 ต.มะขามเตี้ย อ.เมือง จ.สุราษฎร์ธานี 84000",
        "นันทนา ทองดี",
        "0929998888",
        "88/1 ม.1",
        "มะขามเตี้ย",
        "เมืองสุราษฎร์ธานี",
        "สุราษฎร์ธานี",
        "84000",
        id="surat-thani",
    ),
    row(
        "สุนทร หาญกล้า 0811112233 245 ม.2 ต.อ่าวนาง อ.เมืองกระบี่ จ.กระบี่ 81180",
        "สุนทร หาญกล้า",
        "0811112233",
        "245 ม.2",
        "อ่าวนาง",
        "เมืองกระบี่",
        "กระบี่",
        "81180",
        id="krabi-three-postcodes",
    ),
    row(
        "ชาตรี มีสุข 0851237777 12 ถ.ราชวิถี ต.พระปฐมเจดีย์ อ.เมือง จ.นครปฐม 73000",
        "ชาตรี มีสุข",
        "0851237777",
        "12 ถ.ราชวิถี",
        "พระปฐมเจดีย์",
        "เมืองนครปฐม",
        "นครปฐม",
        "73000",
        id="nakhon-pathom",
    ),
    row(
        "ดวงใจ ปัญญา 0871114455 33 ถ.สุมนเทวราช ต.ในเวียง อ.เมืองน่าน จ.น่าน 55000",
        "ดวงใจ ปัญญา",
        "0871114455",
        "33 ถ.สุมนเทวราช",
        "ในเวียง",
        "เมืองน่าน",
        "น่าน",
        "55000",
        id="nan",
    ),
    row(
        "วีระ ชัยมงคล 0899990000 1/5 ม.3 ต.ประตูชัย อ.พระนครศรีอยุธยา จ.อยุธยา 13000",
        "วีระ ชัยมงคล",
        "0899990000",
        "1/5 ม.3",
        "ประตูชัย",
        "พระนครศรีอยุธยา",
        "พระนครศรีอยุธยา",
        "13000",
        id="ayutthaya-short-name",
    ),
    row(
        "อัญชลี ศรีทอง 0619998877 77 ถ.ราชดำเนิน ต.ท่าวัง อ.เมือง จ.นครศรีธรรมราช 80000",
        "อัญชลี ศรีทอง",
        "0619998877",
        "77 ถ.ราชดำเนิน",
        "ท่าวัง",
        "เมืองนครศรีธรรมราช",
        "นครศรีธรรมราช",
        "80000",
        id="nakhon-si-thammarat",
    ),
    row(
        "สุริยา หมาดหลี 0887776655 12/1 ถนนสะเดา บ่อยาง เมืองสงขลา สงขลา 90000",
        "สุริยา หมาดหลี",
        "0887776655",
        "12/1 ถนนสะเดา",
        "บ่อยาง",
        "เมืองสงขลา",
        "สงขลา",
        "90000",
        id="songkhla-no-markers",
    ),
    row(
        "นาย อนุชา ทองมา โทร 055-258-123 9 ม.1 ต.ในเมือง อ.เมือง จ.พิษณุโลก 65000",
        "นายอนุชา ทองมา",
        "055258123",
        "9 ม.1",
        "ในเมือง",
        "เมืองพิษณุโลก",
        "พิษณุโลก",
        "65000",
        id="provincial-landline",
    ),
    row(
        "ฮาซัน ยูโซะ 0896661234 9 ถ.สิโรรส ต.สะเตง อ.เมือง จ.ยะลา 95000",
        "ฮาซัน ยูโซะ",
        "0896661234",
        "9 ถ.สิโรรส",
        "สะเตง",
        "เมืองยะลา",
        "ยะลา",
        "95000",
        id="yala",
    ),
    row(
        "จิราภรณ์ สีดา 0812349999 44 ม.7 ต.ตาคลี อ.ตาคลี จ.นครสวรรค์ 60140",
        "จิราภรณ์ สีดา",
        "0812349999",
        "44 ม.7",
        "ตาคลี",
        "ตาคลี",
        "นครสวรรค์",
        "60140",
        id="nakhon-sawan",
    ),
    row(
        "ประเสริฐ อยู่ดี 0843216789 100 ม.1 ต.ท่าพี่เลี้ยง อ.เมืองสุพรรณบุรี จ.สุพรรณบุรี 72000",
        "ประเสริฐ อยู่ดี",
        "0843216789",
        "100 ม.1",
        "ท่าพี่เลี้ยง",
        "เมืองสุพรรณบุรี",
        "สุพรรณบุรี",
        "72000",
        id="suphanburi",
    ),
    row(
        "มยุรี ลือชา 0614567890 18/2 ถ.แสงชูโต ต.บ้านเหนือ อ.เมือง จ.กาญจนบุรี 71000",
        "มยุรี ลือชา",
        "0614567890",
        "18/2 ถ.แสงชูโต",
        "บ้านเหนือ",
        "เมืองกาญจนบุรี",
        "กาญจนบุรี",
        "71000",
        id="kanchanaburi",
    ),
    row(
        "บุญเลิศ แสนคำ 0958887766 5 ถ.บุญวาทย์ ต.หัวเวียง อ.เมือง จ.ลำปาง 52000",
        "บุญเลิศ แสนคำ",
        "0958887766",
        "5 ถ.บุญวาทย์",
        "หัวเวียง",
        "เมืองลำปาง",
        "ลำปาง",
        "52000",
        id="lampang",
    ),
    row(
        "สมพร ดวงดี 0987654321 12 ม.4 ต.ในเมือง อ.เมือง จ.ร้อยเอ็ด 45000",
        "สมพร ดวงดี",
        "0987654321",
        "12 ม.4",
        "ในเมือง",
        "เมืองร้อยเอ็ด",
        "ร้อยเอ็ด",
        "45000",
        id="roi-et",
    ),
    row(
        "ทองใบ ศรีสว่าง 0623456789 34 ถ.สุขเกษม ต.ธาตุเชิงชุม อ.เมือง สกลนคร 47000",
        "ทองใบ ศรีสว่าง",
        "0623456789",
        "34 ถ.สุขเกษม",
        "ธาตุเชิงชุม",
        "เมืองสกลนคร",
        "สกลนคร",
        "47000",
        id="sakon-nakhon-province-unmarked",
    ),
    row(
        "นิภา ประเสริฐ 0645671234 88 ถ.นครสวรรค์ ต.ตลาด อ.เมือง จ.มหาสารคาม 44000",
        "นิภา ประเสริฐ",
        "0645671234",
        "88 ถ.นครสวรรค์",
        "ตลาด",
        "เมืองมหาสารคาม",
        "มหาสารคาม",
        "44000",
        id="road-named-after-a-province",
    ),
    row(
        "ณัฐวุฒิ คงดี 0812340000 15/3 ซ.5 ต. ช้างเผือก อ. เมือง จ. เชียงใหม่ 50300",
        "ณัฐวุฒิ คงดี",
        "0812340000",
        "15/3 ซ.5",
        "ช้างเผือก",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50300",
        id="space-after-markers",
    ),
    row(
        "Name: John Smith\nTel: +66 89 123 4567\n"
        "Address: 123 Moo 5, ต.บ้านเป็ด อ.เมืองขอนแก่น จ.ขอนแก่น 40000",
        "John Smith",
        "0891234567",
        "123 Moo 5",
        "บ้านเป็ด",
        "เมืองขอนแก่น",
        "ขอนแก่น",
        "40000",
        id="english-labels",
    ),
    row(
        "ศักดิ์ชัย พลเยี่ยม 0865559999 99 ถ.มิตรภาพ ต.ในเมือง อ.เมือง โคราช 30000",
        "ศักดิ์ชัย พลเยี่ยม",
        "0865559999",
        "99 ถ.มิตรภาพ",
        "ในเมือง",
        "เมืองนครราชสีมา",
        "นครราชสีมา",
        "30000",
        id="korat-nickname",
    ),
    row(
        "45 ซอยอ่อนนุช 17\nแขวงสวนหลวง เขตสวนหลวง\nกรุงเทพมหานคร 10250\nผู้รับ แพรวา ศรีสุข 0891234560",
        "แพรวา ศรีสุข",
        "0891234560",
        "45 ซอยอ่อนนุช 17",
        "สวนหลวง",
        "เขตสวนหลวง",
        BKK,
        "10250",
        id="bangkok-name-last",
    ),
    row(
        "ธีรพงษ์ ใจกล้า,0812225555,456/7 ม.10,ต.หนองปรือ,อ.บางละมุง,จ.ชลบุรี,20150",
        "ธีรพงษ์ ใจกล้า",
        "0812225555",
        "456/7 ม.10",
        "หนองปรือ",
        "บางละมุง",
        "ชลบุรี",
        "20150",
        id="commas",
    ),
    row(
        "วรรณา ดีใจ 081.555.6666 8 ม.3 ต.บางกระสอ อ.เมืองนนทบุรี จ.นนทบุรี 11000",
        "วรรณา ดีใจ",
        "0815556666",
        "8 ม.3",
        "บางกระสอ",
        "เมืองนนทบุรี",
        "นนทบุรี",
        "11000",
        id="phone-with-dots",
    ),
    row(
        "สวัสดีค่ะ ส่งที่ สุภาพร มีสุข 0817778899 12 ม.1 ต.หน้าเมือง อ.เมือง จ.ราชบุรี 70000 ขอบคุณค่ะ",
        "สุภาพร มีสุข",
        "0817778899",
        "12 ม.1",
        "หน้าเมือง",
        "เมืองราชบุรี",
        "ราชบุรี",
        "70000",
        id="polite-chatter",
    ),
    row(
        "📦 ชื่อ มานี มีนา 📞 0861112222 🏠 9 ม.2 ต.ท่าอิฐ อ.เมือง จ.อุตรดิตถ์ 53000",
        "มานี มีนา",
        "0861112222",
        "9 ม.2",
        "ท่าอิฐ",
        "เมืองอุตรดิตถ์",
        "อุตรดิตถ์",
        "53000",
        id="emoji",
    ),
    row(
        "สมปอง ขยัน 0873332211 18 ซ.หัวหิน 51 หัวหิน หัวหิน ประจวบคีรีขันธ์ 77110",
        "สมปอง ขยัน",
        "0873332211",
        "18 ซ.หัวหิน 51",
        "หัวหิน",
        "หัวหิน",
        "ประจวบคีรีขันธ์",
        "77110",
        id="same-name-subdistrict-district-and-soi",
    ),
    row(
        "ตั้ม 0812345678 12 ถ.ลงหาดบางแสน ต.แสนสุข อ.เมือง จ.ชลบุรี 20130",
        "ตั้ม",
        "0812345678",
        "12 ถ.ลงหาดบางแสน",
        "แสนสุข",
        "เมืองชลบุรี",
        "ชลบุรี",
        "20130",
        id="one-word-name",
    ),
    row(
        "0812345678\nสมชาย ใจดี\n99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120",
        "สมชาย ใจดี",
        "0812345678",
        "99/1 ม.4",
        "คลองหนึ่ง",
        "คลองหลวง",
        "ปทุมธานี",
        "12120",
        id="phone-first",
    ),
    row(
        "ผู้รับ: นายวิชัย ใจดี\nโทร. 086-111-2233\nที่อยู่ 12/3 ถ.มิตรภาพ ต.ในเมือง อ.เมือง จ.ขอนแก่น 40000",
        "นายวิชัย ใจดี",
        "0861112233",
        "12/3 ถ.มิตรภาพ",
        "ในเมือง",
        "เมืองขอนแก่น",
        "ขอนแก่น",
        "40000",
        id="labelled-title",
    ),
    row(
        "รัตนา 0891110000 ห้อง 305 แขวงสามเสนในเขตพญาไทกรุงเทพฯ10400",
        "รัตนา",
        "0891110000",
        "ห้อง 305",
        "สามเสนใน",
        "เขตพญาไท",
        BKK,
        "10400",
        id="bangkok-glued",
    ),
    row(
        "Somchai 081 234 5678 99 Sukhumvit 24 แขวงคลองตัน เขตคลองเตย Bangkok 10110",
        "Somchai",
        "0812345678",
        "99 Sukhumvit 24",
        "คลองตัน",
        "เขตคลองเตย",
        BKK,
        "10110",
        id="bangkok-in-english",
    ),
    row(
        "นิดา 0891239999 12 ซ.ประชาอุทิศ แขวงหนองบอน เขตประเวศ กทม",
        "นิดา",
        "0891239999",
        "12 ซ.ประชาอุทิศ",
        "หนองบอน",
        "เขตประเวศ",
        BKK,
        "10250",
        id="bangkok-postcode-left-out",
    ),
    row(
        "สุชาติ 0812345670 9 ซ.งามวงศ์วาน 2 เเขวงลาดยาว เขตจตุจักร กทม 10900",
        "สุชาติ",
        "0812345670",
        "9 ซ.งามวงศ์วาน 2",
        "ลาดยาว",
        "เขตจตุจักร",
        BKK,
        "10900",
        id="double-sara-e-typo",
    ),
    row(
        "9/9 ม.1 ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200 0812345678 อรทัย ใจดี",
        "อรทัย ใจดี",
        "0812345678",
        "9/9 ม.1",
        "สุเทพ",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50200",
        id="name-at-the-end",
    ),
    row(
        "สมใจ รักษ์ดี 0812345678 9 ม.5 ต.คลองนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120",
        "สมใจ รักษ์ดี",
        "0812345678",
        "9 ม.5",
        "คลองหนึ่ง",
        "คลองหลวง",
        "ปทุมธานี",
        "12120",
        id="misspelt-subdistrict",
    ),
    row(
        "ประภา 0812345678 7 ม.1 ต.ช้างเผือก อ.เมือง จ.เชียงใหม 50300",
        "ประภา",
        "0812345678",
        "7 ม.1",
        "ช้างเผือก",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50300",
        id="misspelt-province",
    ),
    row(
        "มาลัย ทองสุข\n0812345678\n55 ม.8\nบ้านเป็ด\nเมืองขอนแก่น\nขอนแก่น\n40000",
        "มาลัย ทองสุข",
        "0812345678",
        "55 ม.8",
        "บ้านเป็ด",
        "เมืองขอนแก่น",
        "ขอนแก่น",
        "40000",
        id="one-part-per-line",
    ),
    row(
        "ส่งให้ คุณแพร 0651234567 บ้านเลขที่ 3 ซอยวัดเกต ต.วัดเกต อ.เมืองเชียงใหม่ 50000",
        "แพร",
        "0651234567",
        "บ้านเลขที่ 3 ซอยวัดเกต",
        "วัดเกต",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50000",
        id="province-left-out",
    ),
    row(
        "ด.ช.ภูมิ ใจกล้า 0812345678 1 ม.1 ต.ในเมือง อ.เมือง จ.ลำพูน 51000",
        "เด็กชายภูมิ ใจกล้า",
        "0812345678",
        "1 ม.1",
        "ในเมือง",
        "เมืองลำพูน",
        "ลำพูน",
        "51000",
        id="child-title",
    ),
    row(
        "อำไพ ศรีเมือง 0812345678 9 ม.3 ตําบลหน้าเมือง อําเภอเมืองฉะเชิงเทรา ฉะเชิงเทรา 24000",
        "อำไพ ศรีเมือง",
        "0812345678",
        "9 ม.3",
        "หน้าเมือง",
        "เมืองฉะเชิงเทรา",
        "ฉะเชิงเทรา",
        "24000",
        id="sara-am-typed-as-two-characters",
    ),
    row(
        "ธนพร แก้วมณี 0812345678\n88 หมู่ 2 ตำบลปากน้ำโพ อำเภอเมืองนครสวรรค์\nจังหวัดนครสวรรค์ 60000",
        "ธนพร แก้วมณี",
        "0812345678",
        "88 หมู่ 2",
        "ปากน้ำโพ",
        "เมืองนครสวรรค์",
        "นครสวรรค์",
        "60000",
        id="nakhon-sawan-long-forms",
    ),
    row(
        "เอกชัย ศรีสุข 0812345678 12 ม.2 ต.บางรักพัฒนา อ.บางบัวทอง จ.นนทบุรี",
        "เอกชัย ศรีสุข",
        "0812345678",
        "12 ม.2",
        "บางรักพัฒนา",
        "บางบัวทอง",
        "นนทบุรี",
        "11110",
        id="postcode-left-out",
    ),
    row(
        "สุรินทร์ ใจดี 0812345678 12 ม.3 ต.ในเมือง อ.เมืองสุรินทร์ จ.สุรินทร์ 32000",
        "สุรินทร์ ใจดี",
        "0812345678",
        "12 ม.3",
        "ในเมือง",
        "เมืองสุรินทร์",
        "สุรินทร์",
        "32000",
        id="first-name-is-a-province",
    ),
    row(
        "ชื่อ ปิยะนุช แสงดาว ที่อยู่ 123 ม.5 ต.บ้านกลาง อ.เมือง จ.ลำพูน 51000 เบอร์ 0899876543",
        "ปิยะนุช แสงดาว",
        "0899876543",
        "123 ม.5",
        "บ้านกลาง",
        "เมืองลำพูน",
        "ลำพูน",
        "51000",
        id="labels-mid-line",
    ),
    row(
        "รบกวนส่ง ลำดวน ศรีทอง 0812223344 บ้านเลขที่ 45 หมู่ 3 บ้านหนองแวง ตำบลในเมือง อำเภอเมือง จังหวัดขอนแก่น 40000 ค่ะ",
        "ลำดวน ศรีทอง",
        "0812223344",
        "บ้านเลขที่ 45 หมู่ 3 บ้านหนองแวง",
        "ในเมือง",
        "เมืองขอนแก่น",
        "ขอนแก่น",
        "40000",
        id="chatter-and-village",
    ),
    row(
        "ที่อยู่ค่ะ\nนางสาว กนกวรรณ มีสุข\n12/345 หมู่บ้านชัยพฤกษ์ ซอย 7\nถนนรามอินทรา แขวงท่าแร้ง เขตบางเขน\nกรุงเทพฯ 10220\nโทร 0891234567",
        "นางสาวกนกวรรณ มีสุข",
        "0891234567",
        "12/345 หมู่บ้านชัยพฤกษ์ ซอย 7 ถนนรามอินทรา",
        "ท่าแร้ง",
        "เขตบางเขน",
        BKK,
        "10220",
        id="title-apart-multi-line-bangkok",
    ),
    row(
        "K.Nok 0812345678 99/9 Condo Lumpini Place ชั้น 8 ถ.พระราม 3 แขวงช่องนนทรี เขตยานนาวา กทม 10120",
        "Nok",
        "0812345678",
        "99/9 Condo Lumpini Place ชั้น 8 ถ.พระราม 3",
        "ช่องนนทรี",
        "เขตยานนาวา",
        BKK,
        "10120",
        id="english-condo-name",
    ),
    row(
        "สมศรี 081-111-2222 / 12 ม.1 ต.บ้านใหม่ อ.เมืองนครราชสีมา 30000",
        "สมศรี",
        "0811112222",
        "12 ม.1",
        "บ้านใหม่",
        "เมืองนครราชสีมา",
        "นครราชสีมา",
        "30000",
        id="slash-separator",
    ),
    row(
        "นาย ก้องภพ ไชยวงศ์ 0925556677 88 ม.9 ต.ท่าศาลา อ.เมือง จ.เชียงใหม่ 50000",
        "นายก้องภพ ไชยวงศ์",
        "0925556677",
        "88 ม.9",
        "ท่าศาลา",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50000",
        id="chiang-mai-tha-sala",
    ),
    row(
        "ส่งของที่ ร้านข้าวมันไก่เจ๊หมวย 55 ถ.เจริญกรุง แขวงบางรัก เขตบางรัก กทม 10500 โทร 022345678 คุณหมวย",
        "หมวย",
        "022345678",
        "ร้านข้าวมันไก่เจ๊หมวย 55 ถ.เจริญกรุง",
        "บางรัก",
        "เขตบางรัก",
        BKK,
        "10500",
        id="shop-as-address-khun-last",
    ),
    row(
        "วันเพ็ญ ทองสุข\n+66-89-555-1234\n77/1 ม.2 ต.หนองหาร อ.สันทราย จ.เชียงใหม่ 50290",
        "วันเพ็ญ ทองสุข",
        "0895551234",
        "77/1 ม.2",
        "หนองหาร",
        "สันทราย",
        "เชียงใหม่",
        "50290",
        id="plus66-with-hyphens",
    ),
    row(
        "0812345678 สมพงษ์ 5 ม.4 บ้านดอน ต.ธานี อ.เมืองสุโขทัย สุโขทัย 64000",
        "สมพงษ์",
        "0812345678",
        "5 ม.4 บ้านดอน",
        "ธานี",
        "เมืองสุโขทัย",
        "สุโขทัย",
        "64000",
        id="phone-first-village",
    ),
    row(
        "กรุณาส่งที่ 199/5 หอพักสุขใจ ห้อง 204 ถ.มหาวิทยาลัย ต.ในเมือง อ.เมือง นครราชสีมา 30000 ชื่อ พัชรินทร์ ทองดี โทร 0954443322",
        "พัชรินทร์ ทองดี",
        "0954443322",
        "199/5 หอพักสุขใจ ห้อง 204 ถ.มหาวิทยาลัย",
        "ในเมือง",
        "เมืองนครราชสีมา",
        "นครราชสีมา",
        "30000",
        id="label-after-address",
    ),
    row(
        "ปราณี ใจซื่อ 0876543210 9 ม.7 ต.บางเสาธง อ.บางเสาธง สมุทรปราการ 10570",
        "ปราณี ใจซื่อ",
        "0876543210",
        "9 ม.7",
        "บางเสาธง",
        "บางเสาธง",
        "สมุทรปราการ",
        "10570",
        id="district-same-as-subdistrict",
    ),
    row(
        "Khun Anna 0812340987 33/2 Sukhumvit Soi 39 Khlong Tan Nuea Vadhana Bangkok 10110",
        "Anna",
        "0812340987",
        "33/2 Sukhumvit Soi 39",
        "คลองตันเหนือ",
        "เขตวัฒนา",
        BKK,
        "10110",
        id="bangkok-in-english-words",
    ),
    row(
        "นายสมคิด คิดดี 081-234-5678 111 ม.1 ต.หาดใหญ่ อ.หาดใหญ่ สงขลา ๙๐๑๑๐",
        "นายสมคิด คิดดี",
        "0812345678",
        "111 ม.1",
        "หาดใหญ่",
        "หาดใหญ่",
        "สงขลา",
        "90110",
        id="thai-digit-postcode",
    ),
    row(
        "ดารุณี 0612223333 12 ม.12 ต.บ่อวิน อ.ศรีราชา ชลบุรี 20230",
        "ดารุณี",
        "0612223333",
        "12 ม.12",
        "บ่อวิน",
        "ศรีราชา",
        "ชลบุรี",
        "20230",
        id="sri-racha",
    ),
    row(
        "สุวิทย์ ทองมา 0834445555 7 ซ.ลาซาล 44 แขวงบางนาใต้ เขตบางนา กทม 10260",
        "สุวิทย์ ทองมา",
        "0834445555",
        "7 ซ.ลาซาล 44",
        "บางนาใต้",
        "เขตบางนา",
        BKK,
        "10260",
        id="bangkok-soi-lasalle",
    ),
    row(
        "อ้อย 0891112233 หน้าวัดสวนดอก 22 ถ.สุเทพ ต.สุเทพ อ.เมือง เชียงใหม่ 50200",
        "อ้อย",
        "0891112233",
        "หน้าวัดสวนดอก 22 ถ.สุเทพ",
        "สุเทพ",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50200",
        id="landmark-before-house-number",
    ),
    row(
        "มณีรัตน์ แก้วใส 0641234567 บ.เลขที่ 8 ม.3 ต.ดอนแก้ว อ.แม่ริม จ.ชม. 50180",
        "มณีรัตน์ แก้วใส",
        "0641234567",
        "บ.เลขที่ 8 ม.3",
        "ดอนแก้ว",
        "แม่ริม",
        "เชียงใหม่",
        "50180",
        id="province-abbreviation-after-marker",
    ),
    row(
        "บ้านเลขที่ 5 ม.2 ต.หนองปลาไหล อ.บางละมุง ชลบุรี 20150 คุณเอ 0812345678",
        "เอ",
        "0812345678",
        "บ้านเลขที่ 5 ม.2",
        "หนองปลาไหล",
        "บางละมุง",
        "ชลบุรี",
        "20150",
        id="khun-after-postcode",
    ),
    row(
        "ณัฐ 0812345678 ที่อยู่ 1/1 ซอยพหลโยธิน 48 แขวงอนุสาวรีย์ เขตบางเขน กรุงเทพ 10220",
        "ณัฐ",
        "0812345678",
        "1/1 ซอยพหลโยธิน 48",
        "อนุสาวรีย์",
        "เขตบางเขน",
        BKK,
        "10220",
        id="bangkok-phahon-yothin",
    ),
    row(
        "ส่ง ศุภชัย บุญมี 0918887766 คอนโดเดอะเบส ห้อง 1203 ถ.สุขุมวิท ต.หนองปรือ อ.บางละมุง จ.ชลบุรี 20150",
        "ศุภชัย บุญมี",
        "0918887766",
        "คอนโดเดอะเบส ห้อง 1203 ถ.สุขุมวิท",
        "หนองปรือ",
        "บางละมุง",
        "ชลบุรี",
        "20150",
        id="condo-in-pattaya",
    ),
    row(
        "เพ็ญศรี\n0812345678\n14 หมู่ 6 ตำบลแม่เหียะ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50100",
        "เพ็ญศรี",
        "0812345678",
        "14 หมู่ 6",
        "แม่เหียะ",
        "เมืองเชียงใหม่",
        "เชียงใหม่",
        "50100",
        id="one-name-multi-line",
    ),
    row(
        "ทิพวรรณ 0812345678 9/1 ม.3 ต.คลองสาม อ.คลองหลวง ปทุมธานี12120",
        "ทิพวรรณ",
        "0812345678",
        "9/1 ม.3",
        "คลองสาม",
        "คลองหลวง",
        "ปทุมธานี",
        "12120",
        id="postcode-glued-to-province",
    ),
    row(
        "นายชัยวัฒน์ ทองแท้ 0812345678 เลขที่ 10 ม.1 ต.นาเกลือ อ.บางละมุง จ.ชลบุรี 20150",
        "นายชัยวัฒน์ ทองแท้",
        "0812345678",
        "เลขที่ 10 ม.1",
        "นาเกลือ",
        "บางละมุง",
        "ชลบุรี",
        "20150",
        id="lek-thi",
    ),
    row(
        "จันทร์เพ็ญ 0812345678 ม.5 บ้านโนนสูง ต.โนนสูง อ.เมืองอุดรธานี จ.อุดรธานี 41330",
        "จันทร์เพ็ญ",
        "0812345678",
        "ม.5 บ้านโนนสูง",
        "โนนสูง",
        "เมืองอุดรธานี",
        "อุดรธานี",
        "41330",
        id="village-named-like-subdistrict",
    ),
    row(
        "ลูกค้า: คุณจอย\nเบอร์ 095-123-4567\nส่ง 8/2 ม.1 ต.ท่าศาลา อ.ท่าศาลา จ.นครศรีฯ 80160",
        "จอย",
        "0951234567",
        "8/2 ม.1",
        "ท่าศาลา",
        "ท่าศาลา",
        "นครศรีธรรมราช",
        "80160",
        id="nakhon-si-short",
    ),
]


def _as_dict(parsed: ParsedContact) -> dict:
    return {f: getattr(parsed, f) for f in FIELDS}


@pytest.mark.parametrize(("text", "expected"), SAMPLES)
def test_a_pasted_chat_fills_every_field(text, expected):
    parsed = parse_contact(text)
    assert _as_dict(parsed) == expected
    assert parsed.candidates == []


def test_the_sample_table_reads_at_least_95_percent_of_fields_exactly(capsys):
    right = total = complete = 0
    failures = []
    for param in SAMPLES:
        text, expected = param.values
        got = _as_dict(parse_contact(text))
        hits = sum(got[f] == expected[f] for f in FIELDS)
        right += hits
        total += len(FIELDS)
        complete += hits == len(FIELDS)
        if hits < len(FIELDS):
            failures.append((param.id, {f: got[f] for f in FIELDS if got[f] != expected[f]}))
    with capsys.disabled():
        print(
            f"\nsmart paste: {right}/{total} fields right ({right / total:.1%}), "
            f"{complete}/{len(SAMPLES)} samples complete; wrong: {failures}"
        )
    assert len(SAMPLES) >= 60
    assert right / total >= 0.95


def test_the_table_covers_bangkok_and_at_least_15_provinces():
    provinces = {p.values[1]["province"] for p in SAMPLES}
    assert BKK in provinces
    assert len(provinces - {BKK}) >= 15


# --- ambiguity: fill what is certain, offer the rest ------------------------------------


def test_a_postcode_shared_by_several_subdistricts_fills_district_and_offers_them_all():
    parsed = parse_contact("สมชาย ใจดี 0812345678 99/1 ม.4 12120")
    assert (parsed.subdistrict, parsed.district, parsed.province, parsed.postcode) == (
        "",
        "คลองหลวง",
        "ปทุมธานี",
        "12120",
    )
    assert parsed.address_line == "99/1 ม.4"
    assert parsed.name == "สมชาย ใจดี"
    assert [c["subdistrict"] for c in parsed.candidates] == [
        "คลองหนึ่ง",
        "คลองสอง",
        "คลองสาม",
        "คลองสี่",
        "คลองห้า",
        "คลองหก",
        "คลองเจ็ด",
    ]
    assert {(c["district"], c["province"], c["postcode"]) for c in parsed.candidates} == {
        ("คลองหลวง", "ปทุมธานี", "12120")
    }


def test_a_subdistrict_name_found_in_three_districts_keeps_the_name_and_offers_the_districts():
    parsed = parse_contact("ต้น 0812345678 5 ม.1 ต.ในเมือง จ.ขอนแก่น")
    assert (parsed.subdistrict, parsed.district, parsed.province, parsed.postcode) == (
        "ในเมือง",
        "",
        "ขอนแก่น",
        "",
    )
    assert {(c["district"], c["postcode"]) for c in parsed.candidates} == {
        ("เมืองขอนแก่น", "40000"),
        ("บ้านไผ่", "40110"),
        ("เวียงเก่า", "40150"),
    }


def test_a_subdistrict_with_two_postcodes_and_none_typed_offers_both():
    parsed = parse_contact("ต้น 0812345678 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี")
    assert (parsed.subdistrict, parsed.district, parsed.province, parsed.postcode) == (
        "คลองหนึ่ง",
        "คลองหลวง",
        "ปทุมธานี",
        "",
    )
    assert sorted(c["postcode"] for c in parsed.candidates) == ["12120", "13180"]


def test_the_typed_postcode_picks_one_of_a_subdistricts_postcodes():
    parsed = parse_contact("ต้น 0812345678 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 13180")
    assert parsed.postcode == "13180"
    assert parsed.candidates == []


def test_a_bangkok_khwaeng_found_in_two_khet_offers_both():
    parsed = parse_contact("แพร 0812345678 12 ซ.3 แขวงบางจาก กทม.")
    assert (parsed.subdistrict, parsed.district, parsed.province) == ("บางจาก", "", BKK)
    assert {(c["district"], c["postcode"]) for c in parsed.candidates} == {
        ("เขตพระโขนง", "10260"),
        ("เขตภาษีเจริญ", "10160"),
    }


def test_a_district_without_subdistrict_offers_the_district_subdistricts():
    parsed = parse_contact("แพร 0812345678 8 ม.2 อ.ปากเกร็ด จ.นนทบุรี 11120")
    assert (parsed.subdistrict, parsed.district, parsed.province, parsed.postcode) == (
        "",
        "ปากเกร็ด",
        "นนทบุรี",
        "11120",
    )
    assert len(parsed.candidates) == 12
    assert "ท่าอิฐ" in {c["subdistrict"] for c in parsed.candidates}


def test_a_province_alone_fills_the_province_without_a_list_too_long_to_choose_from():
    parsed = parse_contact("แพร 0812345678 8 ม.2 จ.ขอนแก่น")
    assert (parsed.province, parsed.district, parsed.subdistrict) == ("ขอนแก่น", "", "")
    assert parsed.candidates == []
    assert parsed.address_line == "8 ม.2"


def test_names_contradicting_the_postcode_trust_the_names_and_give_their_postcode():
    parsed = parse_contact("แพร 0812345678 8 ม.2 ต.บางกระสอ อ.เมืองนนทบุรี จ.นนทบุรี 10110")
    assert (parsed.subdistrict, parsed.district, parsed.postcode) == (
        "บางกระสอ",
        "เมืองนนทบุรี",
        "11000",
    )


# --- names and phones -------------------------------------------------------------------

ADDRESS = "9 ม.1 ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200"


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("นาย สมชาย ใจดี", "นายสมชาย ใจดี"),
        ("นายสมชาย ใจดี", "นายสมชาย ใจดี"),
        ("นาง สมศรี ใจดี", "นางสมศรี ใจดี"),
        ("นางสาวสมหญิง ใจดี", "นางสาวสมหญิง ใจดี"),
        ("น.ส. สมหญิง ใจดี", "นางสาวสมหญิง ใจดี"),
        ("นส.สมหญิง ใจดี", "นางสาวสมหญิง ใจดี"),
        ("คุณสมชาย ใจดี", "สมชาย ใจดี"),
        ("คุณ สมชาย", "สมชาย"),
        ("คุณากร ศรีสุข", "คุณากร ศรีสุข"),  # a first name that starts like คุณ
        ("นายิกา ศรีสุข", "นายิกา ศรีสุข"),  # and one that starts like นาย
        ("Mr. John Smith", "Mr. John Smith"),
        ("Mrida Jones", "Mrida Jones"),  # English titles need their dot or a word of their own
        ("Khun Anna", "Anna"),
        ("K.Nok", "Nok"),
        ("สมชาย ใจดีค่ะ", "สมชาย ใจดี"),
    ],
)
def test_titles_are_kept_spelt_out_except_khun(written, name):
    assert parse_contact(f"{written} 0812345678 {ADDRESS}").name == name


@pytest.mark.parametrize(
    ("written", "phone"),
    [
        ("0812345678", "0812345678"),
        ("081-234-5678", "0812345678"),
        ("081 234 5678", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        ("+66812345678", "0812345678"),
        ("(081) 234-5678", "0812345678"),
        ("081.234.5678", "0812345678"),
        ("๐๘๑๒๓๔๕๖๗๘", "0812345678"),
        ("02-123-4567", "021234567"),
        ("053 111 222", "053111222"),
    ],
)
def test_phones_in_every_spelling_become_ten_or_nine_digits(written, phone):
    parsed = parse_contact(f"สมชาย ใจดี {written} {ADDRESS}")
    assert parsed.phone == phone
    assert parsed.address_line == "9 ม.1"


def test_a_second_phone_is_not_left_in_the_address():
    parsed = parse_contact(f"สมชาย ใจดี โทร 081-234-5678 หรือ 089-111-2222 {ADDRESS}")
    assert (parsed.name, parsed.phone, parsed.address_line) == (
        "สมชาย ใจดี",
        "0812345678",
        "9 ม.1",
    )


def test_numbers_that_are_no_phone_stay_in_the_address():
    parsed = parse_contact(f"สมชาย ใจดี 0812345678 ห้อง 0123 ชั้น 5 {ADDRESS}")
    assert parsed.phone == "0812345678"
    assert parsed.address_line == "ห้อง 0123 ชั้น 5 9 ม.1"


def test_a_phone_without_an_address_still_fills_name_and_phone():
    parsed = parse_contact("สมชาย ใจดี 081-234-5678")
    assert (parsed.name, parsed.phone, parsed.address_line, parsed.province) == (
        "สมชาย ใจดี",
        "0812345678",
        "",
        "",
    )


# --- nothing to read --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "asdkjh qwe !!! 123", "ขอบคุณค่ะ", "🙂🙂🙂", "สมชาย ใจดี", "1234567890123"],
)
def test_text_without_a_phone_or_a_place_fills_nothing(text):
    assert parse_contact(text) == ParsedContact()


def test_a_person_named_like_a_province_is_not_an_address():
    parsed = parse_contact("สุรินทร์ ใจดี")
    assert parsed == ParsedContact()


def test_ten_kilobytes_of_chat_history_still_find_the_address_at_the_end():
    history = "สวัสดีค่ะ สนใจสินค้าตัวนี้ค่ะ ราคาเท่าไหร่คะ 350 บาทค่ะ\n" * 180
    text = history + "ส่งที่ สมชาย ใจดี 0812345678 99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120"
    assert len(text.encode()) > 10_000
    parsed = parse_contact(text)
    assert (parsed.phone, parsed.subdistrict, parsed.postcode) == ("0812345678", "คลองหนึ่ง", "12120")


def test_megabytes_of_noise_are_read_without_error():
    noise = ("ต.อ.จ.แขวงเขต 0812 12120 กทม ซ.ถ. " * 40_000)[:2_000_000]
    parsed = parse_contact(noise)
    assert isinstance(parsed, ParsedContact)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),
            st.sampled_from(list("0123456789 ./-+,\n()ต.อ.จ.")),
            st.characters(),
        ),
        max_size=300,
    )
)
def test_any_text_gives_a_well_formed_answer(text):
    parsed = parse_contact(text)
    assert parsed.phone == "" or (parsed.phone.isdigit() and len(parsed.phone) in (9, 10))
    assert parsed.postcode == "" or (parsed.postcode.isdigit() and len(parsed.postcode) == 5)
    for candidate in parsed.candidates:
        assert set(candidate) == {"subdistrict", "district", "province", "postcode"}


# --- breadth: every corner of the country -----------------------------------------------


def _written_address(rng, sub, district, province, style):
    """How a customer might write this GeoThai area in one of five chat styles."""
    bangkok = province.code == "10"
    district_name = district.name_th.removeprefix("เขต")
    if not bangkok and district.code.endswith("01") and rng.random() < 0.5:
        district_name = "เมือง"  # "อ.เมือง" for the capital district
    if style == "bare":
        return f"{sub.name_th} {district_name} {'กทม' if bangkok else province.name_th}"
    if style == "spelt-out":
        if bangkok:
            return f"แขวง{sub.name_th} เขต{district_name} กรุงเทพมหานคร"
        return f"ตำบล{sub.name_th} อำเภอ{district_name} จังหวัด{province.name_th}"
    sep = "\n" if style == "lines" else " "
    if bangkok:
        return f"แขวง{sub.name_th}{sep}เขต{district_name}{sep}กรุงเทพฯ"
    return f"ต.{sub.name_th}{sep}อ.{district_name}{sep}จ.{province.name_th}"


def test_random_subdistricts_from_all_over_the_country_read_back_in_five_styles(capsys):
    rng = random.Random(20_261_126)
    areas = [
        (s, d, p)
        for p in geothai.provinces()
        for d in geothai.districts(p.code)
        for s in geothai.subdistricts(d.code)
    ]
    right = total = 0
    wrong = []
    for n in range(300):
        sub, district, province = rng.choice(areas)
        style = ("marked", "bare", "lines", "spelt-out", "name-last")[n % 5]
        postcode = rng.choice(sub.postal_codes)
        house = f"{rng.randint(1, 999)}/{rng.randint(1, 99)} ม.{rng.randint(1, 15)}"
        area = _written_address(rng, sub, district, province, style)
        if style == "name-last":
            text = f"{house} {area} {postcode} 081-234-5678 วิภา แสงทอง"
        else:
            text = f"วิภา แสงทอง +66 81 234 5678\n{house} {area} {postcode}"
        expected = {
            "name": "วิภา แสงทอง",
            "phone": "0812345678",
            "address_line": house,
            "subdistrict": sub.name_th,
            "district": district.name_th,
            "province": province.name_th,
            "postcode": postcode,
        }
        got = _as_dict(parse_contact(text))
        right += sum(got[f] == expected[f] for f in FIELDS)
        total += len(FIELDS)
        if got != expected:
            wrong.append(text)
    with capsys.disabled():
        print(
            f"\nsmart paste, 300 random subdistricts: {right / total:.2%} of fields; wrong: {wrong}"
        )
    assert right / total >= 0.99
