"""Lists, and writing one application: detail, print, edit (with draft recovery), members, submit, withdraw."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.selectors import entries_for_object
from core.pagination import paginate_rows
from core.permissions import require
from programs.groups import coordinator_current
from programs.models import Program, RegionalProgram
from programs.selectors import regional_program_municipalities

from .. import selectors, services
from ..forms import (
    ApplicationFilterForm,
    ApplicationTextForm,
    GroupMemberForm,
    NewApplicationForm,
)
from ..models import (
    ApplicationStatus,
)
from ..permissions import (
    application_is_open_for_changes,
    can_decide_application,
    can_manage_selection,
    can_recommend_application,
    can_see_applications,
    speaks_for_application,
)
from .common import (
    _attempt,
    _browser_key,
    _draft_writer,
    _editable_application,
    _form_error,
    _message_error,
    _recovery_token,
    _visible_application,
    confirm_page,
    coordinator_demoted_message,
    post_only,
    remembers_writer,
)

# --- Lists -----------------------------------------------------------------------------------------------


@require(can_see_applications)
@require_GET
def application_list(request):
    user = request.user
    programs = list(selectors.regional_programs_with_applications(user))
    editions = {rp.program_id: rp.program for rp in programs}  # newest first, as the programmes are
    data = request.GET.copy()
    if "edition" not in data and editions:
        data["edition"] = str(next(iter(editions)))  # the newest edition until the person chooses
    filter_form = ApplicationFilterForm(
        data,
        programs=RegionalProgram.objects.filter(pk__in=[rp.pk for rp in programs]),
        editions=Program.objects.filter(pk__in=list(editions)),
    )
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    regional_program = filters.get("program")
    applications = selectors.application_list(
        user=user,
        regional_program=regional_program,
        # a chosen regional programme decides the edition
        edition=None if regional_program else filters.get("edition"),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    context = {
        "page": paginate_rows(request, applications),
        "filter_form": filter_form,
        "programs": programs,
        "editions": list(editions.values()),
        "open_programs": selectors.regional_programs_open_to(user),
        "selection_programs": list(selectors.regional_programs_for_selection(user=user)),
        "filter_program": regional_program,
        "now": timezone.now(),
    }
    return render(request, "applications/application_list.html", context)


@login_required
@post_only("applications:list")
def application_start(request, rp_id: int):
    open_programs = {
        rp.pk: (rp, municipalities)
        for rp, municipalities, _mine in selectors.regional_programs_open_to(request.user)
    }
    if rp_id not in open_programs:
        raise Http404
    rp, municipalities = open_programs[rp_id]
    form = NewApplicationForm(
        request.POST,
        municipalities=regional_program_municipalities(regional_program=rp).filter(
            pk__in=[m.pk for m in municipalities]
        ),
    )
    if form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, regional_program=rp, municipality=form.cleaned_data["municipality"]
            )
        except ValidationError as exc:
            _message_error(request, exc)
        else:
            messages.success(request, _("Utkastet er opprettet. Du kan lagre underveis og fortsette senere."))
            return redirect("applications:edit", pk=application.pk)
    else:
        messages.error(request, _("Velg en kommune fra listen."))
    return redirect("applications:list")


@login_required
@require_GET
def application_detail(request, pk: int):
    application = _visible_application(request, pk)
    can_speak = speaks_for_application(request.user, application)
    is_open = application_is_open_for_changes(application)
    group = getattr(application, "municipal_group", None) if application.is_decided else None
    leadership = can_manage_selection(request.user)
    context = {
        "reviews": selectors.reviews_of_application(application=application) if leadership else [],
        "log_entries": list(entries_for_object(actor=request.user, obj=application)[:20])
        if leadership
        else [],
        "application": application,
        "checklist": services.application_checklist(application),
        "can_edit": can_speak and is_open,
        "can_recommend": can_recommend_application(request.user, application),
        "can_decide": can_decide_application(request.user, application),
        "is_open": is_open,
        "group": group,
    }
    return render(request, "applications/application_detail.html", context)


@login_required
@require_GET
def application_print(request, pk: int):
    application = _visible_application(request, pk)
    return render(
        request, "applications/application_print.html", {"applications": [application], "single": True}
    )


def _login_keeping_post(request, url: str, pk: int, fields: tuple[str, ...]):
    """The session ran out while someone was writing: keep the posted text server-side and bring it back after
    login. Kept only for the person this browser was signed in as, if they may still edit the application;
    any other anonymous post gets the same plain login redirect, whatever the id."""
    from accounts.models import User

    recovery_query = ""
    writer = _draft_writer(request)
    if request.method == "POST" and writer is not None:
        person = User.objects.filter(pk=writer[0], is_active=True).first()
        application = selectors.application_detail(user=person, pk=pk).first() if person is not None else None
        if application is not None and speaks_for_application(person, application):
            token = services.draft_recovery_store(
                application=application,
                user=person,
                browser_key=writer[1],
                data=request.POST.dict(),
                fields=fields,
            )
            recovery_query = "?" + urlencode({"gjenopprett": token})
    return redirect_to_login(url + recovery_query)


@remembers_writer
def application_edit(request, pk: int):
    if not request.user.is_authenticated:
        return _login_keeping_post(request, reverse("applications:edit", args=[pk]), pk, services.TEXT_FIELDS)
    application = _editable_application(request, pk)
    if not application_is_open_for_changes(application):
        messages.info(request, _("Søknaden kan ikke endres lenger."))
        return redirect("applications:detail", pk=pk)
    token = _recovery_token(request)
    recovered = (
        services.draft_recovery_take(
            application=application, token=token, user=request.user, browser_key=_browser_key(request)
        )
        if token
        else None
    )
    conflict = False
    if request.method == "POST":
        form = ApplicationTextForm(request.POST)
        valid = form.is_valid()
        # Store every field that is valid, also when another field is not: nothing typed is lost.
        good = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
        expected_version = good.pop("version", None)
        was_submitted = application.status == ApplicationStatus.SUBMITTED
        version_before = application.version
        # A submitted application is saved whole or not at all: the submitted version must stay complete.
        if valid or not was_submitted:
            try:
                saved = services.application_draft_save(
                    actor=request.user,
                    application=application,
                    data=good,
                    expected_version=expected_version,
                )
                # Keep the annotated object for the page (its deadline), with the saved values and status.
                for name in (
                    *services.TEXT_FIELDS,
                    "status",
                    "edited_after_submit",
                    "submitted_at",
                    "version",
                ):
                    setattr(application, name, getattr(saved, name))
            except services.ApplicationConflict as exc:
                conflict = True
                valid = False
                form.add_error(None, exc.messages)
                application.version = exc.current.version
                for name in services.TEXT_FIELDS:
                    setattr(application, name, getattr(exc.current, name))
            except ValidationError as exc:
                _form_error(form, exc)
                valid = False
            # The page goes on from the stored version (also after a partial save or a conflict).
            form.data = form.data.copy()
            form.data["version"] = str(application.version)
        if token:
            services.draft_recovery_discard(
                application=application, token=token, user=request.user, browser_key=_browser_key(request)
            )
        if valid:
            if was_submitted and application.version == version_before:
                messages.info(request, _("Ingen endringer å lagre. Søknaden er fortsatt sendt inn."))
            elif was_submitted:
                messages.success(
                    request,
                    _(
                        "Endringene er lagret, og søknaden er fortsatt sendt inn. Du får en oppdatert kvittering."
                    ),
                )
            else:
                messages.success(request, _("Utkastet er lagret."))
            if "save_and_continue" in request.POST:
                return redirect("applications:members", pk=pk)
            return redirect("applications:detail", pk=pk)
        if conflict:
            pass  # the error summary names who saved and when
        elif was_submitted:
            messages.warning(
                request,
                _(
                    "Endringene er ikke lagret, og den innsendte versjonen gjelder fortsatt. Rett feltene som er merket."
                ),
            )
        else:
            messages.warning(
                request, _("Det som var gyldig er lagret. Rett feltene som er merket, og lagre igjen.")
            )
    elif recovered is not None:
        form = ApplicationTextForm(initial={**recovered, "version": application.version})
        messages.warning(
            request,
            _("Økten din hadde utløpt. Vi har tatt vare på teksten du skrev: se over og lagre utkastet."),
        )
    else:
        form = ApplicationTextForm(
            initial={
                **{name: getattr(application, name) for name in services.TEXT_FIELDS},
                "version": application.version,
            }
        )
    return render(
        request,
        "applications/application_edit.html",
        {
            "application": application,
            "form": form,
            "token": token if recovered is not None else "",
            "conflict": conflict,
        },
    )


@remembers_writer
def application_members(request, pk: int, member_id: int | None = None):
    if not request.user.is_authenticated:
        url = (
            reverse("applications:member_edit", args=[pk, member_id])
            if member_id
            else reverse("applications:members", args=[pk])
        )
        return _login_keeping_post(request, url, pk, services.MEMBER_FIELDS)
    application = _editable_application(request, pk)
    is_open = application_is_open_for_changes(application)
    member = None
    if member_id is not None:
        member = get_object_or_404(application.group_members.all(), pk=member_id)
    current = coordinator_current(application.group_members.all(), member=member)
    token = _recovery_token(request)
    recovered = (
        services.draft_recovery_take(
            application=application,
            token=token,
            user=request.user,
            browser_key=_browser_key(request),
            fields=services.MEMBER_FIELDS,
        )
        if token and request.method == "GET"
        else None
    )
    if recovered is not None:
        recovered["is_coordinator"] = recovered.get("is_coordinator") in ("on", "True", "true", "1")
        form = GroupMemberForm(initial=recovered, current_coordinator=current)
        messages.warning(
            request,
            _("Økten din hadde utløpt. Vi har tatt vare på det du skrev: se over og lagre medlemmet."),
        )
    elif request.method == "POST":
        if not is_open:
            raise Http404
        form = GroupMemberForm(request.POST, current_coordinator=current)
        if form.is_valid():
            try:
                services.application_group_member_save(
                    actor=request.user, application=application, member=member, data=form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                if token:
                    services.draft_recovery_discard(
                        application=application,
                        token=token,
                        user=request.user,
                        browser_key=_browser_key(request),
                    )
                messages.success(request, _("Medlemmet er lagret."))
                coordinator_demoted_message(request, current, form.cleaned_data)
                return redirect("applications:members", pk=pk)
    elif member is not None:
        form = GroupMemberForm(
            initial={
                k: getattr(member, k)
                for k in ("name", "email", "phone", "sector", "role_title", "is_coordinator")
            },
            current_coordinator=current,
        )
    else:
        form = GroupMemberForm(current_coordinator=current)
    return render(
        request,
        "applications/application_members.html",
        {"application": application, "form": form, "member": member, "is_open": is_open},
    )


@login_required
@post_only("applications:members", "pk")
def application_member_delete(request, pk: int, member_id: int):
    application = _editable_application(request, pk)
    member = get_object_or_404(application.group_members.all(), pk=member_id)
    if request.POST.get("confirm") != "yes":
        return confirm_page(
            request,
            title=_("Fjerne %(name)s fra kommunegruppen?") % {"name": member.name},
            lines=[
                _("%(name)s (%(email)s) blir fjernet fra den foreslåtte kommunegruppen i søknaden.")
                % {"name": member.name, "email": member.email}
            ],
            button=_("Fjern fra gruppen"),
            cancel_url=reverse("applications:members", args=[pk]),
        )
    _attempt(
        request,
        lambda: services.application_group_member_delete(actor=request.user, member=member),
        _("Medlemmet er fjernet."),
    )
    return redirect("applications:members", pk=pk)


@login_required
@post_only("applications:detail", "pk")
def application_submit(request, pk: int):
    application = _editable_application(request, pk)
    _attempt(
        request,
        lambda: services.application_submit(actor=request.user, application=application),
        _("Søknaden er sendt inn. Du får en kvittering på e-post."),
    )
    return redirect("applications:detail", pk=pk)


@login_required
def application_withdraw(request, pk: int):
    """GET asks; only the POST from that page (with `confirm`) withdraws."""
    application = _editable_application(request, pk)
    resubmit_button = _("Send inn på nytt") if application.submitted_at else _("Send inn søknaden")
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
        return redirect("applications:detail", pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        _attempt(
            request,
            lambda: services.application_withdraw(actor=request.user, application=application),
            _(
                "Søknaden er trukket og blir ikke vurdert. Ombestemmer dere dere før fristen, trykker dere "
                "«%(button)s» på denne siden."
            )
            % {"button": resubmit_button},
        )
        return redirect("applications:detail", pk=pk)
    if not application_is_open_for_changes(application):
        return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/application_withdraw.html",
        {"application": application, "resubmit_button": resubmit_button},
    )
