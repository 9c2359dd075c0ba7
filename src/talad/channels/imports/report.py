"""What an import did (or, in a dry run, would do), order by order: one typed report that
the CLI prints, the API answers and the upload page draws."""

from dataclasses import asdict, dataclass, field

from talad.channels.imports.rows import ImportProblem

# How one marketplace order came out.
CREATED = "created"  # a new Talad order (and its forward moves)
UPDATED = "updated"  # an order already in Talad moved forward
UNCHANGED = "unchanged"  # already as the file says (or the file says less: see notices)
SKIPPED = "skipped"  # nothing to do by design: cancelled before it ever reached Talad
ERROR = "error"  # refused; nothing of this order was written
OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED, ERROR)


@dataclass
class OrderOutcome:
    external_id: str
    outcome: str
    rows: list[int]
    target: str
    status: str = ""  # the Talad order's status after (before, when refused)
    number: str = ""  # the Talad order number ("" in a dry run for a new order)
    actions: list[str] = field(default_factory=list)  # the transitions applied, in order


@dataclass
class UnmappedSku:
    """A marketplace code no mapping and no Talad SKU explains: the preview offers "map to…"."""

    channel: str
    marketplace_sku: str
    name: str
    rows: list[int]
    external_ids: list[str]


@dataclass
class ImportReport:
    format: str
    dry_run: bool
    backorder: bool
    rows_read: int = 0
    orders: list[OrderOutcome] = field(default_factory=list)
    # Every problem of the file (the readers') and of applying it (an order refused).
    errors: list[ImportProblem] = field(default_factory=list)
    # Reported, never applied: a status that went backwards, a move Talad does not make.
    notices: list[ImportProblem] = field(default_factory=list)
    unmapped: list[UnmappedSku] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for order in self.orders:
            counts[order.outcome] += 1
        counts["errors"] = len(self.errors)
        return counts

    def as_dict(self) -> dict:
        return {**asdict(self), "counts": self.counts}
