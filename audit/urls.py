from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("objekt/<int:content_type_id>/<str:object_id>/", views.object_log, name="object_log"),
]
