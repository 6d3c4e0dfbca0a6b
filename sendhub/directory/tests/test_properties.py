"""Properties: a feed of any shape gets a report, never a crash; postcodes and distances behave."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendhub.directory import feeds, postcodes

from .conftest import ORUK

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)
EXAMPLE = json.loads((ORUK / "examples" / "service_full.json").read_text()) if (ORUK / "examples").exists() else {}


@pytest.mark.django_db
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(EXAMPLE) or ["id"]), value=json_values)
def test_any_field_of_any_shape_gets_a_report_not_a_crash(field, value):
    item = dict(EXAMPLE, **{field: value})
    report = feeds.read_json(json.dumps([item]).encode(), default_category="voluntary")
    assert report.ok or report.errors
    # Either each problem is placed on the service, or the whole file is refused with one reason (the
    # streaming reader refuses what is not standard JSON, such as Infinity or integers past 64 bits).
    places = [where for where, _ in report.errors]
    assert places == ["File"] or all(where.startswith("Service 1") for where in places)
    assert all(message for _, message in report.errors)


def test_a_feed_that_is_not_standard_json_is_refused_as_a_file():
    """Python writes Infinity into "JSON"; the streaming reader refuses it as a whole file, with a reason."""
    item = dict(EXAMPLE, accreditations=float("inf"))
    report = feeds.read_json(json.dumps([item]).encode(), default_category="voluntary")
    assert not report.rows and [where for where, _ in report.errors] == ["File"]


@given(district=st.sampled_from(sorted(postcodes.districts())), digit=st.integers(0, 9),
       letters=st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2), spaces=st.sampled_from(["", " ", "  "]))
def test_a_full_postcode_is_placed_by_its_district(district, digit, letters, spaces):
    place = postcodes.locate(f"{district}{spaces}{digit}{letters}".lower())
    assert place.outward == district


@given(st.floats(-89, 89), st.floats(-179, 179), st.floats(-89, 89), st.floats(-179, 179))
def test_distance_is_symmetric_and_never_negative(lat1, lon1, lat2, lon2):
    there = postcodes.miles_between(lat1, lon1, lat2, lon2)
    assert there >= 0 and there == pytest.approx(postcodes.miles_between(lat2, lon2, lat1, lon1), abs=1e-6)
    assert postcodes.miles_between(lat1, lon1, lat1, lon1) == pytest.approx(0, abs=1e-6)
