"""Leadership's pages for reminders: what goes to whom and when, what failed, and the settings per edition."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from core.dates import datetime_display
from core.pagination import paginate
from core.permissions import require

from . import selectors, services
from .forms import OccasionSettingForm
from .models import CancelReason, DeliveryState
from .occasions import (
    ConfigLookup,
    Occasion,
    OccasionConfig,
    occasion_get,
    occasions_all,
    occasions_configurable,
)
from .permissions import can_manage_reminders

logger = logging.getLogger(__name__)


def _program_from_query(request, programs):
    raw = request.GET.get("program", "")
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]{1,12}", raw):  # not isdigit(): "²" passes it and then fails int()
        raise Http404
    return get_object_or_404(programs, pk=int(raw))


PAGE_SIZE = 50
TAB_LABELS = [
    ("feilet", gettext_lazy("Feilet")),
    ("kommende", gettext_lazy("Kommende")),
    ("sendt", gettext_lazy("Sendt")),
    ("ikke-sendt", gettext_lazy("Ikke sendt")),
    ("erstattet", gettext_lazy("Erstattet")),
]


@require(can_manage_reminders)
def delivery_list(request):
    user = request.user
    programs = selectors.programs_for_reminders(user)
    program = _program_from_query(request, programs)
    q = selectors.search_text(request.GET.get("q", ""))
    occasion_codes = {o.code: o for o in occasions_all()}
    occasion = request.GET.get("anledning", "")
    if occasion not in occasion_codes:
        occasion = ""
    tab = request.GET.get("vis", "kommende")
    if tab not in selectors.TABS:
        tab = "kommende"
    filters = {"program": program, "q": q, "occasion": occasion}
    occasion_rows = []
    if program is not None:
        configs = ConfigLookup([program.pk])
        occasion_rows = [
            {"occasion": occ, "config": configs.get(program.pk, occ)} for occ in occasions_configurable()
        ]
    counts = selectors.delivery_counts(user, **filters)
    page = paginate(
        request,
        selectors.deliveries_in_tab(user, tab, **filters),
        per_page=PAGE_SIZE,
        count=counts["tabs"][tab],  # the tab's badge counted these rows already
    )
    paused = selectors.paused_occasions(user)
    page.object_list = rows = list(page.object_list)
    about = selectors.deliveries_about(rows)
    # «Send nå» / «Send på nytt» only where the worker would send: asked for the page at once, as it would
    # none for «Erstattet»: the newer message is the one to send, so these rows have no action
    refusals = services.deliveries_send_refusals(rows) if tab not in ("kommende", "erstattet") else {}
    for delivery in rows:
        delivery.is_paused = (delivery.program_id, delivery.occasion) in paused
        delivery.about = about.get(delivery.pk, "")
        delivery.send_refusal = refusals.get(delivery.pk, "")
        delivery.why_not_sent = _why_not_sent(delivery)
    query = {
        k: v
        for k, v in {"program": program.pk if program else "", "q": q, "anledning": occasion}.items()
        if v
    }
    return render(
        request,
        "reminders/delivery_list.html",
        {
            "programs": list(programs.only("pk", "name")),
            "program": program,
            "q": q,
            "occasion": occasion,
            "occasions": sorted(occasion_codes.values(), key=lambda o: str(o.label)),
            "counts": counts,
            "tab": tab,
            "tabs": [(key, label, counts["tabs"][key]) for key, label in TAB_LABELS],
            "page": page,
            "query": urlencode(query),
            "here": request.get_full_path(),
            "occasion_rows": occasion_rows,
        },
    )


def _why_not_sent(delivery) -> str:
    """The reason beside a row under «Ikke sendt»: the one stored when it was skipped, or what its occasion says
    now about a row the planner withdrew; "" when the status says it all (too late, cancelled by a person)."""
    if delivery.state == DeliveryState.SUPERSEDED:
        return delivery.last_error
    if delivery.state == DeliveryState.SKIPPED:
        return delivery.last_error or delivery.send_refusal or str(services.NO_LONGER_APPLIES)
    if delivery.state == DeliveryState.CANCELLED and delivery.cancel_reason == CancelReason.PLAN:
        return delivery.send_refusal
    return ""


def _back_to_list(request, delivery):
    """Back where the action was taken (same filters, tab and page), or to the delivery's edition."""
    here = request.POST.get("next", "")
    list_path = reverse("reminders:delivery_list")
    if here.startswith(list_path + "?") or here == list_path:
        if url_has_allowed_host_and_scheme(here, allowed_hosts={request.get_host()}):
            return redirect(here)
    return redirect(f"{list_path}?program={delivery.program_id}" if delivery.program_id else list_path)


def _row_action(service, success):
    """A view for one leadership action on one row: POST only, scoped (404 outside it), a refusal shown as
    a message, `success(delivery)` as the message otherwise, then back to the list where it was taken."""

    @require(can_manage_reminders)
    @require_POST
    def view(request, pk: int) -> HttpResponse:
        delivery = get_object_or_404(selectors.deliveries_visible_to(request.user), pk=pk)
        try:
            service(actor=request.user, delivery=delivery)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success(delivery))
        return _back_to_list(request, delivery)

    return view


delivery_resend = _row_action(
    services.delivery_resend,
    lambda d: _("E-posten til %(email)s sendes nå.") % {"email": d.recipient_email},
)
delivery_cancel = _row_action(
    services.delivery_cancel,
    lambda d: (
        _("Påminnelsen til %(email)s er avbrutt. Angre med «Gjenopprett» under «Ikke sendt».")
        % {"email": d.recipient_email}
    ),
)
delivery_restore = _row_action(
    services.delivery_restore,
    lambda d: (
        _("Påminnelsen til %(email)s er planlagt igjen og sendes %(when)s.")
        % {
            "email": d.recipient_email,
            "when": datetime_display(d.planned_at),
        }
    ),
)


def _occasion_or_404(code: str) -> Occasion:
    occasion = occasion_get(code)
    if occasion is None or not occasion.configurable:
        raise Http404
    return occasion


@require(can_manage_reminders)
@require_POST
def occasion_pause(request, program_id: int, code: str):
    program = get_object_or_404(selectors.programs_for_reminders(request.user), pk=program_id)
    occasion = _occasion_or_404(code)
    if not occasion.has_offsets:
        raise Http404  # a notice goes when its step happens: nothing to pause
    paused = request.POST.get("paused") == "1"
    services.occasion_pause(actor=request.user, program=program, occasion=occasion, paused=paused)
    if paused:
        messages.success(request, _("«%(label)s» er satt på pause.") % {"label": occasion.label})
    else:
        messages.success(
            request, _("«%(label)s» er slått på igjen og sendes som planlagt.") % {"label": occasion.label}
        )
    return redirect(f"{redirect('reminders:delivery_list').url}?program={program.pk}")


# The e-mail as it is sent, inline styles and all, in the settings page's sandboxed frame: only this response
# allows inline styles (the site's policy forbids them); no script, no form, framed only by our own pages.
MAIL_PREVIEW_CSP = {
    "default-src": [NONE],
    "style-src": ["'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [SELF],
    "sandbox": [True],
}
# The settings page's preview of texts not yet saved, given to the frame in its address.
PREVIEW_FIELDS = ("subject_override", "body_override")


def _preview_config(data, current: OccasionConfig, occasion: Occasion) -> OccasionConfig:
    """The saved settings, with the texts being previewed when `data` holds valid ones."""
    if not any(name in data for name in PREVIEW_FIELDS):
        return current
    form = OccasionSettingForm(data, occasion=occasion, with_offsets=False)
    if not form.is_valid():
        return current
    return OccasionConfig(
        offsets_days=current.offsets_days,
        paused=current.paused,
        subject_override=form.cleaned_data["subject_override"],
        body_override=form.cleaned_data["body_override"],
    )


@require(can_manage_reminders)
@require_GET
@xframe_options_sameorigin
@csp(MAIL_PREVIEW_CSP)  # type: ignore[arg-type]  # django-csp types views as taking the request only
def occasion_preview_mail(request, program_id: int, code: str):
    """The HTML e-mail of the settings page's preview, on its own, for its frame."""
    program = get_object_or_404(selectors.programs_for_reminders(request.user), pk=program_id)
    occasion = _occasion_or_404(code)
    config = _preview_config(request.GET, ConfigLookup([program.pk]).get(program.pk, occasion), occasion)
    preview = services.occasion_preview(occasion=occasion, program=program, config=config)
    if preview is None or preview.error or not preview.html:
        raise Http404
    response = HttpResponse(preview.html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require(can_manage_reminders)
def occasion_setting_edit(request, program_id: int, code: str):
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
        form = OccasionSettingForm(request.POST, occasion=occasion, with_offsets=occasion.has_offsets)
        if form.is_valid():
            data = form.cleaned_data
            data.setdefault("offsets_days", list(current.offsets_days))
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
        form = OccasionSettingForm(initial=initial, occasion=occasion, with_offsets=occasion.has_offsets)
    mail_url = reverse("reminders:occasion_preview_mail", args=[program.pk, occasion.code])
    if preview_config is not current:
        mail_url += "?" + urlencode(
            {
                "subject_override": preview_config.subject_override,
                "body_override": preview_config.body_override,
            }
        )
    return render(
        request,
        "reminders/occasion_setting_form.html",
        {
            "program": program,
            "occasion": occasion,
            "form": form,
            "preview": services.occasion_preview(occasion=occasion, program=program, config=preview_config),
            "preview_mail_url": mail_url,
            "schedule": services.occasion_schedule(
                occasion=occasion, program=program, offsets=preview_config.offsets_days
            )
            if occasion.has_offsets
            else [],
            "now": timezone.now(),
            "paused": current.paused,
        },
    )
