"""`{% plan_quality version %}`: the automatic checks and audits of an issued version, for council staff only."""

from django import template

import rules

from sendhub.people.rules import is_caseworker_for_child

from ..checklist import BY_KEY
from ..models import Audit, AuditStatus, CheckRun

register = template.Library()


@register.inclusion_tag("quality/version_quality.html", takes_context=True)
def plan_quality(context, version):
    user = context["request"].user
    lead = rules.has_perm("quality.view_quality", user) and user.organisation_id == version.child.local_authority_id
    if not (lead or is_caseworker_for_child(user, version.child)):
        return {"show": False}
    run = CheckRun.objects.filter(version=version).first()
    audits = Audit.objects.filter(version=version).select_related("auditor")
    if not lead:
        audits = audits.exclude(status=AuditStatus.IN_PROGRESS)
    return {"show": True, "version": version, "run": run, "audits": list(audits), "can_audit": lead,
            "failed": [BY_KEY[key] for key in (run.failed_rules if run else []) if key in BY_KEY],
            "csrf_token": context.get("csrf_token")}
