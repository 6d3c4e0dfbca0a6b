from django.db.models import QuerySet

from .models import AuditAction, AuditEvent


def record_history(child) -> QuerySet[AuditEvent]:
    """Who has looked at and changed a child's record, newest first."""
    return AuditEvent.objects.filter(
        child=child, action__in=[AuditAction.VIEW, AuditAction.CREATE, AuditAction.UPDATE, AuditAction.EXPORT]
    ).select_related("actor")
