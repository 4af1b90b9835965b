"""URLs for the author's link, reports, the policy page and the practice's Reviews page."""

from django.urls import path

from careatlas.reviews import practice_views, views

app_name = "reviews"
urlpatterns = [
    path("about/reviews/", views.policy, name="policy"),
    path("reviews/link/<str:token>/", views.link, name="link"),
    path("reviews/link/<str:token>/edit/", views.edit, name="edit"),
    path("reviews/link/<str:token>/delete/", views.delete, name="delete"),
    path("reviews/<int:review_id>/report/", views.report, name="report"),
    path("practice/<int:practice_id>/reviews/", practice_views.practice_reviews,
         name="practice_reviews"),
    path("practice/<int:practice_id>/reviews/<int:review_id>/reply/", practice_views.reply,
         name="reply"),
]  # fmt: skip
