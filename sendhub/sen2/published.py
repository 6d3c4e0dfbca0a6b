"""Reading the DfE's "Education, health and care plans" release files (explore-education-statistics).

Pure Python (no Django). Columns are matched by name, ignoring case, so the 2025 names and the 2026 renames
(`PC_plans_issued_20_weeks_ex` became `pc_plans_issued_20_weeks_ex`) both load; the 2026 additions
(`avg_weeks_issue_plan`, Down syndrome `number_ds`/`ds_pc`) are known. A file or a column not listed here is
refused with a report naming it, rather than guessed at. Only each file's headline rows are loaded (the
`breakdown_topic` "All …" rows); breakdowns by age, need or setting are left in the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

RELEASE = "DfE, Education, health and care plans"
ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence v3.0 "
               "(Department for Education)")
SOURCE_URL = "https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans"
SUPPRESSED = {"x", "c", "z", "u", "low", ":", ""}

COMMON = {"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
          "region_name", "new_la_code", "old_la_code", "la_name", "breakdown_topic", "breakdown"}


@dataclass(frozen=True)
class Measure:
    key: str
    file: str
    column: str  # lower case
    title: str
    percent: bool
    metric: str = ""  # the dashboard figure it sits beside, if any


MEASURES: tuple[Measure, ...] = (
    Measure("final_plan_20w_exc", "timeliness_20_week", "pc_plans_issued_20_weeks_ex",
            "EHC plans issued within 20 weeks, excluding exceptions", True, "final_plan_20w_exc"),
    Measure("final_plan_20w", "timeliness_20_week", "pc_plans_issued_within_20_weeks",
            "EHC plans issued within 20 weeks, including exceptions", True, "final_plan_20w"),
    Measure("plans_issued", "timeliness_20_week", "plans_issued_den", "New EHC plans issued", False),
    Measure("plans_issued_ex", "timeliness_20_week", "plans_issued_den_ex",
            "New EHC plans issued, leaving out those where an exception applied", False),
    Measure("plans_issued_20w_ex", "timeliness_20_week", "plans_issued_20_weeks_ex",
            "New EHC plans issued within 20 weeks, excluding exceptions", False),
    Measure("avg_weeks_issue_plan", "timeliness_20_week", "avg_weeks_issue_plan",
            "Average weeks from request to plan", False),
    Measure("requests_received", "requests", "requests_received_in_year",
            "Requests for an EHC needs assessment", False),
    Measure("decision_6w", "requests", "request_outcome_six_weeks_pc",
            "Decisions whether to assess made within 6 weeks", True, "decision_6w"),
    Measure("refusals_to_assess", "requests", "requests_decided_not_to_assess", "Decisions not to assess", False,
            "refusals_to_assess"),
    Measure("refused_pc", "requests", "request_not_assess_pc", "Requests refused", True),
    Measure("review_decision_4w", "annual_reviews", "pc_decsion_4weeks",
            "Annual review outcomes communicated within 4 weeks", True),
    Measure("plans_ceased", "ceased_plans", "total_ceased", "EHC plans ceased", False),
    Measure("active_plans", "sen_needs_all_plans", "ehc_plans", "EHC plans in January", False),
    Measure("assessments_issued_pc", "assessments", "assess_issued_pc", "Assessments leading to a plan", True),
)
BY_KEY = {m.key: m for m in MEASURES}

# Every column each file may have; those not in MEASURES are understood and left alone.
KNOWN = {
    "timeliness_20_week": {"plans_issued_den", "plans_issued_den_ex", "plans_issued_within_20_weeks",
                           "plans_issued_20_weeks_ex", "pc_plans_issued_within_20_weeks", "pc_plans_issued_20_weeks_ex",
                           "plans_issued_gt20weeks_ltyear", "plans_issued_gt20weeks_ltyear_ex",
                           "pc_plans_issued_gt20weeks_ltyear", "pc_plans_issued_gt20weeks_ltyear_ex",
                           "plans_issued_gt_1_year", "plans_issued_gt_1_year_ex", "pc_plans_issued_gt_1_year",
                           "pc_plans_issued_gt_1_year_ex", "avg_weeks_issue_plan"},
    "requests": {"requests_received_in_year", "requests_rya", "requests_decided_to_assess",
                 "requests_decided_not_to_assess", "requests_decision_not_made", "requests_withdrawn",
                 "request_assess_pc", "request_not_assess_pc", "request_outstanding_pc", "request_withdrawn_pc",
                 "request_outcome_six_weeks", "request_outcome_over_6_weeks", "request_outcome_six_weeks_pc",
                 "request_outcome_over_6_weeks_pc", "mediation_related_request", "tribunal_related_request",
                 "tribunal_after_mediation_request"},
    "annual_reviews": {"total_ehc_plans", "review_expected", "review_not_expected", "review_meeting_25",
                       "review_meeting_24", "review_meeting_prior_24", "total_review_meeting", "no_review_meeting",
                       "review_decision25", "review_decision24", "review_decision_prior24", "review_decision_not_due",
                       "review_decision_outstanding", "outcome_amend", "outcome_cease", "outcome_maintan",
                       "no_outcome", "number_decsion_4weeks", "number_decision_gt_4weeks", "pc_decsion_4weeks",
                       "pc_decision_gt_4weeks"},
    "assessments": {"assess_in_year", "assess_issued", "assess_issued_pc", "assess_not_issued", "assess_not_issued_pc",
                    "assess_not_made", "assess_not_made_pc", "assess_withdrawn", "assess_withdrawn_pc",
                    "outcome_decision_within_time", "outcome_decision_over_time", "outcome_decision_within_time_pc",
                    "outcome_decision_over_time_pc", "number_assess_mediation", "number_assess_tribunal",
                    "number_asssess_mediation_tribunal", "number_other_mediation", "number_other_tribunal",
                    "number_other_mediation_tribunal"},
    "ceased_plans": {"max_age", "needs_met", "he", "employ", "transfer", "no_engage", "moved_outside_eng", "deceased",
                     "not_rec", "other", "total_ceased"},
    "personal_budgets": {"personal_budget", "org_arrangments", "pb_health", "pb_education", "pb_social",
                         "pb_integrated"},
    "sen_needs_all_plans": {"ehc_plans", *(f"number_{n}" for n in (
        "asd", "hi", "mld", "msi", "oth", "pd", "pmld", "semh", "slcn", "sld", "spld", "vi", "need_unknown", "ds")),
        *(f"{n}_pc" for n in ("asd", "hi", "mld", "msi", "oth", "pd", "pmld", "semh", "slcn", "sld", "spld", "vi",
                              "unknown", "ds"))},
}
NEIGHBOURS_FILE = "statistical_neighbours"


class FileRefused(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    measure: str
    time_period: str
    year: int
    level: str
    area_code: str
    old_la_code: str
    area_name: str
    region_code: str
    region_name: str
    value: Decimal | None
    shown: str
    source_file: str
    source_column: str


def _value(text: str) -> Decimal | None:
    if text.strip().lower() in SUPPRESSED:
        return None
    try:
        return Decimal(text.strip().replace(",", ""))
    except InvalidOperation as error:
        raise FileRefused(f"{text!r} is not a number") from error


def read_release_file(stem: str, text: str) -> list[Row]:
    """The headline rows of one release file; FileRefused names what is not understood."""
    if stem not in KNOWN:
        raise FileRefused(f"{stem}.csv is not a file of the release that sendhub knows "
                          f"(known: {', '.join(sorted([*KNOWN, NEIGHBOURS_FILE]))})")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    head = [h.strip().lower() for h in next(reader, [])]
    unknown = [h for h in head if h not in COMMON and h not in KNOWN[stem]]
    missing = sorted(COMMON - set(head))
    if unknown or missing:
        raise FileRefused(f"{stem}.csv: " + "; ".join(
            ([f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
            + ([f"missing column(s) {', '.join(missing)}"] if missing else [])))
    measures = [m for m in MEASURES if m.file == stem and m.column in head]
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not cells:
            continue
        rec = dict(zip(head, cells))
        if not rec.get("breakdown_topic", "").startswith("All "):
            continue
        level = rec["geographic_level"]
        code = {"National": rec["country_code"], "Regional": rec["region_code"]}.get(level, rec["new_la_code"])
        name = {"National": rec["country_name"], "Regional": rec["region_name"]}.get(level, rec["la_name"])
        if level not in {"National", "Regional", "Local authority"}:
            raise FileRefused(f"{stem}.csv line {line}: unknown geographic_level {level!r}")
        period = rec["time_period"]
        for m in measures:
            try:
                value = _value(rec[m.column])
            except FileRefused as error:
                raise FileRefused(f"{stem}.csv line {line}, {m.column}: {error}") from error
            rows.append(Row(m.key, period, int(period[:4]), level, code, rec.get("old_la_code", ""), name,
                            rec.get("region_code", "") if level == "Local authority" else "",
                            rec.get("region_name", "") if level == "Local authority" else "",
                            value, rec[m.column].strip(), f"{stem}.csv", m.column))
    return rows


def read_neighbours(text: str) -> list[tuple[str, str, int]]:
    """statistical_neighbours.csv: the first row names each council; its column lists its neighbours, closest first."""
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not table:
        raise FileRefused("statistical_neighbours.csv is empty")
    out = []
    for col, council in enumerate(table[0]):
        rank = 0
        for row in table[1:]:
            if col < len(row) and row[col].strip():
                rank += 1
                out.append((council.strip(), row[col].strip(), rank))
    return out


def period_label(time_period: str) -> str:
    if len(time_period) == 6:
        return f"Academic year {time_period[:4]}/{time_period[4:]}"
    return f"Calendar year {time_period}"
