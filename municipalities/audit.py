"""This app's action codes in the audit log (see `audit.registry`)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register(
    "municipalities",
    area=_("Fylkesavdelinger og kommuner"),
    actions={
        "municipalities.reference_data.loaded": _("Referansedata lastet"),
        "municipalities.branch.created": _("Fylkesavdeling opprettet"),
        "municipalities.branch.updated": _("Fylkesavdeling endret"),
        "municipalities.county.moved": _("Fylke flyttet til en annen fylkesavdeling"),
        "municipalities.municipality.updated": _("Kommune endret"),
    },
)
