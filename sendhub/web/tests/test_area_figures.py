"""Area figures for leaders: a hidden count cannot be worked out from the total (security review, finding 3)."""

import pytest
from django.urls import reverse

from sendhub.testing import factories as f
from sendhub.web.figures import protected_table

pytestmark = pytest.mark.django_db


def test_a_small_need_and_the_next_smallest_are_hidden_so_the_total_gives_nothing_away(area, client_for):
    for need, count in (("ASD", 7), ("SLCN", 3), ("MLD", 6)):
        for _ in range(count):
            f.EHCPlanFactory(child=f.ChildFactory(local_authority=area.la, primary_need=need))
    figures = client_for(area.users["leader"]).get(reverse("web:area-figures")).context["figures"]
    rows = {r["need"]: r for r in figures["by_need"]}
    total = int(figures["plans_total"])
    assert total == 16
    shown = [int(r["count"]) for r in rows.values() if r["count"] != "not shown"]
    hidden = [r for r in rows.values() if r["count"] == "not shown"]
    assert len(hidden) == 2 and all(r["share"] == "" for r in hidden)
    assert total - sum(shown) == 9  # two needs together: neither the 3 nor the 6 on its own
    ages = figures["by_age"]
    age_shown = sum(int(r["count"]) for r in ages if r["count"] != "not shown")
    assert age_shown == total or total - age_shown >= 5 + sum(1 for r in ages if r["count"] == "not shown")


def test_protected_table_shares_only_for_counts_shown():
    rows = protected_table(["a", "b", "c", "d"], [20, 2, 8, 0])
    assert [r["count"] for r in rows] == ["20", "not shown", "not shown", "0"]
    assert rows[0]["share"] == "66.7%" and rows[3]["share"] == "0.0%"
