"""Abstract pieces that several apps' models share. No tables of its own."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def random_upload_path(folder: str, filename: str) -> str:
    """`<folder>/<random>.<ext>`: stored names are random, so nobody can guess another party's file path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{ext}"


class UploadedFile(models.Model):
    """A file someone uploaded: the original name and size for the page, who and when for the log.

    Each concrete model declares `file` with its own `upload_to` (built on `random_upload_path`)."""

    file = models.FileField(_("fil"), max_length=300)
    original_name = models.CharField(_("filnavn"), max_length=255)
    size = models.PositiveIntegerField(_("størrelse"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
