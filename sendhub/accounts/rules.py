"""Who may give others accounts (loaded by rules' autodiscovery). Check with `rules.has_perm`."""

import rules

from sendhub.people.rules import is_caseworker_for_child, is_the_young_person_of_consent_age

from .models import Role


@rules.predicate
def looks_after_staff_accounts(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in {Role.TEAM_MANAGER, Role.ADMINISTRATOR}


@rules.predicate
def looks_after_this_account(user, other) -> bool:
    """A team manager or administrator manages staff in their area, never their own account."""
    from .invitations import staff_visible_to

    return (other is not None and other.pk != user.pk and looks_after_staff_accounts(user)
            and staff_visible_to(user).filter(pk=other.pk).exists())


# Staff accounts: invite, re-send, reset two-factor, deactivate.
rules.add_perm("accounts.invite_staff", looks_after_staff_accounts)
rules.add_perm("accounts.manage_staff_account", looks_after_this_account)
# A caseworker for the child invites a parent, carer or the young person; a young person of 16 or over
# invites or removes a parent or carer themselves (their sharing choice still decides what parents see).
rules.add_perm("accounts.invite_family", is_caseworker_for_child)
rules.add_perm("accounts.manage_parents", is_caseworker_for_child | is_the_young_person_of_consent_age)
