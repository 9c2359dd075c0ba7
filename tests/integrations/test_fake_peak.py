"""Self-tests of tests/fakes/peak.py: real HTTP with httpx against the fake PEAK Open API."""

import base64
import hashlib
import hmac
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from tests.fakes.peak import FakePeak

BANGKOK = timezone(timedelta(hours=7))
# httpx builds an SSL context per client (~40 ms); everything here is plain http, so share one.
SSL = ssl.create_default_context()


def signed(connect_id="CID", *, encoding="hex", when=None):
    """The Time-Stamp / Time-Signature pair PEAK wants, for `when` (default: now, UTC)."""
    timestamp = (when or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    digest = hmac.new(connect_id.encode(), timestamp.encode(), hashlib.sha1)
    signature = digest.hexdigest() if encoding == "hex" else base64.b64encode(digest.digest())
    return {
        "Time-Stamp": timestamp,
        "Time-Signature": signature if isinstance(signature, str) else signature.decode(),
        "Content-Type": "application/json",
    }


def ask_token(http, *, connect_id="CID", key="CKEY", encoding="hex", headers=None):
    body = {"PeakClientToken": {"connectId": connect_id, "password": key}}
    response = http.post(
        "/clienttoken", json=body, headers=headers or signed(connect_id, encoding=encoding)
    )
    assert response.status_code == 200
    return response.json()["PeakClientToken"]


class Peak:
    """The least client that speaks to the fake: a token, signed headers, JSON."""

    def __init__(self, fake, *, encoding="hex", timeout=5.0, user_token="UTOKEN"):
        self.http = httpx.Client(base_url=fake.url, timeout=timeout, verify=SSL)
        self.encoding = encoding
        self.user_token = user_token
        self.client_token = None

    def login(self):
        answer = ask_token(self.http, encoding=self.encoding)
        assert answer["resCode"] == "200", answer
        self.client_token = answer["token"]
        return self

    def headers(self):
        return {
            "Client-Token": self.client_token or "",
            "User-Token": self.user_token,
            **signed(encoding=self.encoding),
        }

    def get(self, path, **params):
        return self.http.get(path, params=params, headers=self.headers())

    def raw_post(self, path, body):
        return self.http.post(path, json=body, headers=self.headers())

    def post(self, path, body):
        response = self.raw_post(path, body)
        assert response.status_code == 200, response.text
        return response.json()

    def close(self):
        self.http.close()


WRAPPERS = {
    "/contacts": ("PeakContacts", "contacts"),
    "/products": ("PeakProducts", "products"),
    "/invoices": ("PeakInvoices", "invoices"),
    "/receipts": ("PeakReceipts", "receipts"),
    "/creditnotes": ("PeakCreditNotes", "creditNotes"),
    "/dailyjournals": ("PeakDailyJournals", "dailyJournals"),
}


def body(path, *rows):
    wrapper, key = WRAPPERS[path]
    return {wrapper: {key: list(rows)}}


def results(path, answer):
    wrapper, key = WRAPPERS[path]
    assert answer[wrapper]["resCode"] == "200", answer
    return answer[wrapper][key]


def line(**over):
    return {"productCode": "P1", "quantity": 1, "price": 107.0, "vatType": 1, **over}


def invoice(code="IV-1", **over):
    return {
        "code": code,
        "issuedDate": "20250115",
        "contactCode": "C001",
        "isTaxInvoice": 1,
        "taxStatus": 1,
        "products": [line()],
        **over,
    }


def journal(code="JV-1", entries=None, **over):
    if entries is None:
        entries = [
            {"accountCode": "111101", "debit": 100, "credit": 0, "description": "cash"},
            {"accountCode": "410101", "debit": 0, "credit": 100, "description": "sales"},
        ]
    return {"code": code, "issuedDate": "20250115", "journalEntries": entries, **over}


@pytest.fixture
def fake():
    with FakePeak() as server:
        yield server


@pytest.fixture
def peak(fake):
    client = Peak(fake).login()
    yield client
    client.close()


@pytest.fixture
def contact(peak):
    rows = results(
        "/contacts", peak.post("/contacts", body("/contacts", {"name": "ก", "code": "C001"}))
    )
    return rows[0]


# --- tokens and signed headers ----------------------------------------------------------------


def test_token_flow_with_hex_signature(fake):
    with httpx.Client(base_url=fake.url, verify=SSL) as http:
        answer = ask_token(http)
    assert answer["resCode"] == "200"
    assert answer["token"]
    assert fake.token_requests == 1
    assert fake.url.startswith("http://127.0.0.1:") and fake.url.endswith("/api/v1")
    assert ("POST", "/clienttoken") in fake.requests


def test_token_flow_with_base64_signature():
    with FakePeak(signature="base64") as fake, httpx.Client(base_url=fake.url, verify=SSL) as http:
        assert ask_token(http, encoding="base64")["resCode"] == "200"
        refused = ask_token(http, encoding="hex")  # the hex digest is not what it wants
        assert refused["resCode"] == "401"
        assert "TimeSignature" in refused["resDesc"]
        assert fake.token_requests == 1


@pytest.mark.parametrize(
    ("kwargs", "headers", "message"),
    [
        ({"key": "WRONG"}, None, "Connect"),
        ({"connect_id": "OTHER"}, lambda: signed("CID"), "Connect"),
        ({}, lambda: {**signed(), "Time-Signature": "00" * 20}, "(TimeSignature)"),
        ({}, lambda: signed("OTHER"), "(TimeSignature)"),
        ({}, lambda: signed(when=datetime.now(BANGKOK)), "Invalid API Validate Data. (TimeStamp)"),
        ({}, lambda: signed(when=datetime.now(UTC) - timedelta(minutes=6)), "(TimeStamp)"),
        ({}, lambda: {"Content-Type": "application/json"}, "(TimeStamp)"),
    ],
    ids=[
        "wrong-key",
        "wrong-id",
        "bad-signature",
        "signed-with-other-id",
        "local-time",
        "stale",
        "no-headers",
    ],
)
def test_token_refused(fake, kwargs, headers, message):
    # Headers are made when the test runs: a time stamp made at collection goes stale in a
    # long run.
    with httpx.Client(base_url=fake.url, verify=SSL) as http:
        answer = ask_token(http, headers=headers() if headers else None, **kwargs)
    assert answer["resCode"] == "401"
    assert message in answer["resDesc"]
    assert "token" not in answer
    assert fake.token_requests == 0


def test_clock_tolerance_is_five_minutes(fake):
    with httpx.Client(base_url=fake.url, verify=SSL) as http:
        when = datetime.now(UTC) + timedelta(minutes=4)
        assert ask_token(http, headers=signed(when=when))["resCode"] == "200"


def test_calls_need_a_known_client_token_and_the_user_token(fake, peak):
    anonymous = Peak(fake)
    assert anonymous.get("/contacts").json() == {
        "resCode": "401",
        "resDesc": "Invalid Client Token",
    }
    anonymous.client_token = "made-up"
    assert anonymous.get("/contacts").json()["resCode"] == "401"
    anonymous.close()

    stranger = Peak(fake, user_token="SOMEONE-ELSE").login()
    assert stranger.get("/contacts").json() == {"resCode": "401", "resDesc": "Invalid User Token"}
    stranger.close()

    stale = {**peak.headers(), **signed(when=datetime.now(BANGKOK))}
    answer = peak.http.get("/contacts", headers=stale).json()
    assert answer == {"resCode": "401", "resDesc": "Invalid API Validate Data. (TimeStamp)"}


def test_expired_tokens_answer_600_and_a_new_token_works(fake, peak):
    assert peak.get("/contacts").json()["peakContacts"]["resCode"] == "200"
    fake.expire_tokens()
    assert peak.get("/contacts").json() == {"resCode": "600", "resDesc": "Client Token Expired"}
    answer = peak.post("/contacts", body("/contacts", {"name": "ก", "code": "C1"}))
    assert answer["resCode"] == "600"
    assert fake.rows("contacts") == []
    peak.login()
    assert peak.get("/contacts").json()["peakContacts"]["resCode"] == "200"
    assert fake.token_requests == 2


def test_token_ttl():
    with FakePeak(token_ttl=0.0) as fake:
        client = Peak(fake).login()
        assert client.get("/contacts").json()["resCode"] == "600"
        client.close()


# --- collections ------------------------------------------------------------------------------


def test_contact_then_invoice_by_contact_code(fake, peak, contact):
    assert contact["resCode"] == "200"
    assert contact["code"] == "C001"
    [row] = results("/invoices", peak.post("/invoices", body("/invoices", invoice("IV-1"))))
    assert row["resCode"] == "200"
    assert row["resDesc"] == "Success"
    assert row["code"] == "IV-1"
    assert row["documentLink"] == f"{fake.url}/documents/{row['id']}"
    assert row["taxInvoiceCode"] == "IV-1"
    [stored] = fake.rows("invoices")
    assert stored["id"] == row["id"]
    assert stored["code"] == "IV-1"
    assert stored["contactCode"] == "C001"
    assert fake.count("invoices", "IV-1") == 1
    assert httpx.get(row["documentLink"], verify=SSL).status_code == 200

    by_id = invoice("IV-2", contactCode=None, contactId=contact["id"])
    [row2] = results("/invoices", peak.post("/invoices", body("/invoices", by_id)))
    assert row2["resCode"] == "200"
    assert "taxInvoiceCode" in row2

    listed = peak.get("/invoices").json()
    assert "PeakInvoices" not in listed
    assert listed["peakInvoices"]["resCode"] == "200"
    assert [r["code"] for r in listed["peakInvoices"]["invoices"]] == ["IV-1", "IV-2"]


def test_input_wrapper_casing_is_either(fake, peak):
    answer = peak.post("/contacts", {"peakContacts": {"contacts": [{"name": "ข", "code": "C2"}]}})
    assert answer["PeakContacts"]["contacts"][0]["resCode"] == "200"
    assert fake.count("contacts", "C2") == 1


def test_a_bad_row_fails_alone_and_the_envelope_still_says_200(fake, peak, contact):
    rows = [
        invoice("IV-OK"),
        invoice("IV-NODATE", issuedDate=None),
        invoice("IV-NOBODY", contactCode="NOPE"),
        invoice("IV-OK2"),
    ]
    answer = peak.post("/invoices", body("/invoices", *rows))
    assert answer["PeakInvoices"]["resCode"] == "200"
    out = answer["PeakInvoices"]["invoices"]
    assert [r["resCode"] for r in out] == ["200", "400", "400", "200"]
    assert [r["code"] for r in out] == ["IV-OK", "IV-NODATE", "IV-NOBODY", "IV-OK2"]
    assert "issuedDate" in out[1]["resDesc"]
    assert out[2]["resDesc"] == "Contact not found"
    assert "id" not in out[1]
    assert [r["code"] for r in fake.rows("invoices")] == ["IV-OK", "IV-OK2"]


@pytest.mark.parametrize(
    ("path", "row", "field"),
    [
        ("/contacts", {"code": "C9"}, "name"),
        ("/contacts", {"name": "ค"}, "code"),
        ("/products", {"name": "สินค้า"}, "code"),
        ("/products", {"code": "P9"}, "name"),
        ("/invoices", invoice(code=None), "code"),
        ("/invoices", invoice(issuedDate="20251301"), "issuedDate"),
        ("/invoices", invoice(issuedDate="25680115"), "issuedDate"),  # Buddhist Era
        ("/invoices", invoice(issuedDate="2025-01-15"), "issuedDate"),
        ("/invoices", invoice(products=[]), "products"),
        ("/invoices", invoice(products=[line(vatType=4)]), "vatType"),
        ("/invoices", invoice(products=[line(quantity=None)]), "quantity"),
        ("/invoices", invoice(products=[line(price="abc")]), "price"),
        ("/invoices", invoice(isTaxInvoice=2), "isTaxInvoice"),
        ("/invoices", invoice(taxStatus=5), "taxStatus"),
        ("/invoices", invoice(contactCode=None), "Contact not found"),
        ("/receipts", invoice(paidPayments={"payments": []}), "paymentDate"),
        (
            "/receipts",
            invoice(paidPayments={"paymentDate": "20250115", "payments": [{"amount": 1}]}),
            "paymentMethodId",
        ),
        ("/dailyjournals", journal(entries=[]), "journalEntries"),
        ("/dailyjournals", journal(code=None), "code"),
    ],
)
def test_required_fields(fake, peak, contact, path, row, field):
    collection = path.lstrip("/")
    before = len(fake.rows(collection))
    [out] = results(path, peak.post(path, body(path, row)))
    assert out["resCode"] == "400"
    assert field in out["resDesc"]
    assert len(fake.rows(collection)) == before


def test_get_ignores_the_code_filter(fake, peak):
    peak.post(
        "/products", body("/products", {"code": "P1", "name": "a"}, {"code": "P2", "name": "b"})
    )
    listed = peak.get("/products", code="P1").json()["peakProducts"]["products"]
    assert sorted(r["code"] for r in listed) == ["P1", "P2"]
    assert ("GET", "/products") in fake.requests


def test_duplicates_are_stored_twice(fake, peak, contact):
    first = results("/invoices", peak.post("/invoices", body("/invoices", invoice("IV-D"))))
    second = results("/invoices", peak.post("/invoices", body("/invoices", invoice("IV-D"))))
    assert first[0]["id"] != second[0]["id"]
    assert fake.count("invoices", "IV-D") == 2


def test_receipt_codes_and_payments(fake, peak, contact):
    paid = {
        "paymentDate": "20250115",
        "payments": [{"paymentMethodId": "11111111-1111-4111-8111-000000000002", "amount": 107}],
    }
    rows = [invoice("RT-1", paidPayments=paid), invoice("RE-1", isTaxInvoice=0, taxStatus=0)]
    out = results("/receipts", peak.post("/receipts", body("/receipts", *rows)))
    assert out[0]["receiptCode"] == "RT-1"
    assert out[0]["taxInvoiceCode"] == "RT-1"
    assert out[1]["receiptCode"] == "RE-1"
    assert "taxInvoiceCode" not in out[1]
    assert fake.rows("receipts")[0]["paidPayments"] == paid


def test_credit_note_needs_an_existing_transaction(fake, peak, contact):
    [inv] = results("/invoices", peak.post("/invoices", body("/invoices", invoice("IV-CN"))))
    note = {
        "transactionType": 102,
        "transactionId": "00000000-0000-4000-8000-000000000000",
        "transactions": {"code": "CN-1", "issuedDate": "20250120", "remark": "สินค้าชำรุด"},
        "products": [line()],
    }
    [missing] = results("/creditnotes", peak.post("/creditnotes", body("/creditnotes", note)))
    assert missing["resCode"] == "400"
    assert missing["resDesc"] == "Transaction not found"
    assert missing["code"] == "CN-1"

    no_remark = {
        **note,
        "transactionId": inv["id"],
        "transactions": {"code": "CN-2", "issuedDate": "20250120"},
    }
    [bad] = results("/creditnotes", peak.post("/creditnotes", body("/creditnotes", no_remark)))
    assert "remark" in bad["resDesc"]
    untyped = {**note, "transactionId": inv["id"], "transactionType": None}
    [bad] = results("/creditnotes", peak.post("/creditnotes", body("/creditnotes", untyped)))
    assert "transactionType" in bad["resDesc"]

    [ok] = results(
        "/creditnotes",
        peak.post("/creditnotes", body("/creditnotes", {**note, "transactionId": inv["id"]})),
    )
    assert ok["resCode"] == "200"
    assert ok["code"] == ok["creditNoteCode"] == "CN-1"
    [stored] = fake.rows("creditnotes")
    assert stored["code"] == "CN-1"
    assert fake.count("creditnotes", "CN-1") == 1
    listed = peak.get("/creditnotes").json()["peakCreditNotes"]["creditNotes"]
    assert [r["code"] for r in listed] == ["CN-1"]


def test_daily_journal_must_balance(fake, peak):
    unbalanced = journal(
        "JV-BAD",
        entries=[
            {"accountCode": "111101", "debit": "100.00", "credit": 0, "description": "cash"},
            {"accountCode": "410101", "debit": 0, "credit": "99.99", "description": "sales"},
        ],
    )
    out = results(
        "/dailyjournals",
        peak.post("/dailyjournals", body("/dailyjournals", unbalanced, journal("JV-OK"))),
    )
    assert out[0] == {"resCode": "400", "resDesc": "Debit and credit not balance", "code": "JV-BAD"}
    assert out[1]["resCode"] == "200"
    assert [r["code"] for r in fake.rows("dailyjournals")] == ["JV-OK"]


def test_payment_methods_and_account_codes(peak):
    methods = peak.get("/paymentmethods").json()["peakPaymentMethods"]["paymentMethods"]
    assert methods and all({"id", "name"} <= m.keys() for m in methods)
    codes = peak.get("/dailyjournals/accountcode").json()["peakAccountCodes"]["accountCodes"]
    by_code = {c["code"]: c["name"] for c in codes}
    assert by_code["111101"] == "เงินสด"
    assert by_code["111201"] == "เงินฝากกระแสรายวัน"
    assert by_code["410101"] == "รายได้จากการขาย"
    assert by_code["530501"] == "ค่าธรรมเนียม"
    assert by_code["215101"] == "ภาษีขาย"
    assert by_code["115101"] == "ภาษีซื้อ"


def test_unknown_paths_and_bad_bodies(fake, peak):
    assert peak.get("/nothing").status_code == 404
    assert peak.http.get("/clienttoken").status_code == 405
    answer = peak.post("/contacts", {"contacts": []})
    assert answer["resCode"] == "400"
    with pytest.raises(ValueError, match="unknown collection"):
        fake.rows("orders")
    with pytest.raises(ValueError, match="unknown fault mode"):
        fake.fail_next("/receipts", "explode")


# --- faults -----------------------------------------------------------------------------------


def test_drop_after_store(fake, peak, contact):
    fake.fail_next("/receipts", "drop_after_store")
    with pytest.raises(httpx.TransportError):
        peak.raw_post("/receipts", body("/receipts", invoice("RT-DROP")))
    assert fake.count("receipts", "RT-DROP") == 1
    # one fault, one drop: the retry is answered (and, PEAK being PEAK, stored again)
    [again] = results("/receipts", peak.post("/receipts", body("/receipts", invoice("RT-DROP"))))
    assert again["resCode"] == "200"
    assert fake.count("receipts", "RT-DROP") == 2


def test_http_502_stores_nothing(fake, peak, contact):
    fake.fail_next("/receipts", "http_502")
    response = peak.raw_post("/receipts", body("/receipts", invoice("RT-502")))
    assert response.status_code == 502
    assert "text/html" in response.headers["content-type"]
    assert fake.count("receipts", "RT-502") == 0


def test_slow_stores_although_the_client_timed_out(fake, contact):
    client = Peak(fake, timeout=0.5).login()
    fake.fail_next("/receipts", "slow", delay=1.5)
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        client.raw_post("/receipts", body("/receipts", invoice("RT-SLOW")))
    assert time.monotonic() - started < 1.4
    assert fake.count("receipts", "RT-SLOW") == 1
    client.close()


def test_row_error_stores_nothing(fake, peak, contact):
    fake.fail_next("/invoices", "row_error", message="Document number already used")
    answer = peak.post("/invoices", body("/invoices", invoice("IV-E1"), invoice("IV-E2")))
    assert answer["PeakInvoices"]["resCode"] == "200"
    out = answer["PeakInvoices"]["invoices"]
    assert [(r["resCode"], r["resDesc"]) for r in out] == [
        ("400", "Document number already used")
    ] * 2
    assert fake.rows("invoices") == []

    fake.fail_next("/invoices", "row_error")
    [default] = results("/invoices", peak.post("/invoices", body("/invoices", invoice("IV-E3"))))
    assert default["resCode"] == "400" and default["resDesc"]


def test_garbage_stores_but_answers_non_json(fake, peak, contact):
    fake.fail_next("/receipts", "garbage")
    response = peak.raw_post("/receipts", body("/receipts", invoice("RT-GARBAGE")))
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert fake.count("receipts", "RT-GARBAGE") == 1


def test_expire_token_fault(fake, peak, contact):
    fake.fail_next("/receipts", "expire_token")
    answer = peak.post("/receipts", body("/receipts", invoice("RT-EXP")))
    assert answer == {"resCode": "600", "resDesc": "Client Token Expired"}
    assert fake.count("receipts", "RT-EXP") == 0
    peak.login()
    assert results("/receipts", peak.post("/receipts", body("/receipts", invoice("RT-EXP"))))
    assert fake.count("receipts", "RT-EXP") == 1


def test_faults_queue_per_path_in_order_with_counts(fake, peak, contact):
    fake.fail_next("/receipts", "http_502", count=2)
    fake.fail_next("/receipts", "garbage")
    peak.post("/invoices", body("/invoices", invoice("IV-UNTOUCHED")))  # another path: no fault
    assert fake.count("invoices", "IV-UNTOUCHED") == 1
    post = body("/receipts", invoice("RT-Q"))
    assert peak.raw_post("/receipts", post).status_code == 502
    assert peak.raw_post("/receipts", post).status_code == 502
    garbage = peak.raw_post("/receipts", post)
    with pytest.raises(ValueError):
        garbage.json()
    assert results("/receipts", peak.post("/receipts", post))[0]["resCode"] == "200"
    assert fake.count("receipts", "RT-Q") == 2


def test_a_refused_request_does_not_consume_a_storing_fault(fake, peak, contact):
    fake.fail_next("/api/v1/receipts/", "garbage")  # the prefix and slashes are optional
    fake.expire_tokens()
    assert peak.post("/receipts", body("/receipts", invoice("RT-R")))["resCode"] == "600"
    peak.login()
    with pytest.raises(ValueError):
        peak.raw_post("/receipts", body("/receipts", invoice("RT-R"))).json()
    assert fake.count("receipts", "RT-R") == 1


# --- the server -------------------------------------------------------------------------------


def test_concurrent_posts_are_all_stored(fake, contact):
    errors = []

    def post(n):
        client = Peak(fake).login()
        try:
            for i in range(5):
                row = invoice(f"IV-T{n}-{i}")
                out = results("/invoices", client.post("/invoices", body("/invoices", row)))
                assert out[0]["resCode"] == "200"
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            client.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(fake.rows("invoices")) == 40
    assert len({r["id"] for r in fake.rows("invoices")}) == 40
    assert fake.requests.count(("POST", "/invoices")) == 40


def test_stop_is_prompt_with_an_open_keep_alive_connection():
    fake = FakePeak().start()
    client = Peak(fake).login()  # leaves a pooled keep-alive connection open
    url = fake.url
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 1.0
    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/contacts", timeout=1.0, verify=SSL)
    client.close()
    with pytest.raises(RuntimeError):
        fake.url  # noqa: B018
