"""Applying a read marketplace export to Talad (docs/design/marketplaces.md#applying-the-orders).

One Talad order per marketplace order (channel + external id), opened with
orders.services.create_order; every status after that moves only through
orders.services.transition. Each marketplace order is its own transaction: a refused order
leaves nothing behind and the others still go in; the file is never one transaction (one bad
row would otherwise hold back a day's orders). Applying a file twice changes nothing; a newer
export applies only what moved forward (paid, a tracking number that appeared, delivered,
cancelled); a status that went backwards is reported in `notices`, never applied.

A dry run is the same work in one transaction that is rolled back at the end, so the preview
says exactly what applying would do — stock shortages, unknown carriers and all.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from talad.channels.imports.columns import LINE_FIELD, column_for
from talad.channels.imports.readers import read_orders
from talad.channels.imports.report import (
    CREATED,
    ERROR,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    ImportReport,
    OrderOutcome,
    UnmappedSku,
)
from talad.channels.imports.rows import TARGETS, ImportedOrder, ImportProblem, ParsedFile
from talad.channels.imports.skus import line_code, variants_for_lines
from talad.channels.smart_paste import parse_contact
from talad.errors import TaladError
from talad.inventory.errors import InsufficientStock
from talad.orders.inputs import NewOrder, read
from talad.orders.labels import MARKETPLACE_PAID
from talad.orders.models import MARKETPLACES, Order, PaymentMethod, Status
from talad.orders.services import create_order, lock_order, transition
from talad.shipping.registry import carriers_for, resolve_carrier
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require

# A Talad status → the import target it already is (to_ship is a packed `to_pack`).
REACHED = {
    Status.PENDING: "pending",
    Status.TO_PACK: "to_pack",
    Status.TO_SHIP: "to_pack",
    Status.SHIPPED: "shipped",
    Status.DELIVERED: "delivered",
    Status.RETURNING: "returning",
    Status.RETURNED: "returning",
    Status.CANCELLED: "cancelled",
}
# The next action from a Talad status towards a target; a pair not here is a move Talad does
# not make from that status (a delivered order is not cancelled by a file).
NEXT_STEP = {
    Status.PENDING: {t: "pay" for t in ("to_pack", "shipped", "delivered", "returning")}
    | {"cancelled": "cancel"},
    Status.TO_PACK: {t: "ship" for t in ("shipped", "delivered", "returning")}
    | {"cancelled": "cancel"},
    Status.SHIPPED: {"delivered": "deliver", "returning": "fail_delivery"},
}
NEXT_STEP[Status.TO_SHIP] = NEXT_STEP[Status.TO_PACK]


class _Refused(TaladError):
    """One order's own problem, already placed at its row and column."""

    def __init__(self, problem: ImportProblem, unmapped: tuple[str, ...] = ()):
        super().__init__(problem.message, fields={problem.column: problem.code})
        self.problem = problem
        self.unmapped = unmapped  # the line codes no mapping or SKU explains


def import_orders(
    *,
    shop: Shop,
    by: Actor,
    format: str,
    content: bytes,
    filename: str = "",
    dry_run: bool = False,
    backorder: bool = False,
) -> ImportReport:
    """Read a marketplace export (readers.read_orders) and apply it: the CLI, the API and the
    upload page all come through here. A file that is not the format's export raises."""
    require(by, "manage_orders")
    parsed = read_orders(format, content, filename=filename)
    return apply_orders(shop=shop, by=by, parsed=parsed, dry_run=dry_run, backorder=backorder)


def apply_orders(
    *, shop: Shop, by: Actor, parsed: ParsedFile, dry_run: bool = False, backorder: bool = False
) -> ImportReport:
    """Apply every order of `parsed` (see the module docstring); `backorder` takes an order
    even when stock is short, reserving past what is available (recorded in the ledger)."""
    require(by, "manage_orders")
    report = ImportReport(
        format=parsed.format, dry_run=dry_run, backorder=backorder, rows_read=parsed.rows_read
    )
    report.errors.extend(parsed.problems)
    if dry_run:
        with transaction.atomic():
            _apply_all(shop, by, parsed, report, backorder)
            transaction.set_rollback(True)
    else:
        _apply_all(shop, by, parsed, report, backorder)
    return report


def _apply_all(shop, by, parsed: ParsedFile, report: ImportReport, backorder: bool) -> None:
    registry = carriers_for(shop)
    unmapped: dict[tuple[str, str], UnmappedSku] = {}
    for imported in parsed.orders:
        outcome = OrderOutcome(
            external_id=imported.external_id,
            outcome=ERROR,
            rows=list(imported.rows),
            target=imported.target,
        )
        try:
            with transaction.atomic():
                _apply_one(shop, by, parsed.format, imported, registry, backorder, outcome, report)
        except _Refused as exc:
            report.errors.append(exc.problem)
            outcome.outcome, outcome.actions, outcome.number = ERROR, [], ""
            _remember_unmapped(unmapped, imported, exc.unmapped)
        except TaladError as exc:
            report.errors.append(_problem(parsed.format, imported, exc))
            outcome.outcome, outcome.actions, outcome.number = ERROR, [], ""
        if report.dry_run and outcome.outcome == CREATED:
            outcome.number = ""  # the number a dry run took is given back
        report.orders.append(outcome)
    report.unmapped = list(unmapped.values())


def _apply_one(shop, by, fmt, imported: ImportedOrder, registry, backorder, outcome, report):
    existing = (
        Order.objects.for_shop(shop)
        .filter(channel=imported.channel, external_id=imported.external_id)
        .values_list("pk", flat=True)
        .first()
    )
    if existing is None:
        if imported.target == "cancelled":
            outcome.outcome = SKIPPED  # cancelled before it reached Talad: nothing to hold
            return
        order, created = _open(shop, by, fmt, imported, backorder)
        outcome.outcome = CREATED if created else UNCHANGED
    else:
        order, created = lock_order(shop, existing), False
        outcome.outcome = UNCHANGED
    for action in _plan(fmt, imported, order.status, report):
        order = transition(
            order=order, action=action, by=by, **_data(fmt, imported, order, action, registry)
        )
        outcome.actions.append(action)
    if outcome.actions and not created:
        outcome.outcome = UPDATED
    outcome.status, outcome.number = order.status, order.number


def _plan(fmt, imported: ImportedOrder, status: str, report: ImportReport) -> list[str]:
    """The transitions from `status` to the file's target; a backwards or impossible move is
    reported (a notice) and none of it applied."""
    target = imported.target
    if REACHED[status] == target:
        return []
    if TARGETS.index(REACHED[status]) > TARGETS.index(target):
        report.notices.append(
            _notice(
                fmt,
                imported,
                "status_backwards",
                _("ออเดอร์ %(id)s ใน Talad %(now)s แล้ว ไฟล์บอก '%(file)s': ไม่ย้อนสถานะ")
                % {
                    "id": imported.external_id,
                    "now": Status(status).label,
                    "file": imported.status_text,
                },
            )
        )
        return []
    steps, at = [], status
    while REACHED[at] != target:
        action = NEXT_STEP.get(at, {}).get(target)
        if action is None:
            report.notices.append(
                _notice(
                    fmt,
                    imported,
                    "cannot_move",
                    _("ออเดอร์ %(id)s ใน Talad %(now)s: เปลี่ยนเป็น '%(file)s' จากไฟล์ไม่ได้ ทำที่หน้าออเดอร์")
                    % {
                        "id": imported.external_id,
                        "now": Status(at).label,
                        "file": imported.status_text,
                    },
                )
            )
            return []
        steps.append(action)
        at = {
            "pay": Status.TO_PACK,
            "ship": Status.SHIPPED,
            "deliver": Status.DELIVERED,
            "fail_delivery": Status.RETURNING,
            "cancel": Status.CANCELLED,
        }[action]
    return steps


def _data(fmt, imported: ImportedOrder, order: Order, action: str, registry) -> dict:
    """The input of each action, from the file."""
    if action == "pay":
        marketplace = order.channel in MARKETPLACES
        return {
            "amount": order.total,
            "method": PaymentMethod.MARKETPLACE if marketplace else PaymentMethod.TRANSFER,
            "reference": imported.external_id[:100],
            "paid_at": imported.paid_at,
            "note": MARKETPLACE_PAID if marketplace else "",
        }
    if action == "ship":
        tracking = imported.tracking_number.strip()
        if not tracking:
            raise _Refused(
                _problem_at(
                    fmt,
                    imported,
                    "tracking_number",
                    "tracking_missing",
                    _("ไฟล์บอกว่าจัดส่งแล้วแต่ไม่มีเลขพัสดุ"),
                )
            )
        carrier = resolve_carrier(registry, imported.carrier_text)
        if carrier is None or not carrier.active:
            raise _Refused(
                _problem_at(
                    fmt,
                    imported,
                    "carrier",
                    "unknown_carrier",
                    _("ไม่รู้จักขนส่ง '%(c)s': เพิ่มชื่อนี้ในขนส่งของร้าน (ชื่ออื่น) แล้วนำเข้าอีกครั้ง")
                    % {"c": imported.carrier_text},
                )
            )
        return {"carrier": carrier.code, "tracking_number": tracking}
    if action == "fail_delivery":
        return {"reason": "other", "note": f"{imported.channel}: {imported.status_text}"[:500]}
    if action == "cancel":
        return {"reason": f"{imported.channel}: {imported.status_text}"[:255]}
    return {}


# --- A new order ---------------------------------------------------------------------------


def _open(shop, by, fmt, imported: ImportedOrder, backorder: bool) -> tuple[Order, bool]:
    variants = variants_for_lines(shop=shop, channel=imported.channel, lines=list(imported.lines))
    missing = tuple(line_code(line) for line in imported.lines if line_code(line) not in variants)
    for line in imported.lines:
        if line_code(line) not in variants:
            raise _Refused(
                ImportProblem(
                    row=line.row,
                    column=column_for(fmt, "sku"),
                    code="unmapped_sku",
                    message=_("ไม่รู้ว่า '%(code)s' (%(name)s) คือสินค้าใดของร้าน: จับคู่ SKU แล้วนำเข้าอีกครั้ง")
                    % {"code": line_code(line) or "-", "name": line.name},
                    external_id=imported.external_id,
                ),
                unmapped=missing,
            )
    new = read(
        NewOrder,
        {
            "channel": imported.channel,
            "external_id": imported.external_id,
            "customer": _recipient(imported),
            "lines": [
                {
                    "sku": variants[line_code(line)].sku,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "line_discount": line.line_discount or None,
                }
                for line in imported.lines
            ],
            "shipping_fee": imported.shipping_fee,
            "discount": imported.seller_discount,
            "payment_method": PaymentMethod.MARKETPLACE
            if imported.channel in MARKETPLACES
            else PaymentMethod.TRANSFER,
            "ship_by": imported.ship_by,
        },
    )
    return create_order(
        shop=shop,
        by=by,
        order=new,
        awaiting_payment=imported.target == "pending",
        backorder=backorder,
    )


def _recipient(imported: ImportedOrder) -> dict:
    """The recipient as NewOrder takes it; a one-line address goes through smart paste."""
    address = {
        "line": imported.address_line.strip(),
        "subdistrict": imported.subdistrict.strip(),
        "district": imported.district.strip(),
        "province": imported.province.strip(),
        "postcode": imported.postcode.strip(),
    }
    if imported.one_line_address and address["line"]:
        read = parse_contact(address["line"])
        address = {
            "line": read.address_line or address["line"],
            "subdistrict": read.subdistrict,
            "district": read.district,
            "province": read.province,
            "postcode": address["postcode"] or read.postcode,
        }
    phone = imported.phone.strip()
    return {
        "name": imported.recipient_name.strip(),
        # A masked phone (Shopee shows 66*****12 to some sellers) is no number to call.
        "phone": "" if "*" in phone else phone,
        "tax_id": imported.buyer_tax_id.strip(),
        "branch_code": imported.buyer_branch.strip(),
        "address": address,
    }


# --- Problems at their row and column ------------------------------------------------------


def _problem(fmt, imported: ImportedOrder, exc: TaladError) -> ImportProblem:
    """A domain refusal (a shape, a rule, a shortage) placed at the row and column it came from."""
    if isinstance(exc, InsufficientStock):
        short = ", ".join(
            _("%(sku)s ต้องการ %(n)s มี %(a)s")
            % {"sku": s["sku"], "n": s["requested"], "a": s["available"]}
            for s in exc.short
        )
        return _problem_at(
            fmt,
            imported,
            "quantity",
            exc.code,
            _("สินค้าไม่พอ (%(short)s): เติมสต๊อก หรือเลือก 'นำเข้าแม้สต๊อกไม่พอ (ค้างส่ง)'") % {"short": short},
        )
    path = next(iter(exc.fields), "")
    row = imported.rows[0] if imported.rows else 0
    if match := LINE_FIELD.search(path):
        index = int(match.group(1))
        if index < len(imported.lines):
            row = imported.lines[index].row
    return ImportProblem(
        row=row,
        column=column_for(fmt, path) if path else "",
        # A shape error's code is the field's problem (required, too_long); a rule's is its own.
        code=(exc.fields.get(path) if exc.code == TaladError.code else "") or exc.code,
        message=exc.message,
        external_id=imported.external_id,
    )


def _problem_at(fmt, imported: ImportedOrder, field: str, code: str, message: str) -> ImportProblem:
    return ImportProblem(
        row=imported.rows[0] if imported.rows else 0,
        column=column_for(fmt, field),
        code=code,
        message=message,
        external_id=imported.external_id,
    )


def _notice(fmt, imported: ImportedOrder, code: str, message: str) -> ImportProblem:
    return _problem_at(fmt, imported, "status", code, message)


def _remember_unmapped(unmapped: dict, imported: ImportedOrder, codes: tuple[str, ...]) -> None:
    for line in imported.lines:
        code = line_code(line)
        if not code or code not in codes:
            continue
        entry = unmapped.setdefault(
            (imported.channel, code),
            UnmappedSku(
                channel=imported.channel,
                marketplace_sku=code,
                name=line.name,
                rows=[],
                external_ids=[],
            ),
        )
        entry.rows.append(line.row)
        if imported.external_id not in entry.external_ids:
            entry.external_ids.append(imported.external_id)
