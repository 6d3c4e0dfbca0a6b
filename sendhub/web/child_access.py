"""The one way a view or API call gets a child: from the person's scoped queryset, then audited."""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sendhub.audit.services import record_denied, record_view
from sendhub.people.models import Child
from sendhub.people.selectors import child_for_page, children_visible_to


def get_child_or_404(request, pk: int, *, audit_summary: str = "Looked at the child's record") -> Child:
    """Children the person may not see do not exist for them: 404, and the attempt is audited."""
    child = child_for_page(children_visible_to(request.user)).filter(pk=pk).first()
    if child is None:
        record_denied(request=request, object_type=Child._meta.label, object_id=str(pk))
        raise Http404("No child found")
    record_view(request=request, child=child, summary=audit_summary)
    return child


def require_perm(request, perm: str, obj=None) -> None:
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied
