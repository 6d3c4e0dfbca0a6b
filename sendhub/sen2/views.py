"""The SEN2 page for a SEND team manager: run the checks, read the report, download the return."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sendhub.audit.services import record_children_shown
from sendhub.web.child_access import require_perm

from . import checks, selectors, services
from .forms import CensusForm
from .models import ImportRun


def _council(request):
    council = selectors.council_of(request.user)
    if council is None:
        raise PermissionDenied
    require_perm(request, "sen2.run_return", council)
    return council


def _census(request):
    default = selectors.default_census(timezone.localdate())
    if not any(k.startswith("census") for k in request.GET):
        return CensusForm(initial={"census": default}), default
    form = CensusForm(request.GET)
    return form, (form.cleaned_data["census"] if form.is_valid() else None)


@login_required
def index(request):
    council = _council(request)
    form, census = _census(request)
    problems, people, comparison = None, None, None
    if census is not None and "check" in request.GET:
        header, problems = selectors.checked_return(council, census)
        people = len(header.kids("person"))
        record_children_shown(request=request, children=[int(p.ref) for p in problems if p.ref],
                              summary=f"SEN2 checks before submission (census {census})")
    if census is not None:
        comparison = selectors.live_vs_published(council, census.year - 1)  # the calendar year the return covers
    errors = [p for p in problems or [] if p.severity == checks.ERROR]
    queries = [p for p in problems or [] if p.severity == checks.QUERY]
    return render(request, "sen2/index.html", {
        "council": council, "form": form, "census": census, "problems": problems, "errors": errors,
        "queries": queries, "people": people, "rules": checks.RULES.values(), "comparison": comparison,
        "imports": ImportRun.objects.filter(local_authority=council)[:5],
    })


@login_required
def download(request, fmt: str):
    council = _council(request)
    form, census = _census(request)
    if census is None or fmt not in services.FORMATS:
        return render(request, "sen2/index.html", {"council": council, "form": form, "census": None,
                                                   "rules": checks.RULES.values()}, status=400)
    content, name, kind = services.export_return(actor=request.user, local_authority=council, census=census,
                                                 fmt=fmt, request=request)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
