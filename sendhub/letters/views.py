from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from sendhub.audit.models import AuditAction
from sendhub.audit.services import channel_of, record, record_denied, record_view
from sendhub.people.selectors import children_visible_to

from sendhub.messaging.deliveries import mark_opened

from .models import Letter
from .services import letter_pdf


def get_letter_or_404(request, pk: int) -> Letter:
    letter = (Letter.objects.filter(pk=pk, child__in=children_visible_to(request.user).values("pk"))
              .select_related("child__local_authority").first())
    if letter is None:
        record_denied(request=request, object_type=Letter._meta.label, object_id=str(pk))
        raise Http404("No letter found")
    return letter


@login_required
def letter_detail(request, pk: int):
    letter = get_letter_or_404(request, pk)
    record_view(request=request, child=letter.child, obj=letter, summary=f"Read the letter: {letter.title.lower()}")
    mark_opened(user=request.user, letter=letter)
    from sendhub.messaging.selectors import deliveries_of
    from sendhub.people.rules import is_caseworker_for_child

    return render(request, "letters/letter.html", {
        "letter": letter,
        "deliveries": deliveries_of(letter=letter) if is_caseworker_for_child(request.user, letter.child) else None})


@login_required
def letter_download(request, pk: int):
    letter = get_letter_or_404(request, pk)
    record(actor=request.user, action=AuditAction.EXPORT, channel=channel_of(request), obj=letter, child=letter.child,
           summary=f"Downloaded the letter: {letter.title.lower()}", path=request.path)
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.pdf"'
    return response
