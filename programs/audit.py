"""This app's action codes in the audit log (see `audit.registry`)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import Action, register

GROUP_MEMBER = "programs.MunicipalGroupMember"

register(
    "programs",
    area=_("Program og interessemeldinger"),
    actions={
        "programs.program.created": _("Programperiode opprettet"),
        "programs.program.updated": _("Programperiode endret"),
        "programs.program.published": _("Programperiode publisert"),
        "programs.program.unpublished": _("Programperiode avpublisert"),
        "programs.interest_registration.created": _("Interessemelding registrert"),
        "programs.interest_registration.updated": _("Interessemelding endret"),
        "programs.interest_deadline_extension.granted": _("Ny frist for interessemelding gitt"),
        "programs.dialogue_meeting.requested": _("Dialogmøte ønsket"),
        "programs.dialogue_meeting.scheduled": _("Dialogmøte avtalt"),
        "programs.dialogue_meeting.cancelled": _("Dialogmøte avlyst"),
        "programs.annual_meeting_decision.recorded": _("Årsmøtevedtak registrert"),
        "programs.regional_program.created": _("Regionalt program opprettet"),
        "programs.municipal_group.created": _("Kommunegruppe opprettet"),
        "programs.municipal_group.member_added": Action(
            _("Medlem lagt til i kommunegruppen"), model=GROUP_MEMBER
        ),
        "programs.municipal_group.member_updated": Action(
            _("Medlem i kommunegruppen endret"), model=GROUP_MEMBER
        ),
        "programs.municipal_group.member_removed": Action(
            _("Medlem fjernet fra kommunegruppen"), model=GROUP_MEMBER
        ),
    },
    keys={
        "interest_deadline": _("Frist for interessemelding"),
        "requester_name": _("Ønsket av"),
        "members": _("Medlemmer"),
    },
)
