import time
from datetime import date
from io import StringIO
import pytest
from django.core.management import call_command
from django.test import override_settings
from sendhub.organisations.models import Organisation
from sendhub.sen2 import spec, checks
from sendhub.sen2.build import build_return
from sendhub.sen2.importer import import_return, read_return
from sendhub.dashboard import services as ds, selectors as dsel

pytestmark = pytest.mark.django_db

def test_demo():
    t=time.time()
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        call_command("demo", "--scale", "300", "--seed", "3", "--quiet", stdout=StringIO())
    print("demo", round(time.time()-t,1))
    la = Organisation.objects.get(kind="local_authority")
    census = date(2027, 1, 21)
    t=time.time()
    h = build_return(local_authority=la, census=census)
    print("build", round(time.time()-t,2), "persons", len(h.kids("person")))
    probs = checks.check(h)
    print("errors", [p.line() for p in probs if p.severity=="error"][:10])
    print("queries", len([p for p in probs if p.severity=="query"]))
    first = spec.to_xml(h)
    moved = first.replace(f"<LEA>{la.code}</LEA>".encode(), b"<LEA>777</LEA>")
    t=time.time()
    rep = import_return(header=read_return(moved, "demo.xml"), raw=moved, file_name="demo.xml")
    print("import", round(time.time()-t,2), rep.lines()[:5])
    la2 = Organisation.objects.get(code="777")
    again = spec.to_xml(build_return(local_authority=la2, census=census)).replace(b"<LEA>777</LEA>", f"<LEA>{la.code}</LEA>".encode())
    print("identical", again == first, len(first))
    snap = ds.refresh_snapshot(as_of=date(2026, 12, 1), prerender=False)
    for pk in (la.pk, la2.pk):
        f, m = dsel.default_filters(snap, local_authority=pk)
        figs = {x.metric.key: (x.numerator, x.denominator) for x in dsel.figures(snap, f, months=m)}
        print(pk, {k: figs[k] for k in ("final_plan_20w", "final_plan_20w_exc", "decision_6w", "refusals_to_assess", "refusals_mediation", "refusals_appealed", "reviews_on_time", "phase_transfers_on_time")})
