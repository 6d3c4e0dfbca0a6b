"""Reads for the dashboard: the per-case facts behind every figure, the snapshot, and the pages' figures.

`case_facts` is the only place a case is classified. The snapshot sums its facts into cells; the
drill-down lists the same facts for the children a member of staff may see. So a figure and the
cases behind it can never disagree.

Dates come from the statutory clock (`clock.timescales.compute_deadlines` through `clock.cases.clock_case`);
review figures use the annual review figures' own row definitions (`reviews.selectors.FIGURE_ROWS`),
and waiting-list figures come from `waits.selectors.list_figures`, never recomputed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.clock import timescales as clock
from sendhub.clock.cases import clock_case
from sendhub.core.schoolyear import national_curriculum_year
from sendhub.organisations.models import HealthService, Organisation, OrganisationKind
from sendhub.people.models import Child
from sendhub.plans.models import EHCPlan, PlanStatus, PlanVersion, VersionKind
from sendhub.reviews.models import AnnualReview, ReviewReport
from sendhub.reviews.selectors import FIGURE_ROWS
from sendhub.sen2.selectors import imported_review_census, published_comparators, rounds_without_start
from sendhub.core import disclosure
from sendhub.core.disclosure import SUPPRESS_BELOW

from . import definitions as d
from .models import (FOR_FAMILY, Action, Comparator, DashboardCell, DashboardSnapshot, Disagreement, ImprovementArea,
                     Trajectory)

MONTHS_KEPT = 24
MAX_AGE = timedelta(days=1)
HEALTH_SECTIONS, SOCIAL_CARE_SECTIONS = ("C", "G"), ("D", "H1", "H2")
ADVICE_KEYS = {f"advice:{code}": f"advice_6w_{code}" for code, _ in d.ADVICE_SOURCES}
REVIEW_MEETING_KEYS = {clock_key for _, clock_key, _, _ in FIGURE_ROWS if clock_key == "annual_review"}
DECIDED = ("met", "late", "overdue")


@dataclass(frozen=True)
class Fact:
    metric: str
    month: str
    child_id: int
    in_numerator: bool
    case: str  # what was counted, for the drill-down: "Assessment requested 1 September 2026"
    outcome: str  # how it counted: "Met", "Late"…
    assessment_id: int | None = None  # for a refusal: where mediation and appeal are recorded


@dataclass(frozen=True)
class ChildDims:
    la: int
    phase: str
    need: str
    setting_type: str


def _window(as_of: date) -> date:
    return d.add_months(as_of, -(MONTHS_KEPT - 1))


def _in(day: date | None, since: date, as_of: date) -> bool:
    return day is not None and since <= day <= as_of


def _status_label(status: str) -> str:
    return {"met": "On time", "late": "Late", "overdue": "Overdue, not done"}.get(status, status.replace("_", " "))


def _filled(sections: dict, codes) -> bool:
    return any((sections.get(code) or "").strip() for code in codes)


def assessment_facts(children: QuerySet[Child], *, since: date, as_of: date) -> Iterator[Fact]:
    assessments = (EHCNeedsAssessment.objects.filter(child__in=children.values("pk"))
                   .prefetch_related("events",
                                     Prefetch("disagreement", queryset=Disagreement.objects.all())))
    for a in assessments.iterator(chunk_size=2000):
        label = f"Assessment requested {a.request_received_on:%-d %B %Y}"
        for deadline in clock.compute_deadlines(clock_case(a), as_of, validate=False, explain=False):
            if deadline.status == "not_applicable" or not _in(deadline.done, since, as_of):
                continue
            month, met = d.month_key(deadline.done), deadline.status == "met"
            outcome = _status_label(deadline.status)
            if deadline.key == "final_plan":
                yield Fact("final_plan_20w", month, a.child_id, met, label, outcome)
                if not (deadline.status == "late" and deadline.exception):
                    yield Fact("final_plan_20w_exc", month, a.child_id, met, label, outcome)
            elif deadline.key == "decision_whether_to_assess":
                yield Fact("decision_6w", month, a.child_id, met, label, outcome)
            elif deadline.key in ADVICE_KEYS:
                yield Fact(ADVICE_KEYS[deadline.key], month, a.child_id, met, label, outcome)
        refusals = sorted(e.date for e in a.events.all() if e.type == "decision_not_to_assess")
        if refusals and _in(refusals[0], since, as_of):
            month = d.month_key(refusals[0])
            label = f"Refused {refusals[0]:%-d %B %Y} (request {a.request_received_on:%-d %B %Y})"
            dis = getattr(a, "disagreement", None)
            yield Fact("refusals_to_assess", month, a.child_id, True, label, "Refused", a.pk)
            mediation = bool(dis and dis.mediation_requested_on)
            appealed = bool(dis and dis.appeal_lodged_on)
            yield Fact("refusals_mediation", month, a.child_id, mediation, label,
                       "Mediation asked for" if mediation else "No mediation", a.pk)
            yield Fact("refusals_appealed", month, a.child_id, appealed, label,
                       "Appealed" if appealed else "Not appealed", a.pk)
            if dis and dis.appeal_outcome:
                yield Fact("appeals_for_family", month, a.child_id, dis.appeal_outcome in FOR_FAMILY, label,
                           dis.get_appeal_outcome_display(), a.pk)


def review_facts(children: QuerySet[Child], *, since: date, as_of: date) -> Iterator[Fact]:
    rounds = (AnnualReview.objects.filter(plan__child__in=children.values("pk"))
              .select_related("plan__child").prefetch_related("events"))
    unknown_start = rounds_without_start(children)
    imported = imported_review_census(children)
    for review in rounds.iterator(chunk_size=2000):
        child_id = review.plan.child_id
        for deadline in clock.compute_deadlines(clock_case(review), as_of, validate=False, explain=False):
            if deadline.status not in DECIDED or not _in(deadline.due, since, as_of):
                continue
            if deadline.key in REVIEW_MEETING_KEYS and review.pk in unknown_start:
                continue  # imported from a SEN2 return without the meeting its deadline ran from
            month, met = d.month_key(deadline.due), deadline.status == "met"
            label = f"Review due {deadline.due:%-d %B %Y}"
            if deadline.key in REVIEW_MEETING_KEYS:
                if review.pk not in imported or deadline.due > imported[review.pk]:
                    yield Fact("reviews_on_time", month, child_id, met, label, _status_label(deadline.status))
                if deadline.status == "overdue":
                    yield Fact("reviews_overdue", month, child_id, True, label, "Overdue, not held")
            elif deadline.key == "phase_transfer":
                yield Fact("phase_transfers_on_time", month, child_id, met, f"Phase transfer due {deadline.due:%-d %B %Y}",
                           _status_label(deadline.status))


def plan_facts(children: QuerySet[Child], *, since: date, as_of: date) -> Iterator[Fact]:
    from sendhub.messaging.models import HAPPENED, Delivery

    child_ids = children.values("pk")
    issued_kinds = (VersionKind.FINAL, VersionKind.AMENDED)
    latest: dict[int, dict] = {}
    for child_id, sections in (PlanVersion.objects.filter(child__in=child_ids, kind__in=issued_kinds, issued_on__lte=as_of)
                               .order_by("child_id", "number").values_list("child_id", "sections")):
        latest[child_id] = sections or {}
    plans = EHCPlan.objects.filter(child__in=child_ids, status=PlanStatus.ACTIVE).select_related("child")
    pfa_plans = []
    for plan in plans.iterator(chunk_size=2000):
        sections = latest.get(plan.child_id, {})
        if _in(plan.first_issued_on, since, as_of):
            month, label = d.month_key(plan.first_issued_on), f"Plan first issued {plan.first_issued_on:%-d %B %Y}"
            health, social = _filled(sections, HEALTH_SECTIONS), _filled(sections, SOCIAL_CARE_SECTIONS)
            yield Fact("plans_health_content", month, plan.child_id, health, label,
                       "Has health content" if health else "No health content")
            yield Fact("plans_social_care_content", month, plan.child_id, social, label,
                       "Has social care content" if social else "No social care content")
        if national_curriculum_year(plan.child.date_of_birth, as_of) >= 9:
            pfa_plans.append(plan)
    reports: dict[int, ReviewReport] = {}
    for report in (ReviewReport.objects.filter(review__plan__in=[p.pk for p in pfa_plans], sent_on__isnull=False,
                                               sent_on__lte=as_of)
                   .select_related("review").order_by("sent_on", "id")):
        reports[report.review.plan_id] = report
    month = d.month_key(as_of)
    for plan in pfa_plans:
        report = reports.get(plan.pk)
        has = bool(report and any((getattr(report, name) or "").strip() for name in ReviewReport.PFA_FIELDS))
        yield Fact("pfa_outcomes", month, plan.child_id, has, f"Plan first issued {plan.first_issued_on:%-d %B %Y}",
                   "Preparation for adulthood outcomes recorded" if has else
                   ("No preparation for adulthood outcomes" if report else "No review report sent yet"))
    versions = list(PlanVersion.objects.filter(child__in=child_ids, kind__in=issued_kinds, issued_on__gte=since,
                                               issued_on__lte=as_of).only("pk", "child_id", "kind", "number",
                                                                          "issued_on"))
    # Everyone entitled when the version was issued has a Delivery row (one saying "no way to reach them" when
    # none could be used); a person counts as reached when at least one of theirs actually happened by as_of.
    reached: dict[int, dict[tuple, bool]] = {}
    rows = (Delivery.objects.filter(version__in=[v.pk for v in versions])
            .values_list("version_id", "recipient_id", "family_member_id", "organisation_id", "young_person",
                         "state", "posted_on"))
    for version_id, user_id, member_id, organisation_id, young_person, state, posted_on in rows.iterator():
        key = (("member", member_id) if member_id else ("organisation", organisation_id) if organisation_id
               else ("young_person",) if young_person else ("user", user_id))
        happened = state in HAPPENED and (posted_on is None or posted_on <= as_of)
        people = reached.setdefault(version_id, {})
        people[key] = people.get(key, False) or happened
    for version in versions:
        people = reached.get(version.pk, {})
        missing = sum(1 for done in people.values() if not done)
        ok = bool(people) and not missing
        yield Fact("versions_reached_all", d.month_key(version.issued_on), version.child_id, ok,
                   f"{version.get_kind_display()} version {version.number}, issued {version.issued_on:%-d %B %Y}",
                   "Reached everyone" if ok else ("No delivery recorded" if not people
                                                  else f"Not reached {missing} of {len(people)}"))


def quality_facts(children: QuerySet[Child], *, since: date, as_of: date) -> Iterator[Fact]:
    """The automatic checks of final and amended versions issued in the window, and finished audits."""
    from sendhub.quality.grading import GOOD_OR_BETTER, LABELS
    from sendhub.quality.models import Audit, AuditStatus, CheckRun

    keys = {VersionKind.FINAL: "quality_checks_new", VersionKind.AMENDED: "quality_checks_amended"}
    runs = (CheckRun.objects.filter(version__child__in=children.values("pk"), version__kind__in=list(keys),
                                    version__issued_on__gte=since, version__issued_on__lte=as_of)
            .values_list("version__child_id", "version__kind", "version__number", "version__issued_on", "passed",
                         "failed_rules"))
    for child_id, kind, number, issued_on, passed, failed in runs.iterator(chunk_size=2000):
        yield Fact(keys[kind], d.month_key(issued_on), child_id, passed,
                   f"{VersionKind(kind).label} version {number}, issued {issued_on:%-d %B %Y}",
                   "Passed every check" if passed else f"Failed {len(failed)} check{'s' if len(failed) != 1 else ''}")
    audits = (Audit.objects.filter(version__child__in=children.values("pk")).exclude(status=AuditStatus.IN_PROGRESS)
              .filter(completed_at__date__gte=since, completed_at__date__lte=as_of)
              .values_list("version__child_id", "version__number", "completed_at", "grade", "moderated_grade"))
    for child_id, number, completed_at, grade, moderated in audits.iterator(chunk_size=2000):
        final = moderated or grade
        day = timezone.localtime(completed_at).date()
        yield Fact("quality_audits_good", d.month_key(day), child_id, final in GOOD_OR_BETTER,
                   f"Plan version {number}, audited {day:%-d %B %Y}", LABELS.get(final, final))


FACT_SOURCES = {
    "Assessments": assessment_facts, "Disagreements": assessment_facts, "Reviews": review_facts, "Plans": plan_facts,
    "Plan quality": quality_facts,
}


def case_facts(children: QuerySet[Child], *, as_of: date, metrics: Iterable[str] | None = None) -> Iterator[Fact]:
    """Every fact for the children over the snapshot window; only the sources `metrics` need, when given."""
    since = _window(as_of)
    wanted = None if metrics is None else set(metrics)
    groups = set(FACT_SOURCES) if wanted is None else {d.BY_KEY[k].group for k in wanted}
    sources = list(dict.fromkeys(FACT_SOURCES[group] for group in FACT_SOURCES if group in groups))
    for source in sources:
        for fact in source(children, since=since, as_of=as_of):
            if wanted is None or fact.metric in wanted:
                yield fact


def child_dims(children: QuerySet[Child]) -> dict[int, ChildDims]:
    rows = children.values_list("pk", "local_authority_id", "setting__phase", "primary_need", "setting__setting_type")
    return {pk: ChildDims(la, phase or "", need or "", setting or "") for pk, la, phase, need, setting in rows}


def compute_cells(*, as_of: date) -> list[list]:
    """Sum every fact about every child into cells (see definitions.Cell)."""
    children = Child.objects.all()
    dims = child_dims(children)
    sums: dict[tuple, list[int]] = {}
    for fact in case_facts(children, as_of=as_of):
        c = dims[fact.child_id]
        slot = sums.setdefault((fact.metric, fact.month, c.la, c.phase, c.need, c.setting_type), [0, 0])
        slot[0] += int(fact.in_numerator)
        slot[1] += 1
    return [[*key, num, den] for key, (num, den) in sorted(sums.items())]


def compute_waits(*, as_of: date) -> list[dict]:
    from sendhub.waits.selectors import list_figures

    services = (HealthService.objects.filter(provider__local_authority__isnull=False)
                .select_related("provider").order_by("provider__local_authority_id", "name", "pk"))
    return [{"service": f.service.name, "kind": f.service.kind, "provider": f.service.provider.name,
             "la": f.service.provider.local_authority_id, "waiting": f.waiting,
             "median_weeks": f.median_wait_weeks, "p92_weeks": f.p92_wait_weeks, "standard_weeks": f.standard_weeks,
             "within_standard": None if f.within_standard is None else round(100 * f.within_standard, 1),
             "within_count": None if f.within_standard is None else round(f.within_standard * f.waiting)}
            for f in list_figures(services, today=as_of)]


def latest_snapshot() -> DashboardSnapshot | None:
    """The newest snapshot, without its data: pages read its cells through `cells_for`."""
    return DashboardSnapshot.objects.defer("data").order_by("-computed_at", "-id").first()


def is_stale(snapshot: DashboardSnapshot | None, *, now=None) -> bool:
    return snapshot is None or (now or timezone.now()) - snapshot.computed_at > MAX_AGE


def current_snapshot(*, now=None) -> DashboardSnapshot | None:
    """The latest snapshot, as it is: None when there is none yet. A page never computes one (it takes minutes,
    and anyone could ask): when there is none or it is more than a day old, the refresh task is queued for the
    worker, at most once (services.request_refresh), and the page says how old its figures are."""
    snapshot = latest_snapshot()
    if is_stale(snapshot, now=now):
        from .services import request_refresh

        request_refresh(now=now)
    return snapshot


def public_snapshot(*, now=None) -> DashboardSnapshot | None:
    """The newest published snapshot (the first of its month: public figures change once a month); None before
    the first. Queues a refresh like current_snapshot when the newest snapshot of all is missing or stale."""
    current_snapshot(now=now)
    return (DashboardSnapshot.objects.defer("data").filter(published=True)
            .order_by("-as_of", "-computed_at", "-id").first())


PARTNERSHIP = 0  # the cells of every council added together
_LOADED: dict[tuple[str, int], list] = {}
_KEEP_LOADED = 32


def snapshot_key(snapshot: DashboardSnapshot) -> str:
    """Names one snapshot for caches: its id and time (an id alone can be reused after a rollback)."""
    return f"{snapshot.pk}-{snapshot.computed_at.timestamp()}"


def cells_for(snapshot: DashboardSnapshot, local_authority: int | None) -> list:
    """One council's cells, or the partnership roll-up: read from the database once per process and snapshot."""
    la = PARTNERSHIP if local_authority is None else local_authority
    key = (snapshot_key(snapshot), la)
    cells = _LOADED.get(key)
    if cells is None:
        cells = [list(row) for row in DashboardCell.objects.filter(snapshot_id=snapshot.pk, local_authority=la)
                 .values_list("metric", "month", "local_authority", "phase", "need", "setting_type",
                              "numerator", "denominator")]
        if len(_LOADED) >= _KEEP_LOADED:
            _LOADED.clear()
        _LOADED[key] = cells
    return cells


def waits_of(snapshot: DashboardSnapshot) -> list[dict]:
    key = (snapshot_key(snapshot), -1)
    if key not in _LOADED:
        data = DashboardSnapshot.objects.filter(pk=snapshot.pk).values_list("data", flat=True).first() or {}
        _LOADED[key] = data.get("waits", [])
    return _LOADED[key]


# --- what the pages show ----------------------------------------------------------------------


def scope_of(user) -> Organisation | None:
    """The local authority whose figures a person sees: their own council's, or their organisation's area's;
    None (the whole partnership) for someone not tied to one area."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return None
    if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
        return organisation
    return organisation.local_authority


def _pk(scope) -> int | None:
    return getattr(scope, "pk", scope)


def areas_for(scope) -> QuerySet[ImprovementArea]:
    """The Big Plan areas of one council (scope_of a person), or the partnership's own for scope None: a council's
    Big Plan is its own, even when one installation serves several councils."""
    return ImprovementArea.objects.filter(local_authority_id=_pk(scope))


def actions_for(scope) -> QuerySet[Action]:
    return Action.objects.filter(area__local_authority_id=_pk(scope)).select_related("area")


def comparators_for(scope) -> QuerySet[Comparator]:
    """The figures a council's pages compare with: those it entered and those entered for the whole partnership
    (England's published figures). Never another council's."""
    return Comparator.objects.filter(Q(local_authority__isnull=True) | Q(local_authority_id=_pk(scope)))


@dataclass
class Row:
    month: str
    label: str
    numerator: int
    denominator: int
    value: float | None
    shown: str  # the value as text, after suppression where it applies


@dataclass
class Figure:
    metric: d.Metric
    numerator: int
    denominator: int
    value: float | None
    shown: str
    suppressed: bool
    rows: list[Row]
    comparators: list[Comparator]
    trajectory: list[tuple[date, float]]
    target_now: float | None
    rag: str
    summary: str
    chart: str = ""


def month_label(key: str) -> str:
    year, month = key.split("-")
    return date(int(year), int(month), 1).strftime("%b %Y")


def format_value(metric: d.Metric, value: float | None) -> str:
    if value is None:
        return "No cases"
    return f"{value:.1f}%" if metric.kind == d.SHARE else f"{int(value):,}"


def _shown(metric, num, den, hidden: bool) -> str:
    return disclosure.HIDDEN if hidden else format_value(metric, d.value(metric, num, den))


def _public_protection(agg: dict, months: list[str]) -> dict[str, tuple[set[str], bool]]:
    """For each metric: the months hidden in public and whether its whole period is (core.disclosure)."""
    out = {}
    for group in d.linked_groups():
        series = []
        for key in group:
            by_month = agg.get(key, {})
            nums = [by_month.get(m, [0, 0])[0] for m in months]
            dens = [by_month.get(m, [0, 0])[1] for m in months]
            series.append(disclosure.Series.share(nums, dens) if d.BY_KEY[key].kind == d.SHARE
                          else disclosure.Series.count(dens))
        protection = disclosure.protect(series)
        for key in group:
            out[key] = ({months[i] for i in protection.hidden}, protection.whole_hidden)
    return out


def _summary(metric, figure_text, num, den, months, target, comparators, public, suppressed_) -> str:
    period = f"{month_label(months[0])} to {month_label(months[-1])}" if months else "the period"
    if suppressed_:
        text = (f"{metric.public_title if public else metric.title}, {period}: not shown, because it would show "
                "fewer than 5 children or let such a number be worked out.")
    elif metric.kind == d.SHARE:
        text = (f"{metric.public_title if public else metric.title}, {period}: {figure_text}"
                + ("" if public else f" ({num:,} of {den:,})") + ".")
    else:
        text = f"{metric.public_title if public else metric.title}, {period}: {figure_text}."
    national = next((c for c in comparators if c.geography == "national" and not c.placeholder), None)
    if national is not None:
        text += f" England: {national.value}{'%' if metric.kind == d.SHARE else ''} ({national.period})."
    if target is not None:
        text += f" Local target for now: {target:.1f}{'%' if metric.kind == d.SHARE else ''}."
    return text


DEFAULT_MONTHS = 12


def months_of(snapshot: DashboardSnapshot) -> list[str]:
    """Every month the snapshot covers, oldest first."""
    return d.months_between(_window(snapshot.as_of), snapshot.as_of)


def default_filters(snapshot: DashboardSnapshot, *, local_authority: int | None) -> tuple[d.Filters, list[str]]:
    """What a page shows before anyone filters: the last 12 months, every phase, need and setting."""
    months = months_of(snapshot)[-DEFAULT_MONTHS:]
    return d.Filters(months=frozenset(months), local_authority=local_authority), months


def public_filters(snapshot: DashboardSnapshot) -> tuple[d.Filters, list[str]]:
    """The public view: the whole partnership over the 12 whole months before the snapshot's month. A month
    still under way would change from day to day, and the difference would be a small number."""
    months = months_of(snapshot)[-DEFAULT_MONTHS - 1:-1]
    return d.Filters(months=frozenset(months), local_authority=None), months


def figures(snapshot: DashboardSnapshot, filters: d.Filters, *, public: bool = False,
            months: list[str] | None = None) -> list[Figure]:
    """Every metric's figure for the filters, with its monthly rows, comparators, trajectory and RAG."""
    cells = cells_for(snapshot, filters.local_authority)
    agg = d.aggregate(cells, filters)
    months = months or sorted(filters.months or {c[1] for c in cells})
    comparators: dict[str, list[Comparator]] = {}
    for c in comparators_for(filters.local_authority).order_by("-published_on", "-id"):
        comparators.setdefault(c.metric, []).append(c)
    for items in published_comparators(filters.local_authority).values():  # loaded DfE figures, after typed ones
        for c in items:
            if c.metric in d.BY_KEY:
                comparators.setdefault(c.metric, []).append(c)
    trajectories: dict[str, list[tuple[date, float]]] = {}
    area_targets = Trajectory.objects.filter(local_authority_id=filters.local_authority)
    for t in area_targets.order_by("target_on"):
        trajectories.setdefault(t.metric, []).append((t.target_on, float(t.value)))
    as_of = snapshot.as_of
    protection = _public_protection(agg, months) if public else {}
    out = []
    for metric in d.METRICS:
        if public and metric.key in d.POINT_IN_TIME:
            continue
        by_month = agg.get(metric.key, {})
        num, den = d.total(by_month)
        hidden_months, is_suppressed = protection.get(metric.key, (set(), False))
        shown = _shown(metric, num, den, is_suppressed)
        rows = []
        for month in months:
            m_num, m_den = by_month.get(month, [0, 0])
            m_sup = month in hidden_months
            rows.append(Row(month, month_label(month), m_num, m_den, None if m_sup else d.value(metric, m_num, m_den),
                            _shown(metric, m_num, m_den, m_sup)))
        points = trajectories.get(metric.key, [])
        target = d.trajectory_at(points, as_of)
        actual = None if is_suppressed else d.value(metric, num, den)
        if metric.kind == d.COUNT and months:  # a count is compared per month, like its target
            actual = None if is_suppressed else den / len(months)
        comps = comparators.get(metric.key, [])
        out.append(Figure(metric, num, den, d.value(metric, num, den) if not is_suppressed else None, shown,
                          is_suppressed, rows, comps, points, target, d.rag(metric, actual, target),
                          _summary(metric, shown, num, den, months, target, comps, public, is_suppressed)))
    return out


@dataclass
class WaitRow:
    service: str
    provider: str
    waiting: str
    median_weeks: str
    p92_weeks: str
    within_standard: str
    suppressed: bool


def wait_rows(snapshot: DashboardSnapshot, *, local_authority: int | None, public: bool = False) -> list[WaitRow]:
    out = []
    for w in waits_of(snapshot):
        if local_authority is not None and w["la"] != local_authority:
            continue
        small = public and d.is_small(w["waiting"], SUPPRESS_BELOW)
        within_small = public and w["within_count"] is not None and (
            d.is_small(w["within_count"], SUPPRESS_BELOW) or d.is_small(w["waiting"] - w["within_count"], SUPPRESS_BELOW))
        if small:
            out.append(WaitRow(w["service"], w["provider"], "fewer than 5", "fewer than 5", "fewer than 5",
                               "fewer than 5", True))
            continue
        within = ("No standard" if w["within_standard"] is None else
                  "fewer than 5" if within_small else f"{w['within_standard']:.1f}% within {w['standard_weeks']} weeks")
        out.append(WaitRow(w["service"], w["provider"], f"{w['waiting']:,}",
                           f"{w['median_weeks']:.1f}" if w["waiting"] else "–",
                           f"{w['p92_weeks']:.1f}" if w["waiting"] else "–", within, False))
    return out


def drill_down(user, metric_key: str, filters: d.Filters, *, as_of: date) -> list[tuple[Child, Fact]]:
    """The cases behind a figure, only for children the person may see (never more)."""
    from sendhub.people.selectors import children_visible_to

    children = children_visible_to(user)
    if filters.local_authority is not None:
        children = children.filter(local_authority_id=filters.local_authority)
    if filters.phase is not None:
        children = children.filter(Q(setting__phase=filters.phase) if filters.phase
                                   else Q(setting__isnull=True) | Q(setting__phase=""))
    if filters.need is not None:
        children = children.filter(primary_need=filters.need)
    if filters.setting_type is not None:
        children = children.filter(Q(setting__setting_type=filters.setting_type) if filters.setting_type
                                   else Q(setting__isnull=True) | Q(setting__setting_type=""))
    facts = [f for f in case_facts(children, as_of=as_of, metrics=[metric_key])
             if filters.months is None or f.month in filters.months]
    by_pk = Child.objects.in_bulk({f.child_id for f in facts})
    return sorted(((by_pk[f.child_id], f) for f in facts),
                  key=lambda pair: (pair[1].in_numerator, pair[1].month, pair[0].family_name, pair[0].pk))
