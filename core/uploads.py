"""Uploaded files: server-chosen names, a content check against an allowlist and a size cap, and
permission-checked downloads. Every FileField in the project uses these three pieces."""

import mimetypes
import uuid
from pathlib import PurePath

import filetype
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db.models import FileField
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

# Kinds accepted, by the type read from the file's own bytes (never its name or the browser's claim).
# SVG and HTML are refused: both can carry script.
ALLOWED_KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Content that starts like markup is refused even where the detector guesses an allowed kind.
MARKUP_PREFIXES = (b"<", b"\xef\xbb\xbf<")


@deconstructible
class UploadTo:
    """Store a file as <folder>/<yyyy>/<mm>/<uuid>.<ext>: the uploader never chooses the stored name."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        from django.utils import timezone

        ext = PurePath(filename).suffix.lower().lstrip(".")[:8] or "bin"
        now = timezone.now()
        return f"{self.folder}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{get_valid_filename(ext)}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.folder == self.folder


def detect_kind(head: bytes) -> str | None:
    """Return the allowed kind of a file from its first bytes, or None when it is not allowed."""
    if not head or head.lstrip().startswith(MARKUP_PREFIXES):
        return None
    kind = filetype.guess(head)
    if kind is None:
        return None
    extension = "jpg" if kind.extension == "jpeg" else kind.extension
    # OLE2 documents (.xls, old .doc) share one signature; accept them as spreadsheets.
    if kind.mime in ("application/x-ole-storage", "application/msword"):
        extension = "xls"
    return extension if extension in ALLOWED_KINDS else None


@deconstructible
class FileContentValidator:
    """Refuse files over the size cap or whose content is not an allowed kind."""

    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes

    def __call__(self, value):
        max_bytes = self.max_bytes or settings.FILE_UPLOAD_MAX_BYTES
        if value.size > max_bytes:
            raise ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                code="file_too_large",
                params={"size": round(value.size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)},
            )
        position = value.tell() if hasattr(value, "tell") else 0
        value.seek(0)
        head = value.read(8192)
        value.seek(position)
        if detect_kind(head) is None:
            raise ValidationError(
                _(
                    "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, WebP), a spreadsheet "
                    "(XLSX, XLS) or a Word document."
                ),
                code="file_type",
            )

    def __eq__(self, other):
        return isinstance(other, FileContentValidator) and other.max_bytes == self.max_bytes


validate_upload = FileContentValidator()


def file_download_response(field_file, *, download_name: str) -> FileResponse:
    """Send a stored file as an attachment with nosniff; 404 when the object has no file."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    ext = PurePath(field_file.name).suffix.lower()
    content_type = mimetypes.types_map.get(ext, "application/octet-stream")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{get_valid_filename(download_name)}{ext}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class ProtectedFileSystemStorage(FileSystemStorage):
    """Uploads on disk, linked only through the permission-checked download view (never a public URL)."""

    def url(self, name):
        return reverse("files:download", kwargs={"name": name})


def _owners_of(name: str):
    """Yield (model, field name) pairs whose files are stored in the folder that `name` starts with."""
    folder = name.split("/", 1)[0]
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if (
                isinstance(model_field, FileField)
                and getattr(model_field.upload_to, "folder", None) == folder
            ):
                yield model, model_field.name


def file_download(request, name: str):
    """Send a stored file to a user who may see the object it belongs to; 404 for anyone else.

    Visibility is the owning model's `visible_to(user)`, the same rule as for the object's pages.
    """
    for model, field_name in _owners_of(name):
        manager = model._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        obj = manager.visible_to(request.user).filter(**{field_name: name}).first()
        if obj is not None:
            return file_download_response(
                getattr(obj, field_name), download_name=f"{model._meta.model_name}-{obj.pk}"
            )
    raise Http404
