"""Automatic checks of an EHC plan's wording against the SEND Code of Practice 2015 (CoP).

Pure standard-library Python: no Django. Each check is one function taking the plan's facts and the
council's settings, and returning the problems it found (an empty list when the plan passes). `RULES`
lists every check with its reason and paragraph; `run` runs the ones the council has switched on.
The checks never block issuing a plan: they tell the caseworker what a reader (a QA officer, a tribunal)
would question. `docs/plan-quality.md` repeats every rule.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Advice:
    """One piece of advice received for the plan (SEND Regulations 2014 reg 6)."""

    source: str  # "Health", "Educational psychology"…
    who: str  # the professional or team who gave it
    given_on: date | None
    recommendations: str = ""  # the provision and outcomes they recommended


@dataclass(frozen=True)
class PlanFacts:
    sections: Mapping[str, str]
    given_name: str = ""
    year_group: int | None = None
    advice: Sequence[Advice] = ()
    last_review_on: date | None = None  # the last annual review meeting before this plan
    personal_budget_requested: bool | None = None  # None: read it from the plan's own words
    amend_decided: bool = False  # this plan answers a review whose decision was "amend"
    amend_sections: frozenset[str] = frozenset()  # the sections the review said to change (empty: not said)
    previous_sections: Mapping[str, str] | None = None  # the version before, for the amend check


@dataclass(frozen=True)
class Settings:
    """A council's own choices: checks switched off, and its own words to watch for in provision."""

    disabled: frozenset[str] = frozenset()
    watch_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    section: str
    message: str


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    sections: tuple[str, ...]  # shown beside these sections
    paragraph: str
    reason: str
    check: Callable[[PlanFacts, Settings], list[Problem]] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Result:
    rule: Rule
    problems: tuple[Problem, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def _text(facts: PlanFacts, code: str) -> str:
    return (facts.sections.get(code) or "").strip()


def _lines(text: str) -> list[str]:
    """The items of a section: one a line, bullets and numbering taken off."""
    items = [re.sub(r"^\s*(?:[-*•]|\d+[.)]|[a-z][.)])\s*", "", line).strip() for line in text.splitlines()]
    return [item for item in items if item]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


EMPTY = r"^(?:n/?a|none|not applicable|no\b.*(?:needs?|provision)\b.*|nil)\.?$"


def _says_none(text: str) -> bool:
    return not text or _has(EMPTY, text.strip())


# --- A: the child's or young person's own views --------------------------------------------------

PARENT_WORDS = r"\b(?:mum|mother|dad|father|parents?|carers?|family|grandparents?|according to|the school)\b"
CHILD_VERBS = (r"(?:says?|said|told|tells|would like|wants?|likes?|loves?|enjoys?|hopes?|dislikes?|doesn't like|"
               r"does not like|feels?|finds?|worries|described|describes|chose|drew|wrote|shared|explained|"
               r"is proud|is good at|dreams?)")


def child_voice(facts: PlanFacts, settings: Settings) -> list[Problem]:
    text = _text(facts, "A")
    if not text:
        return [Problem("A", "Section A is empty: write the child's or young person's own views, interests and "
                             "aspirations, in their words where you can.")]
    name = re.escape(facts.given_name) if facts.given_name else None
    patterns = [r"\bI\b", r"\bI'm\b", r"\bmy\b", r"\bme\b", r"\bin (?:his|her|their|my) own words\b",
                r"\b(?:child|young person)'s (?:own )?views\b"]
    if name:
        patterns += [rf"\b{name}\s+(?:\w+ly\s+)?{CHILD_VERBS}\b", rf"\b{name}'s (?:own )?(?:views|words|hopes|wishes)\b"]
    for sentence in _sentences(text):
        if any(_has(p, sentence) for p in patterns) and not _has(PARENT_WORDS, sentence):
            return []
    return [Problem("A", "Section A gives only other people's views (parents, carers or professionals). Add what "
                         f"{facts.given_name or 'the child or young person'} says, likes and hopes for, in their own "
                         "words where you can.")]


# --- Needs matched by provision: B to F, C to G, D to H1/H2 --------------------------------------

AREAS = {
    "communication and interaction": r"speech|language|communicat|interaction|autis|social skills|listening|"
                                     r"understanding (?:spoken|instructions)|vocabulary|stammer",
    "cognition and learning": r"reading|writing|spelling|literacy|numeracy|maths|mathematic|memory|dyslexi|"
                              r"learning|processing|phonics|comprehension",
    "social, emotional and mental health": r"anxi|emotion|behaviour|mental health|self-esteem|regulat|wellbeing|"
                                           r"attachment|trauma|anger|mood|feelings|calm",
    "sensory and/or physical": r"hearing|deaf|vision|visual impair|sight|physical|mobility|motor|sensory|"
                               r"handwriting|balance|coordination|wheelchair|fatigue",
}
REASON = r"\bbecause\b|\bmet (?:by|through|within)\b|\breason\b|\bsee section\b"


def _no_provision(text: str) -> bool:
    """Empty, or "none" without a stated reason."""
    return _says_none(text) and not _has(REASON, text)


def needs_have_provision(facts: PlanFacts, settings: Settings) -> list[Problem]:
    problems = []
    b, f = _text(facts, "B"), _text(facts, "F")
    if b and not f:
        problems.append(Problem("F", "Section B describes needs but section F has no provision for them."))
    elif b:
        for area, words in AREAS.items():
            if _has(words, b) and not _has(words, f) and not _has(REASON, f):
                problems.append(Problem("F", f"Section B describes {area} needs but section F has no provision for "
                                             "them, and gives no reason why not."))
    c, g = _text(facts, "C"), _text(facts, "G")
    if not _says_none(c) and _no_provision(g):
        problems.append(Problem("G", "Section C describes health needs but section G has no health provision for "
                                     "them. Write the provision, or the reason none is needed."))
    d, h = _text(facts, "D"), " ".join([_text(facts, "H1"), _text(facts, "H2")]).strip()
    if not _says_none(d) and _no_provision(h):
        problems.append(Problem("H2", "Section D describes social care needs but sections H1 and H2 have no social "
                                      "care provision. Write the provision, or the reason none is needed."))
    return problems


# --- F: specific and quantified ------------------------------------------------------------------

VAGUE = ("access to", "opportunities for", "opportunities to", "opportunity to", "as required", "as needed",
         "as appropriate", "where appropriate", "where possible", "if needed", "when needed", "would benefit",
         "may benefit", "could benefit", "should have", "it is recommended", "up to", "some support")
NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|forty-five|sixty|" \
         r"half an?|an?)"
FREQUENCY = (r"\b(?:daily|weekly|fortnightly|monthly|termly|hourly|every (?:day|morning|afternoon|lesson|week|"
             r"school day|break|lunchtime)|each (?:day|morning|afternoon|lesson|week|term|school day)|once|twice|"
             rf"{NUMBER} times? (?:a|per|each|every) (?:day|week|fortnight|term|month)|"
             rf"(?:a|per|each) (?:day|week|fortnight|term|half-term)|in (?:all|every) lessons?|full[- ]time|"
             rf"{NUMBER} (?:sessions?|lessons?|hours?) (?:a|per|each) (?:day|week|fortnight|term))\b")
AMOUNT = rf"\b{NUMBER}[- ](?:minutes?|mins?|hours?|hrs?|sessions?|lessons?|weeks?|terms?)\b|\b1:1\b|\bfull[- ]time\b|" \
         r"\bthroughout the (?:school )?day\b|\ball day\b"
WHO = (r"\b(?:therapist|teacher|teaching assistant|TA|learning support assistant|LSA|assistant|SENCO|psychologist|"
       r"staff|adult|specialist|practitioner|mentor|nurse|keyworker|key worker|worker|coach|tutor|instructor|"
       r"ELSA|physiotherapist|trained|qualified|clinician|consultant|paediatrician|peers?)s?\b")


@functools.lru_cache(maxsize=64)
def _watch_pattern(extra: tuple[str, ...]) -> re.Pattern:
    """One pattern for every watched phrase, longest first, matched as whole words."""
    words = sorted({w.strip().lower() for w in (*VAGUE, *extra) if w.strip()}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def provision_specific(facts: PlanFacts, settings: Settings) -> list[Problem]:
    text = _text(facts, "F")
    if not text:
        return [Problem("F", "Section F is empty: write the special educational provision for each need in "
                             "section B.")]
    watch = _watch_pattern(tuple(settings.watch_words))
    problems = []
    for item in _lines(text):
        low = item.lower()
        said = list(dict.fromkeys(match.group(0) for match in watch.finditer(low)))
        quantified = _has(FREQUENCY, item)
        if re.search(r"\bregular(?:ly)?\b", low) and not quantified:
            said.append("regular")
        missing = [what for what, ok in (("how often", quantified), ("for how long or how much", _has(AMOUNT, item)),
                                         ("who delivers it", _has(WHO, item))) if not ok]
        if said or missing:
            parts = []
            if said:
                parts.append("uses words that do not specify provision (" + ", ".join(f"“{w}”" for w in said) + ")")
            if missing:
                parts.append("does not say " + ", ".join(missing))
            problems.append(Problem("F", f"“{_short(item)}” " + " and ".join(parts) + "."))
    return problems


# --- E: outcomes specific and time-bound; preparing for adulthood from Year 9 ---------------------

TIME_BOUND = (r"\bby (?:the )?(?:end of |summer of |spring of |autumn of )?(?:key stage|KS)\s?\d|"
              r"\bby (?:the )?end of (?:year|reception|nursery|the (?:school |academic )?year|(?:his|her|their) "
              r"(?:course|time))|\bby (?:the )?(?:next|first|second) (?:annual )?review|"
              r"\bby (?:january|february|march|april|may|june|july|august|september|october|november|december)\b|"
              r"\bby (?:19|20)\d\d|\bwithin \w+ (?:weeks|months|years?|terms?)|\bby (?:the age of|age) \d+|"
              r"\bby the time (?:he|she|they|\w+) (?:leaves?|moves?|starts?)|\bby (?:christmas|easter|half[- ]term)")
VAGUE_OUTCOMES = r"\b(?:make (?:good |expected )?progress|reach (?:his|her|their) (?:full )?potential|be happy|" \
                 r"be supported|have support|receive support|continue to (?:develop|improve)|access (?:the )?curriculum)\b"
PFA = {
    "employment": r"\b(?:job|work|employ|career|apprentice|internship|volunteer|college|university|training|course)",
    "independent living": r"\b(?:independen|travel|bus|cook|money|shopping|budget|own home|live|self-care)",
    "friends and community": r"\b(?:friend|community|club|relationship|social|leisure|sport)",
    "good health": r"\b(?:health|doctor|GP|medication|exercise|diet|sleep|wellbeing|fit)",
}


def outcomes_smart(facts: PlanFacts, settings: Settings) -> list[Problem]:
    text = _text(facts, "E")
    if not text:
        return [Problem("E", "Section E has no outcomes.")]
    problems = []
    for item in _lines(text):
        if _has(r"^(?:outcomes?|preparing for adulthood|long[- ]term aspirations?)[^.]*:$", item):
            continue  # a heading
        if not _has(TIME_BOUND, item):
            problems.append(Problem("E", f"“{_short(item)}” has no end date or key stage: say by when."))
        elif _has(VAGUE_OUTCOMES, item):
            problems.append(Problem("E", f"“{_short(item)}” is not specific: say what {facts.given_name or 'they'} "
                                         "will be able to do."))
    return problems


def preparing_for_adulthood(facts: PlanFacts, settings: Settings) -> list[Problem]:
    if facts.year_group is None or facts.year_group < 9:
        return []
    text = _text(facts, "E")
    if any(_has(words, text) for words in PFA.values()):
        return []
    return [Problem("E", f"{facts.given_name or 'The young person'} is in Year {facts.year_group}: from Year 9 the "
                         "outcomes must include preparing for adulthood (employment, independent living, friends and "
                         "community, good health).")]


# --- K: the advice received, listed and reflected --------------------------------------------------

STOP = frozenset("""about after again being below between could during every their there these those through under
until which while would should other where because before above within without people person child young school
support needs provision weekly having plans""".split())


def _keywords(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{6,}", text.lower()) if w not in STOP}


def advice_in_plan(facts: PlanFacts, settings: Settings) -> list[Problem]:
    problems = []
    k = _text(facts, "K").lower()
    rest = " ".join(_text(facts, code) for code in ("E", "F", "G", "H1", "H2")).lower()
    for advice in facts.advice:
        if advice.given_on is None:
            continue
        label = f"{advice.source} advice from {advice.who} ({advice.given_on:%-d %B %Y})"
        if advice.source.lower() not in k and (not advice.who or advice.who.lower() not in k):
            problems.append(Problem("K", f"{label} is not listed in section K."))
        words = _keywords(advice.recommendations)
        if len(words) >= 3 and len({w for w in words if w in rest}) < max(2, len(words) // 4):
            problems.append(Problem("K", f"The recommendations of the {label} are not reflected in the outcomes or "
                                         "provision: write them in, or the reason they were not followed."))
        last = facts.last_review_on
        stale = last is not None and advice.given_on < last and not any(
            other.source == advice.source and other.given_on and other.given_on >= last for other in facts.advice)
        if stale:
            problems.append(Problem("K", f"{label} is older than the last review ({facts.last_review_on:%-d %B %Y}): "
                                         "check it is still up to date."))
    return problems


# --- I and J ---------------------------------------------------------------------------------------

SETTING = r"\b(?:school|academy|college|nursery|setting|provision|centre|unit|base|institution|pre-school|" \
          r"preschool|sixth form|home education|educated at home|otherwise than in school)\b"
UNDECIDED = r"\b(?:to be (?:confirmed|decided|agreed)|tbc|tba|awaiting|not yet (?:named|decided|known))\b"


def placement_named(facts: PlanFacts, settings: Settings) -> list[Problem]:
    text = _text(facts, "I")
    if text and _has(SETTING, text) and not _has(UNDECIDED, text):
        return []
    return [Problem("I", "Section I does not name a school, college or other setting, or its type.")]


def personal_budget(facts: PlanFacts, settings: Settings) -> list[Problem]:
    text = _text(facts, "J")
    asked = facts.personal_budget_requested
    if asked is None:
        words = f"{_text(facts, 'A')} {text}"
        asked = (_has(r"personal budget|direct payment", words)
                 and not _has(r"\b(?:no|not)\b[^.]*\b(?:personal budget|direct payment)|"
                              r"\b(?:personal budget|direct payment)[^.]*\bnot\b[^.]*\b(?:requested|asked)", words))
    if not asked:
        return [] if text else [Problem("J", "Section J is empty: say whether a personal budget was asked for.")]
    if _has(r"£\s?\d|\d+ (?:pounds|hours)", text) and _has(r"provision|pay|for |cover|direct payment|arrangement",
                                                            text):
        return []
    return [Problem("J", "A personal budget was asked for: section J must say what it is for, how much, and how it "
                         "will be paid (CoP 9.95 to 9.124).")]


# --- after an annual review decided "amend" --------------------------------------------------------

def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def amended_as_decided(facts: PlanFacts, settings: Settings) -> list[Problem]:
    if not facts.amend_decided or facts.previous_sections is None:
        return []
    prev = facts.previous_sections
    unchanged = [code for code in sorted(facts.amend_sections) if _same(prev.get(code) or "", _text(facts, code))]
    if unchanged:
        return [Problem(code, f"The review said section {code} should change, but it is the same as in the plan "
                              "before.") for code in unchanged]
    if not facts.amend_sections and all(_same(prev.get(c) or "", v or "") for c, v in facts.sections.items()):
        return [Problem("B", "The review decided to amend the plan, but no section has changed.")]
    return []


def review_sections(text: str) -> frozenset[str]:
    """The sections a review's recommended changes name: "sections E and F", "section H1"."""
    found = set()
    for match in re.finditer(r"\bsections?\s+((?:(?:H[12]|[A-K])\b(?:\s*(?:,|and|&)\s*)?)+)", text):
        found |= set(re.findall(r"H[12]|[A-K]", match.group(1)))
    return frozenset(found)


RULES: tuple[Rule, ...] = (
    Rule("child_voice", "The child's or young person's own views", ("A",),
         "CoP 9.69 (section A); Children and Families Act 2014 s19(a)",
         "Section A must give the views, interests and aspirations of the child and their parents, or of the young "
         "person. A plan that gives only the parents' or professionals' views has not heard the child.",
         child_voice),
    Rule("needs_have_provision", "Every need has provision", ("B", "C", "D", "F", "G", "H1", "H2"),
         "CoP 9.69 (sections F, G, H1 and H2)",
         "Provision must be specified for each and every need in section B; health needs in C need health provision "
         "in G, and social care needs in D need provision in H1 or H2, or a stated reason why none is needed.",
         needs_have_provision),
    Rule("provision_specific", "Provision is specific and quantified", ("F",), "CoP 9.69 (section F)",
         "Provision must be detailed and specific and should normally be quantified: the type, hours and frequency "
         "of support and the level of expertise (who, what, how often, for how long). Words like “access to”, "
         "“opportunities for”, “as required” or “regular” without a frequency promise nothing that can be checked.",
         provision_specific),
    Rule("outcomes_smart", "Outcomes are specific and time-bound", ("E",), "CoP 9.66 and 9.67",
         "An outcome is the difference support will make. It should be specific, measurable, achievable, realistic "
         "and time-bound (SMART), usually to the end of a phase or key stage, with steps towards it.",
         outcomes_smart),
    Rule("preparing_for_adulthood", "Preparing for adulthood from Year 9", ("E",), "CoP 8.9 and 9.64",
         "From Year 9 the plan and every review must focus on preparing for adulthood: employment, independent "
         "living, friends and community, and good health.", preparing_for_adulthood),
    Rule("advice_in_plan", "The advice received is listed and used", ("K",), "CoP 9.69 (section K); SEND Regulations 2014 reg 6(4)",
         "Every piece of advice gathered in the assessment must be listed in section K, and the plan should show how "
         "it has informed the provision. Advice older than the last review may no longer describe the child.",
         advice_in_plan),
    Rule("placement_named", "A setting is named", ("I",), "CoP 9.69 (section I)",
         "Section I must name the school, college or other institution, or the type of institution, the child or "
         "young person will attend.", placement_named),
    Rule("personal_budget", "Personal budget set out where asked for", ("J",), "CoP 9.69 (section J) and 9.95",
         "Where a personal budget is asked for, section J must give its details: what it pays for, how much, and "
         "how it is arranged (direct payment or otherwise).", personal_budget),
    Rule("amended_as_decided", "The plan changed as the review decided", ("B", "E", "F"),
         "CoP 9.176 and 9.193 to 9.194",
         "When the council decides after an annual review to amend the plan, the amended plan must change the "
         "sections the review said were out of date; a plan issued unchanged leaves the child with out-of-date "
         "support.", amended_as_decided),
)
BY_KEY = {rule.key: rule for rule in RULES}


def run(facts: PlanFacts, settings: Settings = Settings()) -> list[Result]:
    """Every check the council has switched on, in the order of RULES."""
    return [Result(rule, tuple(rule.check(facts, settings))) for rule in RULES if rule.key not in settings.disabled]


def by_section(results: Sequence[Result]) -> dict[str, list[tuple[Rule, Problem]]]:
    """The problems to show beside each section."""
    out: dict[str, list[tuple[Rule, Problem]]] = {}
    for result in results:
        for problem in result.problems:
            out.setdefault(problem.section, []).append((result.rule, problem))
    return out
