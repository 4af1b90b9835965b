"""Back-office decisions that need a reason the affected person reads (claims, reviews)."""

from collections.abc import Callable

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpRequest
from django.template.response import TemplateResponse


def decide_with_reason(
    model_admin,
    request: HttpRequest,
    queryset,
    *,
    action: str,
    decide: Callable,
    statuses: list[str],
    form_class: type[forms.Form],
    title: str,
    explanation: str,
    on_done: Callable[[int, int], None],
) -> TemplateResponse | None:
    """An admin action's intermediate page asks for the reason, then calls
    `decide(obj, user, reason)` for each selected object in one of `statuses`."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = 0
        for obj in queryset.filter(status__in=statuses):
            decide(obj, request.user, form.cleaned_data["reason"])
            done += 1
        on_done(done, queryset.count())
        return None
    return TemplateResponse(
        request,
        "admin/decide_with_reason.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "explanation": explanation,
            "opts": model_admin.model._meta,
            "objects": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )
