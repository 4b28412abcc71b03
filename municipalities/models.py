from django.db import models
from django.utils.translation import gettext_lazy as _


class CountyBranch(models.Model):
    """A county branch (fylkesavdeling) of Norsk kulturskoleråd; covers the counties that point to it."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    email = models.EmailField(_("e-post"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fylkesavdeling")
        verbose_name_plural = _("fylkesavdelinger")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return branch_short_name(self.name)


def branch_short_name(name: str) -> str:
    """A branch's name without the organisation's (for tables that load the name alone)."""
    return name.removeprefix("Norsk kulturskoleråd ").strip()


class County(models.Model):
    number = models.CharField(_("fylkesnummer"), max_length=2, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    parallel_names = models.CharField(_("parallelle navn"), max_length=200, blank=True)
    # One branch per county: moving a county to another branch is one edit.
    branch = models.ForeignKey(
        CountyBranch,
        verbose_name=_("fylkesavdeling"),
        related_name="counties",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    number = models.CharField(_("kommunenummer"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    county = models.ForeignKey(
        County, verbose_name=_("fylke"), related_name="municipalities", on_delete=models.PROTECT
    )
    parallel_names = models.CharField(_("parallelle navn"), max_length=200, blank=True)
    is_member = models.BooleanField(_("medlemskommune"), default=True)
    email = models.EmailField(_("e-post (kulturskolen)"), blank=True)

    class Meta:
        ordering = ["name", "number"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name
