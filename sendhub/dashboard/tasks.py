from django.tasks import task


@task()
def refresh_dashboard() -> int:
    """Recompute the dashboard snapshot (queued nightly by `sendhub refresh_dashboard --enqueue`; `sendhub db_worker` runs it)."""
    from .services import refresh_snapshot

    return refresh_snapshot().pk
