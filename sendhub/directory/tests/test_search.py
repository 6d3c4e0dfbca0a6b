"""The public search and service pages, and the search-URL contract /local-offer/?need=SLCN&age=7."""

import pytest
from django.template import Context, Template

from sendhub.directory import postcodes
from sendhub.directory.templatetags.local_offer import search_url

from .conftest import bulk_services, make_service


def names(response) -> list[str]:
    return [s.name for s in response.context["results"].services]


@pytest.fixture
def offer(db):
    make_service(name="Talk Together", needs=["SLCN"], minimum_age=2, maximum_age=11,
                 while_waiting="Weekly drop-in for families waiting for speech and language therapy")
    make_service(name="Teen Talk", needs=["SLCN"], minimum_age=13, maximum_age=19)
    make_service(name="Parent Carer Forum", needs=["ANY"], minimum_age=None, maximum_age=None,
                 category="parent_carer_forum", locations=[{"location_type": "virtual", "name": "Online"}])
    make_service(name="Wheels", needs=["PD"], minimum_age=0, maximum_age=18, category="health.wheelchair",
                 self_referral=False, locations=[{"location_type": "physical", "address_1": "Mill Lane",
                                                  "city": "Holmfirth", "postcode": "HD9 7AB", "accessibility": ""}])


def test_the_search_url_contract(client, offer):
    response = client.get("/local-offer/?need=SLCN&age=7")
    assert response.status_code == 200
    assert names(response) == ["Parent Carer Forum", "Talk Together"]  # the need, or any need; age 7 fits
    assert "2 services for speech, language and communication needs, age 7" in response.content.decode()
    assert search_url(need="SLCN", age=7) == "/local-offer/?need=SLCN&age=7"
    assert search_url(need="ASD", age=4, while_waiting=True) == "/local-offer/?need=ASD&age=4&waiting=1"


def test_the_child_link_carries_need_and_age(area):
    child = area.child
    child.primary_need = "SLCN"
    html = Template("{% load local_offer %}{% local_offer_url child %}").render(Context({"child": child}))
    assert html == f"/local-offer/?need=SLCN&amp;age={child.age()}"


def test_filters_on_the_page(client, offer):
    assert names(client.get("/local-offer/?need=PD")) == ["Parent Carer Forum", "Wheels"]
    assert names(client.get("/local-offer/?category=health")) == ["Talk Together", "Teen Talk", "Wheels"]
    assert names(client.get("/local-offer/?category=health.wheelchair")) == ["Wheels"]
    assert names(client.get("/local-offer/?q=teen+talk")) == ["Teen Talk"]
    assert names(client.get("/local-offer/?q=calder+community")) == ["Parent Carer Forum", "Talk Together", "Teen Talk", "Wheels"]
    assert names(client.get("/local-offer/?waiting=1")) == ["Talk Together"]
    assert names(client.get("/local-offer/?self_referral=1&need=PD")) == ["Parent Carer Forum"]
    assert names(client.get("/local-offer/?age=15")) == ["Parent Carer Forum", "Teen Talk", "Wheels"]


def test_distance_from_a_postcode(client, offer):
    response = client.get("/local-offer/?postcode=hd9+7xy")
    results = response.context["results"]
    assert results.place.outward == "HD9"
    # nearest place first; a service with no place to visit stays, after the places
    assert names(response) == ["Wheels", "Talk Together", "Teen Talk", "Parent Carer Forum"]
    assert "miles away" in response.content.decode() and "Online or by phone" in response.content.decode()
    assert names(client.get("/local-offer/?postcode=HD9&distance=3")) == ["Wheels", "Parent Carer Forum"]
    assert names(client.get("/local-offer/?postcode=HD1+2AB&distance=1")) == ["Talk Together", "Teen Talk",
                                                                                  "Parent Carer Forum"]


@pytest.mark.parametrize("query, message", [
    ("postcode=ZZ9+9ZZ", "We cannot find ZZ9"),
    ("postcode=not+a+postcode", "Enter a real postcode"),
    ("distance=5", "Enter a postcode to search by distance"),
    ("age=seven", "Age must be a whole number of years"),
    ("age=40", "Age must be 25 or less"),
    ("need=XYZ", "Select a need from the list"),
    ("category=space", "Select a kind of service from the list"),
])
def test_bad_searches_get_a_clear_error(client, offer, query, message):
    response = client.get(f"/local-offer/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert "<title>Error:" in page


def test_search_pages_through_thousands_in_few_queries(client, db, django_assert_max_num_queries):
    bulk_services(3000)
    with django_assert_max_num_queries(8):
        response = client.get("/local-offer/?need=SLCN&age=7&page=3")
    results = response.context["results"]
    assert results.total == sum(1 for i in range(3000) if i % 5 in (0, 4) and i % 10 <= 7 <= i % 10 + 8)
    assert results.page == 3 and len(results.services) == 20
    assert 'rel="next"' in response.content.decode() and "page=4" in response.content.decode()
    with django_assert_max_num_queries(8):
        near = client.get("/local-offer/?postcode=HD9+1AA&distance=3&page=2")
    assert near.context["results"].total == 1500


def test_service_page_is_plain_and_complete(client, offer):
    talk = client.get("/local-offer/?q=talk+together").context["results"].services[0]
    page = client.get(f"/local-offer/services/{talk.pk}").content.decode()
    for text in ["Talk Together", "2 to 11", "Speech, language and communication needs",
                 "You can contact this service yourself", "Free.", "1 Hill Street", "HD1 2AB", "Monday, Wednesday",
                 "9:30am to midday", "01632 960 001", "Help while you wait", "last checked this information"]:
        assert text in page, text
    assert client.get("/local-offer/services/00000000-0000-0000-0000-000000000000").status_code == 404


def test_easy_read_where_provided(client, db):
    with_easy = make_service(name="Easy", easy_read="We help you talk.\n\nIt is free.")
    without = make_service(name="Plain")
    assert "Read an easy-read version" in client.get(f"/local-offer/services/{with_easy.pk}").content.decode()
    assert "We help you talk." in client.get(f"/local-offer/services/{with_easy.pk}/easy-read").content.decode()
    assert client.get(f"/local-offer/services/{without.pk}/easy-read").status_code == 404


def test_closed_services_are_not_found_by_search(client, db):
    make_service(name="Gone", status="defunct")
    make_service(name="Paused", status="temporarily closed")
    assert names(client.get("/local-offer/")) == ["Paused"]


def test_postcode_parsing_and_distance():
    assert postcodes.outward_code("hd1 2ab") == "HD1"
    assert postcodes.outward_code("WF13 4XY") == "WF13"
    assert postcodes.outward_code("wf13") == "WF13"
    with pytest.raises(postcodes.UnknownPostcode):
        postcodes.outward_code("12345")
    with pytest.raises(postcodes.UnknownPostcode, match="We cannot find SW1A"):
        postcodes.locate("SW1A 1AA")
    # London to Edinburgh is about 330 miles as the crow flies
    assert 325 < postcodes.miles_between(51.5074, -0.1278, 55.9533, -3.1883) < 335
    hd1, hd9 = postcodes.locate("HD1"), postcodes.locate("HD9")
    assert 4 < postcodes.miles_between(hd1.latitude, hd1.longitude, hd9.latitude, hd9.longitude) < 6
