from django.tasks import task


@task()
def backfill_checks(local_authority_id: int | None = None) -> int:
    """Run the automatic checks again on every issued plan version (of one council when given): queued by
    `sendhub quality_checks --enqueue`, and when a council changes its checks. `sendhub db_worker` runs it."""
    from sendhub.organisations.models import Organisation

    from .checks import backfill

    la = Organisation.objects.filter(pk=local_authority_id).first() if local_authority_id else None
    return backfill(local_authority=la)


@task()
def draw_samples(month: str) -> int:
    """Draw the month's audit sample for every council that has none yet: `sendhub quality_sample --enqueue`, queued
    on the first of each month like the dashboard refresh."""
    from .services import draw_all_samples

    return draw_all_samples(month=month)
