"""Writes of the SEN2 app: the export (audited: it hands out every child's details) and the import."""

from __future__ import annotations

from datetime import date, datetime

from sendhub.audit.models import AuditAction, AuditChannel
from sendhub.audit.services import record, record_children_shown
from sendhub.organisations.models import Organisation

from . import spec
from .build import build_return, csv_zip
from .importer import ImportReport, import_return
from .spec import Node

FORMATS = ("xml", "csv")


def export_return(*, actor, local_authority: Organisation, census: date, fmt: str = "xml", request=None,
                  generated_at: datetime | None = None) -> tuple[bytes, str, str]:
    """The return as a file: (content, file name, content type). Every child in it is audited as exported."""
    if fmt not in FORMATS:
        raise ValueError(f"Format must be one of {', '.join(FORMATS)}")
    header = build_return(local_authority=local_authority, census=census, generated_at=generated_at)
    base = f"SEN2_{local_authority.code}_{census.isoformat()}"
    if fmt == "xml":
        content, name, kind = spec.to_xml(header), f"{base}.xml", "application/xml"
    else:
        content, name, kind = csv_zip(header), f"{base}_tables.zip", "application/zip"
    _audit(actor=actor, request=request, header=header, summary=f"SEN2 return exported ({fmt}, census {census})")
    return content, name, kind


def _audit(*, actor, request, header: Node, summary: str) -> None:
    refs = [int(p.ref) for p in header.kids("person") if p.ref]
    if request is not None:
        record_children_shown(request=request, children=refs, summary=summary, action=AuditAction.EXPORT)
        return
    from sendhub.audit.models import AuditEvent

    common = {"actor": None, "actor_label": "sendhub command", "action": AuditAction.EXPORT,
              "channel": AuditChannel.SYSTEM, "summary": summary[:300]}
    AuditEvent.objects.bulk_create([AuditEvent(**common, child_id=pk, object_type="people.Child", object_id=str(pk))
                                    for pk in refs] or [AuditEvent(**common, object_type="sen2.return")])


def import_file(*, header: Node, raw: bytes, file_name: str, actor=None, council_name: str = "") -> ImportReport:
    return import_return(header=header, raw=raw, file_name=file_name, actor=actor, council_name=council_name)




# -- Published figures ---------------------------------------------------------------------------------------

def import_published(*, path, actor=None) -> list[str]:
    """Load the DfE release files from a folder or a ZIP, all or nothing; returns the report's lines.

    Loading again replaces what was loaded before (the same file gives the same rows), so a new release is
    loaded the same way. Raises published.FileRefused (nothing saved) naming every file or column not understood.
    """
    import zipfile
    from pathlib import Path

    from django.db import transaction

    from . import published
    from .models import PublishedFigure, StatisticalNeighbour

    path = Path(path)
    if path.is_dir():
        files = {p.stem.lower(): p.read_text(encoding="utf-8-sig") for p in sorted(path.glob("*.csv"))}
    elif zipfile.is_zipfile(path):
        from sendhub.core.importing import open_zip

        with path.open("rb") as handle, open_zip(handle, label=path.name) as archive:
            files = {Path(n).stem.lower(): archive.read(n).decode("utf-8-sig") for n in archive.namelist()
                     if n.lower().endswith(".csv")}
    else:
        raise published.FileRefused(f"{path} is neither a folder nor a ZIP file")
    rows, neighbours, refused = [], [], []
    for stem, text in files.items():
        try:
            if stem == published.NEIGHBOURS_FILE:
                neighbours = published.read_neighbours(text)
            else:
                rows += published.read_release_file(stem, text)
        except published.FileRefused as error:
            refused.append(str(error))
    if not files:
        refused.append(f"No CSV files in {path}")
    if refused:
        raise published.FileRefused("\n".join(refused))
    with transaction.atomic():
        PublishedFigure.objects.filter(measure__in={r.measure for r in rows}).delete()
        PublishedFigure.objects.bulk_create([
            PublishedFigure(measure=r.measure, time_period=r.time_period, year=r.year, level=r.level,
                            area_code=r.area_code, old_la_code=r.old_la_code, area_name=r.area_name,
                            region_code=r.region_code, region_name=r.region_name, value=r.value, shown=r.shown,
                            source_file=r.source_file, source_column=r.source_column, release=published.RELEASE)
            for r in rows], batch_size=2000)
        if neighbours:
            StatisticalNeighbour.objects.all().delete()
            StatisticalNeighbour.objects.bulk_create([StatisticalNeighbour(la_name=a, neighbour_name=b, rank=n)
                                                      for a, b, n in neighbours])
        summary = f"Published figures loaded: {len(rows)} figures from {len(files)} files"
        record(actor=actor, action=AuditAction.CREATE, channel=AuditChannel.SYSTEM, summary=summary,
               object_type="sen2.PublishedFigure", object_id="release")
    return [summary + (f", {len(neighbours)} statistical neighbour links" if neighbours else "") + "."]
