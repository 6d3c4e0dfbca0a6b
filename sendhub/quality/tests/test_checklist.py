"""Every automatic check on real-looking plan wording: text that must pass and text that must fail."""

from datetime import date

import pytest

from sendhub.quality import grading
from sendhub.quality import checklist as r

GOOD_PLAN = {
    "A": "Maya says: “I like drawing and horses. I want to have a friend to play with at lunchtime.”\n"
         "Her parents hope she will feel calm at school.",
    "B": "Maya has difficulty understanding spoken language and finds reading hard.",
    "C": "Maya has asthma, managed with an inhaler.",
    "D": "Maya's family need short breaks to care for her.",
    "E": "By the end of Key Stage 2, Maya will follow two-step instructions in class without a prompt.\n"
         "By July 2027, Maya will read a book band 8 text aloud with 90% accuracy.",
    "F": "Speech and language therapy weekly for 30 minutes by a speech and language therapist.\n"
         "A reading programme for 20 minutes daily delivered by a trained teaching assistant.",
    "G": "An asthma care plan, reviewed termly for 30 minutes by the school nurse.",
    "H1": "",
    "H2": "Short breaks: one overnight stay a month for 12 months, arranged by the children with disabilities team.",
    "I": "Oakfield Primary School (mainstream primary).",
    "J": "No personal budget has been requested.",
    "K": "Education advice from the class teacher; speech and language therapy advice; health advice.",
}


def facts(**changes) -> r.PlanFacts:
    sections = {**GOOD_PLAN, **changes.pop("sections", {})}
    return r.PlanFacts(sections=sections, given_name="Maya", **{"year_group": 5, **changes})


def problems(rule: str, plan: r.PlanFacts, settings: r.Settings = r.Settings()) -> list[r.Problem]:
    return r.BY_KEY[rule].check(plan, settings)


def test_a_good_plan_passes_every_rule():
    assert [res.rule.key for res in r.run(facts()) if not res.passed] == []


def test_every_rule_has_a_reason_and_a_paragraph():
    for rule in r.RULES:
        assert rule.reason and rule.paragraph.startswith(("CoP", "SEND")) and rule.sections


@pytest.mark.parametrize("text", [
    "Maya told us she likes horses and wants a friend.",
    "“I like drawing,” Maya said.",
    "In her own words: “school is too loud”.",
])
def test_child_voice_passes(text):
    assert problems("child_voice", facts(sections={"A": text})) == []


@pytest.mark.parametrize("text", [
    "Mum says Maya likes horses and wants a friend.",
    "Her parents hope she will settle at school. The school report she is happy.",
    "",
])
def test_child_voice_fails_on_other_peoples_views_only(text):
    assert problems("child_voice", facts(sections={"A": text}))


@pytest.mark.parametrize("f", [
    "Speech and language therapy weekly for 30 minutes by a speech and language therapist.",
    "A phonics programme delivered by a trained teaching assistant for 15 minutes each day.\n"
    "Small-group maths teaching with a specialist teacher, three sessions a week of 40 minutes.",
])
def test_provision_specific_passes(f):
    plan = facts(sections={"F": f, "B": "Maya has needs in communication."})
    assert problems("provision_specific", plan) == []


@pytest.mark.parametrize("f, said", [
    ("Access to speech therapy as required.", "access to"),
    ("Opportunities for small-group work with an adult, 20 minutes weekly.", "opportunities for"),
    ("Regular speech and language therapy from a therapist for 30 minutes.", "regular"),
    ("Speech and language therapy by a therapist.", "how often"),
    ("Speech and language therapy weekly for 30 minutes.", "who delivers it"),
])
def test_provision_specific_fails_on_vague_words(f, said):
    found = problems("provision_specific", facts(sections={"F": f}))
    assert found and said in found[0].message


def test_regular_with_a_frequency_is_quantified():
    f = "Regular speech therapy: weekly for 30 minutes by a speech and language therapist."
    assert problems("provision_specific", facts(sections={"F": f})) == []


def test_a_council_adds_its_own_watch_words():
    f = "Speech and language therapy weekly for 30 minutes by a speech and language therapist, with input."
    assert problems("provision_specific", facts(sections={"F": f})) == []
    found = problems("provision_specific", facts(sections={"F": f}), r.Settings(watch_words=("input",)))
    assert "“input”" in found[0].message


def test_needs_without_provision_fail():
    plan = facts(sections={"B": "Maya is very anxious and finds reading hard.",
                           "F": "A reading programme for 20 minutes daily by a trained teaching assistant."})
    assert [p.message for p in problems("needs_have_provision", plan)] == [
        "Section B describes social, emotional and mental health needs but section F has no provision for them, "
        "and gives no reason why not."]


def test_health_need_without_health_provision_fails_and_a_reason_passes():
    assert problems("needs_have_provision", facts(sections={"G": ""}))[0].section == "G"
    reason = "No health provision is needed because the asthma is managed at home."
    assert problems("needs_have_provision", facts(sections={"G": reason})) == []
    assert problems("needs_have_provision", facts(sections={"C": "No health needs.", "G": ""})) == []


def test_social_care_need_without_provision_fails_and_provision_or_a_reason_passes():
    assert problems("needs_have_provision", facts(sections={"H2": "", "H1": ""}))[0].section == "H2"
    short_breaks = "Short breaks: one overnight stay a month at Willow House, arranged by the disabled children's team."
    assert problems("needs_have_provision", facts(sections={"H1": "", "H2": short_breaks})) == []
    assert problems("needs_have_provision", facts(sections={"H1": short_breaks, "H2": ""})) == []
    reason = "No social care provision is needed because the family's needs are met by universal services."
    assert problems("needs_have_provision", facts(sections={"H1": "", "H2": reason})) == []


@pytest.mark.parametrize("e", [
    "By the end of Key Stage 2, Maya will read 50 common words.",
    "Within 12 months, Maya will travel to school on the bus with a friend.",
    "By the next annual review, Maya will ask for help using her card in 4 out of 5 lessons.",
])
def test_outcomes_pass_when_time_bound(e):
    assert problems("outcomes_smart", facts(sections={"E": e})) == []


@pytest.mark.parametrize("e", [
    "Maya will improve her reading.",
    "By July 2027 Maya will make good progress.",
    "",
])
def test_outcomes_fail_when_not_time_bound_or_not_specific(e):
    assert problems("outcomes_smart", facts(sections={"E": e}))


def test_preparing_for_adulthood_from_year_9():
    e = "By the end of Key Stage 4, Maya will read a bus timetable and travel to college independently."
    assert problems("preparing_for_adulthood", facts(sections={"E": e}, year_group=10)) == []
    plain = "By the end of Key Stage 4, Maya will read a short novel."
    assert problems("preparing_for_adulthood", facts(sections={"E": plain}, year_group=9))
    assert problems("preparing_for_adulthood", facts(sections={"E": plain}, year_group=8)) == []


SLT = r.Advice("Speech and language therapy", "Hannah Jones", date(2026, 3, 1),
               "Weekly speech and language therapy sessions focusing on understanding instructions and vocabulary.")


def test_advice_listed_and_reflected_passes():
    assert problems("advice_in_plan", facts(advice=[SLT])) == []


def test_advice_missing_from_k_or_not_reflected_fails():
    missing = facts(advice=[SLT], sections={"K": "Education advice."})
    assert "not listed in section K" in problems("advice_in_plan", missing)[0].message
    ignored = facts(advice=[SLT], sections={"F": "A reading programme for 20 minutes daily by a trained assistant."})
    assert "not reflected" in problems("advice_in_plan", ignored)[0].message


def test_advice_older_than_the_last_review_is_flagged():
    found = problems("advice_in_plan", facts(advice=[SLT], last_review_on=date(2026, 9, 1)))
    assert "older than the last review" in found[0].message
    fresh = r.Advice(SLT.source, "Hannah Jones", date(2026, 10, 1), SLT.recommendations)
    assert problems("advice_in_plan", facts(advice=[SLT, fresh], last_review_on=date(2026, 9, 1))) == []


@pytest.mark.parametrize("i, ok", [("Oakfield Primary School", True), ("A special school for autistic pupils", True),
                                   ("To be confirmed.", False), ("", False), ("Oakfield", False)])
def test_placement_named(i, ok):
    assert (problems("placement_named", facts(sections={"I": i})) == []) is ok


def test_personal_budget_when_asked_for():
    asked = "The family asked for a personal budget."
    assert problems("personal_budget", facts(sections={"J": asked}))
    done = "The family asked for a personal budget: £1,200 a year paid as a direct payment for the tutor in F."
    assert problems("personal_budget", facts(sections={"J": done})) == []
    assert problems("personal_budget", facts(sections={"J": "No personal budget has been requested."})) == []
    assert problems("personal_budget", facts(sections={"J": ""}))
    assert problems("personal_budget", facts(sections={"J": "Not requested."}, personal_budget_requested=True))


def test_amended_plan_changes_the_sections_the_review_named():
    before = dict(GOOD_PLAN)
    changed = facts(sections={"F": GOOD_PLAN["F"] + "\nSocial skills group weekly for 45 minutes with a teaching assistant."},
                    amend_decided=True, amend_sections=frozenset({"F"}), previous_sections=before)
    assert problems("amended_as_decided", changed) == []
    unchanged = facts(amend_decided=True, amend_sections=frozenset({"E", "F"}), previous_sections=before)
    assert [p.section for p in problems("amended_as_decided", unchanged)] == ["E", "F"]
    nothing = facts(amend_decided=True, previous_sections=before)
    assert problems("amended_as_decided", nothing)
    assert problems("amended_as_decided", facts(previous_sections=before)) == []  # no amend decision


def test_review_sections_read_from_the_recommended_changes():
    assert r.review_sections("Update sections E and F; section H1 to add short breaks.") == {"E", "F", "H1"}
    assert r.review_sections("No changes needed.") == frozenset()


def test_a_council_switches_a_rule_off():
    keys = [res.rule.key for res in r.run(facts(), r.Settings(disabled=frozenset({"placement_named"})))]
    assert "placement_named" not in keys and len(keys) == len(r.RULES) - 1


def test_overall_grade_is_weighted_and_limited_by_provision():
    weights = {code: w for code, (w, _) in grading.DEFAULT_RUBRIC.items()}
    assert grading.overall({c: "good" for c in weights}, weights) == ("good", 3.0)
    grade, score = grading.overall({**{c: "outstanding" for c in weights}, "F": "inadequate"}, weights)
    assert grade == "requires_improvement" and score > 3
    assert grading.overall({}, weights) == (None, None)
    assert grading.overall({"I": "inadequate", "F": "outstanding"}, weights) == ("good", 3.4)  # (4*4 + 1*1) / 5


def test_the_docs_list_every_rule_with_its_paragraph_and_the_rubric():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "plan-quality.md").read_text()
    for rule in r.RULES:
        assert f"`{rule.key}`" in text and rule.paragraph in text, rule.key
    for code, (weight, guidance) in grading.DEFAULT_RUBRIC.items():
        assert f"| {code} | {weight} | {guidance} |" in text, code
