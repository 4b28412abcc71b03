from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.delivery_list, name="delivery_list"),
    path("<int:pk>/send-pa-nytt/", views.delivery_resend, name="delivery_resend"),
    path("<int:pk>/avbryt/", views.delivery_cancel, name="delivery_cancel"),
    path("<int:pk>/gjenopprett/", views.delivery_restore, name="delivery_restore"),
    path(
        "program/<int:program_id>/anledning/<str:code>/",
        views.occasion_setting_edit,
        name="occasion_setting_edit",
    ),
    path("program/<int:program_id>/anledning/<str:code>/pause/", views.occasion_pause, name="occasion_pause"),
    path(
        "program/<int:program_id>/anledning/<str:code>/e-post/",
        views.occasion_preview_mail,
        name="occasion_preview_mail",
    ),
]
