from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import InvitationAcceptForm, LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
