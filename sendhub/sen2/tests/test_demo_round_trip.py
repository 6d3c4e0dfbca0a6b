"""On a small demo council: export its SEN2, import it into an empty council, export again (the same bytes, the
same dashboard figures for what the return carries); the checks find nothing in the clean return and each mistake
planted in a copy of it. One test builds the demo once (about 10 s) and asks both questions of it."""

import copy
from collections import Counter
from datetime import date, timedelta

import pytest

from sendhub.clock.models import EventType
from sendhub.dashboard.selectors import REVIEW_MEETING_KEYS, case_facts
from sendhub.demo.area import DemoArea, Scale
from sendhub.organisations.models import Organisation
from sendhub.people.models import Child
from sendhub.reviews.models import AnnualReview
from sendhub.sen2 import checks, spec
from sendhub.sen2.build import build_return
from sendhub.sen2.importer import import_return, read_return

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # the demo's "today", fixed so the test does not change with the calendar
CENSUS = date(2027, 1, 21)  # after it, so everything the demo holds is in the return (period: 2026)
# The dashboard figures built only from what a SEN2 return carries (dates of requests, decisions, plans, reviews,
# mediation and appeal). Advice, plan wording, who a plan was sent to and review reports are not in the return.
CARRIED = ("final_plan_20w", "final_plan_20w_exc", "decision_6w", "refusals_to_assess", "refusals_mediation",
           "refusals_appealed", "reviews_on_time", "reviews_overdue", "phase_transfers_on_time")


def facts_by_child(la):
    children = Child.objects.filter(local_authority=la)
    key = {c.pk: (c.given_name, c.family_name, c.date_of_birth) for c in children}
    out: dict[tuple, Counter] = {}
    for f in case_facts(children, as_of=TODAY, metrics=CARRIED):
        out.setdefault(key[f.child_id], Counter())[(f.metric, f.month, f.in_numerator, f.outcome)] += 1
    return out


def figures(by_child, metrics) -> dict[str, tuple[int, int]]:
    sums = {m: [0, 0] for m in metrics}
    for facts in by_child.values():
        for (metric, _, yes, _), n in facts.items():
            if metric in sums:
                sums[metric][0] += yes * n
                sums[metric][1] += n
    return {m: tuple(v) for m, v in sums.items()}


def only(facts: Counter, review_meeting: bool) -> Counter:
    return Counter({k: n for k, n in facts.items() if (k[0] in ("reviews_on_time", "reviews_overdue")) == review_meeting})


def test_small_demo_round_trip_and_planted_mistakes():
    DemoArea(seed=2014, today=TODAY).build_area(0, Scale.parse("20"), with_demo_accounts=False)
    original = Organisation.objects.get(kind="local_authority", code="900")
    header = build_return(local_authority=original, census=CENSUS)
    first = spec.to_xml(header)
    assert len(header.children) >= 20

    # Round trip: into an empty council (the same file under another LA code), and out again.
    moved = first.replace(b"<LEA>900</LEA>", b"<LEA>901</LEA>")
    report = import_return(header=read_return(moved, "SEN2.xml"), raw=moved, file_name="SEN2.xml")
    assert report.ok, report.lines()
    imported = Organisation.objects.get(kind="local_authority", code="901")
    again = spec.to_xml(build_return(local_authority=imported, census=CENSUS))
    assert again.replace(b"<LEA>901</LEA>", b"<LEA>900</LEA>") == first

    # Dashboard figures: requests, decisions, plans within 20 weeks, refusals, mediation, appeals, phase transfers.
    before, after = facts_by_child(original), facts_by_child(imported)
    assert set(after) <= set(before)
    for child in before:
        assert only(after.get(child, Counter()), False) == only(before[child], False), child
    assessed = [m for m in CARRIED if not m.startswith("reviews_")]
    assert figures(before, assessed) == figures(after, assessed)
    assert figures(before, ["final_plan_20w"])["final_plan_20w"][1] > 0

    # Annual reviews held within 12 months: the return gives each plan's latest meeting, not the meeting before it
    # that the deadline ran from. Round by round, the imported council counts exactly what the return carries.
    kept = 0
    for review in (AnnualReview.objects.filter(plan__child__local_authority=original)
                   .select_related("plan__child").prefetch_related("events")):
        child = review.plan.child
        who = (child.given_name, child.family_name, child.date_of_birth)
        held = [e.date for e in review.events.all() if e.type == EventType.REVIEW_MEETING]
        copy_ = AnnualReview.objects.get(plan__child__local_authority=imported, plan__child__given_name=child.given_name,
                                         plan__child__family_name=child.family_name,
                                         plan__child__date_of_birth=child.date_of_birth)
        mine = only(after.get(who, Counter()), True)
        if not held:  # no meeting yet: the round runs from the plan's issue or the last meeting, both in the return
            assert copy_.previous_review_meeting == review.previous_review_meeting
            # Overdue: counted the same. The share held on time up to the census is left out (the meetings held
            # before it are not all in the return, so a share of the overdue alone would mislead).
            overdue = Counter({k: n for k, n in only(before.get(who, Counter()), True).items()
                               if k[0] == "reviews_overdue"})
            assert mine == overdue, who
            kept += sum(mine.values())
        elif held[0] >= date(CENSUS.year - 1, 1, 1):  # held in the period: the meeting before is not in the return
            assert mine == Counter() and copy_.events.filter(type=EventType.REVIEW_MEETING, date=held[0]).exists()
        else:  # held before the period: the return's last review, from which the next round runs
            assert copy_.previous_review_meeting == held[0]
    assert kept > 0

    # The checks: nothing wrong in the clean return (queries only where a plan really was late with no exception).
    problems = checks.check(header)
    assert [p for p in problems if p.severity == checks.ERROR] == []
    for p in problems:
        assert p.rule == "week20" and p.severity == checks.QUERY

    # Each planted mistake is found, on its own child's line, linking to that child's record.
    planted, h = {}, copy.deepcopy(header)
    people = list(h.kids("person"))
    decided = [p for p in people if any(r.get("requestoutcome") == "Y" and r.kids("assessment")
                                        for r in p.kids("requests"))]
    active = [p for p in people if p not in decided and any(r.kids("activeplans") for r in p.kids("requests"))]
    plain = [p for p in people if p not in decided and p not in active]
    assert len(decided) >= 4 and len(active) >= 4

    def plant(person, rule):
        planted[person.ref] = rule

    person = decided[0]  # dates out of order: decided before the request was received
    req = next(r for r in person.kids("requests") if r.get("requestoutcome") == "Y")
    req.values["requestoutcomedate"] = (date.fromisoformat(req.get("receiveddate")) - timedelta(days=3)).isoformat()
    plant(person, "order")
    person = decided[1]  # an outcome without its date
    next(r for r in person.kids("requests") if r.get("requestoutcome") == "Y").values.pop("requestoutcomedate")
    plant(person, "outcome_dates")
    person = decided[2]  # decided to assess, the assessment missing
    req = next(r for r in person.kids("requests") if r.get("requestoutcome") == "Y")
    req.children = [c for c in req.children if c.module != "assessment"]
    plant(person, "assessment_missing")
    person = next(p for p in decided[3:] if any(a.kids("namedplan") for r in p.kids("requests")
                                                for a in r.kids("assessment") if r.get("requestoutcome") == "Y"))
    # ...a plan issued after 20 weeks with no exception recorded (a query)
    req = next(r for r in person.kids("requests") if r.get("requestoutcome") == "Y"
               and any(a.kids("namedplan") for a in r.kids("assessment")))
    assessment = req.kids("assessment")[0]
    late = date.fromisoformat(req.get("receiveddate")) + timedelta(weeks=26)
    assessment.values.update(assessmentoutcome="Y", assessmentoutcomedate=late.isoformat(), week20="N")
    for plan in assessment.kids("namedplan"):
        plan.values["startdate"] = late.isoformat()
    plant(person, "week20")
    for person, strip in zip(active[:2], ("placementdetail", "senneed")):  # an active plan with no placement / need
        for req in person.kids("requests"):
            for plan in req.kids("activeplans"):
                plan.children = [c for c in plan.children if c.module != strip]
        plant(person, "active_plan")
    active[2].values["upn"] = active[2].get("upn")[:-1] + ("1" if active[2].get("upn")[-1] != "1" else "2")
    plant(active[2], "upn")
    active[3].values["postcode"] = "HD1 XYZ"
    plant(active[3], "postcode")
    twin = copy.deepcopy((plain or active)[-1])
    h.children.append(twin)  # the same person twice
    plant(twin, "duplicates")

    found = checks.check(h)
    children = {str(c.pk): c for c in Child.objects.filter(local_authority=original)}
    for ref, rule in planted.items():
        lines = [p for p in found if p.ref == ref and p.rule == rule]
        assert lines, (rule, children[ref])
        assert lines[0].line().startswith(f"{children[ref].given_name} {children[ref].family_name}")
    assert {p.rule for p in found if p.severity == checks.ERROR} == set(planted.values()) - {"week20"}
    assert {(p.ref, p.rule) for p in found if p.rule != "week20"} <= set(planted.items())
