"""Who may keep local offer entries. Check with `rules.has_perm(perm, user, obj)`; deny by default.

The local offer team is the team managers and administrators of a local authority: they review and
publish every entry, keep the entries of organisations that have no staff here (charities, the
parent carer forum) and import and export feeds. Staff of a partner organisation keep the entries of
their own organisation: they edit and submit, the local offer team publishes.
Searching and reading the directory, and its Open Referral API, need no permission at all.
"""

import rules

from sendhub.accounts.models import STAFF_ROLES, Role

LOCAL_OFFER_TEAM_ROLES = {Role.TEAM_MANAGER, Role.ADMINISTRATOR}


@rules.predicate
def is_local_offer_team(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.role in LOCAL_OFFER_TEAM_ROLES
        and user.organisation is not None and user.organisation.kind == "local_authority"
    )


@rules.predicate
def is_partner_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in STAFF_ROLES
                and user.organisation_id is not None)


@rules.predicate
def owns_entry(user, obj) -> bool:
    """obj is a Service, an EntryDraft or a DirectoryOrganisation; the user works for its partner organisation."""
    if obj is None or not is_partner_staff(user):
        return False
    organisation = getattr(obj, "organisation", obj)
    return organisation is not None and organisation.partner_id is not None and organisation.partner_id == user.organisation_id


@rules.predicate
def is_local_offer_team_for(user, obj) -> bool:
    """The local offer team of the entry's council: a draft in their review list (selectors.drafts_for_review);
    an entry of a provider in their area, or of one with no staff here. Never another council's draft."""
    from .models import EntryDraft
    from .selectors import council_of, council_of_organisation, drafts_for_review

    if obj is None or not is_local_offer_team(user):
        return False
    if isinstance(obj, EntryDraft):
        return drafts_for_review(user).filter(pk=obj.pk).exists()
    organisation = getattr(obj, "organisation", obj)
    partner = getattr(organisation, "partner", None)
    return partner is None or council_of_organisation(partner) == council_of(user)


rules.add_perm("directory.maintain_entries", is_local_offer_team | is_partner_staff)
rules.add_perm("directory.edit_entry", is_local_offer_team_for | owns_entry)
rules.add_perm("directory.review_entries", is_local_offer_team)
rules.add_perm("directory.import_feed", is_local_offer_team)
