"""Between-work hand-ins: «Gjort – lært – lurt». Drafts are kept; late hand-ins are marked, never refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.dates import datetime_display
from programs.models import MunicipalGroup

from ..models import Gathering, HandIn, HandInFile
from .files import check_upload

TEXT_FIELDS = ("done", "learned", "next_steps")
# What is kept of a hand-in posted after the session ran out (core.drafts); the version it was typed against
# comes back too, so a save after login cannot overwrite someone else's newer text unseen.
DRAFT_FIELDS = (*TEXT_FIELDS, "shared_with_region", "version")


def hand_in_draft_key(*, gathering_id: int, group_id: int) -> str:
    """The draft recovery form key of one group's hand-in form for one gathering."""
    return f"gatherings.hand_in:{gathering_id}:{group_id}"


class HandInConflict(ValidationError):
    """Someone saved the hand-in after this page was opened; the caller keeps what was typed."""

    def __init__(self, current: HandIn):
        self.current = current
        who = current.updated_by.get_full_name() if current.updated_by is not None else _("en annen")
        when = datetime_display(current.updated_at)
        super().__init__(
            _(
                "%(who)s lagret mellomarbeidet %(when)s, etter at du åpnet siden. Teksten din er ikke lagret: "
                "se over feltene og lagre igjen."
            )
            % {"who": who, "when": when}
        )


def _get_or_create_locked(gathering: Gathering, group: MunicipalGroup) -> HandIn:
    try:
        with transaction.atomic():
            HandIn.objects.get_or_create(gathering=gathering, group=group)
    except IntegrityError:
        pass  # created by someone else at the same moment
    return HandIn.objects.select_for_update().get(gathering=gathering, group=group)


def hand_in_save(
    *,
    actor,
    gathering: Gathering,
    group: MunicipalGroup,
    data: dict[str, Any],
    expected_version: int | None,
    submit: bool = False,
    now: dt.datetime | None = None,
) -> HandIn:
    """Save what was typed (only the fields in `data`), and hand in when `submit`.

    `expected_version` is the version the page was opened with (1 for one not yet started); a newer stored version
    refuses the save with `HandInConflict` so nobody overwrites someone else's text unseen.
    """
    now = now or timezone.now()
    if gathering.is_cancelled:
        raise ValidationError(_("Samlingen er avlyst."))
    if group.regional_program_id != gathering.regional_program_id:
        raise ValidationError(_("Kommunegruppen hører ikke til dette regionale programmet."))
    with transaction.atomic():
        hand_in = _get_or_create_locked(gathering, group)
        if expected_version is not None and expected_version != hand_in.version:
            raise HandInConflict(hand_in)
        changed = False
        for name in (*TEXT_FIELDS, "shared_with_region"):
            if name in data and getattr(hand_in, name) != data[name]:
                setattr(hand_in, name, data[name])
                changed = True
        missing = {}
        too_early = submit and not hand_in.is_submitted and now < gathering.starts_at
        if submit and not too_early:
            missing = {
                n: _("Fyll ut før du leverer.") for n in TEXT_FIELDS if not getattr(hand_in, n).strip()
            }
        first_submit = submit and not too_early and not missing and not hand_in.is_submitted
        if first_submit:
            hand_in.submitted_at = now
            hand_in.is_late = bool(gathering.between_work_due and now > gathering.between_work_due)
            changed = True
        if changed:
            _store(actor, hand_in, first_submit)
    if too_early:
        # the draft is stored; handing in waits until the gathering has started
        raise ValidationError(
            _("Mellomarbeidet kan leveres fra samlingen starter %(when)s. Utkastet er lagret.")
            % {"when": datetime_display(gathering.starts_at)}
        )
    if missing:
        # the draft is stored (above, committed); only the hand-in itself is refused
        raise ValidationError(missing)
    return hand_in


def _store(actor, hand_in: HandIn, first_submit: bool) -> None:
    hand_in.version += 1
    hand_in.updated_by = actor
    hand_in.save()
    if first_submit:
        action = "gatherings.hand_in.submitted"
    elif hand_in.is_submitted:
        action = "gatherings.hand_in.updated"
    else:
        action = "gatherings.hand_in.draft_saved"
    audit_log(
        actor=actor,
        action=action,
        obj=hand_in,
        details={"shared": hand_in.shared_with_region, "late": hand_in.is_late},
    )


def hand_in_file_add(*, actor, hand_in: HandIn, upload) -> HandInFile:
    name = check_upload(upload)
    with transaction.atomic():
        row = HandInFile.objects.create(
            hand_in=hand_in, file=upload, original_name=name, size=upload.size, uploaded_by=actor
        )
        audit_log(actor=actor, action="gatherings.hand_in.file_added", obj=hand_in, details={"file": name})
    return row


def hand_in_file_delete(*, actor, file: HandInFile) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="gatherings.hand_in.file_removed",
            obj=file.hand_in,
            details={"file": file.original_name},
        )
        file.file.delete(save=False)
        file.delete()
