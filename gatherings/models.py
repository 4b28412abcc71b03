"""Semesters, gatherings, registrations and between-work hand-ins of a regional programme. Calendar feeds are
`core.models.CalendarFeed` (kinds in `gatherings/feeds.py`).

Municipal groups belong to the regional programme (`programs.MunicipalGroup`); this app never imports
from `applications`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import UploadedFile, random_upload_path
from core.models import new_feed_token as new_feed_token  # named by migration 0001

# «Samling 4:», «Samling nr. 4 –», «Gathering 4.» at the start of a title (the English is the page's language)
_NUMBER_PREFIX = re.compile(
    r"\s*(?:samling|gathering)\s+(?:nr\.?\s*)?(?P<n>\d+)\s*(?:[:.,–—-]\s*|$)", re.IGNORECASE
)


def number_prefix_removed(title: str, number: int | None) -> str:
    """`title` without a leading «Samling 4:» for gathering number 4: the number is put in front of the title by
    itself (`Gathering.display_title`), so a title typed with it would show it twice."""
    if not number:
        return title
    found = _NUMBER_PREFIX.match(title)
    if found is None or int(found.group("n")) != number:
        return title
    return title[found.end() :]


class Semester(models.Model):
    """One of the three semesters of a regional programme (e.g. «høst 2026»)."""

    regional_program = models.ForeignKey(
        "programs.RegionalProgram",
        verbose_name=_("regionalt program"),
        related_name="semesters",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("navn"), max_length=40, help_text=_("F.eks. «høst 2026»"))
    starts_on = models.DateField(_("første dag"))
    ends_on = models.DateField(_("siste dag"))

    class Meta:
        ordering = ["regional_program", "starts_on"]
        verbose_name = _("semester")
        verbose_name_plural = _("semestre")
        constraints = [
            models.UniqueConstraint(fields=["regional_program", "name"], name="unique_semester_name"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="semester_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GatheringKind(models.TextChoices):
    PRE_GATHERING = "pre", _("Presamling")
    GATHERING = "gathering", _("Samling")
    COORDINATOR = "coordinator", _("Koordinatorsamling")
    DIGITAL = "digital", _("Digitalt møte")


class GatheringStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Planlagt")
    CANCELLED = "cancelled", _("Avlyst")


class Gathering(models.Model):
    """A gathering (samling) of a regional programme: pre-gathering, gathering 1–6, coordinator meeting."""

    regional_program = models.ForeignKey(
        "programs.RegionalProgram",
        verbose_name=_("regionalt program"),
        related_name="gatherings",
        on_delete=models.PROTECT,
    )
    semester = models.ForeignKey(
        Semester,
        verbose_name=_("semester"),
        related_name="gatherings",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("type"), max_length=16, choices=GatheringKind.choices)
    number = models.PositiveSmallIntegerField(_("samling nr."), null=True, blank=True)
    title = models.CharField(_("tittel"), max_length=200)
    theme = models.CharField(_("tema"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    venue = models.CharField(_("sted"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    video_link = models.URLField(_("videolenke"), max_length=500, blank=True)
    host_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("vertskommune"),
        related_name="hosted_gatherings",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    capacity = models.PositiveIntegerField(_("antall plasser"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("påmeldingsfrist"), null=True, blank=True)
    preparation = models.TextField(_("forberedelser"), blank=True)
    between_work = models.TextField(_("mellomarbeid (oppgave)"), blank=True)
    between_work_due = models.DateTimeField(_("frist for mellomarbeid"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GatheringStatus.choices, default=GatheringStatus.SCHEDULED
    )
    cancel_reason = models.TextField(_("grunn til avlysning"), blank=True)
    cancelled_at = models.DateTimeField(_("avlyst"), null=True, blank=True)
    # Calendar entries: the UID never changes; SEQUENCE goes up with every change that attendees see.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("versjon i kalenderen"), default=0)
    needs_erased_at = models.DateTimeField(_("behov slettet"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set by the scheduling services on the gathering they return, how many addresses the notice
    # they queued goes to (None when nothing was sent), so the page can say so.
    notified: int | None = None
    # Not stored either: when the change notice queued goes (it waits so that quick further changes make one
    # notice; None: at once), and whether the change undid a notice still waiting (withdrawn, nothing to tell).
    notice_due_at: dt.datetime | None = None
    notice_withdrawn: bool = False

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("samling")
        verbose_name_plural = _("samlinger")
        indexes = [models.Index(fields=["regional_program", "starts_at"], name="gathering_region_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="gathering_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def display_title(self) -> str:
        if self.kind == GatheringKind.GATHERING and self.number:
            title = number_prefix_removed(self.title, self.number)
            return f"{_('Samling')} {self.number}: {title}" if title else f"{_('Samling')} {self.number}"
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == GatheringStatus.CANCELLED

    @property
    def attendance_opens_on(self):
        """Attendance can be marked from the gathering's start day (Oslo), never ahead of it."""
        return timezone.localdate(self.starts_at)

    def attendance_is_open(self, now=None) -> bool:
        return not self.is_cancelled and timezone.localdate(now or timezone.now()) >= self.attendance_opens_on

    @property
    def is_pre_gathering(self) -> bool:
        return self.kind == GatheringKind.PRE_GATHERING

    @property
    def location_text(self) -> str:
        return ", ".join(p for p in (self.venue, self.address) if p) or self.video_link

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.is_cancelled or now >= self.starts_at:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline


def _gathering_file_path(instance: GatheringFile, filename: str) -> str:
    return random_upload_path(f"gatherings/{instance.gathering_id}", filename)


class GatheringFile(UploadedFile):
    """A file that belongs to a gathering's preparation."""

    gathering = models.ForeignKey(Gathering, related_name="files", on_delete=models.CASCADE)
    file = models.FileField(_("fil"), upload_to=_gathering_file_path, max_length=300)

    class Meta(UploadedFile.Meta):
        verbose_name = _("fil til forberedelsene")
        verbose_name_plural = _("filer til forberedelsene")


class RegistrationStatus(models.TextChoices):
    ATTENDING = "attending", _("Påmeldt")
    WAITLISTED = "waitlisted", _("Venteliste")
    NOT_ATTENDING = "not_attending", _("Kommer ikke")


class Registration(models.Model):
    """One person's answer to one gathering, given by their coordinator (or, for a pre-gathering, by the
    municipality's contact or the branch's board). Name and e-mail are kept on the row: most group members
    have no account, and a pre-gathering comes before any group exists."""

    gathering = models.ForeignKey(Gathering, related_name="registrations", on_delete=models.CASCADE)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("kommune"),
        related_name="gathering_registrations",
        on_delete=models.PROTECT,
    )
    group = models.ForeignKey(
        "programs.MunicipalGroup",
        verbose_name=_("kommunegruppe"),
        related_name="gathering_registrations",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    member = models.ForeignKey(
        "programs.MunicipalGroupMember",
        verbose_name=_("medlem"),
        related_name="gathering_registrations",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    sector = models.CharField(_("sektor/rolle"), max_length=32, blank=True)
    status = models.CharField(_("svar"), max_length=16, choices=RegistrationStatus.choices)
    # Sensitive: shown to leadership only, erased some weeks after the gathering.
    dietary_needs = models.CharField(_("allergier og kosthold"), max_length=500, blank=True)
    accessibility_needs = models.CharField(_("tilrettelegging"), max_length=500, blank=True)
    waitlisted_at = models.DateTimeField(_("satt på venteliste"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("fikk plass fra ventelisten"), null=True, blank=True)
    attended = models.BooleanField(_("møtte"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality__name", "name", "id"]
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "member"],
                condition=models.Q(member__isnull=False),
                name="unique_registration_per_member",
            ),
            models.UniqueConstraint(
                fields=["gathering", "municipality", "email"],
                condition=~models.Q(email=""),
                name="unique_registration_per_email",
            ),
        ]
        indexes = [models.Index(fields=["gathering", "status"], name="registration_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} – {self.gathering.display_title if self.gathering_id else ''}"

    @property
    def has_needs(self) -> bool:
        return bool(self.dietary_needs or self.accessibility_needs)


class HandIn(models.Model):
    """A municipal group's between-work hand-in after a gathering: gjort – lært – lurt.

    A draft until submitted; editing after submission keeps it submitted. Late is recorded, never refused.
    """

    gathering = models.ForeignKey(Gathering, related_name="hand_ins", on_delete=models.CASCADE)
    group = models.ForeignKey(
        "programs.MunicipalGroup",
        verbose_name=_("kommunegruppe"),
        related_name="hand_ins",
        on_delete=models.CASCADE,
    )
    done = models.TextField(_("Gjort – hva vi har gjort"), blank=True)
    learned = models.TextField(_("Lært – hva vi har lært"), blank=True)
    next_steps = models.TextField(_("Lurt – hva som er lurt å gjøre videre"), blank=True)
    shared_with_region = models.BooleanField(_("del med de andre kommunene i regionen"), default=False)
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)
    is_late = models.BooleanField(_("levert etter fristen"), default=False)
    version = models.PositiveIntegerField(_("versjon"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["gathering__starts_at", "group__municipality__name"]
        verbose_name = _("mellomarbeid")
        verbose_name_plural = _("mellomarbeid")
        constraints = [models.UniqueConstraint(fields=["gathering", "group"], name="unique_hand_in")]

    def __str__(self) -> str:
        return f"{self.group.municipality.name if self.group_id else ''} – {self.gathering.display_title}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def _hand_in_file_path(instance: HandInFile, filename: str) -> str:
    return random_upload_path(f"gatherings/hand-ins/{instance.hand_in_id}", filename)


class HandInFile(UploadedFile):
    hand_in = models.ForeignKey(HandIn, related_name="files", on_delete=models.CASCADE)
    file = models.FileField(_("fil"), upload_to=_hand_in_file_path, max_length=300)

    class Meta(UploadedFile.Meta):
        verbose_name = _("vedlegg til mellomarbeid")
        verbose_name_plural = _("vedlegg til mellomarbeid")
