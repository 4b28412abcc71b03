import logging

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.fields import IdModelChoiceField
from core.widgets import QuickSelect

logger = logging.getLogger(__name__)


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Passord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Feil e-post eller passord. Merk at passordet skiller mellom store og små bokstaver."
        ),
        "inactive": _("Denne brukeren er deaktivert."),
    }


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(
        label=_("Navn"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label=_("Velg passord"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 10 tegn. Unngå vanlige ord og passord som bare består av tall."),
    )
    password_confirm = forms.CharField(
        label=_("Gjenta passordet"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("Passordene er ikke like."))
        return cleaned


class _RoleScopeFields(forms.Form):
    """Role plus the branch or municipality it applies to; the combination is checked on clean."""

    role = forms.ChoiceField(label=_("Rolle"))
    branch = IdModelChoiceField(
        label=_("Fylkesavdeling"),
        queryset=None,
        required=False,
        empty_label=_("– ingen –"),
        help_text=_("Bare for fylkesstyre."),
    )
    municipality = IdModelChoiceField(
        label=_("Kommune"),
        queryset=None,
        required=False,
        empty_label=_("– ingen –"),
        help_text=_("Bare for kommunekontakt."),
    )

    def __init__(self, *args, **kwargs):
        from municipalities.models import CountyBranch, Municipality

        from .models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("– velg rolle –")), *Role.choices]
        self.fields["branch"].queryset = CountyBranch.objects.filter(is_active=True).order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name", "number")
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.number})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .services import role_scope_validate

        cleaned = super().clean()
        role = cleaned.get("role")
        if role and "branch" not in self.errors and "municipality" not in self.errors:
            try:
                role_scope_validate(
                    role=role, branch=cleaned.get("branch"), municipality=cleaned.get("municipality")
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class InvitationForm(_RoleScopeFields):
    email = forms.EmailField(
        label=_("E-post"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    full_name = forms.CharField(label=_("Navn"), max_length=200, required=False)

    field_order = ["email", "full_name", "role", "branch", "municipality"]


class RoleAddForm(_RoleScopeFields):
    pass


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Søk etter navn eller e-post"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Rolle"), required=False, widget=QuickSelect)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Alle")), ("yes", _("Aktive")), ("no", _("Deaktiverte"))],
    )
    two_factor = forms.ChoiceField(
        label=_("To-trinns innlogging"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Alle")), ("on", _("På")), ("off", _("Av"))],
    )

    def __init__(self, *args, **kwargs):
        from .models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Alle roller")), *Role.choices, ("none", _("Uten rolle"))]


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the mail sent through our outbox like every other message."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.urls import reverse

        from reminders.outbox import Recipient, message_send

        from . import services

        user = context["user"]
        if services.mail_flood_reached(occasion="accounts.password_reset", email=to_email):
            # Said nowhere: the page reads the same whether or not the address exists or was flooded.
            logger.warning("Password reset mail to user %s skipped: hourly limit reached", user.pk)
            return
        path = reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        message_send(
            occasion="accounts.password_reset",
            key=f"reset:{context['uid']}:{context['token']}",
            recipients=[Recipient(email=to_email, name=user.full_name, user_id=user.pk)],
            template="accounts/email/password_reset",
            context={"full_name": user.full_name, "reset_path": path},
        )


# A field that takes a recovery code as well as the app's digits: a phone must not capitalise, correct or
# spell-check it (the codes are matched in lower case anyway, `recovery_codes.token_normalize`).
CODE_INPUT_ATTRS = {"inputmode": "text", "autocapitalize": "off", "autocorrect": "off", "spellcheck": "false"}


class TwoFactorCodeForm(forms.Form):
    """`recovery_codes`: whether a recovery code is an answer here (the person has unused ones, and the page
    takes them); the help text names them only then."""

    code = forms.CharField(
        label=_("Kode"),
        max_length=16,
        help_text=_("Seks sifre fra autentiseringsappen, eller en av gjenopprettingskodene dine."),
        widget=forms.TextInput(
            attrs={**CODE_INPUT_ATTRS, "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, recovery_codes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not recovery_codes:
            self.fields["code"].help_text = _("Seks sifre fra autentiseringsappen.")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"


class TwoFactorReplaceForm(forms.Form):
    current_code = forms.CharField(
        label=_("Kode fra appen du har nå"),
        max_length=16,
        help_text=_(
            "Seks sifre fra autentiseringsappen du bruker i dag, eller en av gjenopprettingskodene dine."
        ),
        widget=forms.TextInput(attrs={**CODE_INPUT_ATTRS, "autocomplete": "off", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Kode fra den nye appen"),
        max_length=16,
        help_text=_("Seks sifre fra appen du nettopp skannet QR-koden med."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, recovery_codes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not recovery_codes:
            self.fields["current_code"].help_text = _("Seks sifre fra autentiseringsappen du bruker i dag.")


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=500,
        help_text=_(
            "Står i loggen og i e-posten personen får, for eksempel «mistet telefonen, ringte 3. mars»."
        ),
        error_messages={"required": _("Skriv hvorfor to-trinns innloggingen nullstilles.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
