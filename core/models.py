"""Pieces that several apps' models share: abstract bases, a model's own validation for services, the one table every form's draft recovery uses,
and the one table of secret calendar addresses (`CalendarFeed`, whose kinds the apps declare in
`<app>/feeds.py`, see `core.feeds`)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def model_validate(instance: models.Model, **full_clean_kwargs) -> None:
    """A service checks a row against its model (`full_clean`) before saving: a refusal comes out as
    field -> messages, like the service's own refusals, for `core.forms.form_apply_error` to place."""
    try:
        instance.full_clean(**full_clean_kwargs)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


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


class DraftRecovery(models.Model):
    """Text posted after the session had expired, kept until its author signs in again (see core.drafts).

    `form_key` names the form and its object ("applications.application:12"); core never reads it. Nothing
    is applied automatically: the random token travels in the login redirect, and only the person who
    wrote it, signed in again in the same browser, is offered the text.
    """

    form_key = models.CharField(max_length=200)
    # Whose text it is: the person last signed in on the browser that posted it (from a signed cookie),
    # and that browser's random key. Only that person, in that browser, gets it back.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    browser_key = models.CharField(max_length=64)
    token = models.CharField(max_length=64, unique=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "form_key"], name="core_draft_user_form")]

    def __str__(self) -> str:
        return f"{self.form_key}: {self.created_at:%Y-%m-%d %H:%M}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret calendar address one person subscribes to. `kind` names what it holds ("gatherings.region",
    "guidance.advisor" …, declared by the app in `<app>/feeds.py`), `scope_id` the object it is about, if any.

    Revoking keeps the row (`revoked_at`), so the page and the log can say when the address stopped working."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eier"),
        related_name="calendar_feeds",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("type"), max_length=64)
    scope_id = models.PositiveBigIntegerField(_("gjelder (id)"), null=True, blank=True)
    # Kept in clear (like any calendar subscription address): the owner must be able to copy it again.
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    # Not auto_now_add: moving older addresses in keeps the day they were made.
    created_at = models.DateTimeField(_("laget"), default=timezone.now)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "kind"])]
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")

    def __str__(self) -> str:
        from .feeds import feed_label

        return f"{self.owner} – {feed_label(self)}"


class FormSubmission(models.Model):
    """A create form that went through (see core.once): the one-time token its page carried, whose it was, and
    where the object it made is. A second post of the same page (Back, then save again) finds this row and goes
    there instead of making the object twice. Rows are deleted `core.once.KEEP_DAYS` later."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    token = models.CharField(max_length=64)
    # What was posted (core.once.form_fingerprint): Back without JavaScript re-posts it under a new token.
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # Per person: someone else's token (copied, or by chance) is new for me and never leads to their object.
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="core_form_submission_once")]

    def __str__(self) -> str:
        return f"{self.url} ({self.created_at:%Y-%m-%d %H:%M})"
