"""Which uploaded files may be attached to a message.

The type is read from the file's first bytes (``filetype``), never trusted from the
name or the browser: a document or an image of an allowed type, whose name agrees
with what it is, within the size limit. SVG is refused outright (it can carry
script), and so are office files with macros and anything executable.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# sniffed extension -> (MIME type, file-name extensions that may carry it)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "png": ("image/png", {"png"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "gif": ("image/gif", {"gif"}),
    "webp": ("image/webp", {"webp"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"docx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {"pptx"},
    ),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"ods"}),
}
TEXT_EXTENSIONS = {"txt": "text/plain", "csv": "text/csv"}
IMAGES = {"png", "jpg", "gif", "webp"}
OFFICE = {"docx", "xlsx", "pptx", "odt", "ods"}


class AttachmentRefused(ValueError):
    """The file cannot be attached; ``str()`` says why, in the reader's language."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # a multi-byte character cut at the end of the sample is still text
        return error.start >= len(head) - 3
    return True


def _has_macros(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n.lower() for n in archive.namelist()]
    except zipfile.BadZipFile:
        return True
    return any("vbaproject" in n or n.startswith("basic/") or n.endswith(".bin") for n in names)


def check_upload(name: str, data: bytes) -> CheckedFile:
    """Return what the file is, or raise ``AttachmentRefused``."""
    limit = settings.EXCHANGES_ATTACHMENT_MAX_BYTES
    if len(data) > limit:
        raise AttachmentRefused(
            _("Le fichier « %(name)s » dépasse %(size)s Mo.")
            % {"name": name, "size": limit // (1024 * 1024)}
        )
    if not data:
        raise AttachmentRefused(_("Le fichier « %(name)s » est vide.") % {"name": name})
    extension = _extension(name)
    kind = filetype.guess(data[:8192])
    if kind is None:
        if extension in TEXT_EXTENSIONS and _looks_like_text(data[:8192]):
            return CheckedFile(name, TEXT_EXTENSIONS[extension], len(data))
        raise AttachmentRefused(_refusal(name))
    sniffed = kind.extension
    if sniffed not in ALLOWED or extension not in ALLOWED[sniffed][1]:
        raise AttachmentRefused(_refusal(name))
    if sniffed in IMAGES:
        try:
            Image.open(io.BytesIO(data)).verify()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            Image.DecompressionBombError,
        ) as error:
            raise AttachmentRefused(_refusal(name)) from error
    if sniffed in OFFICE and _has_macros(data):
        raise AttachmentRefused(_refusal(name))
    return CheckedFile(name, ALLOWED[sniffed][0], len(data))


def _refusal(name: str) -> str:
    return _(
        "« %(name)s » n'est pas accepté : seuls les documents (PDF, Word, Excel, "
        "OpenDocument, texte) et les images (PNG, JPEG, GIF, WebP) sans macro ni script "
        "peuvent être joints."
    ) % {"name": name}
