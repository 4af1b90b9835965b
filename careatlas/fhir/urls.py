"""/fhir/: a read-only FHIR R4 API over the provider directory (outside the language prefix)."""

from django.urls import path, re_path

from careatlas.fhir import views

app_name = "fhir"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("<str:resource_type>", views.search, name="search"),
    path("<str:resource_type>/<str:resource_id>", views.read, name="read"),
    # Anything else (history, operations, a trailing slash) is an OperationOutcome, not HTML.
    re_path(r"^(?P<path>.*)$", views.unknown, name="unknown"),
]
