from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .occasions import occasion_label


class DeliveryState(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feilet")
    CANCELLED = "cancelled", _("Avbrutt")
    SKIPPED = "skipped", _("Hoppet over")
    MISSED = "missed", _("For sent")
    # Not sent because a newer message to the same address replaced it (the gathering changed again, or the
    # change was undone): the person is told by the newer one, so this is no «Ikke sendt».
    SUPERSEDED = "superseded", _("Erstattet")


class CancelReason(models.TextChoices):
    # The planner cancels rows that no longer belong to the plan and may plan them again; a person's
    # cancellation is final until someone resends the row.
    PLAN = "plan", _("Gjelder ikke lenger")
    MANUAL = "manual", _("Avbrutt av programledelsen")


# What leadership's «Feilet» and «Ikke sendt» tabs list (reminders.selectors.TABS); each has an index in this
# order, so a page of the newest is read from it instead of sorting every such row.
FAILING = models.Q(state=DeliveryState.FAILED) | models.Q(state=DeliveryState.PLANNED, attempts__gt=0)
NOT_SENT = models.Q(state__in=[DeliveryState.SKIPPED, DeliveryState.MISSED, DeliveryState.CANCELLED])


class Delivery(models.Model):
    """One message to one recipient for one occasion: the outbox row that makes sending exactly-once.

    Immediate messages (receipts, decision letters) are rendered when they are queued and stored here;
    reminders keep a reference in `context` and are rendered when they are sent, after their condition
    has been checked again.
    """

    occasion = models.CharField(_("anledning"), max_length=100)
    key = models.CharField(_("nøkkel"), max_length=200)
    scope = models.CharField(_("planområde"), max_length=100, blank=True, db_index=True)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programperiode"),
        related_name="deliveries",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    recipient_email = models.EmailField(_("mottakers e-post"), max_length=254)
    recipient_name = models.CharField(_("mottakers navn"), max_length=200, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottaker"),
        related_name="deliveries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    planned_at = models.DateTimeField(_("planlagt"))
    next_attempt_at = models.DateTimeField(_("neste forsøk"))
    expires_at = models.DateTimeField(_("for sent etter"), null=True, blank=True)
    queued_at = models.DateTimeField(_("lagt i kø"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PLANNED
    )
    cancel_reason = models.CharField(
        _("grunn til avbrudd"), max_length=16, choices=CancelReason.choices, blank=True
    )
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    # How many times leadership has sent the row again: a resend is a new e-mail with its own Message-ID,
    # and the planner leaves the row's time alone until it is sent.
    resends = models.PositiveIntegerField(_("sendt på nytt"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    template = models.CharField(_("mal"), max_length=200)
    context = models.JSONField(_("innhold (referanse)"), default=dict, blank=True)
    variant = models.CharField(_("variant"), max_length=40, blank=True)
    subject = models.CharField(_("emne"), max_length=300, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("vedlegg"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_at", "id"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "key", "recipient_email"], name="unique_delivery_per_recipient"
            )
        ]
        indexes = [
            # the sweep's due rows, and with the id the «Kommende» tab's order: a page is read, not sorted
            models.Index(fields=["state", "next_attempt_at", "id"], name="delivery_due_idx"),
            models.Index(fields=["occasion", "scope"], name="delivery_plan_idx"),
            # The dashboard counts the planned deliveries being retried; they are few among many planned.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state=DeliveryState.PLANNED, attempts__gt=0),
                name="delivery_retrying_idx",
            ),
            # The dashboard counts what was sent in the last seven days: a range of this index, whatever the years.
            models.Index(
                fields=["sent_at"], condition=models.Q(state=DeliveryState.SENT), name="delivery_sent_idx"
            ),
            models.Index(fields=["updated_at", "id"], condition=FAILING, name="delivery_failing_idx"),
            models.Index(fields=["updated_at", "id"], condition=NOT_SENT, name="delivery_not_sent_idx"),
        ]

    def __str__(self) -> str:
        # Oslo time and the occasion's name: this text is kept as the object's name in the audit log
        return (
            f"{occasion_label(self.occasion)} → {self.recipient_email} "
            f"({timezone.localtime(self.planned_at):%d.%m.%Y %H:%M})"
        )

    @property
    def is_prerendered(self) -> bool:
        return bool(self.subject)


def default_offsets() -> list[int]:
    return [14, 3, 1]


class OccasionSetting(models.Model):
    """Leadership's choices for one occasion in one edition: when to remind, paused or not, own texts."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programperiode"),
        related_name="occasion_settings",
        on_delete=models.CASCADE,
    )
    occasion = models.CharField(_("anledning"), max_length=100)
    offsets_days = models.JSONField(_("dager før fristen"), default=default_offsets)
    paused = models.BooleanField(_("satt på pause"), default=False)
    subject_override = models.CharField(_("eget emne"), max_length=200, blank=True)
    body_override = models.TextField(_("egen innledning"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "occasion"]
        verbose_name = _("innstilling for påminnelse")
        verbose_name_plural = _("innstillinger for påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["program", "occasion"], name="unique_occasion_setting")
        ]

    def __str__(self) -> str:
        return f"{self.program} – {occasion_label(self.occasion)}"
