"""Who may do what with waiting lists (loaded by rules' autodiscovery).

Check with `rules.has_perm`, never `user.has_perm`. A clinician manages the lists of the health
provider they work for; leaders see area figures and never individual records; a family sees their
own child's referrals through the child's record (people.selectors.children_visible_to).
"""

import rules

from .selectors import provider_of, services_for_figures


@rules.predicate
def is_provider_clinician(user) -> bool:
    return provider_of(user) is not None


@rules.predicate
def manages_list(user, service) -> bool:
    provider = provider_of(user)
    return provider is not None and service is not None and service.provider_id == provider.pk


@rules.predicate
def sees_list_figures(user) -> bool:
    return services_for_figures(user).exists()


@rules.predicate
def sees_service_figures(user, service) -> bool:
    return service is not None and services_for_figures(user).filter(pk=service.pk).exists()


rules.add_perm("waits.manage_lists", is_provider_clinician)
rules.add_perm("waits.manage_list", manages_list)
rules.add_perm("waits.view_figures", sees_list_figures)
rules.add_perm("waits.view_service_figures", sees_service_figures)
