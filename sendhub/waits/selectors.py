"""Reads for waiting lists: who may see which list, positions and estimates, and list figures.

This is the one module the partnership dashboard (and every page and the API) takes waiting-list
figures from; nothing else recomputes them. Estimates come from `estimator.py` run on the
service's own history in the database, cached per service in `ServiceEstimate` for the day and
for the exact state of the list (see `_fingerprints`), so a page never recomputes for every
request and a position is never stale after a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.organisations.models import HealthService, Organisation, OrganisationKind

from . import calibration as calibration_
from . import estimator
from .history import Referral as HistoryRow
from .models import Referral, ReferralEvent, ServiceEstimate

FIGURE_PATHS = 400
WHAT_IF_DEFAULT = 1.2


# --------------------------------------------------------------------------- who sees which list


def provider_of(user) -> Organisation | None:
    """The health provider a clinician works for, or None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role != Role.HEALTH_PROFESSIONAL:
        return None
    organisation = user.organisation
    if organisation is None or organisation.kind != OrganisationKind.HEALTH_PROVIDER:
        return None
    return organisation


def services_managed_by(user) -> QuerySet[HealthService]:
    """The lists a clinician manages: every list of their own provider (the provider holds these records)."""
    provider = provider_of(user)
    if provider is None:
        return HealthService.objects.none()
    return HealthService.objects.filter(provider=provider).select_related("provider")


def services_for_figures(user) -> QuerySet[HealthService]:
    """Lists whose figures (never individual records) a person may see.

    Commissioners and leaders (partnership leader, team manager): every provider's lists in their
    local authority's area. Clinicians: their own provider's lists.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return HealthService.objects.none()
    if user.role in {Role.PARTNERSHIP_LEADER, Role.TEAM_MANAGER}:
        organisation = user.organisation
        if organisation is None or organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
            return HealthService.objects.none()
        return HealthService.objects.filter(provider__local_authority=organisation).select_related("provider")
    return services_managed_by(user)


def referrals_managed_by(user) -> QuerySet[Referral]:
    return Referral.objects.filter(service__in=services_managed_by(user).values("pk"))


def referral_for_clinician(user, pk: int) -> Referral | None:
    return (referrals_managed_by(user).select_related("child", "service", "service__provider")
            .filter(pk=pk).first())


# One answer for every way a match can fail (wrong NHS number, wrong date of birth, a child of another area):
# it must not tell a guesser which part was right, and no name is shown until both match.
NO_MATCHING_CHILD = "We could not find a child with that NHS number and date of birth"


def children_for_referrals(provider: Organisation, pairs: Iterable[tuple[str, date]]) -> dict[tuple[str, date], "Child"]:
    """The children a provider may put on its lists, found by NHS number AND date of birth together.

    A referral is how a provider comes to hold a child's record, so it may name a child it cannot see
    yet; but an NHS number alone is not enough (it would turn the form into an NHS number to name
    lookup): both must match a child of the provider's area. The web form and the CSV import both
    come here. Returns {(nhs_number, date_of_birth): child} for the pairs that match exactly one child:
    NHS numbers are unique per council, so a provider serving no single area may find a pair in two
    councils' records, and it must never pick one silently (such a pair is "not found", in the same words).
    """
    from sendhub.people.models import Child

    wanted = {(nhs, born) for nhs, born in pairs if nhs and born}
    if not wanted:
        return {}
    children = Child.objects.filter(nhs_number__in={nhs for nhs, _ in wanted})
    if provider.local_authority_id:
        children = children.filter(local_authority_id=provider.local_authority_id)
    found: dict[tuple[str, date], Child] = {}
    twice: set[tuple[str, date]] = set()
    for child in children:
        pair = (child.nhs_number, child.date_of_birth)
        if pair in wanted:
            if pair in found:
                twice.add(pair)
            found[pair] = child
    return {pair: child for pair, child in found.items() if pair not in twice}


def events_of(referral: Referral) -> QuerySet[ReferralEvent]:
    return referral.events.select_related("recorded_by", "from_service", "to_service").order_by("date", "recorded_at", "id")


# --------------------------------------------------------------------------- positions and estimates


@dataclass(frozen=True)
class Placement:
    """A waiting referral's place in its queue and its estimated first appointment."""

    position: int
    waiting: int  # how many are on the list in all
    p10: date
    p50: date
    p90: date

    @property
    def reliable(self) -> bool:
        """False when the range is too wide to plan by (wider than the council's limit, in months)."""
        return self.p90 <= _add_months(self.p10, settings.WAITS_RELIABLE_RANGE_MONTHS)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def _history(rows: Iterable[tuple]) -> list[HistoryRow]:
    """Database rows as the estimator's referrals: the service's own reference is the contract's referral_id."""
    return [HistoryRow(reference, str(service_id), priority, referred_on, seen_on, removed_on)
            for _pk, service_id, reference, priority, referred_on, seen_on, removed_on in rows]


_COLUMNS = ("pk", "service_id", "reference", "priority", "referred_on", "seen_on", "removed_on")


def _fingerprints(service_ids: list[int]) -> dict[int, str]:
    """One query: a value per service that changes whenever any of its referrals is added or changed."""
    rows = (Referral.objects.filter(service_id__in=service_ids).order_by().values("service_id")
            .annotate(n=Count("id"), top=Max("id"), v=Sum("version")))
    out = {pk: "0:0:0" for pk in service_ids}
    for row in rows:
        out[row["service_id"]] = f"{row['n']}:{row['top']}:{row['v']}"
    return out


def _fresh(ids: list[int], today: date, *, figures: bool = False) -> dict[int, ServiceEstimate]:
    """Each service's cached estimate for `today` and the list as it is, computing only what is stale.

    The range's calibration (calibration.py: the list's own backtest) is learned once a day per
    list and reused when the list changes during the day: it measures the list's past, which one
    new referral hardly moves, and it is the slow part.
    """
    ids = sorted(set(ids))
    if not ids:
        return {}
    prints = _fingerprints(ids)
    cached = {c.service_id: c for c in ServiceEstimate.objects.filter(service_id__in=ids)}
    stale = [pk for pk in ids if pk not in cached or cached[pk].as_of != today or cached[pk].fingerprint != prints[pk]
             or cached[pk].calibration is None or (figures and cached[pk].figures is None)]
    if stale:
        by_service: dict[int, list[tuple]] = {pk: [] for pk in stale}
        for row in Referral.objects.filter(service_id__in=stale, referred_on__lte=today).order_by().values_list(*_COLUMNS):
            by_service[row[1]].append(row)
        for pk in stale:
            rows = by_service[pk]
            keep = cached.get(pk)
            same_day = keep is not None and keep.as_of == today and keep.calibration is not None
            reuse = same_day and keep.fingerprint == prints[pk]
            cal = keep.calibration if same_day else _calibration_payload(rows, today)
            payload = keep.estimates if reuse else _estimate_payload(rows, today, cal)
            figs = (keep.figures if reuse and keep.figures is not None else
                    _figures_payload(rows, today) if figures else None)
            cached[pk] = _store(pk, today, prints[pk], payload, figs, cal)
    return cached


def _store(service_id: int, today: date, fingerprint: str, estimates: dict, figures, cal: dict) -> ServiceEstimate:
    values = {"as_of": today, "fingerprint": fingerprint, "estimates": estimates, "figures": figures,
              "calibration": cal, "computed_at": timezone.now()}
    try:
        with transaction.atomic():
            row, _ = ServiceEstimate.objects.update_or_create(service_id=service_id, defaults=values)
    except IntegrityError:  # two requests filled the cache at once: either answer is the same
        row = ServiceEstimate(service_id=service_id, **values)
    return row


def _calibration_payload(rows: list[tuple], today: date) -> dict:
    found = calibration_.calibrate_history(_history(rows), today)
    return (next(iter(found.values())) if found else calibration_.Calibration()).as_dict()


def _estimate_payload(rows: list[tuple], today: date, cal: dict | None = None) -> dict[str, list]:
    """Positions and dates of the list's waiting referrals, with the range calibrated on the list's past."""
    pk_of = {row[2]: row[0] for row in rows}
    found = estimator.estimate(_history(rows), today)
    dates = calibration_.apply_all(calibration_.Calibration.from_dict(cal), today,
                                   [(e.p10, e.p50, e.p90) for e in found])
    out: dict[str, list] = {}
    for e, (p10, p50, p90) in zip(found, dates, strict=True):
        out[str(pk_of[e.referral_id])] = [e.position, p10.isoformat(), p50.isoformat(), p90.isoformat()]
    return out


def placements(referrals: Iterable[Referral], *, today: date | None = None) -> dict[int, Placement]:
    """Position and estimate of every waiting referral given (any services), from the per-day cache."""
    today = today or timezone.localdate()
    waiting = [r for r in referrals if r.waiting and r.referred_on <= today]
    cache = _fresh([r.service_id for r in waiting], today)
    out: dict[int, Placement] = {}
    for r in waiting:
        entry = cache[r.service_id].estimates
        value = entry.get(str(r.pk))
        if value is None:
            continue
        position, p10, p50, p90 = value
        out[r.pk] = Placement(position, len(entry), date.fromisoformat(p10), date.fromisoformat(p50),
                              date.fromisoformat(p90))
    return out


def service_placements(service: HealthService, *, today: date | None = None) -> dict[int, Placement]:
    """Every waiting referral of one service, by referral pk."""
    today = today or timezone.localdate()
    entry = _fresh([service.pk], today)[service.pk].estimates
    total = len(entry)
    return {int(pk): Placement(v[0], total, date.fromisoformat(v[1]), date.fromisoformat(v[2]), date.fromisoformat(v[3]))
            for pk, v in entry.items()}


def waiting_list_order(service: HealthService, *, today: date | None = None) -> list[tuple[int, Placement]]:
    """The service's waiting referrals in position order (1 = next), with their estimates."""
    return sorted(service_placements(service, today=today).items(), key=lambda item: item[1].position)


# --------------------------------------------------------------------------- list figures


@dataclass(frozen=True)
class MonthRow:
    month_end: date
    low: int
    size: int
    high: int
    wait_weeks: float | None  # weeks for someone joining then to reach the front at that capacity


@dataclass(frozen=True)
class ServiceFigures:
    service: HealthService
    as_of: date
    waiting: int
    median_wait_weeks: float
    p92_wait_weeks: float
    standard_weeks: int | None
    within_standard: float | None  # share of those waiting who have waited no longer than the standard
    weekly_capacity: float
    weekly_referrals: float
    new_referral_weeks: float
    forecast: tuple[MonthRow, ...]
    multiplier: float
    what_if_new_referral_weeks: float
    what_if_forecast: tuple[MonthRow, ...]
    calibration: calibration_.Calibration = calibration_.Calibration()  # how well the range held on the list's past


def _rows(forecast, capacity: float) -> list[list]:
    return [[m.month_end.isoformat(), m.p10, m.p50, m.p90,
             round(m.p50 / capacity, 1) if capacity > 0 else None] for m in forecast]


def _list_figures(rows: list[tuple], today: date, multiplier: float) -> dict | None:
    result = estimator.list_figures(_history(rows), today, capacity_multiplier=multiplier, paths=FIGURE_PATHS)
    if not result:
        return None
    (f,) = result.values()
    return {
        "waiting": f.waiting, "median": f.median_wait_weeks, "p92": f.p92_wait_weeks,
        "capacity": f.weekly_capacity, "referrals": f.weekly_referrals, "new_weeks": f.new_referral_p50_weeks,
        "forecast": _rows(f.forecast, f.weekly_capacity), "multiplier": multiplier,
        "what_if_new_weeks": f.whatif_new_referral_p50_weeks,
        "what_if_forecast": _rows(f.whatif_forecast, f.weekly_capacity * multiplier),
        "waits_days": sorted((today - row[4]).days for row in rows if row[5] is None and row[6] is None),
    }


def _figures_payload(rows: list[tuple], today: date) -> dict:
    return _list_figures(rows, today, WHAT_IF_DEFAULT) or {}


def _month_rows(rows: list[list]) -> tuple[MonthRow, ...]:
    return tuple(MonthRow(date.fromisoformat(m), lo, mid, hi, w) for m, lo, mid, hi, w in rows)


def _to_figures(service: HealthService, today: date, payload: dict, cal: dict | None = None) -> ServiceFigures:
    calibration = calibration_.Calibration.from_dict(cal)
    if not payload:
        return ServiceFigures(service, today, 0, 0.0, 0.0, service.standard_weeks, None, 0.0, 0.0, 0.0, (),
                              WHAT_IF_DEFAULT, 0.0, (), calibration)
    waits = payload["waits_days"]
    within = None
    if service.standard_weeks and waits:
        within = sum(1 for d in waits if d <= service.standard_weeks * 7) / len(waits)
    return ServiceFigures(
        service=service, as_of=today, waiting=payload["waiting"], median_wait_weeks=payload["median"],
        p92_wait_weeks=payload["p92"], standard_weeks=service.standard_weeks, within_standard=within,
        weekly_capacity=payload["capacity"], weekly_referrals=payload["referrals"],
        new_referral_weeks=payload["new_weeks"], forecast=_month_rows(payload["forecast"]),
        multiplier=payload["multiplier"], what_if_new_referral_weeks=payload["what_if_new_weeks"],
        what_if_forecast=_month_rows(payload["what_if_forecast"]), calibration=calibration,
    )


def list_figures(services: Iterable[HealthService], *, today: date | None = None) -> list[ServiceFigures]:
    """List size, median and 92nd-percentile waits, share within the standard and a 12-month forecast
    (current capacity, and a fifth more) for each service: the dashboard's figures."""
    today = today or timezone.localdate()
    services = list(services)
    cache = _fresh([s.pk for s in services], today, figures=True)
    return [_to_figures(s, today, cache[s.pk].figures, cache[s.pk].calibration) for s in services]


def what_if(service: HealthService, multiplier: float, *, today: date | None = None) -> ServiceFigures:
    """The same figures with future capacity times `multiplier` (not cached: the person chose it)."""
    today = today or timezone.localdate()
    rows = list(Referral.objects.filter(service=service, referred_on__lte=today).order_by().values_list(*_COLUMNS))
    return _to_figures(service, today, _list_figures(rows, today, multiplier) or {},
                       _fresh([service.pk], today)[service.pk].calibration)


def multiplier_for(service: HealthService, *, extra_clinicians: Decimal | None = None,
                   percent: Decimal | None = None) -> float:
    """Capacity multiplier for 'two more therapists' (needs the service's clinicians) or '+20%'."""
    if extra_clinicians is not None:
        if not service.clinicians:
            raise ValueError("The number of clinicians on this list is not recorded")
        return float((service.clinicians + extra_clinicians) / service.clinicians)
    if percent is not None:
        return float(1 + percent / 100)
    return WHAT_IF_DEFAULT


# --------------------------------------------------------------------------- what a family sees


@dataclass(frozen=True)
class FamilyWait:
    """What a family's page says about one referral: place, range (when it helps), 18th birthday, choices."""

    referral: Referral
    placement: Placement | None
    weeks_waited: int
    standard_weeks: int | None
    over_standard: bool
    reliable: bool = True  # False: the range is too wide to help, so the page says so instead of showing it
    limit_months: int = 12
    turns_18: date | None = None
    reaches_18: bool = False  # the range, or the wait so far, reaches the child's 18th birthday
    right_to_choose: bool = False  # an assessment pathway where NHS Right to Choose applies
    advice: dict | None = None  # the information and advice service (SENDIASS): name, telephone, email, web


def eighteenth_birthday(born: date) -> date:
    """The day a child turns 18 (29 February birthdays turn 18 on 1 March)."""
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return date(born.year + 18, 3, 1)


def right_to_choose_applies(service: HealthService) -> bool:
    """Whether the list is an assessment pathway where NHS Right to Choose applies (the council's list of kinds)."""
    return service.kind in settings.WAITS_RIGHT_TO_CHOOSE_KINDS


def family_wait(referral: Referral, *, today: date | None = None) -> FamilyWait:
    today = today or timezone.localdate()
    placement = placements([referral], today=today).get(referral.pk)
    end = referral.seen_on or referral.removed_on or today
    weeks = max(0, (end - referral.referred_on).days // 7)
    standard = referral.service.standard_weeks
    born = getattr(referral.child, "date_of_birth", None)
    turns_18 = eighteenth_birthday(born) if born else None
    reaches = bool(referral.waiting and turns_18 and (turns_18 <= today or (placement and placement.p90 >= turns_18)))
    return FamilyWait(
        referral, placement, weeks, standard, bool(standard and weeks > standard),
        reliable=placement.reliable if placement else True,
        limit_months=settings.WAITS_RELIABLE_RANGE_MONTHS,
        turns_18=turns_18, reaches_18=reaches,
        right_to_choose=bool(referral.waiting and right_to_choose_applies(referral.service)),
        advice=advice_service(),
    )


def advice_service() -> dict:
    """The SEND information, advice and support service (SENDIASS) from the council's settings."""
    return {"name": settings.COUNCIL_ADVICE_SERVICE_NAME, "telephone": settings.COUNCIL_ADVICE_SERVICE_TELEPHONE,
            "email": settings.COUNCIL_ADVICE_SERVICE_EMAIL, "website": settings.COUNCIL_ADVICE_SERVICE_WEBSITE}
