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


__all__ = ["export_return", "import_file", "record"]
