from django.tasks import task


@task()
def backfill_checks() -> int:
    """Run the automatic checks again on every issued plan version: `sendhub quality_checks --enqueue`, or after a
    council changes its checks. `sendhub db_worker` runs it."""
    from .checks import backfill

    return backfill()


@task()
def draw_samples(month: str) -> int:
    """Draw the month's audit sample for every council that has none yet: `sendhub quality_sample --enqueue`, queued
    on the first of each month like the dashboard refresh."""
    from .services import draw_all_samples

    return draw_all_samples(month=month)
