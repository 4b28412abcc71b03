"""Two-factor sign-in pages of the person themselves: the code at sign-in, setting it up, the security page
(new recovery codes, a new authenticator, turning it off). Leadership's reset is on the person's page
(`views.person_two_factor_reset`). The rules are in `accounts.two_factor`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from core.confirm import confirm_page, confirm_requested
from core.forms import form_apply_error
from core.http import post_only

from . import two_factor
from .forms import TwoFactorCodeForm, TwoFactorReplaceForm
from .throttling import code_attempt_failed, code_attempt_locked, code_locked_message

LOCKED_STATUS = 429
# The secret of the authenticator being set up, until a code from the app confirms it: {"user": pk, "key": hex}.
PENDING_SESSION_KEY = "two_factor_pending"


def _safe_next(request, fallback: str = "accounts:dashboard"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)


def _locked(request, form) -> bool:
    """Refuse a code from a client that has guessed too often (sign-in's limit); the reason goes on the form."""
    if code_attempt_locked(request, user=request.user):
        form.errors.clear()
        form.add_error(None, ValidationError(code_locked_message(), code="locked"))
        return True
    return False


def _new_device(request):
    """The authenticator being set up (first time or a new phone). Its secret lives in this session only, not in
    the database and not in the form: opening the page writes no row, a wrong code keeps the same QR code, and
    the secret never travels back from the browser. A row is created when a code from the app is accepted."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if (
        isinstance(pending, dict)
        and pending.get("user") == request.user.pk
        and two_factor.totp_key_valid(pending.get("key"))
    ):
        return two_factor.totp_device_new(user=request.user, key=pending["key"])
    device = two_factor.totp_device_new(user=request.user)
    request.session[PENDING_SESSION_KEY] = {"user": request.user.pk, "key": device.key}
    return device


def _signed_in_with(request, device) -> None:
    """After the second factor changed: this session goes on with `device` (None: turned off), every other
    session of the person has ended (`two_factor.sessions_end`)."""
    request.session.pop(PENDING_SESSION_KEY, None)
    update_session_auth_hash(request, request.user)
    if device is not None:
        otp_login(request, device)
    two_factor.two_factor_remember(request, enabled=device is not None)


@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator app, or one recovery code."""
    if request.user.is_verified() or not two_factor.two_factor_enabled(request.user):
        return redirect(_safe_next(request))
    codes_left = two_factor.recovery_codes_left(request.user)
    form = TwoFactorCodeForm(request.POST or None, recovery_codes=codes_left > 0)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _locked(request, form):
            status = LOCKED_STATUS
        else:
            check = two_factor.token_check(user=request.user, token=form.cleaned_data["code"])
            if check.device is None:
                code_attempt_failed(request, user=request.user)
                form.add_error(
                    "code",
                    check.message(
                        _(
                            "Koden stemmer ikke. Bruk den nyeste koden fra appen, eller en gjenopprettingskode."
                        )
                    ),
                )
            else:
                otp_login(request, check.device)
                return redirect(_safe_next(request))
    context = {"form": form, "next": _safe_next(request), "recovery_codes_left": codes_left}
    return render(request, "accounts/two_factor_verify.html", context, status=status)


def _status_page(request, *, disable_form=None, status: int = 200):
    """The security page of someone who has two-factor on."""
    codes_left = two_factor.recovery_codes_left(request.user)
    disable_form = disable_form or _disable_form(request)
    disable_form.fields["code"].widget.attrs.pop("autofocus", None)  # the page is not only this form
    return render(
        request,
        "accounts/two_factor_status.html",
        {
            "required": two_factor.two_factor_required(request.user),
            "disable_form": disable_form,
            "recovery_codes_left": codes_left,
        },
        status=status,
    )


def _codes_show(request, codes: list[str], *, then: str):
    """Post/redirect/get for new recovery codes: keep them for this session (`two_factor.recovery_codes_keep`) and
    send the browser to the page that shows them, so a reload shows the same codes again instead of making new
    ones. `then`: where "Ferdig" leads."""
    two_factor.recovery_codes_keep(request, codes)
    return redirect(f"{reverse('accounts:two_factor_recovery_codes')}?{urlencode({'next': then})}")


@never_cache  # the codes stay out of the browser's cache (and its back button after "Ferdig")
@login_required
def two_factor_recovery_codes(request):
    """The recovery codes just made (setting it up, new codes, a new app), for this session only: shown again on a
    reload, downloaded, copied and printed from the page; "Ferdig" (POST) stops showing them. A GET writes
    nothing."""
    if request.method == "POST":
        two_factor.recovery_codes_forget(request)
        return redirect(_safe_next(request, fallback="accounts:two_factor_setup"))
    codes = two_factor.recovery_codes_kept(request)
    if not codes:
        return redirect("accounts:two_factor_setup")
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {
            "codes": codes,
            "next": _safe_next(request, fallback="accounts:two_factor_setup"),
            "shown_minutes": two_factor.RECOVERY_CODES_SHOWN_SECONDS // 60,
        },
    )


def _disable_form(request, data=None):
    return TwoFactorCodeForm(
        data,
        auto_id="id_disable_%s",
        recovery_codes=two_factor.recovery_codes_left(request.user) > 0,
    )


def _recovery_codes_renew(request):
    """New recovery codes, after the house confirmation step: the old ones stop working at once."""
    if not confirm_requested(request):
        left = two_factor.recovery_codes_left(request.user)
        return confirm_page(
            request,
            title=_("Lage nye gjenopprettingskoder?"),
            lines=[
                ngettext(
                    "Du har %(count)s ubrukt gjenopprettingskode. Den slutter å virke med en gang.",
                    "Du har %(count)s ubrukte gjenopprettingskoder. De slutter å virke med en gang.",
                    left,
                )
                % {"count": left},
                _(
                    "Du får ti nye koder. De vises bare i denne nettleseren og bare en kort stund, så skriv dem ut "
                    "eller last dem ned med en gang."
                ),
            ],
            button=_("Lag nye gjenopprettingskoder"),
            cancel_url=reverse("accounts:two_factor_setup"),
            fields={"action": "recovery_codes"},
        )
    try:
        codes = two_factor.recovery_codes_replace(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two_factor_setup")
    messages.success(request, _("Du har fått nye gjenopprettingskoder. De gamle virker ikke lenger."))
    return _codes_show(request, codes, then=reverse("accounts:two_factor_setup"))


@login_required
def two_factor_setup(request):
    """Set up the authenticator app (everyone may; leadership must when the setting says so); with it on,
    the security page."""
    enabled = two_factor.two_factor_enabled(request.user)
    if enabled and not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    if enabled:
        if request.method == "POST" and request.POST.get("action") == "recovery_codes":
            return _recovery_codes_renew(request)
        return _status_page(request)
    device = _new_device(request)
    # Only a code from the app being set up turns it on: no recovery code exists yet, or would do here.
    form = TwoFactorCodeForm(request.POST or None, recovery_codes=False)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_confirm(user=request.user, device=device, token=form.cleaned_data["code"])
        if codes is None:
            form.add_error(
                "code", _("Koden stemmer ikke. Sjekk at klokken på telefonen går riktig, og prøv igjen.")
            )
        else:
            _signed_in_with(request, device)
            messages.success(request, _("To-trinns innlogging er slått på."))
            return _codes_show(request, codes, then=_safe_next(request))
    return _setup_page(request, device=device, form=form)


def _setup_page(request, *, device, form, replacing: bool = False, status: int = 200):
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.setup_qr_svg(device),
            "secret": two_factor.setup_secret(device),
            "required": two_factor.two_factor_required(request.user) and not replacing,
            "replacing": replacing,
            "next": _safe_next(request),
        },
        status=status,
    )


@login_required
def two_factor_replace(request):
    """A new authenticator (new phone): the old one keeps working until a code from the new one is accepted."""
    if not two_factor.two_factor_enabled(request.user):
        return redirect("accounts:two_factor_setup")
    device = _new_device(request)
    form = TwoFactorReplaceForm(
        request.POST or None, recovery_codes=two_factor.recovery_codes_left(request.user) > 0
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        if _locked(request, form):
            status = LOCKED_STATUS
        else:
            try:
                codes = two_factor.totp_replace(
                    user=request.user,
                    device=device,
                    current_code=form.cleaned_data["current_code"],
                    token=form.cleaned_data["code"],
                )
            except ValidationError as exc:
                if "current_code" in getattr(exc, "error_dict", {}):
                    code_attempt_failed(request, user=request.user)
                form_apply_error(form, exc)
            else:
                _signed_in_with(request, device)
                messages.success(
                    request, _("Den nye autentiseringsappen er i bruk. Den gamle virker ikke lenger.")
                )
                return _codes_show(request, codes, then=_safe_next(request))
    return _setup_page(request, device=device, form=form, replacing=True, status=status)


@login_required
@post_only("accounts:two_factor_setup")
def two_factor_disable(request):
    """Turn it off, confirmed with a current code. Refused (and not offered) where it is required."""
    if not two_factor.two_factor_enabled(request.user):
        return redirect("accounts:two_factor_setup")
    form = _disable_form(request, request.POST)
    if not form.is_valid():
        return _status_page(request, disable_form=form)
    if _locked(request, form):
        return _status_page(request, disable_form=form, status=LOCKED_STATUS)
    try:
        two_factor.two_factor_disable(user=request.user, code=form.cleaned_data["code"])
    except ValidationError as exc:
        if "code" in getattr(exc, "error_dict", {}):
            code_attempt_failed(request, user=request.user)
        form_apply_error(form, exc)
        return _status_page(request, disable_form=form)
    _signed_in_with(request, None)
    messages.success(
        request, _("To-trinns innlogging er slått av. Du logger inn med e-post og passord fra nå av.")
    )
    return redirect("accounts:dashboard")
