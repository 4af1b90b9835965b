"""Provider directory URLs."""

from django.urls import path

from careatlas.providers import views

app_name = "providers"
urlpatterns = [path("", views.find, name="find")]
