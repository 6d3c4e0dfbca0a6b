"""Reads for the SEN2 pages and commands: the council a person may run the return for, and the checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sendhub.accounts.models import Role
from sendhub.organisations.models import Organisation, OrganisationKind

from . import checks
from .build import build_return
from .spec import Node

MANAGERS = {Role.TEAM_MANAGER}


def council_of(user) -> Organisation | None:
    """The one council whose return this person may run: a SEND team manager's own. Nobody else's, ever."""
    if not getattr(user, "is_authenticated", False) or user.role not in MANAGERS:
        return None
    organisation = user.organisation
    if organisation is None or organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return None
    return organisation


def council_by_code(code: str | None) -> Organisation:
    councils = Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY)
    if code:
        found = councils.filter(code=code).first()
        if found is None:
            raise LookupError(f"No council with the code {code!r}")
        return found
    if councils.count() != 1:
        raise LookupError("Say which council with --council CODE (there are "
                          f"{councils.count()} councils here: {', '.join(councils.values_list('code', flat=True))})")
    return councils.get()


def default_census(today: date) -> date:
    """The SEN2 census date: the third Thursday of January (the DfE sets it; check the year's guide)."""
    year = today.year if today.month > 1 or today.day > 21 else today.year - 1
    first = date(year, 1, 1)
    first_thursday = 1 + (3 - first.weekday()) % 7
    return date(year, 1, first_thursday + 14)


def checked_return(local_authority: Organisation, census: date) -> tuple[Node, list[checks.Problem]]:
    header = build_return(local_authority=local_authority, census=census)
    return header, checks.check(header)


# -- Published figures beside the dashboard ------------------------------------------------------------------

def published_area(local_authority: Organisation | None):
    """The council's own rows in the release: by its LA code (e.g. 382), else by its name."""
    from .models import GeographicLevel, PublishedFigure

    if local_authority is None:
        return None
    rows = PublishedFigure.objects.filter(level=GeographicLevel.LOCAL)
    found = rows.filter(old_la_code=local_authority.code).first() if local_authority.code else None
    if found is None:
        name = local_authority.name.removesuffix(" Council").removesuffix(" Metropolitan Borough").strip()
        found = rows.filter(area_name__iexact=name).first()
    return found


def published_comparators(local_authority: Organisation | None) -> dict[str, list]:
    """For each published measure: England, the council's region and its statistical neighbours (the latest
    year), then the council's own published series (every year, latest first), each an unsaved dashboard
    Comparator labelled with its source and year. Read only; typed comparators are untouched."""
    from sendhub.dashboard.models import Comparator

    from . import published
    from .models import GeographicLevel, PublishedFigure, StatisticalNeighbour

    if isinstance(local_authority, int):
        local_authority = Organisation.objects.filter(pk=local_authority).first()
    figures = list(PublishedFigure.objects.filter(level=GeographicLevel.NATIONAL))
    own = published_area(local_authority)
    neighbours: list[str] = []
    if own is not None:
        figures += PublishedFigure.objects.filter(area_code__in=[own.area_code, own.region_code])
        neighbours = list(StatisticalNeighbour.objects.filter(la_name__iexact=own.area_name)
                          .values_list("neighbour_name", flat=True))
        figures += PublishedFigure.objects.filter(level=GeographicLevel.LOCAL, area_name__in=neighbours)
    by_measure: dict[str, list] = {}
    for f in figures:
        by_measure.setdefault(f.measure, []).append(f)

    def comparator(geography, area_name, value, f, note=""):
        return Comparator(metric=published.BY_KEY[f.measure].metric or f.measure, geography=geography,
                          area_name=area_name, value=value, period=published.period_label(f.time_period),
                          source=f"{published.RELEASE} ({f.source_file}, {f.source_column}){note}",
                          source_url=published.SOURCE_URL)

    out: dict[str, list] = {}
    for measure, rows in by_measure.items():
        latest = max(r.time_period for r in rows if r.level == GeographicLevel.NATIONAL) if any(
            r.level == GeographicLevel.NATIONAL for r in rows) else max(r.time_period for r in rows)
        items = []
        for r in rows:
            if r.time_period == latest and r.level == GeographicLevel.NATIONAL and r.value is not None:
                items.append(comparator("national", r.area_name, r.value, r))
        for r in rows:
            if (own is not None and r.time_period == latest and r.area_code == own.region_code
                    and r.value is not None):
                items.append(comparator("regional", f"{r.area_name} (region)", r.value, r))
        near = [r for r in rows if r.time_period == latest and r.level == GeographicLevel.LOCAL
                and r.area_name in neighbours and r.value is not None]
        if near:
            mean = sum(r.value for r in near) / len(near)
            items.append(comparator("neighbours", f"Statistical neighbours (average of {len(near)})",
                                    mean.quantize(Decimal("0.1")),
                                    near[0], note="; neighbours as listed in statistical_neighbours.csv"))
        if own is not None:
            for r in sorted((r for r in rows if r.area_code == own.area_code), key=lambda r: r.time_period,
                            reverse=True):
                if r.value is not None:
                    items.append(comparator("own", f"{r.area_name} (published)", r.value, r))
        out[measure] = items
    return out


@dataclass
class LiveVsPublished:
    year: int
    live_issued: int
    live_within: int
    live_excepted: int
    published_issued: int | None
    published_excepted: int | None
    published_pc: Decimal | None
    published_area: str

    @property
    def live_pc(self) -> Decimal | None:
        den = self.live_issued - self.live_excepted
        return (Decimal(self.live_within * 100) / den).quantize(Decimal("0.1")) if den else None

    def explanation(self) -> list[str]:
        """Why the record's figure and the published one differ, in plain English."""
        lines = []
        if self.published_issued is None:
            return [f"The DfE has published no 20-week figure for {self.year} for this council (or none is loaded)."]
        missing = self.published_issued - self.live_issued
        if missing > 0:
            lines.append(f"{missing} of the {self.published_issued} plans the council reported for {self.year} are not "
                         "in sendhub's record with their request and final plan dates (made before the record began, "
                         "or imported without those dates).")
        elif missing < 0:
            lines.append(f"sendhub's record has {-missing} more plans issued in {self.year} than the council reported: "
                         "plans recorded later, or the return left some out.")
        if self.published_excepted is not None and self.published_excepted != self.live_excepted:
            lines.append(f"Exceptions are recorded differently: the published figure left out {self.published_excepted} "
                         f"late plans where an exception applied; sendhub's record leaves out {self.live_excepted}.")
        if not lines:
            lines.append("The same plans and the same exceptions are counted: the figures agree.")
        return lines


def live_vs_published(local_authority: Organisation, year: int) -> LiveVsPublished:
    """% of new plans issued within 20 weeks, excluding exceptions, for a closed calendar year: the record's figure
    (the statutory clock's final_plan deadline, as the dashboard counts it) beside the council's published one."""
    from sendhub.assessments.models import EHCNeedsAssessment
    from sendhub.clock import timescales as clock
    from sendhub.clock.cases import clock_case

    from .models import PublishedFigure

    issued = within = excepted = 0
    assessments = (EHCNeedsAssessment.objects.filter(child__local_authority=local_authority,
                                                     events__type="final_plan_issued", events__date__year=year)
                   .select_related("child").prefetch_related("events").distinct())
    for assessment in assessments:
        rows = clock.compute_deadlines(clock_case(assessment), date(year, 12, 31), validate=False, explain=False)
        row = next((r for r in rows if r.key == "final_plan"), None)
        if row is None or row.done is None:
            continue
        issued += 1
        if row.done <= row.due:
            within += 1
        elif row.exception:
            excepted += 1
    own = published_area(local_authority)
    values = {}
    if own is not None:
        for f in PublishedFigure.objects.filter(area_code=own.area_code, time_period=str(year),
                                                measure__in=["plans_issued", "plans_issued_ex", "final_plan_20w_exc"]):
            values[f.measure] = f.value
    published_issued = int(values["plans_issued"]) if values.get("plans_issued") is not None else None
    published_ex = (published_issued - int(values["plans_issued_ex"])
                    if published_issued is not None and values.get("plans_issued_ex") is not None else None)
    return LiveVsPublished(year, issued, within, excepted, published_issued, published_ex,
                           values.get("final_plan_20w_exc"), own.area_name if own else "")
