"""Account URLs: allauth's pages under /accounts/, with our sign-in view and account home."""

from django.urls import include, path

from careatlas.accounts import views

app_name = "accounts"

# allauth's views are reversed by their own un-namespaced names ("account_login"), so they
# are included at the root of careatlas/urls.py; these are ours.
urlpatterns = [
    path("", views.home, name="home"),
]

allauth_urlpatterns = [
    # Before allauth's own sign-in URL: the same view, answering 429 when throttled.
    path("login/", views.sign_in, name="account_login"),
    path("", include("allauth.urls")),
]
