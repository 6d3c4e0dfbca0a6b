from django.conf import settings


def service(request):
    return {"partnership_name": settings.PARTNERSHIP_NAME, "service_name": settings.SERVICE_NAME}


def navigation(request):
    """The main navigation for the signed-in person's role."""
    from django.urls import reverse

    import rules

    from sendhub.accounts.models import Role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or (user.needs_two_factor and not user.is_verified()):
        return {}
    items = [("Home", reverse("web:home"))]
    if rules.has_perm("people.view_child_list", user):
        items.append(("Children and young people", reverse("web:children")))
    if rules.has_perm("clock.view_queue", user):
        items.append(("Deadlines", reverse("clock:queue")))
    if rules.has_perm("reviews.view_school_reviews", user):
        items.append(("Annual reviews", reverse("reviews:school")))
    if rules.has_perm("reviews.view_priority_queue", user):
        items.append(("Review priorities", reverse("reviews:priority")))
    if user.role in {Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE, Role.SENCO}:
        items.append(("Advice asked of you", reverse("assessments:advice")))
        items.append(("Plans sent to you", reverse("plans:mine")))
    if rules.has_perm("waits.manage_lists", user):
        items.append(("Waiting lists", reverse("waits:lists")))
    if user.role in {Role.PARTNERSHIP_LEADER, Role.TEAM_MANAGER}:
        items.append(("Area figures", reverse("web:area-figures")))
        items.append(("Review figures", reverse("reviews:figures")))
        items.append(("Waiting list figures", reverse("waits:figures")))
    if rules.has_perm("dashboard.view_dashboard", user):  # leaders, team managers, QA officers, caseworkers
        items.append(("Partnership dashboard", reverse("dashboard:index")))
    if user.role == Role.TEAM_MANAGER and user.organisation_id:  # the page checks it is their own council
        items.append(("SEN2 return", reverse("sen2:index")))
    if rules.has_perm("quality.view_quality", user):
        items.append(("Plan quality", reverse("quality:sample")))
    elif user.role in {Role.CASEWORKER, Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE} and (
            user.role == Role.CASEWORKER or user.plan_moderations.exists()):
        items.append(("Plan audits", reverse("quality:audits")))
    items.append(("Local offer", reverse("directory:search")))
    if rules.has_perm("directory.maintain_entries", user):
        items.append(("Local offer entries", reverse("directory:entries")))
    if rules.has_perm("messaging.work_post_tray", user):
        items.append(("Post tray", reverse("messaging:post-tray")))
    items.append(("Messages", reverse("portal:messages")))
    if rules.has_perm("accounts.invite_staff", user):
        items.append(("Staff accounts", reverse("manage:staff")))
    if user.role == Role.ADMINISTRATOR:
        items.append(("Support admin", reverse("admin:index")))
    return {"nav_items": [{"label": label, "url": url, "current": request.path == url} for label, url in items]}
