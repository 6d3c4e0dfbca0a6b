"""Letter templates cannot carry data out of sendhub (issue 15, finding 5), and the shipped letters are unchanged."""

from datetime import date

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from sendhub.letters import sandbox
from sendhub.letters.defaults import DEFAULTS
from sendhub.letters.models import Letter, LetterTemplate
from sendhub.letters.presenters import KINDS, Named
from sendhub.letters.services import template_for, write_letter
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 23)

ATTACKS = [
    "{{ child.involvements.all.0.professional.password }}",
    "{{ local_authority.children.all.0.nhs_number }}",
    "{{ child.account.totpdevice_set.all.0.key }}",
    "{{ child.nhs_number }}",
    "{% load static %}{% static 'x' %}",
    "{% load %}",
    "{% include 'letters/print.html' %}",
    "{% extends 'letters/print.html' %}",
    "{% ssi '/etc/passwd' %}",
    "{% debug %}",
    "{% for i in child.involvements.all %}{{ i }}{% endfor %}",
    "{{ reasons|safe }}",
    "{{ reasons|pprint }}",
    "{% if child.involvements.all.0.professional.password %}x{% endif %}",
    "{{ reasons|default:child.nhs_number }}",
]


def facts(area, **extra):
    return {"requester_name": "Pat Parent", "request_date": date(2026, 9, 1), "decision_date": ON,
            "letter_date": ON, "reasons": "Reasons in plain English.", "local_authority": area.la,
            "mediation_by": date(2027, 1, 23), "appeal_by": date(2027, 1, 23), **extra}


# Issue 14 changed the shipped "Who to contact" paragraph on purpose: it names the caseworker through the
# presenter's `contact`. Before, it always said "the SEND team"; with no caseworker allocated it still does.
OLD_CONTACT = ("Contact the SEND team at {{ local_authority }}{% if local_authority.email %} by email at "
               "{{ local_authority.email }}{% endif %}{% if local_authority.telephone %} or by telephone on "
               "{{ local_authority.telephone }}{% endif %}.")
NEW_CONTACT = ("Contact {{ contact }} at {{ local_authority }}{% if contact.email %} by email at {{ contact.email }}"
               "{% endif %}{% if contact.telephone %} or by telephone on {{ contact.telephone }}{% endif %}.")


# The letters shipped before issue 14 added one for every statutory step (test_statutory_letters.py).
DECISION_LETTERS = ["decision-not-to-assess", "decision-not-to-issue-plan", "review-amend", "review-cease",
                    "review-maintain"]


@pytest.mark.parametrize("key", DECISION_LETTERS)
@pytest.mark.parametrize("contact", [True, False])
def test_every_shipped_letter_validates_and_renders_exactly_as_before(key, contact, area):
    """With no caseworker allocated, every shipped letter reads word for word as it did before issue 14."""
    area.la.email, area.la.telephone = ("send@testshire.example", "0300 555 0100") if contact else ("", "")
    area.la.save()
    body = DEFAULTS[key][1]
    assert NEW_CONTACT in body
    sandbox.check_template(key, body)  # no problem
    given = facts(area, meeting_date=date(2026, 10, 1))
    old_body = body.replace(NEW_CONTACT, OLD_CONTACT)
    before = Template(old_body).render(Context({"child": area.child, **given}, autoescape=False))  # the old way
    after = sandbox.render(key, body, KINDS[key].present(area.child, given))
    assert after == before
    assert area.child.full_name in after and "Reasons in plain English." in after


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_every_shipped_letter_names_the_caseworker_and_the_teams_number(key, area):
    """Issue 14: a family's letter says who their caseworker is and how to reach the SEND team."""
    area.la.email, area.la.telephone = "send@testshire.example", "0300 555 0100"
    area.la.save()
    caseworker = area.users["caseworker"]
    f.InvolvementFactory(child=area.child, professional=caseworker, organisation=area.la, role="caseworker")
    after = sandbox.render(key, DEFAULTS[key][1],
                           KINDS[key].present(area.child, facts(area, meeting_date=date(2026, 10, 1))))
    assert (f"Contact {caseworker.full_name}, your caseworker, at {area.la.name} by email at send@testshire.example "
            "or by telephone on 0300 555 0100.") in after


def test_the_council_can_still_edit_with_if_and_the_listed_values(area):
    template = template_for("review-cease")
    template.body = ('Dear {{ requester_name }}, {{ child.given_name|upper }} {% if meeting_date %}met on '
                     '{{ meeting_date|date:"j F Y" }}{% else %}no meeting{% endif %}. {{ local_authority }}')
    template.full_clean()
    template.save()
    letter = write_letter(key="review-cease", child=area.child, actor=area.users["caseworker"],
                          context=facts(area, meeting_date=None))
    assert f"{area.child.given_name.upper()} no meeting. {area.la.name}" in letter.body_html


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_template_reaching_for_other_data_is_refused_when_saved(attack, area):
    template = template_for("decision-not-to-assess")
    template.body = f"Dear {{{{ requester_name }}}},\n\n{attack}"
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    message = " ".join(refused.value.message_dict["body"])
    assert "letter" in message or "mistake" in message
    assert LetterTemplate.objects.get(key="decision-not-to-assess").body == DEFAULTS["decision-not-to-assess"][1]


def test_the_refusal_names_the_problem(area):
    problems = sandbox.template_problems("decision-not-to-assess",
                                         "{{ child.involvements.all.0.professional.password }} {% load i18n %}")
    assert problems == ["Line 1: {% load %} is not allowed in a letter template: it could reach other templates, "
                        "code or data"]
    problems = sandbox.template_problems("decision-not-to-assess", "{{ child.involvements.all.0.professional.password }}")
    assert problems[0].startswith("{{ child.involvements.all.0.professional.password }} is not something this "
                                  "letter can use. You can use: child, child.full_name")
    assert "Invalid filter: 'pprint'" in sandbox.template_problems("review-amend", "{{ reasons|pprint }}")[0]
    assert "meeting_date" in sandbox.template_problems("decision-not-to-assess", "{{ meeting_date }}")[0]


def test_even_a_template_slipped_past_the_check_cannot_leak(area):
    """Written straight into the database (no clean()), the attack still finds only plain values."""
    area.users["therapist"].password = make_password("secret-therapist-password")
    area.users["therapist"].save()
    context = KINDS["decision-not-to-assess"].present(area.child, facts(area))
    for value in context.values():
        assert value is None or isinstance(value, (str, date, Named))
        if isinstance(value, Named):
            assert all(isinstance(v, str) for v in value.values())
    leaked = sandbox.ENGINE.from_string(
        "[{{ child.involvements.all.0.professional.password }}][{{ local_authority.children.all.0.nhs_number }}]"
        "[{{ child.nhs_number }}]").render(Context(context, autoescape=False))
    assert leaked == "[][][]"
    with pytest.raises(Exception):
        sandbox.ENGINE.from_string("{% load static %}")
    with pytest.raises(Exception):
        sandbox.ENGINE.from_string("{% include 'letters/print.html' %}")

    LetterTemplate.objects.filter(key="decision-not-to-assess").delete()
    LetterTemplate.objects.create(key="decision-not-to-assess", title="Decision",
                                  body="{{ child.involvements.all.0.professional.password }}")
    with pytest.raises(ValidationError, match="cannot be used"):
        write_letter(key="decision-not-to-assess", child=area.child, actor=area.users["caseworker"],
                     context=facts(area))
    assert not Letter.objects.exists()


def test_the_admin_form_refuses_an_attack_with_the_message_beside_the_body(area, client_for):
    template = template_for("decision-not-to-assess")
    client = client_for(area.users["administrator"])
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    page = client.get(url)
    assert "child.given_name" in page.content.decode()  # what you can use is listed
    response = client.post(url, {"title": template.title,
                                 "body": "Dear {{ child.involvements.all.0.professional.password }}"})
    assert response.status_code == 200
    assert "is not something this letter can use" in " ".join(response.context["adminform"].form.errors["body"])
    response = client.post(url, {"title": template.title, "body": "{% load i18n %}Dear {{ requester_name }}"})
    assert "{% load %} is not allowed" in " ".join(response.context["adminform"].form.errors["body"])
    template.refresh_from_db()
    assert template.body == DEFAULTS["decision-not-to-assess"][1]
    ok = client.post(url, {"title": template.title, "body": "Dear {{ requester_name }}, {{ reasons }}"})
    assert ok.status_code == 302


def test_every_presenter_gives_exactly_the_values_its_kind_lists(area):
    for key, kind in KINDS.items():
        context = kind.present(area.child, facts(area, meeting_date=ON))
        paths = set(context) | {f"{name}.{sub}" for name, value in context.items() if isinstance(value, dict)
                                for sub in value if sub != "name" or name == "local_authority"}
        assert paths == set(kind.variables), key
