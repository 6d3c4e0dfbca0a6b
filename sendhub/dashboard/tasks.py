from django.tasks import task


@task()
def refresh_dashboard() -> int | None:
    """Recompute the dashboard snapshot: queued nightly by `sendhub refresh_dashboard --enqueue`, and by a page whose
    figures are missing or more than a day old; `sendhub db_worker` runs it. Single flight: returns None (and
    computes nothing) when another refresh is already running."""
    from .services import run_refresh

    snapshot = run_refresh()
    return snapshot.pk if snapshot else None
