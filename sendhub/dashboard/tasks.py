from django.tasks import task


@task()
def refresh_dashboard() -> int:
    """Recompute the dashboard snapshot; run nightly (and enqueued when leaders ask for fresh figures)."""
    from .services import refresh_snapshot

    return refresh_snapshot().pk
