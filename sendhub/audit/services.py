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


def record_view(*, request, child, obj: models.Model | None = None, summary: str = "") -> AuditEvent:
    """A person looked at (part of) a child's record."""
    return record(
        actor=request.user,
        action=AuditAction.VIEW,
        channel=channel_of(request),
        obj=obj if obj is not None else child,
        child=child,
        summary=summary,
        path=request.get_full_path(),
    )


def record_change(
    *, actor, action: str, obj: models.Model, child=None, before=None, after=None, summary: str = "", request=None
) -> AuditEvent:
    return record(
        actor=actor,
        action=action,
        channel=channel_of(request),
        obj=obj,
        child=child,
        summary=summary,
        changes=diff(before or {}, after or {}),
        path=request.get_full_path() if request is not None else "",
    )


def record_denied(*, request, object_type: str, object_id: str) -> AuditEvent:
    return record(
        actor=request.user,
        action=AuditAction.DENIED,
        channel=channel_of(request),
        object_type=object_type,
        object_id=object_id,
        path=request.get_full_path(),
    )
