"""`talad doctor`: every stored date and date-time is one Python can read back and a seller
could mean (talad.dates: years 2000–2100). A moment outside that range can be stored by
PostgreSQL and then break every page that reads the row; this finds such rows by SQL alone,
without converting them, in every table of Talad's own apps."""

from datetime import UTC, date, datetime

from django.apps import apps
from django.db import connection, models

from talad.dates import EARLIEST_YEAR, LATEST_YEAR


def unreadable_dates() -> list[str]:
    problems = []
    for model in _talad_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                low = datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC)
                high = datetime(LATEST_YEAR + 1, 1, 1, tzinfo=UTC)
            elif isinstance(field, models.DateField):
                low, high = date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR + 1, 1, 1)
            else:
                continue
            problems += _out_of_range(model, field, low, high)
    return problems


def _talad_models():
    for config in apps.get_app_configs():
        if config.name.startswith("talad."):
            yield from (m for m in config.get_models() if m._meta.managed and not m._meta.proxy)


def _out_of_range(model, field, low, high) -> list[str]:
    table, column = model._meta.db_table, field.column
    qn = connection.ops.quote_name
    adapt = (
        connection.ops.adapt_datetimefield_value
        if isinstance(low, datetime)
        else connection.ops.adapt_datefield_value
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(model._meta.pk.column)} FROM {qn(table)}"
            f" WHERE {qn(column)} < %s OR {qn(column)} >= %s ORDER BY 1 LIMIT 6",
            [adapt(low), adapt(high)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    shown = ", ".join(str(i) for i in ids[:5]) + (" …" if len(ids) > 5 else "")
    return [
        f"{table}.{column}: rows {shown} hold a date outside {EARLIEST_YEAR}–{LATEST_YEAR}"
        " (unreadable or not a real date)"
    ]
