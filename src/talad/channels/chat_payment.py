"""Smart paste, the payment half: does the chat say cash on delivery or a transfer?

Pure, like the rest of smart paste. "เก็บเงินปลายทาง", "ปลายทาง", "COD" mean cash on
delivery; "โอน", "พร้อมเพย์", "สลิป", "transfer" mean a transfer (PromptPay is a transfer
too: the seller picks the finer method on the form). A negated mention ("ไม่เอาปลายทาง",
"โอนไม่สะดวก") does not count; both kinds offered as a choice ("โอนหรือปลายทาง") leave the
answer open for the seller to ask; otherwise the last mention wins, because customers change
their mind further down a chat.
"""

import itertools
import re

COD, TRANSFER = "cod", "transfer"

_COD = re.compile(
    r"(?:เก็บ|จ่าย|ชำระ)?\s*(?:เงิน|ตังค์|ตัง)?\s*ปลายทาง"
    r"|(?<![A-Za-z])c\.?o\.?d(?![A-Za-z])|cash\s+on\s+delivery",
    re.IGNORECASE,
)
_TRANSFER = re.compile(
    r"โอน(?:เงิน|จ่าย|ชำระ)?(?:แล้ว|ให้)?|พร้อมเพ(?:ย์|ย)|prompt\s?pay|สลิป|ชำระแล้ว|จ่ายแล้ว"
    r"|(?<![A-Za-z])(?:bank\s+)?(?:transfer(?:red)?|slip)(?![A-Za-z])",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(
    r"(?:ไม่(?:เอา|ใช่|ต้อง|ขอ|รับ|สะดวก)?|(?<![A-Za-z])(?:no|not|non|don'?t|without))[\s\-]*$",
    re.IGNORECASE,
)
_NEGATED_AFTER = re.compile(r"\s*(?:ไม่(?:สะดวก|ได้|ถนัด|เป็น|รับ)|ไม่)", re.IGNORECASE)
# Words around a mention that belong with it ("ขอเก็บปลายทางนะคะ", "payment: COD please").
_LEAD_IN = re.compile(
    r"(?:ขอ(?:เป็น)?|เอา|จะ|เป็น|แบบ|วิธี(?:การ)?ชำระ(?:เงิน)?|ชำระ(?:เงิน)?(?:แบบ|โดย)?"
    r"|จ่าย(?:เงิน)?(?:แบบ|โดย)?|(?<![A-Za-z])pay(?:ment)?(?:\s*(?:by|via))?)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_TRAILER = re.compile(
    r"(?:\s*(?:เลย|นะ|ค่ะ|คะ|ครับ|คับ|จ้า|จ้ะ|ค่า|ได้ไหม|ได้มั้ย|ได้ป่าว|ไหม|มั้ย"
    r"|please|pls|plz|na|ka|krub)(?![A-Za-z]))*",
    re.IGNORECASE,
)
_EITHER = re.compile(r"หรือ|ก็ได้|/|(?<![A-Za-z])or(?![A-Za-z])", re.IGNORECASE)


def payment_intent(text: str) -> tuple[str | None, list[tuple[int, int]]]:
    """cod, transfer or None, and where every payment mention is (with its negation)."""
    mentions: list[tuple[int, int, str, bool]] = []
    spans: list[tuple[int, int]] = []
    cods = [m for m in _COD.finditer(text) if m.group().strip()]
    found = [(m, COD) for m in cods] + [
        (m, TRANSFER)
        for m in _TRANSFER.finditer(text)
        # "จ่าย" of "จ่ายปลายทาง" is part of the COD mention
        if not any(c.start() < m.end() and m.start() < c.end() for c in cods)
    ]
    for m, kind in found:
        start, end = m.start(), m.end()
        before = _NEGATED_BEFORE.search(text[max(0, start - 10) : start])
        after = _NEGATED_AFTER.match(text, end)
        mentions.append((start, end, kind, bool(before or after)))
        if before:
            start -= len(before.group())
        end = after.end() if after else end
        lead_in = _LEAD_IN.search(text[max(0, start - 20) : start])
        if lead_in:
            start -= len(lead_in.group())
        spans.append((start, _TRAILER.match(text, end).end()))
    mentions.sort()
    said = [(s, e, kind) for s, e, kind, negated in mentions if not negated]
    if not said:
        return None, spans
    kinds = {kind for _s, _e, kind in said}
    if len(kinds) == 2:
        for (_s, e, a), (s, _e, b) in itertools.pairwise(said):
            if a != b and _EITHER.search(text, e, s):
                return None, spans  # offered as a choice: the seller asks
    return said[-1][2], spans
