"""This app's action codes in the audit log (see `audit.registry`)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from audit.registry import Action, register


def _scores_named(many: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Review details keep scores per criterion id; show the criteria's names (one query per page)."""
    ids = {
        int(key)
        for details in many
        for key in (details.get("poeng") or details.get("scores") or {})
        if str(key).isdigit()
    }
    criterion = apps.get_model("applications", "SelectionCriterion")
    names = dict(criterion.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    readable = []
    for details in many:
        key = "scores" if "scores" in details else "poeng"
        scores = details.get(key)
        if isinstance(scores, dict):
            scores = {
                (names.get(int(k)) if str(k).isdigit() else None) or _("kriterium %(id)s") % {"id": k}: v
                for k, v in scores.items()
            }
            details = {**details, key: scores}
        readable.append(details)
    return readable


PROPOSED_MEMBER = "applications.ApplicationGroupMember"

register(
    "applications",
    area=_("Søknader og opptak"),
    actions={
        "applications.application.created": _("Søknad påbegynt"),
        "applications.application.draft_saved": _("Søknadsutkast lagret"),
        "applications.application.submitted": _("Søknad sendt inn"),
        "applications.application.submitted_updated": _("Innsendt søknad endret"),
        "applications.application.withdrawn": _("Søknad trukket"),
        "applications.application.recommended": _("Anbefaling fra fylkesavdelingen"),
        "applications.application.decided": _("Vedtak fattet"),
        "applications.attachment.added": _("Vedlegg lagt til"),
        "applications.attachment.removed": _("Vedlegg fjernet"),
        "applications.criterion.created": _("Kriterium opprettet"),
        "applications.criterion.updated": _("Kriterium endret"),
        "applications.criterion.deleted": _("Kriterium slettet"),
        "applications.deadline_extension.granted": _("Utsatt søknadsfrist gitt"),
        "applications.deadline_extension.revoked": _("Utsatt søknadsfrist trukket tilbake"),
        "applications.group_member.added": Action(
            _("Medlem lagt til i den foreslåtte kommunegruppen"), model=PROPOSED_MEMBER
        ),
        "applications.group_member.updated": Action(
            _("Medlem i den foreslåtte kommunegruppen endret"), model=PROPOSED_MEMBER
        ),
        "applications.group_member.removed": Action(
            _("Medlem fjernet fra den foreslåtte kommunegruppen"), model=PROPOSED_MEMBER
        ),
        "applications.review.saved": Action(_("Vurdering lagret"), readable=_scores_named),
        "applications.review.submitted": Action(_("Vurdering levert"), readable=_scores_named),
        "applications.review.conflict_declared": _("Inhabilitet meldt"),
        "applications.jury_assignments.updated": _("Jurytildeling endret"),
        "applications.jury_member.added": _("Jurymedlem lagt til"),
        "applications.jury_member.linked": _("Jurymedlem koblet til bruker"),
        "applications.jury_member.removed": _("Jurymedlem fjernet"),
        "applications.letter_template.saved": _("Brevmal lagret"),
        "applications.personal_data.erased": _("Personopplysninger slettet"),
        "applications.window.updated": _("Søknadsvindu endret"),
    },
    keys={
        "poeng": _("Poeng"),
        "scores": _("Poeng"),
        "vekt": _("Vekt"),
        "på_nytt": _("Sendt inn på nytt"),
        "før_fristen": _("Før fristen"),
        "over_kapasitet": _("Over kapasiteten"),
        "inhabil": _("Inhabil"),
        "rader": _("Rader endret"),
        "resubmission": _("Sendt inn på nytt"),
        "before_deadline": _("Før fristen"),
        "over_capacity": _("Over kapasiteten"),
        "outcome": _("Vedtak"),
        "invited": _("Invitert"),
        "assigned": _("Tildelt søknader"),
        "removed": _("Fjernet fra søknader"),
        "new": _("Ny"),
        "bytes": _("Størrelse (byte)"),
        "review_deadline": _("Frist for vurderingene"),
        "notified": _("Varslet"),
    },
)
