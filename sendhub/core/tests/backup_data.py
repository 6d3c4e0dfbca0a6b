"""A small demo area with uploaded files and audit rows, for the backup round-trip tests.

Used in the test process (PostgreSQL) and, for SQLite, in a child process against a database file
(`python -m sendhub.core.tests.backup_data`), so the round trip goes through the `sendhub` commands.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from sendhub.testing.files import pdf_bytes, picture_bytes


def populate() -> None:
    """Load the demo at a small scale, then upload files and read records through the real services."""
    from sendhub.accounts.models import Role, User
    from sendhub.assessments.models import AssessmentOutcome
    from sendhub.assessments.services import request_assessment
    from sendhub.audit.models import AuditAction, AuditChannel
    from sendhub.audit.services import record
    from sendhub.demo.area import demo_email
    from sendhub.people.selectors import children_visible_to
    from sendhub.plans.models import PlanStatus
    from sendhub.portal.services import add_all_about_me

    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        call_command("demo", "--scale", "20", "--seed", "7", "--quiet")
    senco = User.objects.get(email=demo_email(Role.SENCO))
    pupils = (children_visible_to(senco).exclude(plans__status=PlanStatus.ACTIVE)
              .exclude(assessments__outcome=AssessmentOutcome.OPEN).order_by("pk"))
    for number, child in enumerate(pupils[:2], start=1):
        request_assessment(actor=senco, child=child, needs="Finds reading and writing very hard",
                           support_so_far="SEN support plan for two terms", views="Wants help with reading",
                           family_told=True,
                           files=[SimpleUploadedFile(f"support-plan-{number}.pdf", pdf_bytes(pages=number))])
    parent = User.objects.get(email=demo_email(Role.FAMILY))
    child = children_visible_to(parent).order_by("pk").first()
    add_all_about_me(actor=parent, child=child, answers={"likes": "Trains and swimming"},
                     pictures=[(SimpleUploadedFile("trains.png", picture_bytes("png")), "A red train")])
    caseworker = User.objects.get(email=demo_email(Role.CASEWORKER))
    for viewed in children_visible_to(caseworker).order_by("pk")[:5]:
        record(actor=caseworker, action=AuditAction.VIEW, channel=AuditChannel.WEB, obj=viewed, child=viewed,
               summary="Looked at the record")


if __name__ == "__main__":
    import django

    django.setup()
    populate()
