"""Uploaded files: server-chosen names, a content check against an allowlist and a size cap, and
permission-checked downloads. Every FileField in the project uses these three pieces."""

import uuid
import zipfile
from pathlib import PurePosixPath

import filetype
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
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
# Office documents are zip archives: one that would inflate past these limits (a "zip bomb") is refused by
# what its directory declares, before anyone (a spreadsheet viewer, a virus scanner) unpacks it.
ZIP_KINDS = frozenset({"xlsx", "docx"})
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
ZIP_MAX_MEMBERS = 5_000
ZIP_MAX_RATIO = 200  # for members over 1 MB unpacked; real XML compresses 5-50 times
ZIP_RATIO_FROM_BYTES = 1024 * 1024
HEAD_BYTES = 8192
# Kinds a caller may ask for on top of the allowlist (check_upload(kinds=...)): plain-text CSV has no signature
# to sniff, so it is accepted only where a caller asks for it (the spreadsheet import), never as a document.
TEXT_KINDS = {"csv": "text/csv"}

FILE_TYPE_MESSAGE = _(
    "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, WebP), a spreadsheet "
    "(XLSX, XLS) or a Word document."
)


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


def _looks_like_csv(head: bytes) -> bool:
    """Return whether a file's first bytes read as UTF-8 text without control characters (a CSV, say)."""
    if not head or b"\x00" in head or head.lstrip().startswith(MARKUP_PREFIXES):
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The head may cut a multi-byte character in two: only an error at its very end is forgiven.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8-sig", errors="strict")
    return not any(ord(c) < 32 and c not in "\t\r\n" for c in text)


def _read_head(value) -> bytes:
    """Return the first bytes of a file, leaving its position where it was."""
    position = value.tell() if hasattr(value, "tell") else 0
    value.seek(0)
    head = value.read(HEAD_BYTES)
    value.seek(position)
    return head


def _check_zip(value) -> None:
    """Refuse an Office archive that is damaged or would unpack to far more than it weighs."""
    position = value.tell() if hasattr(value, "tell") else 0
    value.seek(0)
    try:
        with zipfile.ZipFile(value) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("This document is damaged and cannot be read."), code="file_damaged") from exc
    finally:
        value.seek(position)
    # A macro-enabled workbook or document (.xlsm, .docm) renamed to .xlsx/.docx still carries its VBA project.
    if any(member.filename.lower().endswith("vbaproject.bin") for member in members):
        raise ValidationError(
            _(
                "This document contains macros; save it without macros (as .xlsx or .docx) and upload it again."
            ),
            code="file_macros",
        )
    unpacked = sum(member.file_size for member in members)
    absurd = any(
        member.file_size > ZIP_RATIO_FROM_BYTES
        and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > ZIP_MAX_MEMBERS or unpacked > ZIP_MAX_UNCOMPRESSED_BYTES or absurd:
        raise ValidationError(
            _("This document unpacks to far more data than it holds (over %(limit)s MB); it is refused."),
            code="file_zip_bomb",
            params={"limit": ZIP_MAX_UNCOMPRESSED_BYTES // 1_048_576},
        )


def _check_name(name: str) -> None:
    """Refuse an uploader's file name that tries to name a folder (the stored name is ours anyway)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or len(parts) > 1 or ".." in parts or any(ord(c) < 32 for c in name):
        raise ValidationError(
            _("The file name may not contain a folder path or control characters."), code="file_name"
        )


def check_upload(
    value,
    *,
    max_bytes: int | None = None,
    check_name: bool = True,
    kinds: frozenset[str] | None = None,
    kinds_message=None,
) -> str:
    """Return the allowed kind of an uploaded file, or raise ValidationError with the reason it is refused.

    The one check every upload goes through: the size cap, the uploader's name, the content sniffed from the
    bytes against the allowlist, and for Office archives the unpacked size and the absence of macros.
    `kinds` narrows the allowlist for one caller (and may add a TEXT_KINDS kind such as "csv"); a file of
    another kind is refused with `kinds_message`.
    """
    max_bytes = max_bytes or settings.FILE_UPLOAD_MAX_BYTES
    if value.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": round(value.size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)},
        )
    if check_name and getattr(value, "name", None):
        _check_name(value.name)
    head = _read_head(value)
    kind = detect_kind(head)
    if kind is None and kinds and "csv" in kinds and _looks_like_csv(head):
        kind = "csv"
    if kind is None or (kinds is not None and kind not in kinds):
        raise ValidationError(kinds_message or FILE_TYPE_MESSAGE, code="file_type")
    if kind in ZIP_KINDS:
        _check_zip(value)
    return kind


@deconstructible
class UploadTo:
    """Store a file as <folder>/<yyyy>/<mm>/<uuid>.<kind>: the uploader chooses neither the name nor the extension.

    The extension is the kind sniffed from the content, and the content is checked again here, as the file is
    written: a code path that forgot to validate (a service without full_clean) still stores nothing unchecked.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        from django.utils import timezone

        now = timezone.now()
        return f"{self.folder}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{self._kind_of(instance)}"

    def _kind_of(self, instance) -> str:
        """Return the sniffed kind of the file being saved into the field of `instance` that uses this folder.

        Raises ValidationError when the content is not allowed (the validator should have said so first).
        """
        for model_field in instance._meta.concrete_fields:
            if isinstance(model_field, FileField) and model_field.upload_to == self:
                try:
                    content = getattr(instance, model_field.attname).file
                except ValueError:  # FieldFile.save(name, content) on an empty field: the storage checks it
                    return "bin"
                # The uploader's name was checked by the validator; Django passes us its basename.
                return check_upload(content, check_name=False)
        raise ImproperlyConfigured(f"No file field of {type(instance).__name__} stores into {self.folder!r}.")

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


# What a phone offers for an upload: the camera or the photo library (images) and files (PDF). The server still
# checks the bytes (check_upload): `accept` only steers the phone's chooser.
PHOTO_OR_PDF = "image/*,application/pdf"


class PhotoOrPdfInput(forms.ClearableFileInput):
    """A file input that offers a phone's camera and PDFs; `camera=True` opens the rear camera at once.

    The camera at once suits evidence photographed on the factory floor; a lab report is more often a PDF, so
    there the phone's chooser (which also offers the camera) opens instead.
    """

    def __init__(self, attrs=None, *, camera: bool = False):
        defaults = {"accept": PHOTO_OR_PDF} | ({"capture": "environment"} if camera else {})
        super().__init__(defaults | (attrs or {}))


@deconstructible
class FileContentValidator:
    """Refuse files over the size cap, with a folder in their name, or whose content is not an allowed kind."""

    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes

    def __call__(self, value):
        # A file already stored under our own name (a row edited later) was checked when it was written.
        check_upload(value, max_bytes=self.max_bytes, check_name=not _is_stored(value))

    def __eq__(self, other):
        return isinstance(other, FileContentValidator) and other.max_bytes == self.max_bytes


def _is_stored(value) -> bool:
    return bool(getattr(value, "_committed", False))


validate_upload = FileContentValidator()


def file_download_response(field_file, *, download_name: str) -> FileResponse:
    """Send a stored file as an attachment with nosniff; 404 when the object has no file.

    The Content-Type comes from the stored bytes (a file stored before the checks existed goes out as
    application/octet-stream), never from a name.
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    kind = detect_kind(_read_head(handle))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{get_valid_filename(download_name)}.{kind or 'bin'}",
        content_type=ALLOWED_KINDS.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Write an upload to a temporary file only up to the size cap, and count the rest without keeping it.

    Django has no limit on a file's size; without this a 10 GB upload would fill the disk before the validator
    refused it. The file's size stays the size sent, so the validator still answers with a clear message.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data, start):
        if self.kept > settings.FILE_UPLOAD_MAX_BYTES:
            return None  # over the cap already: the rest is counted by the parser, not written
        self.kept += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


class ProtectedFileSystemStorage(FileSystemStorage):
    """Uploads on disk, linked only through the permission-checked download view (never a public URL).

    Every write is checked here as well, the last door before the disk: content that is not an allowed kind,
    or over the cap, is never stored, and the stored name ends in the sniffed kind, whatever path led here.
    """

    def save(self, name, content, max_length=None):
        kind = check_upload(content, check_name=False)
        name = str(PurePosixPath(name).with_suffix(f".{kind}"))
        return super().save(name, content, max_length=max_length)

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
