"""Two councils in one database (as in the national demo): each council's Big Plan, improvement areas,
comparators and local offer review queue are its own, and the duplicate-child check answers only about
the user's own council (security review, finding 15)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sendhub.accounts.models import Role
from sendhub.dashboard import services
from sendhub.dashboard.models import Action, Comparator, ImprovementArea
from sendhub.directory.models import DirectoryOrganisation, EntryDraft, EntryState
from sendhub.directory.tests.conftest import content
from sendhub.people.models import Child
from sendhub.people.services import ChildDetails, register_child
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(area):
    """Council A (area.la) and council B (area.other_la), each with a leader, a team manager and a Big Plan."""
    b = {
        "leader": f.UserFactory(role=Role.PARTNERSHIP_LEADER, organisation=area.other_la),
        "team_manager": f.UserFactory(role=Role.TEAM_MANAGER, organisation=area.other_la),
        "caseworker": area.users["other_caseworker"],
    }
    plans = {}
    for council, name in ((area.la, "A"), (area.other_la, "B")):
        plan_area = ImprovementArea.objects.create(title=f"Timeliness in council {name}", local_authority=council)
        action = Action.objects.create(area=plan_area, title=f"Weekly deadline review {name}", owner="Head of SEND",
                                       quarter="2026-Q4")
        plans[name] = (plan_area, action)
    services.refresh_snapshot(prerender=False)
    return area, b, plans


def _action_data(area_pk, version=1, title="Changed"):
    return {"version": version, "area": area_pk, "title": title, "owner": "Someone", "quarter": "2026-Q4",
            "status": "in_progress", "evidence": "", "metrics": []}


@pytest.mark.parametrize("role", ["caseworker", "leader", "team_manager"])
def test_a_council_sees_only_its_own_big_plan(two, client_for, role):
    area, b, plans = two
    html = client_for(area.users[role]).get("/dashboard/big-plan/").content.decode()
    assert "Weekly deadline review A" in html and "Weekly deadline review B" not in html
    html = client_for(b[role]).get("/dashboard/big-plan/").content.decode()
    assert "Weekly deadline review B" in html and "Weekly deadline review A" not in html


def test_a_council_cannot_open_or_change_another_councils_action(two, client_for):
    area, b, plans = two
    other_area, other_action = plans["B"]
    for role in ("leader", "team_manager"):
        client = client_for(area.users[role])
        assert client.get(f"/dashboard/big-plan/actions/{other_action.pk}/").status_code == 404
        assert client.post(f"/dashboard/big-plan/actions/{other_action.pk}/",
                           _action_data(other_area.pk)).status_code == 404
        response = client.post("/dashboard/big-plan/actions/new", _action_data(other_area.pk, title="Sneaked in"))
        assert response.status_code == 200 and "area" in response.context["form"].errors
    assert not Action.objects.filter(title__in=["Changed", "Sneaked in"]).exists()
    with pytest.raises(PermissionDenied):
        services.save_action(actor=area.users["team_manager"], action=other_action, expected_version=1,
                             **{k: v for k, v in _action_data(plans["A"][0], title="x").items() if k != "version"}
                             | {"area": plans["A"][0]})
    with pytest.raises(ValidationError):
        services.save_action(actor=area.users["team_manager"], area=other_area, title="x", owner="y",
                             quarter="2026-Q4", status="in_progress", evidence="", metrics=[])
    own_area, own_action = plans["A"]
    response = client_for(area.users["team_manager"]).post(f"/dashboard/big-plan/actions/{own_action.pk}/",
                                                            _action_data(own_area.pk))
    assert response.status_code == 302 and Action.objects.get(pk=own_action.pk).title == "Changed"


def test_a_new_improvement_area_belongs_to_the_council_that_added_it(two, client_for):
    area, b, plans = two
    client_for(area.users["team_manager"]).post("/dashboard/big-plan/areas/new", {"title": "Health advice in A"})
    added = ImprovementArea.objects.get(title="Health advice in A")
    assert added.local_authority == area.la
    assert "Health advice in A" not in client_for(b["leader"]).get("/dashboard/big-plan/").content.decode()
    assert "Health advice in A" not in client_for(b["team_manager"]).get(
        "/dashboard/big-plan/actions/new").content.decode()  # not offered as an area to put an action under


def test_comparators_are_the_councils_own_plus_the_partnerships(two, client_for):
    area, b, plans = two
    Comparator.objects.create(metric="final_plan_20w", value=Decimal("46.4"), period="2024", source="DfE")
    services.add_comparator(actor=area.users["leader"], metric="decision_6w", geography="regional",
                            area_name="Region A", value=Decimal("61.0"), period="2025", source="Council A's own")
    assert Comparator.objects.get(area_name="Region A").local_authority == area.la
    own = client_for(area.users["leader"]).get("/dashboard/targets/").content.decode()
    other = client_for(b["team_manager"]).get("/dashboard/targets/").content.decode()
    assert "Region A" in own and "Region A" not in other
    assert "46.4" in own and "46.4" in other  # England's published figure is shared
    from sendhub.dashboard import selectors

    assert list(selectors.comparators_for(area.other_la).values_list("area_name", flat=True)) == ["England"]


def _submitted(organisation, by, name):
    return EntryDraft.objects.create(organisation=organisation, content=content(name=name), state=EntryState.SUBMITTED,
                                     created_by=by)


def test_the_local_offer_review_queue_is_the_councils_own(two, client_for):
    area, b, plans = two
    from sendhub.directory import services as directory

    provider_b = f.ProviderFactory(local_authority=area.other_la)
    a_draft = _submitted(directory.organisation_for(area.provider), area.users["therapist"], "Talk Club A")
    b_draft = _submitted(directory.organisation_for(provider_b), b["team_manager"], "Talk Club B")
    charity = DirectoryOrganisation.objects.create(name="A charity with no staff here")
    charity_b = _submitted(charity, b["team_manager"], "Charity entry written in B")
    client_a = client_for(area.users["team_manager"])
    queue = client_a.get("/local-offer/review/").content.decode()
    assert "Talk Club A" in queue and "Talk Club B" not in queue and "Charity entry written in B" not in queue
    for draft in (b_draft, charity_b):
        assert client_a.get(f"/local-offer/review/{draft.pk}/").status_code == 404
        assert client_a.post(f"/local-offer/review/{draft.pk}/", {"version": draft.version, "publish": "1"}).status_code == 404
        assert client_a.get(f"/local-offer/drafts/{draft.pk}/").status_code == 403
        assert client_a.post(f"/local-offer/drafts/{draft.pk}/delete", {"version": draft.version}).status_code == 403
        draft.refresh_from_db()
        assert draft.state == EntryState.SUBMITTED
    client_b = client_for(b["team_manager"])
    queue_b = client_b.get("/local-offer/review/").content.decode()
    assert "Talk Club B" in queue_b and "Charity entry written in B" in queue_b and "Talk Club A" not in queue_b
    assert client_b.get(f"/local-offer/review/{a_draft.pk}/").status_code == 404


def _details(la, **overrides):
    values = dict(given_name="Robin", family_name="Example", preferred_name="", date_of_birth=date(2016, 3, 27),
                  nhs_number="943 476 5919", upn="B801200005001", primary_need="ASD", secondary_need="",
                  local_authority_id=la.pk, setting_id=None)
    values.update(overrides)
    return ChildDetails(**values)


def test_the_duplicate_child_check_answers_only_about_the_users_own_council(two):
    area, b, plans = two
    in_b = register_child(actor=b["caseworker"], details=_details(area.other_la))
    # The same NHS number, UPN, name and date of birth in council A: not a duplicate there, and nothing said of B.
    in_a = register_child(actor=area.users["caseworker"], details=_details(area.la))
    assert in_a.pk != in_b.pk and Child.objects.filter(nhs_number="9434765919").count() == 2
    # Within one council the check still works, naming each duplicate.
    with pytest.raises(ValidationError) as error:
        register_child(actor=area.users["caseworker"], details=_details(area.la))
    assert set(error.value.message_dict) == {"nhs_number", "upn", "__all__"}
    # A record changed in A is checked against A's children only.
    from sendhub.people.services import update_child

    changed = update_child(actor=b["caseworker"], child=in_b, details=_details(area.other_la, given_name="Robyn"),
                           expected_version=in_b.version)
    assert changed.given_name == "Robyn"


def test_recording_a_child_on_the_web_page_says_nothing_about_another_council(two):
    from sendhub.conftest import signed_in_client

    area, b, plans = two
    register_child(actor=b["caseworker"], details=_details(area.other_la))
    client = signed_in_client(area.users["caseworker"])
    response = client.post("/children/new", {
        "given_name": "Robin", "family_name": "Example", "date_of_birth-day": "27", "date_of_birth-month": "3",
        "date_of_birth-year": "2016", "nhs_number": "943 476 5919", "upn": "B801200005001", "primary_need": "ASD"})
    assert response.status_code == 302  # recorded: B's child with the same numbers is invisible to A
    assert Child.objects.filter(local_authority=area.la, nhs_number="9434765919").exists()
