import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone


class Program(models.Model):
    """One edition (programperiode) of Fremtidens kulturskole – regionale program."""

    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn i lenker"), max_length=80, unique=True)
    invitation_text = models.TextField(_("invitasjonstekst"), blank=True)
    interest_deadline = models.DateTimeField(_("frist for interessemelding"))
    start_semester = models.CharField(
        _("første semester"), max_length=40, blank=True, help_text=_("F.eks. «høst 2025»")
    )
    contact_email = models.EmailField(_("kontaktadresse"), blank=True)
    is_published = models.BooleanField(_("publisert"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-interest_deadline", "name"]
        verbose_name = _("programperiode")
        verbose_name_plural = _("programperioder")

    def __str__(self) -> str:
        return self.name


class RegionalProgram(models.Model):
    """One region of an edition: one branch or several together, set up after the county annual meetings."""

    program = models.ForeignKey(
        Program, verbose_name=_("programperiode"), related_name="regional_programs", on_delete=models.PROTECT
    )
    name = models.CharField(_("navn"), max_length=200)
    branches = models.ManyToManyField(
        "municipalities.CountyBranch", verbose_name=_("fylkesavdelinger"), related_name="regional_programs"
    )
    # The application window (issue: municipal applications) lives here because it is per region.
    applications_open_at = models.DateTimeField(_("søknader åpner"), null=True, blank=True)
    application_deadline = models.DateTimeField(_("søknadsfrist"), null=True, blank=True)
    places = models.PositiveIntegerField(_("antall plasser"), null=True, blank=True)
    applicant_guidance = models.TextField(_("veiledning til søkere"), blank=True)
    # When the jury's reviews are due: told to each jury member with their applications.
    review_deadline = models.DateTimeField(_("frist for vurderingene"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "name"]
        verbose_name = _("regionalt program")
        verbose_name_plural = _("regionale program")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="unique_regional_program_name")
        ]

    def __str__(self) -> str:
        return self.name


class InterestLevel(models.TextChoices):
    YES = "yes", _("Ja, vi vil delta")
    MAYBE = "maybe", _("Kanskje, vi vil vite mer")
    NO = "no", _("Ikke denne gangen")


class InterestRegistration(models.Model):
    """A county branch's interest registration (interessemelding) for one edition; one per branch per edition."""

    program = models.ForeignKey(
        Program,
        verbose_name=_("programperiode"),
        related_name="interest_registrations",
        on_delete=models.CASCADE,
    )
    branch = models.ForeignKey(
        "municipalities.CountyBranch",
        verbose_name=_("fylkesavdeling"),
        related_name="interest_registrations",
        on_delete=models.PROTECT,
    )
    level = models.CharField(_("interesse"), max_length=10, choices=InterestLevel.choices)
    municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        verbose_name=_("medlemskommuner som forventes å delta"),
        related_name="interest_registrations",
        blank=True,
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    contact_email = models.EmailField(_("e-post til kontaktperson"))
    contact_phone = models.CharField(
        _("telefon til kontaktperson"), max_length=40, blank=True, validators=[validate_phone]
    )
    dialogue_meeting_wanted = models.BooleanField(_("vi ønsker et dialogmøte"), default=False)
    dialogue_meeting_times = models.TextField(_("forslag til tidspunkt for dialogmøte"), blank=True)
    dialogue_meeting_topic = models.TextField(_("tema for dialogmøtet"), blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sist endret av"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # Optimistic concurrency: the form carries the version it was opened with; a stale one is refused.
    version = models.PositiveIntegerField(_("versjon"), default=1)

    class Meta:
        ordering = ["program", "branch__name"]
        verbose_name = _("interessemelding")
        verbose_name_plural = _("interessemeldinger")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "branch"], name="unique_interest_registration_per_branch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} – {self.program}"


class InterestDeadlineExtension(models.Model):
    """Leadership's extension of the interest deadline for one branch."""

    program = models.ForeignKey(
        Program,
        verbose_name=_("programperiode"),
        related_name="deadline_extensions",
        on_delete=models.CASCADE,
    )
    branch = models.ForeignKey(
        "municipalities.CountyBranch",
        verbose_name=_("fylkesavdeling"),
        related_name="interest_deadline_extensions",
        on_delete=models.CASCADE,
    )
    deadline = models.DateTimeField(_("ny frist"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gitt av"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("gitt"), auto_now_add=True)

    class Meta:
        ordering = ["program", "branch__name"]
        verbose_name = _("forlenget frist")
        verbose_name_plural = _("forlengede frister")
        constraints = [
            models.UniqueConstraint(fields=["program", "branch"], name="unique_deadline_extension_per_branch")
        ]

    def __str__(self) -> str:
        # Oslo time: this text is kept as the object's name in the audit log.
        return f"{self.branch} – {timezone.localtime(self.deadline):%d.%m.%Y %H:%M}"


class DialogueMeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Ønsket")
    SCHEDULED = "scheduled", _("Avtalt")
    CANCELLED = "cancelled", _("Avlyst")


class DialogueMeeting(models.Model):
    """A dialogue meeting (dialogmøte) asked for by a branch or another actor, scheduled by leadership."""

    program = models.ForeignKey(
        Program, verbose_name=_("programperiode"), related_name="dialogue_meetings", on_delete=models.CASCADE
    )
    branch = models.ForeignKey(
        "municipalities.CountyBranch",
        verbose_name=_("fylkesavdeling"),
        related_name="dialogue_meetings",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    # When the meeting is for someone other than a branch (a municipality, a partner).
    requester_name = models.CharField(_("ønsket av (annen aktør)"), max_length=200, blank=True)
    topic = models.TextField(_("tema"), blank=True)
    suggested_times = models.TextField(_("forslag til tidspunkt"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DialogueMeetingStatus.choices,
        default=DialogueMeetingStatus.REQUESTED,
    )
    starts_at = models.DateTimeField(_("tidspunkt"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("varighet (minutter)"), default=60)
    location = models.CharField(_("sted"), max_length=300, blank=True)
    video_link = models.URLField(_("videolenke"), max_length=500, blank=True)
    participants = models.TextField(_("deltakere"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avtalt av"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("ønsket"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        ordering = ["program", "starts_at", "created_at"]
        verbose_name = _("dialogmøte")
        verbose_name_plural = _("dialogmøter")

    def __str__(self) -> str:
        return str(_("Dialogmøte med %(who)s") % {"who": self.counterpart})

    @property
    def counterpart(self) -> str:
        return self.branch.short_name if self.branch_id else self.requester_name

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes) if self.starts_at else None


class AnnualMeetingDecision(models.Model):
    """The county annual meeting's decision on taking part, recorded by the branch's board."""

    program = models.ForeignKey(
        Program,
        verbose_name=_("programperiode"),
        related_name="annual_meeting_decisions",
        on_delete=models.CASCADE,
    )
    branch = models.ForeignKey(
        "municipalities.CountyBranch",
        verbose_name=_("fylkesavdeling"),
        related_name="annual_meeting_decisions",
        on_delete=models.PROTECT,
    )
    meeting_date = models.DateField(_("dato for årsmøtet"))
    participates = models.BooleanField(_("fylkesavdelingen deltar"))
    comment = models.TextField(_("kommentar"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrert av"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        ordering = ["program", "branch__name"]
        verbose_name = _("årsmøtevedtak")
        verbose_name_plural = _("årsmøtevedtak")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "branch"], name="unique_annual_meeting_decision_per_branch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} – {self.meeting_date:%d.%m.%Y}"


class Sector(models.TextChoices):
    KULTURSKOLE = "kulturskole", _("Kulturskole")
    SKOLE = "skole", _("Skole")
    BARNEHAGE = "barnehage", _("Barnehage")
    SFO = "sfo", _("SFO")
    POLITISK = "politisk_ledelse", _("Politisk ledelse")
    ADMINISTRASJON = "administrasjon", _("Administrasjon")
    FRIVILLIGHET = "frivillighet", _("Frivillighet")
    ANNET = "annet", _("Annet")


class GroupMemberBase(models.Model):
    """A person in a municipal group: the proposed members of an application and the members of the
    group share these fields and the rule of one coordinator (a partial unique constraint in each)."""

    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    sector = models.CharField(_("sektor/rolle"), max_length=32, choices=Sector.choices)
    role_title = models.CharField(_("stilling"), max_length=200, blank=True)
    is_coordinator = models.BooleanField(_("koordinator"), default=False)

    FIELDS = ("name", "email", "phone", "sector", "role_title", "is_coordinator")

    class Meta:
        abstract = True
        ordering = ["-is_coordinator", "name", "id"]

    def __str__(self) -> str:
        return self.name


class MunicipalGroup(models.Model):
    """The municipality's group (kommunegruppe) in a regional programme: its participants. Created when
    its application is accepted (the application links to it)."""

    regional_program = models.ForeignKey(
        RegionalProgram, related_name="municipal_groups", on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality", related_name="municipal_groups", on_delete=models.PROTECT
    )
    coordinator_name = models.CharField(_("koordinator"), max_length=200, blank=True)
    coordinator_email = models.EmailField(_("koordinatorens e-post"), blank=True)
    coordinator_phone = models.CharField(_("koordinatorens telefon"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["regional_program", "municipality__name"]
        verbose_name = _("kommunegruppe")
        verbose_name_plural = _("kommunegrupper")
        constraints = [
            models.UniqueConstraint(
                fields=["regional_program", "municipality"], name="unique_municipal_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.regional_program}"


class MunicipalGroupMember(GroupMemberBase):
    group = models.ForeignKey(MunicipalGroup, related_name="members", on_delete=models.CASCADE)

    class Meta(GroupMemberBase.Meta):
        verbose_name = _("medlem av kommunegruppen")
        verbose_name_plural = _("medlemmer av kommunegruppen")
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(is_coordinator=True), name="one_coordinator_per_group"
            )
        ]
