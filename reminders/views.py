"""Leadership's pages for reminders: what goes to whom and when, what failed, and the settings per edition."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import OccasionSettingForm
from .occasions import (
    ConfigLookup,
    Occasion,
    OccasionConfig,
    occasion_get,
    occasions_configurable,
    reminder_times,
)
from .outbox import Recipient, message_render
from .permissions import can_manage_reminders

logger = logging.getLogger(__name__)


def _require_leadership(user) -> None:
    if not can_manage_reminders(user):
        raise Http404


def _program_from_query(request, programs):
    raw = request.GET.get("program", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(programs, pk=int(raw))


@login_required
def delivery_list(request):
    _require_leadership(request.user)
    programs = selectors.programs_for_reminders(request.user)
    program = _program_from_query(request, programs)
    user = request.user
    occasion_rows = []
    if program is not None:
        configs = ConfigLookup([program.pk])
        occasion_rows = [
            {"occasion": occ, "config": configs.get(program.pk, occ)} for occ in occasions_configurable()
        ]
    return render(
        request,
        "reminders/delivery_list.html",
        {
            "programs": list(programs),
            "program": program,
            "counts": selectors.delivery_counts(user, program=program),
            "upcoming": selectors.deliveries_upcoming(user, program=program),
            "failing": selectors.deliveries_failing(user, program=program),
            "sent": selectors.deliveries_sent(user, program=program),
            "not_sent": selectors.deliveries_not_sent(user, program=program),
            "occasion_rows": occasion_rows,
        },
    )


def _back_to_list(delivery):
    url = redirect("reminders:delivery_list").url
    return redirect(f"{url}?program={delivery.program_id}" if delivery.program_id else url)


@login_required
@require_POST
def delivery_resend(request, pk: int):
    _require_leadership(request.user)
    delivery = get_object_or_404(selectors.deliveries_visible_to(request.user), pk=pk)
    services.delivery_resend(actor=request.user, delivery=delivery)
    messages.success(
        request, _("Påminnelsen til %(email)s sendes på nytt.") % {"email": delivery.recipient_email}
    )
    return _back_to_list(delivery)


@login_required
@require_POST
def delivery_cancel(request, pk: int):
    _require_leadership(request.user)
    delivery = get_object_or_404(selectors.deliveries_visible_to(request.user), pk=pk)
    try:
        services.delivery_cancel(actor=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Påminnelsen til %(email)s er avbrutt.") % {"email": delivery.recipient_email}
        )
    return _back_to_list(delivery)


def _occasion_or_404(code: str) -> Occasion:
    occasion = occasion_get(code)
    if occasion is None or not occasion.configurable:
        raise Http404
    return occasion


@login_required
@require_POST
def occasion_pause(request, program_id: int, code: str):
    _require_leadership(request.user)
    program = get_object_or_404(selectors.programs_for_reminders(request.user), pk=program_id)
    occasion = _occasion_or_404(code)
    paused = request.POST.get("paused") == "1"
    services.occasion_pause(actor=request.user, program=program, occasion=occasion, paused=paused)
    if paused:
        messages.success(request, _("«%(label)s» er satt på pause.") % {"label": occasion.label})
    else:
        messages.success(request, _("«%(label)s» sendes igjen.") % {"label": occasion.label})
    return redirect(f"{redirect('reminders:delivery_list').url}?program={program.pk}")


class _PreviewConfigs(ConfigLookup):
    """The settings being edited, not yet saved, for the preview."""

    def __init__(self, config: OccasionConfig) -> None:
        self._config = config

    def get(self, program_id, occasion):
        return self._config


def occasion_preview(*, occasion: Occasion, program, config: OccasionConfig) -> dict | None:
    """The e-mail one real recipient would get with these settings, or None when nobody is planned yet.

    A template or data problem is shown as such instead of failing the page: this is where leadership
    comes to put it right.
    """
    try:
        for delivery in occasion.preview_candidates(program_id=program.pk):
            prepared = occasion.prepare([delivery], configs=_PreviewConfigs(config)).get(delivery.pk)
            if prepared is None:
                continue
            recipient = Recipient(email=delivery.recipient_email, name=delivery.recipient_name)
            message = message_render(
                template=prepared.template, context=prepared.context, recipient=recipient
            )
            return {
                "delivery": delivery,
                "subject": message.subject,
                "body": message.body,
                "html": message.html,
            }
    except Exception as exc:
        logger.exception("reminders: preview of %s failed", occasion.code)
        return {"error": f"{type(exc).__name__}: {exc}"}
    return None


def _schedule(occasion: Occasion, program, offsets) -> list[dict]:
    """When the reminders go for each deadline in the edition, with these offsets (Oslo time)."""
    now = timezone.now()
    return [
        {
            "deadline": deadline,
            "times": [planned for _offset, planned, _expires in reminder_times(deadline, offsets)],
        }
        for deadline in occasion.deadlines(program_id=program.pk, now=now)[:10]
    ]


@login_required
def occasion_setting_edit(request, program_id: int, code: str):
    _require_leadership(request.user)
    program = get_object_or_404(selectors.programs_for_reminders(request.user), pk=program_id)
    occasion = _occasion_or_404(code)
    current = ConfigLookup([program.pk]).get(program.pk, occasion)
    initial = {
        "offsets_days": ", ".join(str(o) for o in current.offsets_days),
        "subject_override": current.subject_override,
        "body_override": current.body_override,
    }
    preview_config = current
    if request.method == "POST":
        form = OccasionSettingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview_config = OccasionConfig(
                    paused=current.paused,
                    offsets_days=tuple(data["offsets_days"]),
                    subject_override=data["subject_override"],
                    body_override=data["body_override"],
                )
            else:
                try:
                    services.occasion_setting_update(
                        actor=request.user,
                        program=program,
                        occasion=occasion,
                        offsets_days=data["offsets_days"],
                        subject_override=data["subject_override"],
                        body_override=data["body_override"],
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        for message in errors:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    messages.success(
                        request, _("Innstillingene for «%(label)s» er lagret.") % {"label": occasion.label}
                    )
                    return redirect(f"{redirect('reminders:delivery_list').url}?program={program.pk}")
    else:
        form = OccasionSettingForm(initial=initial)
    return render(
        request,
        "reminders/occasion_setting_form.html",
        {
            "program": program,
            "occasion": occasion,
            "form": form,
            "preview": occasion_preview(occasion=occasion, program=program, config=preview_config),
            "schedule": _schedule(occasion, program, preview_config.offsets_days),
            "now": timezone.now(),
            "paused": current.paused,
        },
    )
