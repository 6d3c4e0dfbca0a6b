from django.db.models import QuerySet

from .models import AuditAction, AuditEvent


RECORD_HISTORY_ACTIONS = [AuditAction.VIEW, AuditAction.LIST, AuditAction.CREATE, AuditAction.UPDATE,
                          AuditAction.DELETE, AuditAction.EXPORT, AuditAction.GRANT, AuditAction.REVOKE]


def record_history(child) -> QuerySet[AuditEvent]:
    """Who has looked at and changed a child's record, newest first.

    Includes every list or search the child appeared in and every grant or end of someone's access, so a
    family sees who could see their child, not only who opened the record.
    """
    return AuditEvent.objects.filter(child=child, action__in=RECORD_HISTORY_ACTIONS).select_related("actor")
