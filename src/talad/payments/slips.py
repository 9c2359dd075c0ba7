"""Transfer slips: the photo a customer sends of their bank transfer.

A slip shows a bank account, a name and often the phone's location in its EXIF, so it is
private to the shop: stored under `slips/<shop id>/…` in MEDIA_ROOT, which no URL serves,
and read back only through the payments view that checks the shop (docs/design/money.md#slips).
On upload it is checked (an image of a known kind, at most MAX_SLIP_BYTES and MAX_PIXELS) and
re-encoded by Pillow, which keeps the picture and drops everything else: EXIF and other
metadata, and anything that is not an image hiding behind an image's first bytes.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from talad.errors import TaladError

MAX_SLIP_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 12 MP phone photo is far below; a decompression bomb is not
# What Pillow reads → what it is stored as. Screenshots stay PNG (sharp text); photos JPEG.
ACCEPTED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "JPEG"}
CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


class SlipRejected(TaladError):
    code = "invalid_slip"
    status = 422


@dataclass(frozen=True)
class SlipFile:
    content: bytes
    content_type: str
    filename: str


def slip_path(payment, filename: str) -> str:
    """Per shop, then month; the name is random so a path says nothing about the payment."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    month = timezone.localdate().strftime("%Y/%m")
    return f"slips/{payment.shop_id}/{month}/{uuid.uuid4().hex}.{extension}"


def clean_slip(upload) -> ContentFile:
    """The uploaded slip re-encoded without metadata, or SlipRejected naming the `slip` field."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_SLIP_BYTES:
        raise SlipRejected(
            _("ไฟล์สลิปใหญ่เกิน %(mb)s MB") % {"mb": MAX_SLIP_BYTES // (1024 * 1024)},
            fields={"slip": "too_large"},
        )
    upload.seek(0)
    data = upload.read(MAX_SLIP_BYTES + 1)
    if len(data) > MAX_SLIP_BYTES:
        raise SlipRejected(
            _("ไฟล์สลิปใหญ่เกิน %(mb)s MB") % {"mb": MAX_SLIP_BYTES // (1024 * 1024)},
            fields={"slip": "too_large"},
        )
    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
        if kind not in ACCEPTED:
            raise SlipRejected(
                _("สลิปต้องเป็นรูป JPEG, PNG หรือ WebP"), fields={"slip": "unsupported_type"}
            )
        if image.width * image.height > MAX_PIXELS:
            raise SlipRejected(_("รูปสลิปใหญ่เกินไป"), fields={"slip": "too_many_pixels"})
        image.load()
        image = ImageOps.exif_transpose(image)  # keep it upright once the EXIF is gone
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise SlipRejected(
            _("อ่านรูปสลิปไม่ได้: ใช้ไฟล์รูป JPEG, PNG หรือ WebP"), fields={"slip": "not_an_image"}
        ) from None
    return ContentFile(_encode(image, ACCEPTED[kind]), name=f"slip.{_extension(ACCEPTED[kind])}")


def _encode(image: Image.Image, kind: str) -> bytes:
    image.info = {}  # EXIF, XMP, comments, PNG text: none of it is written again
    out = io.BytesIO()
    if kind == "PNG":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _extension(kind: str) -> str:
    return "png" if kind == "PNG" else "jpg"


def read_slip(payment) -> SlipFile | None:
    """The stored slip with the type it is served as; None when there is none to read."""
    if not payment.slip:
        return None
    try:
        with payment.slip.open("rb") as stored:
            content = stored.read()
    except (FileNotFoundError, OSError):
        return None
    extension = payment.slip.name.rsplit(".", 1)[-1].lower()
    # Slips from before re-encoding are served only as what their extension says, and a file
    # that is not a known image is offered as a download, never shown in the page.
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    suffix = "jpg" if extension == "jpeg" else extension
    return SlipFile(content, content_type, f"slip-{payment.order.number}.{suffix}")
