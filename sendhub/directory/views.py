from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sendhub.web.forms import apply_service_errors

from . import feeds, selectors, services
from .forms import (
    EntryForm, ImportForm, LocationFormSet, NewEntryForm, ReviewForm, ScheduleFormSet, SearchForm, location_initial,
    schedule_initial,
)
from .models import DirectoryOrganisation, EntryDraft, EntryState, Service
from .taxonomy import CATEGORY_NAMES, NEED_NAMES

PER_PAGE = 20


def _require(request, perm: str, obj=None) -> None:
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        criteria = form.search()
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        results = selectors.search_services(criteria, page=page, per_page=PER_PAGE)
        for key, message in criteria.errors.items():
            form.add_error(key, message)
    elif not form.is_bound:
        results = selectors.search_services(selectors.Search(), page=1, per_page=PER_PAGE)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    pages = None
    if results is not None and results.pages > 1:
        pages = {"previous": f"?{urlencode(query | {'page': results.page - 1})}" if results.page > 1 else None,
                 "next": f"?{urlencode(query | {'page': results.page + 1})}" if results.page < results.pages else None}
    summary = []
    if form.is_bound and not form.errors:
        data = form.cleaned_data
        if data.get("need"):
            summary.append(NEED_NAMES[data["need"]].lower())
        if data.get("age") is not None:
            summary.append(f"age {data['age']}")
        if data.get("category"):
            summary.append(CATEGORY_NAMES[data["category"]].lower())
    return render(request, "directory/search.html", {
        "form": form, "results": results, "pages": pages, "summary": summary,
        "distances": results.distances if results else {},
    })


def service_page(request, pk):
    service = selectors.public_service(pk)
    if service is None:
        raise Http404
    return render(request, "directory/service.html", {
        "service": service, "can_edit": rules.has_perm("directory.edit_entry", request.user, service),
        "needs": [t for t in service.terms.all() if t.taxonomy_id and t.code in NEED_NAMES],
        "categories": [t for t in service.terms.all() if t.code in CATEGORY_NAMES],
    })


def easy_read(request, pk):
    service = selectors.public_service(pk)
    if service is None or not service.easy_read:
        raise Http404
    return render(request, "directory/easy_read.html", {"service": service})


def export_json(request):
    response = HttpResponse(feeds.export_json(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="local-offer-oruk.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def export_csv(request):
    response = HttpResponse(feeds.export_csv_zip(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="local-offer-oruk-csv.zip"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- keeping entries ----------------------------------------------------------------------------------

@login_required
def entries(request):
    _require(request, "directory.maintain_entries")
    mine = list(selectors.entries_for(request.user).order_by("last_checked", "name"))
    stale_before = selectors.stale_before()
    return render(request, "directory/entries.html", {
        "entries": mine, "stale": [s for s in mine if s.last_checked < stale_before],
        "drafts": selectors.open_drafts_for(request.user),
        "can_review": rules.has_perm("directory.review_entries", request.user),
        "review_count": selectors.review_queue(request.user).count() if rules.has_perm("directory.review_entries", request.user) else 0,
    })


@login_required
def entry_new(request):
    _require(request, "directory.maintain_entries")
    from .rules import is_local_offer_team

    if not is_local_offer_team(request.user):
        if request.method != "POST":
            return render(request, "directory/entry_new.html", {"form": None})
        organisation = services.organisation_for(request.user.organisation)
        draft = services.start_draft(actor=request.user, organisation=organisation)
        return redirect("directory:draft", pk=draft.pk)
    choices = DirectoryOrganisation.objects.filter(partner__isnull=True) | DirectoryOrganisation.objects.filter(
        partner=request.user.organisation_id)
    form = NewEntryForm(request.POST if request.method == "POST" else None, organisations=choices.order_by("name"))
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen()
        if organisation.pk is None or organisation._state.adding:
            organisation = services.organisation_named(name=organisation.name)
        draft = services.start_draft(actor=request.user, organisation=organisation)
        return redirect("directory:draft", pk=draft.pk)
    return render(request, "directory/entry_new.html", {"form": form})


@login_required
@require_POST
def entry_edit(request, pk):
    service = get_object_or_404(Service, pk=pk)
    _require(request, "directory.edit_entry", service)
    draft = services.start_draft(actor=request.user, organisation=service.organisation, service=service)
    return redirect("directory:draft", pk=draft.pk)


@login_required
@require_POST
def entry_confirm(request, pk):
    service = get_object_or_404(Service, pk=pk)
    _require(request, "directory.edit_entry", service)
    try:
        services.confirm_still_correct(actor=request.user, service=service,
                                       expected_version=int(request.POST.get("version", "0") or 0), request=request)
    except services.ConcurrentEditError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{service.name} is marked as checked today")
    return redirect("directory:entries")


@login_required
def draft_edit(request, pk):
    draft = get_object_or_404(EntryDraft.objects.select_related("organisation", "service"), pk=pk)
    _require(request, "directory.edit_entry", draft)
    editable = draft.state in {EntryState.DRAFT, EntryState.RETURNED, EntryState.SUBMITTED}
    if request.method == "POST" and editable:
        form = EntryForm(request.POST)
        places = LocationFormSet(request.POST, prefix="place")
        times = ScheduleFormSet(request.POST, prefix="time")
        if form.is_valid() & places.is_valid() & times.is_valid():
            raw = form.raw()
            raw["locations"] = [f.place() for f in places.forms if not f.is_blank() and not f.cleaned_data.get("DELETE")]
            raw["schedules"] = [f.schedule() for f in times.forms if not f.is_blank() and not f.cleaned_data.get("DELETE")]
            try:
                draft = services.save_draft(actor=request.user, draft=draft, raw=raw,
                                            expected_version=form.cleaned_data["version"])
                if "submit" in request.POST:
                    services.submit_draft(actor=request.user, draft=draft, expected_version=draft.version)
                    messages.success(request, f"{draft.name} has been sent to the local offer team to review")
                    return redirect("directory:entries")
            except services.ConcurrentEditError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _show_errors(form, places, times, error)
            else:
                messages.success(request, f"Your changes to {draft.name} have been saved as a draft")
                return redirect("directory:draft", pk=draft.pk)
    else:
        form = EntryForm(initial=EntryForm.initial_from(draft.content, draft.version))
        places = LocationFormSet(initial=location_initial(draft.content), prefix="place")
        times = ScheduleFormSet(initial=schedule_initial(draft.content), prefix="time")
    return render(request, "directory/entry_form.html", {
        "form": form, "places": places, "times": times, "draft": draft, "editable": editable})


def _show_errors(form, places, times, error: ValidationError) -> None:
    """Service errors about a place or a time go at the top; the rest beside their fields."""
    if hasattr(error, "error_dict"):
        for key, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(key if key in form.fields else None, message)
    else:
        apply_service_errors(form, error)


@login_required
@require_POST
def draft_withdraw(request, pk):
    draft = get_object_or_404(EntryDraft, pk=pk)
    _require(request, "directory.edit_entry", draft)
    try:
        services.withdraw_draft(actor=request.user, draft=draft, expected_version=int(request.POST.get("version") or 0))
    except (services.ConcurrentEditError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("directory:draft", pk=draft.pk)
    messages.success(request, f"The draft of {draft.name} has been deleted. The published entry has not changed.")
    return redirect("directory:entries")


# --- the local offer team -----------------------------------------------------------------------------

@login_required
def review_queue(request):
    _require(request, "directory.review_entries")
    return render(request, "directory/review_queue.html", {"drafts": selectors.review_queue(request.user)})


CHANGE_LABELS = [("name", "Name"), ("description", "What the service does"), ("easy_read", "Easy-read version"),
                 ("category", "Kind of service"), ("needs", "Needs"), ("minimum_age", "Youngest age"),
                 ("maximum_age", "Oldest age"), ("eligibility", "Who can use it"), ("self_referral", "Self-referral"),
                 ("how_to_access", "How to get it"), ("is_free", "Free"), ("cost_description", "Cost"),
                 ("while_waiting", "Help while families wait"), ("status", "Running"), ("phone", "Telephone"),
                 ("email", "Email"), ("url", "Website"), ("contact_name", "Contact name"),
                 ("locations", "Places"), ("schedules", "Times")]


def _display(key: str, value) -> str:
    if key == "category":
        return CATEGORY_NAMES.get(value, value or "")
    if key == "needs":
        return ", ".join(NEED_NAMES.get(n, n) for n in value or [])
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key == "locations":
        return "; ".join(", ".join(filter(None, [p.get("name"), p.get("address_1"), p.get("city"), p.get("postcode")]))
                         or p.get("location_type", "") for p in value or [])
    if key == "schedules":
        return "; ".join(" ".join(filter(None, [s.get("byday"), s.get("opens_at"), s.get("closes_at"), s.get("description")]))
                         for s in value or [])
    return "" if value is None else str(value)


@login_required
def review(request, pk):
    _require(request, "directory.review_entries")
    draft = get_object_or_404(selectors.drafts_for_review(request.user), pk=pk)  # another council's: not found
    form = ReviewForm(request.POST if request.method == "POST" else None, initial={"version": draft.version})
    if request.method == "POST" and draft.state == EntryState.SUBMITTED and form.is_valid():
        try:
            if "publish" in request.POST:
                service = services.publish_draft(actor=request.user, draft=draft,
                                                 expected_version=form.cleaned_data["version"], request=request)
                messages.success(request, f"{service.name} has been published")
            else:
                services.return_draft(actor=request.user, draft=draft, note=form.cleaned_data["note"],
                                      expected_version=form.cleaned_data["version"], request=request)
                messages.success(request, f"{draft.name} has been returned to its provider")
            return redirect("directory:review-queue")
        except services.ConcurrentEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
    published = services.content_of(draft.service) if draft.service_id else {}
    rows = []
    for key, label in CHANGE_LABELS:
        now, proposed = _display(key, published.get(key)), _display(key, draft.content.get(key))
        rows.append({"label": label, "now": now, "proposed": proposed, "changed": bool(published) and now != proposed})
    return render(request, "directory/review.html", {"draft": draft, "form": form, "rows": rows,
                                                     "is_new": not draft.service_id})


@login_required
def import_feed(request):
    _require(request, "directory.import_feed")
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["feed"]
        if upload.size > feeds.MAX_UPLOAD:
            form.add_error("feed", "The file must be smaller than 20MB")
        else:
            upload.seek(0)
            is_zip = upload.read(2) == b"PK"
            upload.seek(0)
            reader = feeds.read_csv_zip if is_zip else feeds.read_json  # each streams the file, never reads it whole
            report = reader(upload, default_category=form.cleaned_data["default_category"])
            if report.ok:
                try:
                    published = services.import_services(actor=request.user, rows=report.rows)
                except ValidationError as error:
                    report.errors.append(("Feed", " ".join(error.messages)))
                else:
                    messages.success(request, f"{len(published)} entries have been loaded and published")
                    return render(request, "directory/import.html", {"form": ImportForm(), "report": report,
                                                                     "loaded": len(published)})
    return render(request, "directory/import.html", {"form": form, "report": report})
