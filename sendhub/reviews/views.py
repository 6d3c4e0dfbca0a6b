from datetime import timedelta

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.audit.services import record_children_shown, record_denied, record_view
from sendhub.clock.cases import deadline_rows
from sendhub.clock.views import get_case_or_404
from sendhub.organisations.models import Team
from sendhub.people.models import Child
from sendhub.people.selectors import children_visible_to
from sendhub.plans.services import issuable_kinds
from sendhub.web.child_access import get_child_or_404, require_perm
from sendhub.web.forms import apply_service_errors

from . import priority, schedule, selectors, services
from .forms import (
    AnswerForm, BulkScheduleForm, ConcernForm, ContributionForm, DecisionForm, EarlyReviewForm, HeldForm,
    InvitationResponseForm, MeetingForm, ReportForm, ResolveForm, TransitionForm, TransitionUpdateForm, WeightsForm,
)
from .models import (
    AnnualReview, ContributionKind, EarlyReviewRequest, PlacementConcern, RequestStatus, ReviewReport,
    TransitionReferral, TransitionStatus,
)


def _review_or_404(request, pk: int) -> AnnualReview:
    review = get_case_or_404(request, "review", pk)
    require_perm(request, "reviews.view_review", review)
    return review


def _kinds_for(user) -> list[str]:
    if user.role in {Role.FAMILY, Role.YOUNG_PERSON}:
        return [ContributionKind.CHILD_VIEWS, ContributionKind.FAMILY_VIEWS]
    return [ContributionKind.ADVICE]


@login_required
def review_detail(request, pk: int):
    """One review round for everyone taking part: the meeting, who is invited, views and advice, the
    report, the council's decision, and anything that makes it urgent."""
    review = _review_or_404(request, pk)
    user = request.user
    child = review.plan.child
    can = {name: rules.has_perm(f"reviews.{name}", user, review) for name in (
        "run_review", "contribute", "decide", "answer_early_review", "raise_placement_concern",
        "refer_for_transition", "request_early_review")}
    happened = {event.type for event in review.events.all()}  # prefetched with the case
    held, decided = "review_meeting" in happened, "la_decision" in happened
    report = ReviewReport.objects.filter(review=review).first()
    report_sent = bool(report and report.sent_on)
    my_invitation = review.invitations.filter(recipient=user, meeting_on=review.meeting_on).first() \
        if review.meeting_on else None
    open_request = review.plan.early_review_requests.filter(status=RequestStatus.OPEN).first()
    concern = review.plan.placement_concerns.filter(resolved_at__isnull=True).first()
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if action else None
    needs = {
        "schedule": can["run_review"] and not held and review.closed_on is None,
        "invite": can["run_review"] and not held and review.meeting_on is not None and review.closed_on is None,
        "held": can["run_review"] and not held and review.closed_on is None,
        "respond": my_invitation is not None and not held,
        "contribute": can["contribute"] and not report_sent and review.closed_on is None,
        "decide": can["decide"] and held and not decided and review.closed_on is None,
        "answer": can["answer_early_review"] and open_request is not None,
        "concern": can["raise_placement_concern"] and concern is None and review.closed_on is None,
        "resolve": can["raise_placement_concern"] and concern is not None,
    }
    if action and not needs.get(action):
        raise PermissionDenied
    forms = {
        "schedule": MeetingForm(post if action == "schedule" else None,
                                initial={"meeting_on": review.meeting_on, "version": review.version}),
        "held": HeldForm(post if action == "held" else None),
        "respond": InvitationResponseForm(post if action == "respond" else None,
                                          initial={"attending": my_invitation.attending if my_invitation else ""}),
        "contribute": ContributionForm(post if action == "contribute" else None, kinds=_kinds_for(user)),
        "decide": DecisionForm(post if action == "decide" else None,
                               initial={"outcome": report.recommendation if report_sent else ""}),
        "answer": AnswerForm(post if action == "answer" else None),
        "concern": ConcernForm(post if action == "concern" else None),
        "resolve": ResolveForm(post if action == "resolve" else None),
    }
    bound = forms.get(action)
    if action == "invite":
        try:
            sent = services.send_invitations(actor=user, review=review, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{len(sent)} invitations sent")
        return redirect(request.path)
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if action == "schedule":
                services.schedule_meeting(actor=user, review=review, meeting_on=data["meeting_on"],
                                          expected_version=data["version"], request=request)
                done = "Meeting date saved. Send the invitations at least 2 weeks before."
            elif action == "held":
                services.record_meeting(actor=user, review=review, held_on=data["held_on"], request=request)
                done = "Meeting recorded. The report must be sent within 2 weeks."
            elif action == "respond":
                services.respond_to_invitation(actor=user, invitation=my_invitation, attending=data["attending"],
                                               request=request)
                done = "Thank you: your answer has been sent"
            elif action == "contribute":
                services.contribute(actor=user, review=review, kind=data["kind"], text=data["text"], request=request)
                done = "Sent. Everyone at the meeting will be able to read it."
            elif action == "decide":
                letter = services.decide(actor=user, review=review, outcome=data["outcome"], reasons=data["reasons"],
                                         decided_on=data["decided_on"], request=request,
                                         cease_reason=data["cease_reason"])
                messages.success(request, "Decision recorded and the letter written")
                if data["outcome"] == "amend":
                    return redirect("plans:workspace", kind="review", pk=review.pk)
                return redirect("letters:letter", pk=letter.pk)
            elif action == "answer":
                services.answer_early_review(actor=user, early_request=open_request, agree=data["agree"] == "yes",
                                             review_by=data["review_by"], answer=data["answer"], request=request)
                done = "Answer sent to the family"
            elif action == "concern":
                services.raise_placement_concern(actor=user, plan=review.plan, note=data["note"], request=request)
                done = "Placement concern recorded: the review moves up the council's priority list"
            else:
                services.resolve_placement_concern(actor=user, concern=concern, resolution=data["resolution"],
                                                   request=request)
                done = "Placement concern resolved"
        except services.StaleEdit as error:
            bound.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(bound, error)
        else:
            messages.success(request, done)
            return redirect(request.path)
    row = selectors.ReviewRow(review, deadline_rows(review), timezone.localdate())
    adult_team_prompt = (can["refer_for_transition"] and report is not None and report.adult_care_likely
                         and not TransitionReferral.objects.filter(child=child).exclude(
                             status=TransitionStatus.CLOSED).exists())
    return render(request, "reviews/detail.html", {
        "review": review, "child": child, "row": row, "can": can, "needs": needs, "forms": forms,
        "error_form": bound if action else None, "held": held, "report": report, "report_sent": report_sent,
        "invitations": review.invitations.filter(meeting_on=review.meeting_on).select_related("recipient")
        if review.meeting_on else [],
        "contributions": review.contributions.select_related("author"),
        "my_invitation": my_invitation, "open_request": open_request, "concern": concern,
        "requests": review.plan.early_review_requests.select_related("requested_by", "decided_by")[:5],
        "letters": review.letters.all(), "events": review.events.all(),
        "can_draft": bool(issuable_kinds(review, "review")) and can["decide"],
        "adult_team_prompt": adult_team_prompt, "pfa": services.needs_pfa(review),
        "notice_by": review.meeting_on - timedelta(days=services.INVITE_NOTICE_DAYS) if review.meeting_on else None,
    })


@login_required
def report(request, pk: int):
    """The school's report of the meeting: saved as a draft until sent, then read-only."""
    review = _review_or_404(request, pk)
    report_obj = services.report_for(review)
    editable = rules.has_perm("reviews.run_review", request.user, review) and not report_obj.sent_on \
        and review.closed_on is None
    pfa, adult_care = services.needs_pfa(review), services.asks_about_adult_care(review)
    outcomes = [row["outcome"] for row in report_obj.outcomes]
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = ReportForm(request.POST if request.method == "POST" else None, outcomes=outcomes, pfa=pfa,
                      adult_care=adult_care, initial=ReportForm.initial_from(report_obj))
    problems = {}
    if request.method == "POST" and form.is_valid():
        sending = request.POST.get("send") == "yes"
        try:
            report_obj = services.save_report(actor=request.user, review=review, data=form.service_data(),
                                              expected_version=form.cleaned_data["version"], request=request)
            if sending:
                services.send_report(actor=request.user, review=review, request=request)
        except services.StaleEdit as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
            if sending:  # the draft was saved: keep the form's version in step so the next save works
                form.data = form.data.copy()
                form.data["version"] = str(ReviewReport.objects.get(review=review).version)
        else:
            messages.success(request, "Report sent to the council and everyone invited" if sending
                             else "Report saved. It has not been sent yet.")
            return redirect("reviews:detail", pk=review.pk) if sending else redirect(request.path)
    return render(request, "reviews/report.html", {
        "review": review, "child": review.plan.child, "form": form, "report": report_obj, "editable": editable,
        "pfa": pfa, "adult_care": adult_care, "problems": problems,
    })


@login_required
def early_review(request, child_pk: int):
    """A family or young person asks for the plan to be reviewed early."""
    child = get_child_or_404(request, child_pk, audit_summary="Opened the early review request form")
    plan = child.plans.filter(status="active").first()
    if plan is None:
        raise Http404("No active plan")
    require_perm(request, "reviews.request_early_review", plan)
    form = EarlyReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_early_review(actor=request.user, plan=plan, reason=form.cleaned_data["reason"],
                                          request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your request has been sent. The council will answer it and tell you when "
                                      "the review will be held.")
            return redirect("web:child", pk=child.pk)
    return render(request, "reviews/early_review.html", {
        "child": child, "form": form,
        "requests": plan.early_review_requests.select_related("decided_by")[:5],
    })


@login_required
def school_reviews(request):
    """The SENCO's list: every pupil with a plan, when their review is due, and what the school does next."""
    require_perm(request, "reviews.view_school_reviews")
    setting = request.user.organisation
    rows = selectors.school_reviews(setting)
    step = request.GET.get("step", "")
    if step:
        rows = [row for row in rows if row.step == step]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    record_children_shown(request=request, children=page.object_list, summary="Saw in the annual reviews list")
    return render(request, "reviews/school.html", {
        "setting": setting, "page": page, "count": len(rows),
        "terms": schedule.terms_from(timezone.localdate()), "step": step,
        "steps": selectors.ReviewStep.choices, "today": timezone.localdate(),
    })


@login_required
def schedule_term(request):
    """Set a term's meeting dates in one go, starting from suggested dates."""
    require_perm(request, "reviews.view_school_reviews")
    today = timezone.localdate()
    term = schedule.term_by_key(today, request.GET.get("term", "")) or schedule.terms_from(today)[0]
    rows = [row for row in selectors.school_reviews(request.user.organisation)
            if not row.held and row.review.meeting_on is None and row.meeting_due
            and row.meeting_due.deadline.due <= term.ends + timedelta(days=60)
            and rules.has_perm("reviews.run_review", request.user, row.review)]
    suggested = schedule.suggest_dates([row.meeting_due.deadline.due for row in rows], term, today)
    form = BulkScheduleForm(request.POST or None, rows=rows,
                            initial={f"meeting_{row.review.pk}": day for row, day in zip(rows, suggested)})
    if request.method == "POST" and form.is_valid():
        dates = form.dates()
        if not dates:
            form.add_error(None, "Enter at least one meeting date")
        else:
            try:
                saved = services.schedule_meetings(actor=request.user, dates=dates,
                                                   reviews=[row.review for row in rows], request=request)
            except services.BulkScheduleError as error:
                for review_id, message in error.errors.items():
                    name = f"meeting_{review_id}"
                    form.add_error(name if name in form.fields else None, message)
                form.add_error(None, "No meeting dates have been saved: change the dates shown and try again")
            else:
                messages.success(request, f"{len(saved)} meeting dates saved. Send each review's invitations at "
                                          "least 2 weeks before its meeting.")
                return redirect("reviews:school")
    record_children_shown(request=request, children=rows, summary=f"Saw in scheduling for {term.label}")
    return render(request, "reviews/schedule_term.html", {"form": form, "term": term,
                                                          "terms": schedule.terms_from(today), "count": len(rows)})


def _council_children(request):
    children = children_visible_to(request.user)
    caseworker = request.GET.get("caseworker", "")
    if request.user.role == Role.CASEWORKER and "caseworker" not in request.GET:
        caseworker = str(request.user.pk)
    if caseworker.isdigit():
        children = children.filter(involvements__professional_id=int(caseworker), involvements__role="caseworker",
                                   involvements__ended_on__isnull=True).distinct()
    return children, caseworker


@login_required
def priority_queue(request):
    """The council's list of reviews, most urgent first, with the reasons for each score."""
    from sendhub.accounts.models import User

    require_perm(request, "reviews.view_priority_queue")
    children, caseworker = _council_children(request)
    weights, _ = services.weights_for(request.user.organisation)
    rows = selectors.priority_queue(children, weights)
    reason = request.GET.get("reason", "")
    if reason:
        rows = [row for row in rows if any(r.text.startswith(reason) for r in row.priority.reasons)]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    record_children_shown(request=request, children=page.object_list, summary="Saw in the review priority list")
    return render(request, "reviews/priority.html", {
        "page": page, "count": len(rows), "weights": weights, "caseworker": caseworker, "query": query.urlencode(),
        "reason": reason, "reasons": REASON_FILTERS,
        "caseworkers": User.objects.filter(role=Role.CASEWORKER, organisation=request.user.organisation,
                                           is_active=True).order_by("full_name"),
        "can_change_weights": rules.has_perm("reviews.change_weights", request.user),
    })


REASON_FILTERS = [("Moving phase", "Moving phase"), ("Overdue", "Overdue"), ("No review meeting", "Not reviewed for two years"),
                  ("The family", "Family asked for an early review"), ("Placement at risk", "Placement at risk"),
                  ("Looked after", "Looked after")]


@login_required
def weights(request):
    """The priority weights, each explained, editable by a team manager."""
    require_perm(request, "reviews.view_priority_queue")
    current, version = services.weights_for(request.user.organisation)
    editable = rules.has_perm("reviews.change_weights", request.user)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    initial = {name: getattr(current, name) for name in priority.WEIGHT_NAMES} | {"version": version}
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_weights(actor=request.user, local_authority=request.user.organisation,
                                  values={name: form.cleaned_data[name] for name in priority.WEIGHT_NAMES},
                                  expected_version=form.cleaned_data["version"], request=request)
        except services.StaleEdit as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Weights saved. The priority list uses them from now on.")
            return redirect("reviews:priority")
    return render(request, "reviews/weights.html", {"form": form, "editable": editable,
                                                    "defaults": priority.Weights()})


@login_required
def transitions(request):
    """Care Act transition: young people 14+ whose review said adult care is likely, and every referral."""
    require_perm(request, "reviews.view_transitions")
    children = children_visible_to(request.user)
    referrals = (TransitionReferral.objects.filter(child__in=children.values("pk"))
                 .select_related("child", "team", "referred_by").order_by("status", "-referred_on"))
    referred = TransitionReferral.objects.exclude(status=TransitionStatus.CLOSED).values("child_id")
    prompts = (ReviewReport.objects.filter(adult_care_likely=True, review__plan__child__in=children.values("pk"),
                                           review__plan__status="active")
               .exclude(review__plan__child__in=referred)
               .select_related("review__plan__child").order_by("review__plan__child__date_of_birth"))
    record_children_shown(request=request, children=[*referrals, *(p.review.plan.child for p in prompts)],
                          summary="Saw in the transition list")
    return render(request, "reviews/transitions.html", {"referrals": referrals, "prompts": prompts})


@login_required
def refer(request, child_pk: int):
    child = get_child_or_404(request, child_pk, audit_summary="Opened the transition referral form")
    require_perm(request, "reviews.refer_for_transition", child)
    teams = Team.objects.filter(organisation__kind="social_care").order_by("name")
    review = AnnualReview.objects.filter(plan__child=child).order_by("-opened_at").first()
    form = TransitionForm(request.POST or None, teams=teams, initial={"referred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.refer_for_transition(actor=request.user, child=child, team=data["team"],
                                                     referred_on=data["referred_on"], note=data["note"],
                                                     review=review, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Referred to {referral.team.name}. They can now see {child.given_name}'s "
                                      "record and will receive every plan.")
            return redirect("reviews:transition", pk=referral.pk)
    return render(request, "reviews/refer.html", {"child": child, "form": form})


@login_required
def transition(request, pk: int):
    referral = (TransitionReferral.objects.filter(pk=pk, child__in=children_visible_to(request.user).values("pk"))
                .select_related("child", "team", "referred_by").first())
    if referral is None:
        record_denied(request=request, object_type=TransitionReferral._meta.label, object_id=str(pk))
        raise Http404("No referral found")
    record_view(request=request, child=referral.child, obj=referral, summary="Looked at a transition referral")
    editable = (rules.has_perm("reviews.update_transition", request.user, referral)
                and referral.status != TransitionStatus.CLOSED)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = TransitionUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_transition(actor=request.user, referral=referral, status=data["status"], on=data["on"],
                                       note=data["note"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Update recorded")
            return redirect(request.path)
    return render(request, "reviews/transition.html", {
        "referral": referral, "form": form, "editable": editable,
        "updates": referral.updates.select_related("recorded_by")})


@login_required
def figures(request):
    """Review timeliness from the statutory clock, for a period the reader chooses."""
    from sendhub.clock.timescales import add_months

    require_perm(request, "reviews.view_figures")
    today = timezone.localdate()
    months = request.GET.get("months", "12")
    months = int(months) if months in {"3", "6", "12", "24"} else 12
    since = add_months(today, -months) + timedelta(days=1)
    user = request.user
    if user.role == Role.PARTNERSHIP_LEADER:  # area figures only, for the dashboard's area; never a record
        from sendhub.dashboard.selectors import scope_of

        scope = scope_of(user)
        children = Child.objects.filter(local_authority=scope) if scope else Child.objects.all()
    else:
        children = children_visible_to(user)
    rows = selectors.timeliness(children, since=since, until=today, as_of=today)
    return render(request, "reviews/figures.html", {"rows": rows, "columns": selectors.STATUS_COLUMNS,
                                                    "since": since, "until": today, "months": months})

