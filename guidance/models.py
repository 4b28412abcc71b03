"""Guidance (prosess-støtte): agreements per municipality per regional programme, the advisors' session log,
and the municipality's own development plan with every revision kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """The six themes of the pilot's process support ("Hensikt og tematikk")."""

    ANCHORING = "forankring", _("Forankring og begrunnelser")
    STRUCTURE = "struktur", _("Struktur og plan for arbeidet")
    MEETING_METHODS = "motemetodikk", _("Møtemetodikk")
    PROCESS_LEADERSHIP = "prosessledelse", _("Prosessledelse")
    COLLABORATION = "samhandling", _("Samhandling og samskaping")
    PARTICIPATION = "medvirkning", _("Medvirkning")


class SessionForm(models.TextChoices):
    PHYSICAL = "fysisk", _("Fysisk")
    DIGITAL = "digitalt", _("Digitalt")
    PHONE = "telefon", _("Telefon")


class GuidanceAgreement(models.Model):
    """The individual agreement (veiledningsavtale) between one municipality and the programme."""

    regional_program = models.ForeignKey(
        "programs.RegionalProgram",
        verbose_name=_("regionalt program"),
        related_name="guidance_agreements",
        on_delete=models.PROTECT,
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        related_name="guidance_agreements",
        on_delete=models.PROTECT,
    )
    advisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("veiledere"),
        related_name="guidance_agreements",
        blank=True,
    )
    agreed_hours = models.DecimalField(
        _("avtalte timer"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999"))],
    )
    starts_on = models.DateField(_("gjelder fra"))
    ends_on = models.DateField(_("gjelder til"))
    focus_themes = models.JSONField(_("tema i avtalen"), default=list, blank=True)
    agreement_text = models.TextField(_("avtaletekst"), blank=True)
    # Contact persons on both sides: the municipality's and Norsk kulturskoleråd's.
    municipal_contact_name = models.CharField(_("kontaktperson i kommunen"), max_length=200, blank=True)
    municipal_contact_email = models.EmailField(_("e-post til kontaktpersonen i kommunen"), blank=True)
    municipal_contact_phone = models.CharField(
        _("telefon til kontaktpersonen i kommunen"), max_length=40, blank=True
    )
    council_contact_name = models.CharField(
        _("kontaktperson i Norsk kulturskoleråd"), max_length=200, blank=True
    )
    council_contact_email = models.EmailField(
        _("e-post til kontaktpersonen i Norsk kulturskoleråd"), blank=True
    )
    # Optional per agreement: the coordinator gets a reminder with a calendar entry before each session.
    remind_coordinator = models.BooleanField(
        _("send koordinator påminnelse med kalenderoppføring før neste møte"), default=False
    )
    declined_on = models.DateField(_("kommunen takket nei"), null=True, blank=True)
    declined_note = models.TextField(_("merknad til avslaget"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["regional_program", "municipality__name"]
        verbose_name = _("veiledningsavtale")
        verbose_name_plural = _("veiledningsavtaler")
        constraints = [
            models.UniqueConstraint(
                fields=["regional_program", "municipality"], name="unique_guidance_agreement"
            ),
            models.CheckConstraint(
                name="guidance_agreement_period_order", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.regional_program}"

    @property
    def is_declined(self) -> bool:
        return self.declined_on is not None

    @property
    def agreed_minutes(self) -> int:
        return int(self.agreed_hours * 60)

    def focus_theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels[t]) for t in self.focus_themes if t in labels]

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class DevelopmentPlan(models.Model):
    """The municipality's development plan in one regional programme; its content lives in its revisions."""

    regional_program = models.ForeignKey(
        "programs.RegionalProgram",
        verbose_name=_("regionalt program"),
        related_name="development_plans",
        on_delete=models.PROTECT,
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        related_name="development_plans",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["regional_program", "municipality__name"]
        verbose_name = _("utviklingsplan")
        verbose_name_plural = _("utviklingsplaner")
        constraints = [
            models.UniqueConstraint(
                fields=["regional_program", "municipality"], name="unique_development_plan"
            )
        ]

    def __str__(self) -> str:
        return str(_("Utviklingsplan for %(municipality)s") % {"municipality": self.municipality})


class DevelopmentPlanRevision(models.Model):
    """One version of the plan, never changed after it is written: a revision is a new row."""

    plan = models.ForeignKey(DevelopmentPlan, related_name="revisions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("versjon"))
    where_we_are = models.TextField(_("Hvor er vi?"))
    where_we_want_to_go = models.TextField(_("Hvor vil vi?"))
    how_we_get_there = models.TextField(_("Hvordan kommer vi oss dit?"))
    development_areas = models.TextField(_("utviklingsområder"), blank=True)
    effect_goals = models.TextField(_("effektmål"), blank=True)
    change_note = models.CharField(_("hva er endret"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("versjon av utviklingsplanen")
        verbose_name_plural = _("versjoner av utviklingsplanen")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_revision_number")]

    def __str__(self) -> str:
        return str(_("Versjon %(number)s") % {"number": self.number})


class DevelopmentPlanComment(models.Model):
    """An advisor's (or leadership's) comment on a revision of the plan; the municipality reads it."""

    revision = models.ForeignKey(DevelopmentPlanRevision, related_name="comments", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    text = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar til utviklingsplanen")
        verbose_name_plural = _("kommentarer til utviklingsplanen")

    def __str__(self) -> str:
        return str(_("Kommentar til %(revision)s") % {"revision": self.revision})


class GuidanceSession(models.Model):
    """One guidance session (veiledningsmøte) logged by an advisor under an agreement."""

    agreement = models.ForeignKey(
        GuidanceAgreement, verbose_name=_("avtale"), related_name="sessions", on_delete=models.PROTECT
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("veileder"),
        related_name="guidance_sessions",
        on_delete=models.SET_NULL,
        null=True,
    )
    held_on = models.DateField(_("dato"))
    duration_minutes = models.PositiveIntegerField(
        _("varighet (minutter)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    form = models.CharField(_("form"), max_length=10, choices=SessionForm.choices)
    # How many themes the session has; its time is split equally between them in the per-theme sums.
    theme_count = models.PositiveSmallIntegerField(default=1, editable=False)
    participants = models.ManyToManyField(
        "programs.MunicipalGroupMember",
        verbose_name=_("deltakere fra kommunegruppen"),
        related_name="guidance_sessions",
        blank=True,
    )
    other_participants = models.TextField(_("andre deltakere"), blank=True)
    summary = models.TextField(_("oppsummering (deles med kommunen)"))
    # Only advisors and leadership ever see this: never on a municipality's page, export, e-mail or log.
    internal_note = models.TextField(_("internt notat"), blank=True)
    next_steps = models.TextField(_("avtalte neste steg"), blank=True)
    next_session_at = models.DateTimeField(_("neste møte"), null=True, blank=True)
    plan_revision = models.ForeignKey(
        DevelopmentPlanRevision,
        verbose_name=_("knyttet til utviklingsplanen"),
        related_name="sessions",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("veiledningsmøte")
        verbose_name_plural = _("veiledningsmøter")
        indexes = [
            models.Index(fields=["agreement", "held_on"]),
            models.Index(fields=["next_session_at"]),
        ]

    def __str__(self) -> str:
        # Kept as the object's name in the audit log: no summary and never the internal note.
        return str(
            _("Veiledningsmøte %(date)s – %(municipality)s")
            % {"date": f"{self.held_on:%d.%m.%Y}", "municipality": self.agreement.municipality}
        )

    @property
    def hours(self) -> Decimal:
        return minutes_to_hours(self.duration_minutes)

    @property
    def participants_list(self) -> list:
        """The group members picked as participants (prefetched by the selectors)."""
        return list(self.participants.all())


class GuidanceSessionTheme(models.Model):
    """One theme of a session, as a row so that hours per theme are summed in the database."""

    session = models.ForeignKey(GuidanceSession, related_name="theme_rows", on_delete=models.CASCADE)
    theme = models.CharField(max_length=20, choices=Theme.choices)

    class Meta:
        ordering = ["session", "theme"]
        constraints = [models.UniqueConstraint(fields=["session", "theme"], name="unique_session_theme")]

    def __str__(self) -> str:
        return self.get_theme_display()


def minutes_to_hours(minutes: int | float | None) -> Decimal:
    """Minutes as hours with one decimal (90 → 1.5), rounded half up, as the pages and exports show them."""
    from decimal import ROUND_HALF_UP

    return (Decimal(minutes or 0) / Decimal(60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
