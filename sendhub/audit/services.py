"""The one audit service: every read of a child's record and every change goes through here.

Callers pass the request when there is one, so the channel and path are recorded the same way
everywhere; writes are recorded inside the caller's transaction, so a rolled-back change leaves
no audit row and a committed one always has one.
"""

from collections.abc import Iterable, Mapping
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditAction, AuditChannel, AuditEvent


def _label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "System"
    return f"{actor.full_name} ({actor.get_role_display()})"


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited fields of an instance as JSON-safe values (foreign keys as their ids)."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        result[name] = _plain(getattr(instance, field.attname))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def record(
    *,
    actor,
    action: str,
    channel: str,
    obj: models.Model | None = None,
    child=None,
    child_id: int | None = None,
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
    path: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=_label(actor),
        actor_role=getattr(actor, "role", "") if authenticated else "",
        action=action,
        channel=channel,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        child=child,
        **({"child_id": child_id} if child is None and child_id is not None else {}),
        summary=summary[:300],
        changes=dict(changes or {}),
        path=path[:300],
    )


def channel_of(request) -> str:
    if request is None:
        return AuditChannel.SYSTEM
    if request.path.startswith("/api/"):
        return AuditChannel.API
    if request.path.startswith("/support/"):
        return AuditChannel.ADMIN
    return AuditChannel.WEB


def record_view(
    *, request, child, obj: models.Model | None = None, summary: str = "", child_id: int | None = None
) -> AuditEvent:
    """A person looked at (part of) a child's record."""
    return record(
        actor=request.user,
        action=AuditAction.VIEW,
        channel=channel_of(request),
        obj=obj if obj is not None else child,
        child=child,
        child_id=child_id,
        summary=summary,
        path=request.get_full_path(),
    )


def record_change(
    *, actor, action: str, obj: models.Model, child=None, child_id: int | None = None, before=None, after=None,
    summary: str = "", request=None, object_id: str = ""
) -> AuditEvent:
    return record(
        object_id=object_id,
        actor=actor,
        action=action,
        channel=channel_of(request),
        obj=obj,
        child=child,
        child_id=child_id,
        summary=summary,
        changes=diff(before or {}, after or {}),
        path=request.get_full_path() if request is not None else "",
    )


def _child_pk(item) -> int | None:
    """A child's id from a Child, its id, a record with a `child` foreign key, or a list row with `.child`."""
    if isinstance(item, int):
        return item
    if getattr(item, "_meta", None) is not None and item._meta.label == "people.Child":
        return item.pk
    if hasattr(item, "child_id"):
        return item.child_id
    return _child_pk(item.child)


def record_children_shown(
    *, request, children: Iterable, summary: str, search: str = "", action: str = AuditAction.LIST
) -> int:
    """Every list, search, export and API page that shows children calls this once, after choosing what it shows.

    It writes one row per child shown (so each child's record history, which the family sees, names everyone
    who has seen them in a list) in ONE bulk insert, so an audited list costs one query whatever its length.
    `children` may be Child objects, their ids, records with a `child` foreign key or list rows with `.child`.
    A search that finds no child still leaves one row, without a child, so that probing for an NHS number is
    traced too. Returns how many rows were written.
    """
    seen = dict.fromkeys(pk for pk in map(_child_pk, children) if pk is not None)  # shown order, no repeats
    actor = request.user
    authenticated = getattr(actor, "is_authenticated", False)
    common = {
        "actor": actor if authenticated else None, "actor_label": _label(actor),
        "actor_role": getattr(actor, "role", "") if authenticated else "", "action": action,
        "channel": channel_of(request), "summary": summary[:300], "path": request.get_full_path()[:300],
    }
    if not seen:
        if not search.strip():
            return 0
        AuditEvent.objects.create(**common, object_type="people.Child")
        return 1
    rows = [AuditEvent(**common, child_id=pk, object_type="people.Child", object_id=str(pk)) for pk in seen]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)


def record_denied(*, request, object_type: str, object_id: str) -> AuditEvent:
    return record(
        actor=request.user,
        action=AuditAction.DENIED,
        channel=channel_of(request),
        object_type=object_type,
        object_id=object_id,
        path=request.get_full_path(),
    )
