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
    # Before allauth's own URLs: the same views, answering 429 when a limit refused them.
    path("login/", views.sign_in, name="account_login"),
    path("reauthenticate/", views.reauthenticate, name="account_reauthenticate"),
    path("2fa/authenticate/", views.mfa_authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", views.mfa_reauthenticate, name="mfa_reauthenticate"),
    path("", include("allauth.urls")),
]
