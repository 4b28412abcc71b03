from django.db import models
from django.utils.translation import gettext_lazy as _


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
