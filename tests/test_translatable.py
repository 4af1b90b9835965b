"""`make lint` fails on user-facing text that is not marked for translation."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careatlas.core.translatable import python_findings, template_findings


def _template(tmp_path: Path, text: str, name: str = "page.html") -> list[str]:
    path = tmp_path / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [finding.text for finding in template_findings(path)]


def test_the_project_has_no_unmarked_text():
    call_command("check_translatable")


def test_bare_text_and_attributes_are_found(tmp_path):
    found = _template(
        tmp_path,
        '{% load i18n %}<h1>Find a doctor</h1>\n<img alt="A map" src="x.png">'
        '<input placeholder="Your ZIP"><button value="Send it">{% translate "Go" %}</button>'
        '<meta name="description" content="Guides to care">',
    )
    assert found == ["Find a doctor", "A map", "Your ZIP", "Send it", "Guides to care"]


def test_translated_variable_and_machine_text_is_not(tmp_path):
    found = _template(
        tmp_path,
        '{% load i18n %}<h1>{% translate "Find a doctor" %}</h1>'
        "{% blocktranslate with n=count %}{{ n }} found{% endblocktranslate %}"
        "<p>{{ name }} · {{ SITE_NAME }} – CareAtlas (NPI {{ npi }})</p>"
        '<a href="/x" class="button" title="{% translate "Open" %}">{{ label }}</a>'
        "{% comment %}Editors' note{% endcomment %}<script>var a = 'words here';</script>",
    )
    assert found == []


def test_an_email_line_is_found_with_its_line_number(tmp_path):
    path = tmp_path / "templates" / "mail.txt"
    path.parent.mkdir(parents=True)
    path.write_text('{% load i18n %}{% translate "Hello" %}\n\nThank you for writing.\n')
    assert [(f.line, f.text) for f in template_findings(path)] == [(3, "Thank you for writing.")]


def test_python_literals_given_to_users_are_found(tmp_path):
    path = tmp_path / "forms.py"
    path.write_text(
        "from django.utils.translation import gettext as _\n"
        "name = forms.CharField(label='Your name', help_text=_('As on your card'))\n"
        "raise ValidationError('Enter a ZIP code')\n"
        "messages.success(request, 'Saved')\n"
        "logger.error('not for users %s', x)\n"
        "form.add_error('zip', 'Not a US ZIP code')\n"
        "self.message_user(request, 'Published')\n"
    )
    assert [(f.line, f.text) for f in python_findings(path)] == [
        (2, "Your name"),
        (3, "Enter a ZIP code"),
        (4, "Saved"),
        (6, "Not a US ZIP code"),
        (7, "Published"),
    ]


def test_the_command_fails_and_names_the_place(tmp_path, monkeypatch, capsys):
    _template(tmp_path, "<p>Not marked</p>", "careatlas/templates/x.html")
    monkeypatch.setattr("careatlas.core.management.commands.check_translatable.PACKAGE", tmp_path)
    with pytest.raises(CommandError, match="1 user-facing text"):
        call_command("check_translatable")
    assert "x.html:1: 'Not marked'" in capsys.readouterr().err
