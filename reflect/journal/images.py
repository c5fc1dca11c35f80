"""Images attached to entries: checked, stripped of their metadata, stored, served privately.

An upload is opened with Pillow (which refuses a decompression bomb beyond MAX_PIXELS), must
be a JPEG, PNG, WebP or GIF within IMAGE_MAX_BYTES, and is re-encoded from its pixels alone:
EXIF (camera, time, GPS location), XMP, IPTC and comments are not copied; the EXIF rotation is
applied first so the picture stands as it was taken. The file goes through Django's storage
API (`default_storage`: the filesystem under MEDIA_ROOT, or an S3-compatible bucket), under a
random name. It has no public URL: `image_file` serves it to its author only (404 for anyone
else, the same as an image that does not exist). Deleting the row deletes the file, also when
an entry or an account is deleted (models._delete_image_file, which cascades reach too).
"""

import io
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps, UnidentifiedImageError

from reflect.journal.models import Entry, EntryImage
from reflect.lib.bounded import parse_int

# Pillow format -> (content type, file extension).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; Pillow raises beyond twice this
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageFileError(ValueError):
    """Not an image Reflect keeps; the message says why, in plain words."""


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def clean_image(content: bytes) -> tuple[bytes, str, str, int, int]:
    """(the re-encoded bytes without metadata, content type, extension, width, height)."""
    if len(content) > settings.IMAGE_MAX_BYTES:
        raise ImageFileError(
            f"This image is {_megabytes(len(content))}; the limit is "
            f"{_megabytes(settings.IMAGE_MAX_BYTES)}. Make it smaller and attach it again."
        )
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            if kind not in FORMATS:
                raise ImageFileError(
                    f"This is a {kind or 'file of an unknown kind'}, not an image Reflect keeps: "
                    "attach a JPEG, PNG, WebP or GIF."
                )
            if image.width * image.height > MAX_PIXELS:
                raise ImageFileError(
                    f"This image is {image.width:,} × {image.height:,} pixels; the limit is "
                    f"{MAX_PIXELS // 1_000_000} megapixels."
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            if kind == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            # Only the pixels (and a palette) go on: no EXIF, XMP, ICC, comments or text
            # chunks, which Pillow would otherwise carry over from `info`. An animated GIF
            # keeps its first frame.
            clean = upright.copy()
            clean.info = {}
            out = io.BytesIO()
            options = {"quality": 90} if kind in ("JPEG", "WEBP") else {}
            clean.save(out, format=kind, **options)
    except ImageFileError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ImageFileError(
            "This file is not an image Reflect can read (or far too large): attach a JPEG, "
            "PNG, WebP or GIF."
        ) from None
    except (OSError, ValueError, SyntaxError):
        raise ImageFileError("This image is damaged: it could not be read to the end.") from None
    content_type, extension = FORMATS[kind]
    return out.getvalue(), content_type, extension, clean.width, clean.height


def attach_image(entry: Entry, content: bytes, alt: str) -> EntryImage:
    """Clean and store an image for `entry` (the caller checked the entry is the person's)."""
    data, content_type, extension, width, height = clean_image(content)
    if entry.images.count() >= settings.IMAGES_PER_ENTRY:
        raise ImageFileError(
            f"An entry holds at most {settings.IMAGES_PER_ENTRY} images: remove one first."
        )
    name = default_storage.save(
        f"entry-images/{entry.author_id}/{uuid.uuid4().hex}.{extension}", ContentFile(data)
    )
    try:
        with transaction.atomic():
            return EntryImage.objects.create(
                entry=entry, author_id=entry.author_id, file=name, content_type=content_type,
                alt=alt, width=width, height=height, size=len(data),
            )
    except Exception:
        default_storage.delete(name)  # no row, no file
        raise


# Views ----------------------------------------------------------------------------------


class ImageForm(forms.Form):
    image = forms.FileField(
        label="Attach an image",
        help_text="A JPEG, PNG, WebP or GIF. Its location and camera details are removed; "
        "only you can see it.",
        error_messages={"required": "Choose an image to attach.", "empty": "That file is empty."},
    )
    alt = forms.CharField(
        required=False, max_length=300, label="What it shows (for screen readers)",
    )


@require_POST
def image_attach(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        Entry.objects.for_user(request.user).filter(deleted_at__isnull=True), pk=pk
    )
    # Refuse an oversized upload before reading it.
    length = parse_int(request.META.get("CONTENT_LENGTH") or "0") or 0
    if length > settings.IMAGE_MAX_BYTES + 64 * 1024:
        messages.error(request, f"This image is {_megabytes(length)}; the limit is "
                                f"{_megabytes(settings.IMAGE_MAX_BYTES)}. Nothing was attached.")
        return redirect("entry", pk=entry.pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            if upload.size > settings.IMAGE_MAX_BYTES:
                raise ImageFileError(
                    f"This image is {_megabytes(upload.size)}; the limit is "
                    f"{_megabytes(settings.IMAGE_MAX_BYTES)}."
                )
            attach_image(entry, upload.read(), form.cleaned_data["alt"])
        except ImageFileError as error:
            messages.error(request, f"{error} Nothing was attached.")
        else:
            messages.success(request, "Image attached. Only you can see it.")
    else:
        for errors in form.errors.values():
            messages.error(request, f"{errors[0]} Nothing was attached.")
    return redirect("entry", pk=entry.pk)


def image_file(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    """The image, to its author only: 404 for anyone else."""
    image = get_object_or_404(EntryImage, pk=image_pk, entry_id=pk, author=request.user)
    response = FileResponse(default_storage.open(image.file.name), content_type=image.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@require_POST
def image_delete(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    image = get_object_or_404(EntryImage, pk=image_pk, entry_id=pk, author=request.user)
    image.delete()
    messages.success(request, "Image removed.")
    return redirect("entry", pk=pk)
