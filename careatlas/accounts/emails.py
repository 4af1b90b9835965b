"""The one way the project sends email: render now, in the request, then send in a task."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django_tasks import task


def _template_names(template_name: str) -> tuple[str, str]:
    """The text template and its optional HTML twin: "a/b.txt" or "a/b" give both names."""
    path = PurePosixPath(template_name)
    stem = str(path.with_suffix("")) if path.suffix in {".txt", ".html"} else template_name
    return f"{stem}.txt", f"{stem}.html"


def send_email(to: list[str], subject: str, template_name: str, context: dict) -> None:
    """Render a text (and, if there is one, HTML) body and queue it for sending.

    Rendering happens here, in the caller's language and with its objects; the task gets
    only strings, so a slow or absent mail server never holds up a request. With the
    database backend the queued row is part of the caller's transaction: a request that
    rolls back sends nothing.
    """
    text_name, html_name = _template_names(template_name)
    body = render_to_string(text_name, context).strip()
    try:
        html_body = render_to_string(html_name, context).strip()
    except TemplateDoesNotExist:
        html_body = ""
    deliver_email.enqueue(
        subject=" ".join(str(subject).splitlines()).strip(),
        body=body,
        html_body=html_body,
        to=list(to),
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


@task()
def deliver_email(subject: str, body: str, html_body: str, to: list[str], from_email: str) -> int:
    """Send one rendered message through Django's configured backend; returns 1 if sent."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
