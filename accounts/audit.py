"""This app's action codes in the audit log (see `audit.registry`)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register


def _role_label(code: str) -> str:
    """A role's code in the details («advisor») → its name («Veileder»); older rows hold the name already."""
    from .models import Role

    return str(Role(code).label) if code in Role.values else code


def _app_label(code: str) -> str:
    """An app named in the details of an erasure («applications» → «Søknader og opptak»)."""
    from .privacy import hooks

    return next((str(h.label) for h in hooks() if h.app == code), code)


register(
    "accounts",
    area=_("Personer og roller"),
    actions={
        "accounts.invitation.created": _("Invitasjon sendt"),
        "accounts.invitation.resent": _("Invitasjon sendt på nytt"),
        "accounts.invitation.cancelled": _("Invitasjon trukket tilbake"),
        "accounts.two_factor.enabled": _("To-trinns innlogging slått på"),
        "accounts.two_factor.disabled": _("To-trinns innlogging slått av"),
        "accounts.two_factor.replaced": _("Ny autentiseringsapp satt opp"),
        "accounts.two_factor.recovery_codes_renewed": _("Nye gjenopprettingskoder laget"),
        "accounts.two_factor.reset": _("To-trinns innlogging nullstilt av programledelsen"),
        "accounts.two_factor.recovery_code_used": _("Logget inn med en gjenopprettingskode"),
        "accounts.invitation.accepted": _("Invitasjon tatt i bruk"),
        "accounts.role.added": _("Rolle lagt til"),
        "accounts.role.removed": _("Rolle fjernet"),
        "accounts.role.changed": _("Rolle endret"),
        "accounts.user.deactivated": _("Person deaktivert"),
        "accounts.user.reactivated": _("Person aktivert igjen"),
        "accounts.user.changed": _("Person endret"),
        "accounts.user.created": _("Person opprettet"),
        "accounts.personal_data.exported": _("Personopplysninger eksportert"),
        "accounts.personal_data.erased": _("Person anonymisert"),
    },
    keys={
        "e-post": _("E-post"),
        "eksisterende_person": _("Fantes fra før"),
        "existing_person": _("Fantes fra før"),
        "rollen_fantes": _("Rollen fantes fra før"),
        "role_existed": _("Rollen fantes fra før"),
        "ny_person": _("Ny person"),
        "new_person": _("Ny person"),
        "format": _("Format"),
        "apps": _("Omfatter"),
        "rows": _("Rader endret"),
        "codes_left": _("Gjenopprettingskoder igjen"),
    },
    values={"apps": _app_label, "role": _role_label},
)
