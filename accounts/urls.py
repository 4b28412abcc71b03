from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views, views_personal_data, views_two_factor
from .forms import PasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("helse/", views.health, name="health"),
    path("to-trinn/", views_two_factor.two_factor_verify, name="two_factor_verify"),
    path("to-trinn/oppsett/", views_two_factor.two_factor_setup, name="two_factor_setup"),
    path("to-trinn/ny-app/", views_two_factor.two_factor_replace, name="two_factor_replace"),
    path("to-trinn/slaa-av/", views_two_factor.two_factor_disable, name="two_factor_disable"),
    path("to-trinn/koder/", views_two_factor.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("invitasjon/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("personer/", views.people_list, name="people_list"),
    path("personer/inviter/", views.person_invite, name="person_invite"),
    path("personer/invitasjoner/", views.invitation_list, name="invitation_list"),
    path("personer/invitasjoner/<int:pk>/send-igjen/", views.invitation_resend, name="invitation_resend"),
    path("personer/invitasjoner/<int:pk>/trekk-tilbake/", views.invitation_cancel, name="invitation_cancel"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path(
        "personer/<int:pk>/roller/<int:assignment_id>/fjern/",
        views.person_role_remove,
        name="person_role_remove",
    ),
    path("personer/<int:pk>/deaktiver/", views.person_deactivate, name="person_deactivate"),
    path("personer/<int:pk>/aktiver/", views.person_reactivate, name="person_reactivate"),
    path(
        "personer/<int:pk>/to-trinn/nullstill/",
        views.person_two_factor_reset,
        name="person_two_factor_reset",
    ),
    path(
        "personer/<int:pk>/personopplysninger/",
        views_personal_data.person_data_export,
        name="person_data_export",
    ),
    path(
        "personer/<int:pk>/personopplysninger/last-ned/",
        views_personal_data.person_data_download,
        name="person_data_download",
    ),
    path("personer/<int:pk>/anonymiser/", views_personal_data.person_erase, name="person_erase"),
    path(
        "glemt-passord/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "glemt-passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "nytt-passord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "nytt-passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
