"""The only place the dashboard's records change: snapshots, comparators, trajectories, disagreements, the Big Plan.

Every function is keyword-only and runs in one transaction. Edits of records people share carry the
version they started from: a stale version is refused with a clear message and nothing is overwritten.
"""

import re
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change, snapshot as audit_snapshot

from . import definitions as d
from .models import (Action, Comparator, DashboardCell, DashboardChart, DashboardRefresh, DashboardSnapshot,
                     Disagreement, ImprovementArea, Trajectory)

STALE = "Someone else changed this while you were editing. Their change is shown: check it and make yours again."
QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
DISAGREEMENT_FIELDS = ["mediation_requested_on", "mediation_held_on", "mediation_outcome", "appeal_lodged_on",
                       "appeal_decided_on", "appeal_outcome", "notes"]
ACTION_FIELDS = ["area", "title", "owner", "quarter", "status", "evidence", "metrics"]


KEEP_SNAPSHOTS = 3
STALE_REFRESH = timedelta(hours=3)  # a claim this old is from a worker that died (a national refresh takes ~25 min)
QUEUE_AGAIN_AFTER = timedelta(hours=1)  # a queued refresh that has not started by then is queued again


def _refresh_row() -> None:
    """The claim row exists (made by the migration; made again after a test database is flushed)."""
    if not DashboardRefresh.objects.filter(key="dashboard").exists():
        try:
            with transaction.atomic():
                DashboardRefresh.objects.create(key="dashboard")
        except IntegrityError:
            pass  # made a moment ago by someone else


def claim_refresh(*, now=None) -> str | None:
    """Claim the right to refresh: one conditional UPDATE, so of two workers exactly one gets it.
    Returns the claim's token, or None when another refresh is running (and started under STALE_REFRESH ago)."""
    now = now or timezone.now()
    _refresh_row()
    token = uuid.uuid4().hex
    claimed = (DashboardRefresh.objects.filter(key="dashboard")
               .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - STALE_REFRESH))
               .update(started_at=now, token=token))
    return token if claimed else None


def release_refresh(token: str) -> None:
    DashboardRefresh.objects.filter(key="dashboard", token=token).update(
        started_at=None, token="", queued_at=None, finished_at=timezone.now())


def run_refresh(*, as_of: date | None = None, prerender: bool = True) -> DashboardSnapshot | None:
    """Refresh unless a refresh is already running (single flight); None when it was. The task worker and
    `sendhub refresh_dashboard` call this; no web request ever does."""
    token = claim_refresh()
    if token is None:
        return None
    try:
        return refresh_snapshot(as_of=as_of, prerender=prerender)
    finally:
        release_refresh(token)


def request_refresh(*, now=None) -> bool:
    """Queue the refresh task for the worker, unless one is running or was queued under QUEUE_AGAIN_AFTER ago.
    Called by pages whose figures are missing or more than a day old; they never compute. True if queued now."""
    from django.tasks import task_backends
    from django.tasks.backends.immediate import ImmediateBackend

    from .tasks import refresh_dashboard

    if isinstance(task_backends[refresh_dashboard.backend], ImmediateBackend):
        return False  # that backend would run the refresh here, inside the request: leave it to the nightly command
    now = now or timezone.now()
    _refresh_row()
    queued = (DashboardRefresh.objects.filter(key="dashboard")
              .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - STALE_REFRESH))
              .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_AGAIN_AFTER))
              .update(queued_at=now))
    if queued:
        refresh_dashboard.enqueue()
    return bool(queued)


def refresh_snapshot(*, as_of: date | None = None, prerender: bool = True) -> DashboardSnapshot:
    """Compute every cell from the case data now and store it, each council's and the partnership roll-up;
    then draw the default charts so the first visitor does not wait for them. Keeps the last few snapshots
    and the newest published one. The first snapshot of each month is published: the public view reads only
    that one, so public figures change once a month (docs/dashboard.md, "Small numbers in the public view").
    Call it through `run_refresh`, which makes sure only one runs at a time."""
    from .selectors import PARTNERSHIP, compute_cells, compute_waits

    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    cells = compute_cells(as_of=as_of)
    rolled: dict[tuple, list[int]] = {}
    for cell in cells:
        slot = rolled.setdefault((cell[0], cell[1], PARTNERSHIP, cell[3], cell[4], cell[5]), [0, 0])
        slot[0] += cell[6]
        slot[1] += cell[7]
    waits = compute_waits(as_of=as_of)
    with transaction.atomic():
        first_of_month = not DashboardSnapshot.objects.filter(
            published=True, as_of__year=as_of.year, as_of__month=as_of.month).exists()
        snap = DashboardSnapshot.objects.create(as_of=as_of, computed_at=timezone.now(), data={"waits": waits},
                                                published=first_of_month)
        rows = [*cells, *([*key, n, den] for key, (n, den) in rolled.items())]
        DashboardCell.objects.bulk_create(
            (DashboardCell(snapshot=snap, metric=m, month=mo, local_authority=la, phase=ph, need=ne, setting_type=st,
                           numerator=n, denominator=den) for m, mo, la, ph, ne, st, n, den in rows), batch_size=5000)
        snap.seconds = time.perf_counter() - started
        snap.save(update_fields=["seconds"])
        keep = set(DashboardSnapshot.objects.order_by("-computed_at", "-id").values_list("pk", flat=True)[:KEEP_SNAPSHOTS])
        keep.update(DashboardSnapshot.objects.filter(published=True).order_by("-as_of", "-computed_at", "-id")
                    .values_list("pk", flat=True)[:1])
        DashboardCell.objects.exclude(snapshot_id__in=keep).delete()
        DashboardSnapshot.objects.exclude(pk__in=keep).delete()
    if prerender:
        prerender_charts(snapshot=snap)
    return snap


def prerender_charts(*, snapshot: DashboardSnapshot) -> int:
    """Draw and store the charts of each council's default dashboard, the partnership's and the public view.
    Returns how many charts were newly drawn (a chart already stored is not drawn again)."""
    from . import charts
    from .selectors import cells_for, default_filters, figures, public_filters

    DashboardChart.objects.filter(created_at__lt=timezone.now() - timedelta(days=3)).delete()
    councils = sorted({c for c in DashboardCell.objects.filter(snapshot=snapshot).exclude(local_authority=0)
                       .values_list("local_authority", flat=True).distinct()})
    before = DashboardChart.objects.count()
    views = [(snapshot, None, False), *((snapshot, la, False) for la in councils)]
    # The public view reads the month's published snapshot (maybe not this one): its charts are drawn (again,
    # after the 3-day clean-up above) on every refresh, so no anonymous visitor waits for them.
    published = snapshot if snapshot.published else (
        DashboardSnapshot.objects.defer("data").filter(published=True).order_by("-as_of", "-computed_at", "-id").first())
    if published is not None:
        views.insert(0, (published, None, True))
    for snap, la, public in views:
        if not cells_for(snap, la):
            continue
        filters, months = public_filters(snap) if public else default_filters(snap, local_authority=la)
        for fig in figures(snap, filters, months=months, public=public):
            charts.stored_svg(fig, public=public)
    return DashboardChart.objects.count() - before


def _metric(key: str) -> d.Metric:
    if key not in d.BY_KEY:
        raise ValidationError({"metric": "Choose a figure from the list"})
    return d.BY_KEY[key]


def _check_value(metric: d.Metric, value: Decimal) -> None:
    if value < 0 or (metric.kind == d.SHARE and value > 100):
        raise ValidationError({"value": "Enter a percentage from 0 to 100" if metric.kind == d.SHARE
                               else "Enter a number of 0 or more"})


@transaction.atomic
def add_comparator(*, actor, metric: str, geography: str, area_name: str, value: Decimal, period: str, source: str,
                   source_url: str = "", published_on: date | None = None, placeholder: bool = False,
                   request=None) -> Comparator:
    """Add a figure to compare with. It belongs to the actor's council (selectors.scope_of), which alone sees it;
    one added by someone not tied to a council is the whole partnership's, shown to every council."""
    from .selectors import scope_of

    m = _metric(metric)
    _check_value(m, value)
    if not placeholder and not source.strip():
        raise ValidationError({"source": "Name the publication the figure comes from, or mark it as a working figure"})
    comparator = Comparator.objects.create(
        metric=metric, geography=geography, area_name=area_name.strip() or "England", value=value, period=period.strip(),
        source=source.strip() or "Working figure entered by a partnership leader", source_url=source_url,
        published_on=published_on, placeholder=placeholder, entered_by=actor, local_authority=scope_of(actor))
    record_change(actor=actor, action=AuditAction.CREATE, obj=comparator, request=request,
                  after={"metric": metric, "value": str(value), "source": comparator.source},
                  summary=f"Comparator added: {comparator}")
    return comparator


@transaction.atomic
def set_target(*, actor, metric: str, target_on: date, value: Decimal, local_authority=None,
               expected_version: int | None = None, request=None) -> Trajectory:
    """Add a target on a date, or change the one already set for that date (refused if changed meanwhile)."""
    m = _metric(metric)
    _check_value(m, value)
    existing = (Trajectory.objects.select_for_update()
                .filter(metric=metric, local_authority=local_authority, target_on=target_on).first())
    if existing is None:
        target = Trajectory.objects.create(metric=metric, local_authority=local_authority, target_on=target_on,
                                           value=value, set_by=actor)
        record_change(actor=actor, action=AuditAction.CREATE, obj=target, request=request,
                      after={"metric": metric, "target_on": target_on.isoformat(), "value": str(value)},
                      summary=f"Trajectory target set: {target}")
        return target
    if expected_version is not None and expected_version != existing.version:
        raise ValidationError(STALE)
    before = {"value": str(existing.value)}
    existing.value, existing.set_by, existing.set_at = value, actor, timezone.now()
    existing.version += 1
    existing.save()
    record_change(actor=actor, action=AuditAction.UPDATE, obj=existing, request=request, before=before,
                  after={"value": str(value)}, summary=f"Trajectory target changed: {existing}")
    return existing


def _has_refusal(assessment) -> bool:
    return assessment.events.filter(type__in=["decision_not_to_assess", "decision_not_to_issue_plan"]).exists()


def _check_disagreement(values: dict) -> None:
    errors = {}
    if values.get("mediation_held_on") and not values.get("mediation_requested_on"):
        errors["mediation_requested_on"] = "Enter the date mediation was asked for"
    if values.get("mediation_outcome") and not values.get("mediation_requested_on"):
        errors["mediation_requested_on"] = "Enter the date mediation was asked for"
    if (values.get("mediation_held_on") and values.get("mediation_requested_on")
            and values["mediation_held_on"] < values["mediation_requested_on"]):
        errors["mediation_held_on"] = "Mediation can only be held after it was asked for"
    if (values.get("appeal_outcome") or values.get("appeal_decided_on")) and not values.get("appeal_lodged_on"):
        errors["appeal_lodged_on"] = "Enter the date the appeal was lodged"
    if (values.get("appeal_decided_on") and values.get("appeal_lodged_on")
            and values["appeal_decided_on"] < values["appeal_lodged_on"]):
        errors["appeal_decided_on"] = "The appeal can only be decided after it was lodged"
    if values.get("appeal_outcome") and not values.get("appeal_decided_on"):
        errors["appeal_decided_on"] = "Enter the date of the outcome"
    today = timezone.localdate()
    for name in ("mediation_requested_on", "mediation_held_on", "appeal_lodged_on", "appeal_decided_on"):
        if values.get(name) and values[name] > today and name not in errors:
            errors[name] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_disagreement(*, actor, assessment, expected_version: int | None, request=None, **values) -> Disagreement:
    """Record or update mediation and appeal after a refusal. `expected_version` is None for a new record."""
    unknown = set(values) - set(DISAGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if not _has_refusal(assessment):
        raise ValidationError("Mediation and appeals are recorded only after a decision not to assess "
                              "or not to issue a plan.")
    _check_disagreement(values)
    current = Disagreement.objects.select_for_update().filter(assessment=assessment).first()
    if current is None:
        if expected_version not in (None, 0):
            raise ValidationError(STALE)
        dis = Disagreement.objects.create(assessment=assessment, updated_by=actor, **values)
        record_change(actor=actor, action=AuditAction.CREATE, obj=dis, child=assessment.child, request=request,
                      after=audit_snapshot(dis, DISAGREEMENT_FIELDS), summary="Mediation or appeal recorded")
        return dis
    if expected_version != current.version:
        raise ValidationError(STALE)
    before = audit_snapshot(current, DISAGREEMENT_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by, current.updated_at = actor, timezone.now()
    current.save()
    record_change(actor=actor, action=AuditAction.UPDATE, obj=current, child=assessment.child, request=request,
                  before=before, after=audit_snapshot(current, DISAGREEMENT_FIELDS),
                  summary="Mediation or appeal updated")
    return current


def _check_action(values: dict) -> None:
    errors = {}
    if not QUARTER.match(values.get("quarter", "")):
        errors["quarter"] = "Enter the quarter like 2026-Q4"
    bad = [k for k in values.get("metrics", []) if k not in d.BY_KEY]
    if bad:
        errors["metrics"] = "Choose figures from the list"
    if not values.get("title", "").strip():
        errors["title"] = "Enter what the action is"
    if not values.get("owner", "").strip():
        errors["owner"] = "Enter who owns the action"
    if errors:
        raise ValidationError(errors)


def _action_audit(action: Action) -> dict:
    return {**audit_snapshot(action, [f for f in ACTION_FIELDS if f != "metrics"]), "metrics": list(action.metrics)}


@transaction.atomic
def save_action(*, actor, action: Action | None = None, expected_version: int | None = None, request=None,
                **values) -> Action:
    """Create an action (action=None) or change one, refusing a stale edit. Both the action and the area it goes
    under must be the actor's council's Big Plan (selectors.areas_for): never another council's."""
    from .selectors import areas_for, scope_of

    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    scope = scope_of(actor)
    if action is not None and not areas_for(scope).filter(pk=action.area_id).exists():
        raise PermissionDenied("This action is another council's")
    area = values.get("area")
    if area is not None and not areas_for(scope).filter(pk=getattr(area, "pk", area)).exists():
        raise ValidationError({"area": "Choose an area for improvement from the list"})
    _check_action(values)
    if action is None:
        created = Action.objects.create(updated_by=actor, **values)
        record_change(actor=actor, action=AuditAction.CREATE, obj=created, request=request,
                      after=_action_audit(created), summary=f"Big Plan action added: {created}")
        return created
    current = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version != current.version:
        raise ValidationError(STALE)
    before = _action_audit(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by, current.updated_at = actor, timezone.now()
    current.save()
    record_change(actor=actor, action=AuditAction.UPDATE, obj=current, request=request, before=before,
                  after=_action_audit(current), summary=f"Big Plan action changed: {current}")
    return current


@transaction.atomic
def add_area(*, actor, title: str, description: str = "", source: str = "", request=None) -> ImprovementArea:
    """Add an area to the actor's council's Big Plan (or the partnership's, for someone not tied to a council)."""
    from .selectors import areas_for, scope_of

    if not title.strip():
        raise ValidationError({"title": "Enter the area for improvement"})
    scope = scope_of(actor)
    order = (areas_for(scope).order_by("-order").values_list("order", flat=True).first() or 0) + 1
    area = ImprovementArea.objects.create(title=title.strip(), description=description, source=source, order=order,
                                          local_authority=scope)
    record_change(actor=actor, action=AuditAction.CREATE, obj=area, request=request, after={"title": area.title},
                  summary=f"Big Plan area added: {area}")
    return area
