"""Public URLs of guides, specialties and conditions."""

from django.urls import path

from careatlas.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.home, name="home"),
    path("procedures/", views.guide_list, name="guides"),
    path("procedures/<slug:slug>/", views.guide_detail, name="guide"),
    path("procedures/<slug:slug>/illustration.svg", views.illustration, name="illustration"),
    path(
        "procedures/<slug:slug>/preview/<str:language>/", views.guide_preview, name="guide_preview"
    ),
    path("specialties/", views.specialty_list, name="specialties"),
    path("specialties/<slug:slug>/", views.specialty_detail, name="specialty"),
    path("conditions/", views.condition_list, name="conditions"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition"),
    path("compare/", views.compare, name="compare"),
    path("about/figures/", views.figure_policy, name="figure_policy"),
    path("about/editorial-policy/", views.editorial_policy, name="editorial_policy"),
]
