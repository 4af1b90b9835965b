"""Practice photo uploads: decoded to check their type, stripped of metadata, resized."""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Far above any camera photo once resized to a few hundred pixels, far below a
# decompression bomb (Pillow's own warning starts at about 89 million pixels).
MAX_PIXELS = 40_000_000
OUTPUT_QUALITY = 85


@dataclass(frozen=True)
class ResizedPhoto:
    data: bytes
    content_type: str
    width: int
    height: int
    digest: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "PRACTICE_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def longest_side() -> int:
    return int(getattr(settings, "PRACTICE_PHOTO_SIZE", 480))


def _decode(raw: bytes) -> Image.Image:
    """The first frame of a JPEG, PNG or WebP image, whatever the file name says."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw), formats=sorted(ACCEPTED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is too large in pixels. Upload one under 40 megapixels."),
                    code="too_many_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as error:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP image we can read. Choose a photo file."),
            code="not_an_image",
        ) from error
    return image


def resize_photo(raw: bytes) -> ResizedPhoto:
    """Re-encode an upload as a JPEG no larger than PRACTICE_PHOTO_SIZE on its longest side.

    Re-encoding from pixels drops every metadata block (EXIF with GPS position, XMP, ICC
    profiles, comments); the camera's orientation is applied first so nothing is sideways.
    """
    if len(raw) > max_upload_bytes():
        raise ValidationError(
            _("This file is larger than %(mb)s MB. Choose a smaller photo.")
            % {"mb": max_upload_bytes() // (1024 * 1024)},
            code="too_big",
        )
    image = _decode(raw)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    side = longest_side()
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    # Pixels only: Pillow carries `info` (a JPEG comment, ICC profile, EXIF) into `save`.
    image = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    image.save(out, "JPEG", quality=OUTPUT_QUALITY, optimize=True)
    data = out.getvalue()
    return ResizedPhoto(
        data=data,
        content_type="image/jpeg",
        width=image.width,
        height=image.height,
        digest=hashlib.sha256(data).hexdigest()[:16],
    )
