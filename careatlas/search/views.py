"""Placeholder views; replaced by the search module."""

from django.http import HttpResponse, JsonResponse


def results(request):
    return HttpResponse("")


def autocomplete(request):
    return JsonResponse({"results": []})
