"""URLs for the patient's request pages and the practice's inbox."""

from django.urls import path, re_path

from careatlas.consultations import inbox_views, views

REQUEST = "practice/<int:practice_id>/requests/<int:request_id>/"

app_name = "consultations"
urlpatterns = [
    re_path(r"^consultations/new/(?P<npi>[0-9]{10})/$", views.new_request, name="new"),
    path("consultations/status/<str:token>/", views.status, name="status"),
    path("practice/<int:practice_id>/requests/", inbox_views.inbox, name="inbox"),
    path(REQUEST, inbox_views.detail, name="detail"),
    path(f"{REQUEST}status/", inbox_views.change_status, name="change_status"),
    path(f"{REQUEST}notes/", inbox_views.save_notes, name="save_notes"),
    path(f"{REQUEST}export/", inbox_views.export, name="export"),
]
