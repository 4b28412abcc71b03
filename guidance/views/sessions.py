"""Guidance sessions (advisors): log, change, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.dates import date_display, datetime_display
from core.draft_views import Target, draft_discard, draft_initial, keeps_drafts
from core.forms import form_apply_error
from core.once import saving_once, submits_once
from core.permissions import check_or_404, require

from .. import selectors, services
from ..forms import SessionLogForm
from ..permissions import can_log_session, is_guidance_advisor
from .common import members_qs, revisions_qs


def _over_frame_message(request, result) -> None:
    from ..models import minutes_to_hours

    if result.over_frame:
        messages.warning(
            request,
            _(
                "Møtet er lagret, men avtalen er nå over rammen: %(used)s av %(agreed)s timer er brukt. "
                "Ta det opp med programledelsen."
            )
            % {
                "used": number_format(minutes_to_hours(result.used_minutes), 1),
                "agreed": number_format(minutes_to_hours(result.agreed_minutes), 1),
            },
        )


# Everything the advisor fills in is kept when the session ran out before «Lagre» (not the once-token).
DRAFT_FIELDS = tuple(SessionLogForm.base_fields)


def session_new_draft_key(agreement_id: int) -> str:
    return f"guidance.session:new:{agreement_id}"


def session_draft_key(session_id: int) -> str:
    return f"guidance.session:{session_id}"


def session_create_target(person, pk: int) -> Target | None:
    """A new session posted after the login ran out is kept for an advisor who may still log it."""
    if not is_guidance_advisor(person):
        return None
    agreement = selectors.agreement_get(user=person, pk=pk)
    return (session_new_draft_key(pk), DRAFT_FIELDS) if can_log_session(person, agreement) else None


def session_update_target(person, pk: int) -> Target | None:
    if not is_guidance_advisor(person):
        return None
    selectors.session_get_for_change(user=person, pk=pk)
    return session_draft_key(pk), DRAFT_FIELDS


def _session_form_page(
    request, *, agreement, session, initial, save, saved_message: str, draft_key: str, booked_next=None
):
    """The session form, new or changed: `save(**form data)` is the service, its refusal goes on the form;
    once saved, the warnings about the frame and the next meeting follow the success message."""
    if request.method != "POST":
        initial = draft_initial(request, initial, form_key=draft_key, fields=DRAFT_FIELDS)
    form = SessionLogForm(
        request.POST or None,
        members_qs=members_qs(agreement),
        revisions_qs=revisions_qs(agreement),
        initial=initial,
        booked_next=booked_next,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with saving_once(request) as once:  # a new session's form carries a token; a change's none
                result = save(**form.service_kwargs())
                once.made(reverse("guidance:agreement_detail", args=[agreement.pk]))
        except ValidationError as exc:
            form_apply_error(form, exc, {"next_session_at": "next_date"})
        else:
            draft_discard(request, form_key=draft_key)
            messages.success(request, saved_message)
            if result.kept_next_at is not None:
                messages.info(
                    request,
                    _("Neste møte er fortsatt %(when)s.") % {"when": datetime_display(result.kept_next_at)},
                )
            _over_frame_message(request, result)
            _next_after_end_message(request, result.session, agreement)
            return redirect("guidance:agreement_detail", pk=agreement.pk)
    return render(
        request, "guidance/session_form.html", {"form": form, "agreement": agreement, "session": session}
    )


@keeps_drafts(session_create_target)
@require(is_guidance_advisor)
@submits_once
def session_create(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    check_or_404(can_log_session, request.user, agreement)
    return _session_form_page(
        request,
        agreement=agreement,
        session=None,
        initial={"held_on": min(max(timezone.localdate(), agreement.starts_on), agreement.ends_on)},
        save=lambda **kwargs: services.session_create(actor=request.user, agreement=agreement, **kwargs),
        saved_message=_("Veiledningsmøtet er ført."),
        draft_key=session_new_draft_key(pk),
        booked_next=agreement.next_at,  # the booked meeting (decorate), kept unless this entry replaces it
    )


def _next_after_end_message(request, session, agreement) -> None:
    """A next meeting after the agreement ends is saved, but said (the agreement may need extending)."""
    if session.next_session_at and timezone.localdate(session.next_session_at) > agreement.ends_on:
        messages.warning(
            request,
            _(
                "Neste møte (%(next)s) er etter at avtalen slutter %(end)s. Avtalen må forlenges, "
                "ellers kan møtet ikke føres."
            )
            % {"next": date_display(session.next_session_at), "end": date_display(agreement.ends_on)},
        )


@keeps_drafts(session_update_target)
@require(is_guidance_advisor)
def session_update(request, pk: int):
    session = selectors.session_get_for_change(user=request.user, pk=pk)
    agreement = selectors.agreement_get(user=request.user, pk=session.agreement_id)
    return _session_form_page(
        request,
        agreement=agreement,
        session=session,
        initial=SessionLogForm.initial_from(session),
        save=lambda **kwargs: services.session_update(actor=request.user, session=session, **kwargs),
        saved_message=_("Endringene er lagret."),
        draft_key=session_draft_key(pk),
    )


@require(is_guidance_advisor)
def session_delete(request, pk: int):
    session = selectors.session_get_for_change(user=request.user, pk=pk)
    if request.method == "POST":
        agreement_id = session.agreement_id
        services.session_delete(actor=request.user, session=session)
        messages.success(request, _("Veiledningsmøtet er slettet."))
        return redirect("guidance:agreement_detail", pk=agreement_id)
    return render(request, "guidance/session_confirm_delete.html", {"session": session})
