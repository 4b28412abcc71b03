from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.confirm import confirm_page, confirm_requested
from core.draft_views import next_carries_recovery
from core.http import post_only
from core.once import saving_once, submits_once
from core.pagination import paginate
from core.permissions import require

from . import selectors, services
from .forms import (
    InvitationAcceptForm,
    InvitationForm,
    LoginForm,
    PeopleFilterForm,
    RoleAddForm,
    TwoFactorResetForm,
)
from .permissions import can_manage_people


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Text posted after the session ran out is kept; without a word here people assume it is lost.
        context["draft_kept"] = next_carries_recovery(self.get_redirect_url())
        return context


class LogoutView(auth_views.LogoutView):
    """Signing out is a POST (a link must not sign anyone out); a GET, e.g. a typed or bookmarked
    /logg-ut/, gets a page with the button instead of a blank 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "accounts/logout.html")


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html")


def health(request):
    """Load balancer and container health check: answers when the app and its database do."""
    from django.db import connection
    from django.http import HttpResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def invitation_accept(request, token: str):
    """The link in the invitation e-mail: choose name and password, then straight to the dashboard."""
    invitation = services.invitation_find(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST)
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    token=token,
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data["full_name"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_error(None, exc)
                else:
                    return render(
                        request, "accounts/invitation_invalid.html", {"reason": exc.messages[0]}, status=404
                    )
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Velkommen! Passordet er lagret, og du er logget inn."))
                return redirect("accounts:dashboard")
    else:
        form = InvitationAcceptForm(initial={"full_name": invitation.full_name})
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


# --- people management (programme leadership only; everyone else gets 404) -------------------------

PAGE_SIZE = 25


@require(can_manage_people)
def people_list(request):
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.people_list(
        actor=request.user,
        search=filters.get("q", ""),
        role=filters.get("role", ""),
        active=filters.get("active", ""),
        two_factor=filters.get("two_factor", ""),
    )
    page = paginate(request, people, per_page=PAGE_SIZE)
    return render(
        request,
        "accounts/people_list.html",
        {"form": form, "page": page, "filtered": bool(filters and any(filters.values()))},
    )


@require(can_manage_people)
@submits_once
def person_invite(request):
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with saving_once(request) as once:
                invitation = services.invitation_create(
                    actor=request.user,
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    branch=data.get("branch"),
                    municipality=data.get("municipality"),
                )
                once.made(
                    reverse("accounts:person_detail", args=[invitation.user_id])
                    if invitation.accepted_at is not None and invitation.user_id
                    else reverse("accounts:invitation_list")
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if invitation.accepted_at is not None and invitation.user_id:
                messages.success(
                    request,
                    _("%(email)s har allerede en bruker og har fått rollen %(role)s.")
                    % {"email": invitation.email, "role": invitation.role_label},
                )
                return redirect("accounts:person_detail", pk=invitation.user_id)
            messages.success(request, _("Invitasjonen er sendt til %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitation_list")
    return render(request, "accounts/person_invite.html", {"form": form})


@require(can_manage_people)
def invitation_list(request):
    page = paginate(request, selectors.invitations_open(actor=request.user), per_page=PAGE_SIZE)
    return render(request, "accounts/invitation_list.html", {"page": page})


def _back(request, fallback):
    """Return to the page the button was on (only our own paths), else `fallback`."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require(can_manage_people)
@post_only("accounts:invitation_list")
def invitation_resend(request, pk: int):
    invitation = get_object_or_404(selectors.invitations_open(actor=request.user), pk=pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ny invitasjon er sendt til %(email)s.") % {"email": invitation.email})
    return _back(request, "accounts:invitation_list")


@require(can_manage_people)
@post_only("accounts:invitation_list")
def invitation_cancel(request, pk: int):
    invitation = get_object_or_404(selectors.invitations_open(actor=request.user), pk=pk)
    try:
        services.invitation_cancel(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Invitasjonen til %(email)s er trukket tilbake.") % {"email": invitation.email}
        )
    return _back(request, "accounts:invitation_list")


def _person_context(request, person, role_form):
    from django.contrib.contenttypes.models import ContentType

    from audit.selectors import entries_for_object

    return {
        "person": person,
        "person_content_type_id": ContentType.objects.get_for_model(person).pk,
        "role_form": role_form,
        "invitations": selectors.invitations_open(actor=request.user).filter(email__iexact=person.email),
        "log_entries": entries_for_object(actor=request.user, obj=person)[:20],
        "is_self": person.pk == request.user.pk,
        "two_factor_on": person.two_factor_on,  # annotated by the selector
    }


@require(can_manage_people)
def person_detail(request, pk: int):
    person = get_object_or_404(selectors.person_detail_qs(actor=request.user), pk=pk)
    role_form = RoleAddForm(request.POST if request.method == "POST" else None, prefix="role")
    if request.method == "POST" and role_form.is_valid():
        data = role_form.cleaned_data
        try:
            services.role_add(
                actor=request.user,
                user=person,
                role=data["role"],
                branch=data.get("branch"),
                municipality=data.get("municipality"),
            )
        except ValidationError as exc:
            role_form.add_error(None, exc)
        else:
            messages.success(request, _("Rollen er lagt til."))
            return redirect("accounts:person_detail", pk=person.pk)
    return render(request, "accounts/person_detail.html", _person_context(request, person, role_form))


@require(can_manage_people)
@post_only("accounts:person_detail", "pk")
def person_role_remove(request, pk: int, assignment_id: int):
    person = get_object_or_404(selectors.person_detail_qs(actor=request.user), pk=pk)
    assignment = get_object_or_404(person.role_assignments.all(), pk=assignment_id)
    if not confirm_requested(request):
        return confirm_page(
            request,
            title=_("Fjerne rollen %(role)s?") % {"role": assignment},
            lines=[_("%(name)s mister tilgangen denne rollen gir.") % {"name": person}],
            button=_("Fjern rollen"),
            cancel_url=reverse("accounts:person_detail", args=[person.pk]),
        )
    try:
        services.role_remove(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rollen %(role)s er fjernet.") % {"role": assignment})
    return redirect("accounts:person_detail", pk=person.pk)


@require(can_manage_people)
@post_only("accounts:person_detail", "pk")
def person_deactivate(request, pk: int):
    person = get_object_or_404(selectors.person_detail_qs(actor=request.user), pk=pk)
    if not confirm_requested(request):
        return confirm_page(
            request,
            title=_("Deaktivere %(name)s?") % {"name": person},
            lines=[
                _(
                    "%(name)s kan ikke logge inn før personen aktiveres igjen. Roller og historikk blir liggende."
                )
                % {"name": person}
            ],
            button=_("Deaktiver personen"),
            cancel_url=reverse("accounts:person_detail", args=[person.pk]),
        )
    try:
        services.user_deactivate(actor=request.user, user=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s er deaktivert og kan ikke logge inn.") % {"name": person})
    return redirect("accounts:person_detail", pk=person.pk)


@require(can_manage_people)
@post_only("accounts:person_detail", "pk")
def person_reactivate(request, pk: int):
    person = get_object_or_404(selectors.person_detail_qs(actor=request.user), pk=pk)
    services.user_reactivate(actor=request.user, user=person)
    messages.success(request, _("%(name)s er aktiv igjen og kan logge inn.") % {"name": person})
    return redirect("accounts:person_detail", pk=person.pk)


@require(can_manage_people)
def person_two_factor_reset(request, pk: int):
    """Lost phone and recovery codes: remove the person's two-factor, with a reason, after a confirmation.
    A GET (reload, new tab, back button) shows the confirmation page; only its POST with `confirm` writes."""
    from core.forms import form_apply_error

    from .two_factor import reset_not_enabled, reset_self_refusal, two_factor_reset

    person = get_object_or_404(selectors.person_detail_qs(actor=request.user), pk=pk)
    if person.pk == request.user.pk:
        messages.error(request, reset_self_refusal())
        return redirect("accounts:person_detail", pk=person.pk)
    if request.method != "POST" and not person.two_factor_on:
        messages.info(request, reset_not_enabled(person))
        return redirect("accounts:person_detail", pk=person.pk)
    confirmed = confirm_requested(request)
    form = TwoFactorResetForm(request.POST if confirmed else None)
    if confirmed and form.is_valid():
        try:
            two_factor_reset(actor=request.user, user=person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect("accounts:person_detail", pk=person.pk)
            form_apply_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "To-trinns innloggingen til %(name)s er nullstilt. Personen er logget ut og har fått e-post."
                )
                % {"name": person},
            )
            return redirect("accounts:person_detail", pk=person.pk)
    return confirm_page(
        request,
        title=_("Nullstille to-trinns innloggingen til %(name)s?") % {"name": person},
        lines=[
            _(
                "Autentiseringsappen og gjenopprettingskodene til %(name)s slettes, og personen logges ut "
                "overalt. Personen får e-post om at det er gjort, og av hvem."
            )
            % {"name": person},
            _(
                "Gjør dette bare når du vet at det er personen selv som ber om det, for eksempel etter en "
                "telefonsamtale."
            ),
        ],
        button=_("Nullstill to-trinns innlogging"),
        cancel_url=reverse("accounts:person_detail", args=[person.pk]),
        form=form,
    )


def csrf_failure(request, reason=""):
    """An expired form (e.g. logged in again in another tab) gets a Norwegian explanation, not Django's page.

    It says "go back and send again", not "reload": going back keeps what was typed in the browser, and the
    page sent again carries a fresh token; reloading would throw the text away."""
    return render(request, "403_csrf.html", status=403)
