"""Who may run the SEN2 return (rules' autodiscovery loads this): a SEND team manager, for their own council only."""

import rules

from sendhub.accounts.models import Role


@rules.predicate
def manages_council(user, council) -> bool:
    return (council is not None and bool(user and user.is_authenticated and user.is_active)
            and user.role == Role.TEAM_MANAGER and user.organisation_id == council.pk)


rules.add_perm("sen2.run_return", manages_council)
