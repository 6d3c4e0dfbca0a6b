"""The checks a SEND team runs on its SEN2 return before sending it: every rule in one place, with its reason.

Pure Python (no Django): the rules read the return's tree (`spec.Node`), so the same checks run on a return
built from the case record and on a file another system produced (before it is imported). Each problem is
one line in plain English, naming the child and, for a return built from the record, which child's record to
open (`Problem.ref`, the child's id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from sendhub.core.identifiers import IdentifierError, normalise_upn

from . import spec
from .spec import Node

TWENTY_WEEKS_DAYS = 20 * 7


ERROR = "error"  # the return is wrong: put it right before sending (an import refuses it)
QUERY = "query"  # may be right: check and confirm, as COLLECT asks for a reason


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    reason: str
    severity: str = ERROR


@dataclass(frozen=True)
class Problem:
    rule: str
    who: str  # the child, as a person reading the report knows them
    message: str
    ref: str = ""  # the child's id in sendhub, when the return was built from the record
    where: str = ""  # the place in a file, when one was read

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    def line(self) -> str:
        return f"{self.who}: {self.message}" + (f" ({self.where})" if self.where else "")


RULES: dict[str, Rule] = {}
_CHECKS: list[Callable[[Node, Node], Iterator[tuple[str, str]]]] = []


def rule(code: str, title: str, reason: str, severity: str = ERROR):
    """Register a per-person check: it yields (rule code, message) for each problem in one person's rows."""
    RULES[code] = Rule(code, title, reason, severity)

    def register(fn):
        _CHECKS.append(fn)
        return fn
    return register


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _long(value: str) -> str:
    d = _day(value)
    return f"{d:%-d %B %Y}" if d else value


# --- the rules ------------------------------------------------------------------------------------------
@rule("codes", "Every code comes from its code set",
      "COLLECT refuses a value outside the specification's code sets and a date it cannot read.")
def _codes(person: Node, header: Node):
    for n in person.walk():
        module = spec.BY_KEY[n.module]
        for f in module.fields:
            value = n.get(f.name)
            if not value:
                continue
            if f.kind == spec.CODE and f.codes and value not in f.codes:
                yield "codes", (f"{module.title}: {f.label or f.xml} is '{value}', which is not a code the return "
                                f"allows ({', '.join(f.codes)})")
            if f.kind == spec.DATE and _day(value) is None:
                yield "codes", f"{module.title}: {f.label or f.xml} is '{value}', which is not a date like 2026-01-15"
            if f.kind == spec.NUMBER and not value.isdigit():
                yield "codes", f"{module.title}: {f.label or f.xml} is '{value}', which is not a whole number"


@rule("required", "Each person has a name and date of birth",
      "The DfE matches people across years and with the school census by name, date of birth and UPN.")
def _required(person: Node, header: Node):
    for name, what in (("surname", "last name"), ("forename", "first name"), ("personbirthdate", "date of birth")):
        if not person.get(name):
            yield "required", f"no {what}"


@rule("upn", "UPNs are valid", "A UPN with a wrong check letter matches no pupil in the school census.")
def _upn(person: Node, header: Node):
    if person.get("upn"):
        try:
            normalise_upn(person.get("upn"))
        except IdentifierError as error:
            yield "upn", f"UPN {person.get('upn')}: {error}"


POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPS-UW]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


@rule("postcode", "Postcodes are well formed", "The DfE places each person in an area by postcode.")
def _postcode(person: Node, header: Node):
    if person.get("postcode") and not POSTCODE.match(person.get("postcode").upper()):
        yield "postcode", f"postcode {person.get('postcode')!r} is not a UK postcode"


@rule("order", "Dates are in order",
      "A decision cannot come before the request, nor a plan before the decision, nor a cease before the start.")
def _order(person: Node, header: Node):
    born = _day(person.get("personbirthdate"))
    census = _day(header.get("referencedate"))
    for req in person.kids("requests"):
        received = _day(req.get("receiveddate"))
        decided = _day(req.get("requestoutcomedate"))
        if born and received and received < born:
            yield "order", f"request received {_long(req.get('receiveddate'))}, before the date of birth"
        if census and received and received > census:
            yield "order", f"request received {_long(req.get('receiveddate'))}, after the census date"
        if received and decided and decided < received:
            yield "order", (f"request decided {_long(req.get('requestoutcomedate'))}, before it was received "
                            f"({_long(req.get('receiveddate'))})")
        for assessment in req.kids("assessment"):
            outcome_day = _day(assessment.get("assessmentoutcomedate"))
            if decided and outcome_day and outcome_day < decided:
                yield "order", (f"assessment outcome dated {_long(assessment.get('assessmentoutcomedate'))}, "
                                f"before the decision to assess ({_long(req.get('requestoutcomedate'))})")
            for plan in assessment.kids("namedplan"):
                start, cease = _day(plan.get("startdate")), _day(plan.get("ceasedate"))
                if start and cease and cease < start:
                    yield "order", f"plan ceased {_long(plan.get('ceasedate'))}, before it started"
                if received and start and start < received:
                    yield "order", f"plan started {_long(plan.get('startdate'))}, before the request was received"


def _outcome(code: str | None) -> str:
    """An outcome code in words, with the code the return uses: "yes (Y)"."""
    return f"{spec.OUTCOME_LABELS.get(code or '', 'not given')} ({code})" if code else "not given"


@rule("outcome_dates", "Every decision has its date",
      "A decision (yes, no or withdrawn) is counted in the year of its date; without one it cannot be counted.")
def _outcome_dates(person: Node, header: Node):
    for req in person.kids("requests"):
        if req.get("requestoutcome") in {"Y", "N", "W"} and not req.get("requestoutcomedate"):
            yield "outcome_dates", f"the request's decision ({_outcome(req.get('requestoutcome'))}) has no date"
        if req.get("requestoutcome") == "A" and req.get("requestoutcomedate"):
            yield "outcome_dates", "the request has a decision date but its outcome says no decision has been made yet"
        if not req.get("receiveddate") and req.get("requestoutcome") != "H":
            yield "outcome_dates", "request has no date received"
        for assessment in req.kids("assessment"):
            if assessment.get("assessmentoutcome") in {"Y", "N", "W"} and not assessment.get("assessmentoutcomedate"):
                yield "outcome_dates", (f"the assessment's outcome ({_outcome(assessment.get('assessmentoutcome'))}) "
                                        "has no date")
            for plan in assessment.kids("namedplan"):
                if plan.get("ceasedate") and not plan.get("ceasereason"):
                    yield "outcome_dates", f"plan ceased {_long(plan.get('ceasedate'))} without a cease reason (1 to 9)"
                if plan.get("ceasereason") and not plan.get("ceasedate"):
                    yield "outcome_dates", "plan has a cease reason but no cease date"


@rule("assessment_missing", "A decision to assess has its assessment",
      "Module 3 must follow every request where the council decided to assess (request outcome Y).")
def _assessment_missing(person: Node, header: Node):
    for req in person.kids("requests"):
        if req.get("requestoutcome") == "Y" and not req.kids("assessment"):
            yield "assessment_missing", (f"decided to assess on {_long(req.get('requestoutcomedate'))} but no "
                                         "assessment is recorded")
        if req.get("requestoutcome") in {"N", "W", "A"} and req.kids("assessment"):
            yield "assessment_missing", (f"the request's decision is '{_outcome(req.get('requestoutcome'))}' but an "
                                         "assessment is recorded")
        for assessment in req.kids("assessment"):
            if assessment.get("assessmentoutcome") == "Y" and not assessment.kids("namedplan"):
                yield "assessment_missing", "assessment says a plan was issued but no plan is recorded"


@rule("active_plan", "Each active plan has a placement and a need",
      "The DfE counts active plans by placement and by primary need: a plan without them is left out of both.")
def _active_plan(person: Node, header: Node):
    for req in person.kids("requests"):
        for active in req.kids("activeplans"):
            if not active.kids("placementdetail"):
                yield "active_plan", "active plan with no placement recorded"
            needs = active.kids("senneed")
            if not needs:
                yield "active_plan", "active plan with no special educational need recorded"
            ranks = sorted(n.get("sentyperank") for n in needs)
            if needs and ranks != [str(i) for i in range(1, len(needs) + 1)]:
                yield "active_plan", f"needs are ranked {', '.join(ranks) or 'not at all'}, not 1, 2, 3…"
            types = [n.get("sentype") for n in needs]
            if len(set(types)) != len(types):
                yield "active_plan", "the same need is recorded twice"


@rule("placement", "Each placement names one place",
      "A placement is a school or college (URN or UKPRN) or, where there is none, a setting code: exactly one.")
def _placement(person: Node, header: Node):
    for n in person.walk():
        if n.module in {"placementdetail", "plandetail"}:
            named = [x for x in ("urn", "ukprn", "sensetting") if n.get(x)]
            if n.get("urn") and n.get("ukprn"):
                named = ["urn"]  # both is allowed: a college with both numbers
            if len(named) != 1:
                yield "placement", ("placement names no school, college or setting code" if not named else
                                    "placement gives both a school number and a setting code")
            if n.get("sensetting") == "OTH" and not n.get("sensettingother"):
                yield "placement", "placement setting OTH (other) without saying what it is"


@rule("week20", "A plan issued after 20 weeks has its exception recorded, or none applies",
      "The DfE's timeliness figure leaves out plans where an exception applied (reg 13(3)); a late plan with no "
      "exception recorded counts as late. It is a query, not an error: a plan can be late with no exception.",
      QUERY)
def _week20(person: Node, header: Node):
    for req in person.kids("requests"):
        received = _day(req.get("receiveddate"))
        for assessment in req.kids("assessment"):
            issued = _day(assessment.get("assessmentoutcomedate"))
            if (assessment.get("assessmentoutcome") == "Y" and received and issued
                    and (issued - received).days > TWENTY_WEEKS_DAYS and assessment.get("week20") != "Y"):
                weeks = (issued - received).days // 7
                yield "week20", (f"plan issued {_long(assessment.get('assessmentoutcomedate'))}, {weeks} weeks after "
                                 "the request, with no exception recorded: check whether one applied")


def check(header: Node) -> list[Problem]:
    """Every problem in the return, one per line, in the order of the file."""
    problems: list[Problem] = [Problem("codes", "The return", message, where="Header")
                               for _, message in _codes(Node("sen2", header.values), header)]
    seen_upn: dict[str, str] = {}
    seen_person: dict[tuple, str] = {}
    for person in header.kids("person"):
        who = " ".join(x for x in (person.get("forename"), person.get("surname")) if x) or "Unnamed person"
        if person.get("personbirthdate"):
            who += f" (born {_long(person.get('personbirthdate'))})"
        for fn in _CHECKS:
            for code, message in fn(person, header):
                problems.append(Problem(code, who, message, person.ref, person.where))
        key = (person.get("surname").lower(), person.get("forename").lower(), person.get("personbirthdate"))
        if person.get("upn") and person.get("upn") in seen_upn:
            problems.append(Problem("duplicates", who, f"same UPN as {seen_upn[person.get('upn')]}", person.ref,
                                    person.where))
        elif all(key) and key in seen_person:
            problems.append(Problem("duplicates", who, f"same name and date of birth as {seen_person[key]}",
                                    person.ref, person.where))
        seen_upn.setdefault(person.get("upn"), who) if person.get("upn") else None
        seen_person.setdefault(key, who)
    return problems


RULES["duplicates"] = Rule("duplicates", "Each person appears once",
                           "A person listed twice is counted twice: their requests and plans belong in one entry.")
