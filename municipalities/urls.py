from django.urls import path

from . import views

app_name = "municipalities"

urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<int:pk>/", views.municipality_update, name="municipality_update"),
    path("fylkesavdelinger/", views.branch_list, name="branch_list"),
    path("fylkesavdelinger/ny/", views.branch_create, name="branch_create"),
    path("fylkesavdelinger/<int:pk>/", views.branch_update, name="branch_update"),
    path("fylker/<int:pk>/", views.county_update, name="county_update"),
]
