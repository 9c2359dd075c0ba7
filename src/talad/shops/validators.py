from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.th import tin


def validate_thai_tax_id(value: str) -> None:
    """A Thai 13-digit tax ID (personal or juristic) with a correct check digit."""
    if value and not tin.is_valid(value):
        raise ValidationError(_("เลขประจำตัวผู้เสียภาษีต้องเป็นตัวเลข 13 หลักที่ถูกต้อง"), code="invalid_tax_id")
