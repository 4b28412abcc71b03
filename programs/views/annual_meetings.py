"""After the county annual meetings (årsmøter): a branch's board records its annual meeting's decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import date_display
from core.forms import form_apply_error
from core.permissions import check_or_404, require

from .. import selectors, services
from ..forms import AnnualMeetingDecisionForm
from ..permissions import can_edit_branch_interest, can_register_interest


@require(can_register_interest)
def annual_meeting_decision(request, pk: int, branch_id: int):
    program = selectors.program_get(user=request.user, pk=pk)
    branch = selectors.branch_for_interest(user=request.user, branch_id=branch_id)
    check_or_404(can_edit_branch_interest, request.user, branch)
    decision = selectors.annual_meeting_decision_for(program=program, branch=branch)
    initial = (
        {
            "meeting_date": decision.meeting_date,
            "participates": "true" if decision.participates else "false",
            "comment": decision.comment,
        }
        if decision
        else {}
    )
    form = AnnualMeetingDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.annual_meeting_decision_record(
                actor=request.user,
                program=program,
                branch=branch,
                meeting_date=d["meeting_date"],
                participates=d["participates"],
                comment=d["comment"],
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Årsmøtets vedtak er registrert."))
            if d["meeting_date"] < timezone.localtime(program.interest_deadline).date():
                messages.warning(
                    request,
                    _(
                        "Merk: årsmøtedatoen %(day)s er før fristen for interessemelding. "
                        "Sjekk at datoen er riktig."
                    )
                    % {"day": date_display(d["meeting_date"])},
                )
            return redirect("programs:interest_registration", pk=program.pk, branch_id=branch.pk)
    return render(
        request,
        "programs/annual_meeting_decision_form.html",
        {"program": program, "branch": branch, "form": form, "decision": decision},
    )
