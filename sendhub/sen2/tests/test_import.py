"""Onboarding from a SEN2 return: round trip, all or nothing, idempotent, dated so the clock runs on it."""

import io
import zipfile

import pytest
from django.core.management import call_command

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.clock.cases import deadline_rows
from sendhub.organisations.models import Organisation
from sendhub.people.models import Child
from sendhub.sen2 import spec
from sendhub.sen2.build import build_return, csv_zip
from sendhub.sen2.importer import import_return, read_return
from sendhub.sen2.models import ImportedRecord, ImportRun

from . import casebook

pytestmark = pytest.mark.django_db


def moved(xml: bytes, code: str, was: str = "881") -> bytes:
    """The same return under another council's code: importing it fills an empty council."""
    return xml.replace(f"<LEA>{was}</LEA>".encode(), f"<LEA>{code}</LEA>".encode())


def load(data: bytes, name="return.xml"):
    return import_return(header=read_return(data, name), raw=data, file_name=name)


def export(code: str, fmt="xml") -> bytes:
    la = Organisation.objects.get(kind="local_authority", code=code)
    header = build_return(local_authority=la, census=casebook.CENSUS)
    return spec.to_xml(header) if fmt == "xml" else csv_zip(header)


def test_round_trip_export_import_export_is_identical_and_idempotent():
    report, first = round_trip()
    before = Child.objects.count()
    again = load(moved(first, "882"))
    assert again.already is not None and "nothing changed" in again.lines()[0]
    assert Child.objects.count() == before and ImportRun.objects.count() == 1


def round_trip():
    casebook.build()
    first = export("881")
    report = load(moved(first, "882"))
    assert report.ok, report.lines()
    assert report.counts == {"people": 10, "requests": 7, "plans": 6, "reviews": 5, "events": 13}
    second = moved(export("882"), "881", was="882")
    assert second == first
    records = ImportedRecord.objects.filter(run=report.run)
    assert records.filter(model="people.child").count() == 10
    assert records.get(model="people.child", child__given_name="Finn").where == "Person[6]"
    return report, first


def test_the_childs_page_says_where_the_record_came_from(client_for):
    from sendhub.accounts.models import Role
    from sendhub.testing.factories import UserFactory

    report, _ = round_trip()
    finn = Child.objects.get(given_name="Finn", local_authority=report.run.local_authority)
    manager = UserFactory(role=Role.TEAM_MANAGER, organisation=report.run.local_authority)
    html = client_for(manager).get(f"/children/{finn.pk}/").content.decode()
    assert "Imported from the SEN2 return return.xml (census 15 January 2026, made by sendhub) on" in html
    assert "Elective home education" in html


def test_csv_tables_round_trip_too(tmp_path):
    casebook.build()
    data = export("881", "csv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        tables = {name: archive.read(name).decode() for name in archive.namelist()}
    tables["sen2.csv"] = tables["sen2.csv"].replace(",881,", ",883,")
    folder = tmp_path / "tables"
    folder.mkdir()
    for name, text in tables.items():
        (folder / name).write_text(text)
    out = io.StringIO()
    call_command("sen2", "import", str(folder), "--council-name", "Newtown Council", stdout=out)
    assert out.getvalue().startswith("Imported tables: 10 people")
    assert Organisation.objects.get(code="883").name == "Newtown Council"
    assert export("883", "csv") != data  # the header names the new council…
    assert export("883").replace(b"<LEA>883</LEA>", b"<LEA>881</LEA>") == export("881")  # …and nothing else differs


def test_a_file_with_any_problem_imports_nothing_and_says_each_line():
    casebook.build()
    xml = moved(export("881"), "884")
    xml = xml.replace(b"<RequestOutcome>W</RequestOutcome>", b"<RequestOutcome>Q</RequestOutcome>")
    xml = xml.replace(b"<CeaseReason>1</CeaseReason>", b"")
    people = Child.objects.count()
    report = load(xml)
    assert not report.ok and Child.objects.count() == people and not Organisation.objects.filter(code="884").exists()
    assert report.lines()[0] == "Nothing was imported from return.xml: 2 problem(s) to put right first."
    assert "Cara Cole (born 20 January 2017): Request for an EHC needs assessment: RequestOutcome is 'Q', which is not " \
           "a code the return allows (Y, N, A, W, H) (Person[3])" in report.lines()
    assert "Eve Eden (born 1 June 2000): plan ceased 31 July 2025 without a cease reason (1 to 9) (Person[5])" \
        in report.lines()
    # the same people into the council that already has them: refused, not doubled
    again = load(export("881"))
    assert not again.ok and "is already in the council's record" in again.lines()[1]


def test_the_statutory_clock_runs_on_what_was_imported():
    casebook.build()
    assert load(moved(export("881"), "885")).ok
    dan = EHCNeedsAssessment.objects.get(child__given_name="Dan", child__local_authority__code="885")
    rows = {row.deadline.key: row.deadline for row in deadline_rows(dan, casebook.CENSUS)}
    assert str(rows["decision_whether_to_assess"].due) == "2026-01-12"  # 6 weeks from the request of 1 December 2025
    gus = EHCNeedsAssessment.objects.get(child__given_name="Gus", child__local_authority__code="885")
    assert [e.type for e in gus.events.all()] == ["exception", "decision_to_assess", "final_plan_issued"]
    assert "SEN2" in gus.events.get(type="exception").note
    from sendhub.clock.projection import check_and_repair

    assert check_and_repair() == []  # the imported cases are on the deadlines lists at once


def test_the_command_line_exports_and_checks(tmp_path, capsys):
    casebook.build()
    out = tmp_path / "SEN2.xml"
    call_command("sen2", "export", "--census-date", "2026-01-15", "--council", "881", "--output", str(out))
    assert out.read_bytes().startswith(b"<?xml") and b"<Forename>Ava</Forename>" in out.read_bytes()
    with pytest.raises(Exception, match="give --output"):
        call_command("sen2", "export", "--census-date", "2026-01-15", "--format", "csv")
    Child.objects.filter(given_name="Ben").update(postcode="NOPE")
    stdout = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("sen2", "check", "--census-date", "2026-01-15", stdout=stdout, stderr=io.StringIO())
    assert exit_code.value.code == 1
    assert stdout.getvalue() == "error: Ben Brook (born 1 September 2016): postcode 'NOPE' is not a UK postcode [postcode]\n"


def test_a_finished_review_closes_and_the_next_round_runs_from_its_meeting():
    """The return gives the meeting, not the one before it: that round is left out of the review figures, and
    once the council has decided (and any amended plan is issued) the next review is due 12 months on."""
    from sendhub.clock.models import StatutoryEvent
    from sendhub.reviews.models import AnnualReview
    from sendhub.sen2.selectors import rounds_without_start

    casebook.build()
    finn = AnnualReview.objects.get(plan__child__given_name="Finn")
    StatutoryEvent.objects.create(review=finn, type="amended_plan_issued", date=casebook.D("2025-07-20"))
    first = export("881")
    assert load(moved(first, "886")).ok
    assert moved(export("886"), "881", was="886") == first
    held, following = AnnualReview.objects.filter(plan__child__local_authority__code="886",
                                                  plan__child__given_name="Finn").order_by("pk")
    assert (held.closed_on, held.outcome, following.closed_on) == (casebook.D("2025-07-20"), "amend", None)
    assert rounds_without_start(Child.objects.filter(local_authority__code="886")) == {held.pk}
    rows = {row.deadline.key: row.deadline for row in deadline_rows(following, casebook.CENSUS)}
    assert str(rows["annual_review"].due) == "2026-05-09"  # within 12 months of the meeting of 10 May 2025
