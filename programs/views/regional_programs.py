"""Regional programmes: leadership sets up the edition's regions from the branches that confirmed participation,
then goes on to open the application window."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.forms import form_apply_error
from core.permissions import require

from .. import selectors, services
from ..forms import RegionalProgramForm
from ..permissions import can_manage_programs


@require(can_manage_programs)
def regional_program_list(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    available = selectors.confirmed_branches_without_region(program=program)
    form = RegionalProgramForm(request.POST or None, branches=available)
    if request.method == "POST" and form.is_valid():
        try:
            regional = services.regional_program_create(
                actor=request.user,
                program=program,
                name=form.cleaned_data["name"],
                branches=form.cleaned_data["branches"],
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(
                request,
                format_html(
                    '{} <a href="{}" class="alert-link">{}</a>',
                    _("Det regionale programmet «%(name)s» er opprettet. Neste steg:")
                    % {"name": regional.name},
                    reverse("applications:window", kwargs={"rp_id": regional.pk}),
                    _("Åpne søknadsvinduet"),
                ),
            )
            return redirect(reverse("programs:regional_program_list", kwargs={"pk": program.pk}))
    overview = selectors.temperature_overview(program=program)
    return render(
        request,
        "programs/regional_program_list.html",
        {
            "program": program,
            "regional_programs": list(selectors.regional_programs_for(program=program)),
            "decisions": [r for r in overview.all_rows if r.decision],
            "form": form,
            "has_available": bool(list(form.fields["branches"].queryset)),
        },
    )
