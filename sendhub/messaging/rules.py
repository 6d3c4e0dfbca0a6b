"""Who works the council's post tray (loaded by rules' autodiscovery)."""

import rules

from sendhub.accounts.models import Role


@rules.predicate
def works_post_tray(user) -> bool:
    return (user.is_authenticated and user.is_active
            and user.role in {Role.BUSINESS_SUPPORT, Role.CASEWORKER, Role.TEAM_MANAGER}
            and user.organisation is not None and user.organisation.kind == "local_authority")


rules.add_perm("messaging.work_post_tray", works_post_tray)
