import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.audit.services import record_denied, record_view
from sendhub.letters.models import Letter
from sendhub.messaging.models import Notification
from sendhub.messaging.selectors import name_children
from sendhub.people.selectors import children_visible_to
from sendhub.web.child_access import get_child_or_404, require_perm
from sendhub.web.forms import apply_service_errors

from . import family, selectors, services
from .forms import AllAboutMeForm, PreferencesForm
from .models import AllAboutMe, AllAboutMePicture


@login_required
def tracker_page(request, child_pk: int):
    """Where each process is, what happens next, who does it and by when; the history of what happened."""
    child = get_child_or_404(request, child_pk, audit_summary="Looked at the tracker")
    read = request.GET.get("read", "")
    easy = read == "easy" or (read != "full" and request.user.easy_read)
    return render(request, "portal/tracker_easy.html" if easy else "portal/tracker.html", {
        "child": child, "tracker": selectors.tracker(child), "today": timezone.localdate(),
        "contact": family.contact_for(child),
        "can_ask_early_review": rules.has_perm("reviews.request_early_review", request.user, child)
        and child.plans.filter(status="active").exists(),
    })


@login_required
def all_about_me(request, child_pk: int):
    child = get_child_or_404(request, child_pk, audit_summary="Looked at All about me")
    can_add = rules.has_perm("portal.add_all_about_me", request.user, child)
    form = AllAboutMeForm(request.POST or None, request.FILES or None) if can_add else None
    if request.method == "POST":
        require_perm(request, "portal.add_all_about_me", child)
        if form.is_valid():
            try:
                services.add_all_about_me(actor=request.user, child=child, answers=form.cleaned_data,
                                          pictures=form.pictures(),
                                          written_with_child=form.cleaned_data["written_with_child"], request=request)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Saved. Everyone at the next review meeting will be able to read it.")
                return redirect(request.path)
    entries = AllAboutMe.objects.filter(child=child).select_related("author").prefetch_related("pictures")
    return render(request, "portal/all_about_me.html", {"child": child, "form": form, "entries": entries})


@login_required
def picture(request, pk: int):
    picture = (AllAboutMePicture.objects.filter(pk=pk, entry__child__in=children_visible_to(request.user).values("pk"))
               .select_related("entry__child").first())
    if picture is None:
        record_denied(request=request, object_type=AllAboutMePicture._meta.label, object_id=str(pk))
        raise Http404("No picture found")
    record_view(request=request, child=picture.entry.child, obj=picture, summary="Looked at a picture in All about me")
    return FileResponse(picture.file.open("rb"), content_type=picture.content_type)


@login_required
def inbox(request):
    """Every message and, for a family or young person, every letter about their children, in one place."""
    notes = Notification.objects.filter(recipient=request.user).select_related("child")
    page = Paginator(notes, 25).get_page(request.GET.get("page"))
    letters, contacts = [], []
    if request.user.role in {Role.FAMILY, Role.YOUNG_PERSON}:
        mine = children_visible_to(request.user).select_related("local_authority")
        letters = list(Letter.objects.filter(child__in=mine.values("pk")).select_related("child")[:50])
        contacts = [(child, family.contact_for(child)) for child in mine.order_by("date_of_birth", "pk")]
    page.object_list = name_children(page.object_list, request.user)
    unread = [n.pk for n in page.object_list if n.read_at is None]
    response = render(request, "portal/messages.html", {"page": page, "letters": letters, "unread": set(unread),
                                                    "contacts": contacts})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())  # shown, so read
    return response


@login_required
def preferences(request):
    user = request.user
    form = PreferencesForm(request.POST or None, initial={
        "email_notifications": "yes" if user.email_notifications else "no", "easy_read": "yes" if user.easy_read else "no"})
    if request.method == "POST" and form.is_valid():
        services.set_preferences(actor=user, email_notifications=form.cleaned_data["email_notifications"] == "yes",
                                 easy_read=form.cleaned_data["easy_read"] == "yes", request=request)
        messages.success(request, "Your choices have been saved")
        return redirect("portal:messages")
    return render(request, "portal/preferences.html", {"form": form})
