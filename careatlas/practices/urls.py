"""URLs for claiming profiles (/for-providers/) and practice pages (/practice/)."""

from django.urls import path, re_path

from careatlas.practices import claim_views, fact_views, practice_views, team_views

CLAIM = r"for-providers/claim/(?P<npi>[0-9]{10})"

app_name = "practices"
urlpatterns = [
    path("for-providers/", claim_views.for_providers, name="for_providers"),
    path("for-providers/claims/", claim_views.my_claims, name="claims"),
    re_path(rf"^{CLAIM}/$", claim_views.claim_start, name="claim"),
    re_path(rf"^{CLAIM}/phone/$", claim_views.claim_phone, name="claim_phone"),
    re_path(rf"^{CLAIM}/email/$", claim_views.claim_email, name="claim_email"),
    re_path(rf"^{CLAIM}/documents/$", claim_views.claim_documents, name="claim_documents"),
    path("for-providers/claims/<int:claim_id>/code/", claim_views.claim_code, name="claim_code"),
    path(
        "for-providers/claims/<int:claim_id>/confirm/<str:token>/",
        claim_views.confirm_email,
        name="confirm_email",
    ),
    path("practice/", practice_views.my_practices, name="mine"),
    path("practice/invitations/<str:token>/", team_views.invitation, name="invitation"),
    path("practice/<int:practice_id>/", practice_views.home, name="home"),
    path("practice/<int:practice_id>/audit/", practice_views.audit, name="audit"),
    path(
        "practice/<int:practice_id>/locations/<int:location_id>/",
        practice_views.location,
        name="location",
    ),
    path(
        "practice/<int:practice_id>/locations/<int:location_id>/facts/<slug:slug>/",
        fact_views.edit_location,
        name="edit_location",
    ),
    path(
        "practice/<int:practice_id>/practitioners/<int:role_id>/facts/<slug:slug>/",
        fact_views.edit_role,
        name="edit_role",
    ),
    path(
        "practice/<int:practice_id>/practitioners/<int:role_id>/procedures/<int:offered_id>/"
        "withdraw/",
        fact_views.withdraw_procedure,
        name="withdraw_procedure",
    ),
    path(
        "practice/<int:practice_id>/about/<slug:slug>/",
        fact_views.edit_practitioner,
        name="edit_practitioner",
    ),
    path(
        "practice/<int:practice_id>/about/photo/remove/",
        fact_views.remove_photo,
        name="remove_photo",
    ),
    path("practice/<int:practice_id>/confirm-all/", fact_views.confirm_all, name="confirm_all"),
    path("practice/<int:practice_id>/team/invite/", team_views.invite, name="invite"),
    path(
        "practice/<int:practice_id>/team/<int:member_id>/remove/",
        team_views.remove_member,
        name="remove_member",
    ),
    path(
        "practice/<int:practice_id>/invitations/<int:invitation_id>/cancel/",
        team_views.cancel_invitation,
        name="cancel_invitation",
    ),
]
