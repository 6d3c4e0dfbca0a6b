"""The SEN2 person-level return: its modules, fields and code sets, as one tree sendhub writes and reads.

Pure standard-library Python (no Django), so the structure can be read and tested on its own. Sources:
`shared/reference/sen2.md` (the DfE's person-level specification from 2023, the COLLECT CSV tables as read
by MastodonC/witan.sen2, the code sets as data-to-insight/ssd-data-model gives them). Check the year's
technical specification before a submission: the DfE publishes it with its validation rules each year.

A return is a tree of `Node`s: the header holds persons; a person holds requests; a request holds at most
one assessment and its active plans; an assessment holds named plans; a named plan holds its plan detail; an
active plan holds its placement detail and its SEN needs. The XML nests the elements exactly so; the CSV
form is one table per module, each row carrying its own id and its parent's.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

DATE, CODE, TEXT, NUMBER = "date", "code", "text", "number"


@dataclass(frozen=True)
class Field:
    name: str  # the COLLECT CSV column
    xml: str  # the XML element
    kind: str = TEXT
    codes: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Module:
    key: str  # the COLLECT table name
    xml: str
    parent: str | None
    title: str
    fields: tuple[Field, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# --- code sets ---------------------------------------------------------------------------------------------
OUTCOMES = ("Y", "N", "A", "W", "H")
OUTCOME_LABELS = {"Y": "yes", "N": "no", "A": "decision yet to be made", "W": "withdrawn or ceased before a decision",
                  "H": "historical: decided before this collection period"}
YES_NO = ("Y", "N")
CEASE_REASONS = {
    "1": "Reached maximum age", "2": "Needs met without an EHC plan", "3": "Moved on to higher education",
    "4": "Moved on to paid employment", "5": "Transferred to another English local authority",
    "6": "Young person no longer wishes to engage in education or training", "7": "Moved outside England",
    "8": "Deceased", "9": "Other",
}
SEN_SETTINGS = {
    "OLA": "Other arrangements made by the local authority (including EOTAS, section 61)",
    "OPA": "Other arrangements made by parents or the young person (section 42(5)), not elective home education",
    "EHE": "Elective home education", "EYP": "Early years provider with no URN", "OTH": "Other",
    "NEET": "Aged 16 to 25, not in education, employment or training",
    "NIEC": "Not in education: notice to cease issued", "NIEO": "Not in education: other",
}
SEN_TYPES = {
    "SPLD": "Specific learning difficulty", "MLD": "Moderate learning difficulty", "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty", "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs", "HI": "Hearing impairment", "VI": "Vision impairment",
    "MSI": "Multi-sensory impairment", "PD": "Physical disability", "ASD": "Autistic spectrum disorder",
    "DS": "Down syndrome", "OTH": "Other difficulty or disability",
}
SEXES = {"M": "Male", "F": "Female", "U": "Not known"}
SOURCE_LEVEL = "L"
COLLECTION = "SEN2"


def _f(name, xml, kind=TEXT, codes=(), label=""):
    return Field(name, xml, kind, tuple(codes), label)


MODULES: tuple[Module, ...] = (
    Module("sen2", "Header", None, "Header", (
        _f("collection", "Collection", CODE, (COLLECTION,)), _f("year", "Year", NUMBER),
        _f("referencedate", "ReferenceDate", DATE, label="census date"), _f("sourcelevel", "SourceLevel", CODE, ("L",)),
        _f("lea", "LEA", TEXT, label="local authority code"), _f("softwarecode", "SoftwareCode"),
        _f("release", "Release"), _f("serialno", "SerialNo", NUMBER), _f("datetime", "DateTime"),
    )),
    Module("person", "Person", "sen2", "Person", (
        _f("surname", "Surname"), _f("forename", "Forename"), _f("personbirthdate", "PersonBirthDate", DATE),
        _f("sex", "Sex", CODE, SEXES), _f("ethnicity", "Ethnicity"), _f("postcode", "PostCode"),
        _f("upn", "UPN"), _f("uniquelearnernumber", "UniqueLearnerNumber"), _f("upnunknown", "UPNunknown"),
    )),
    Module("requests", "Requests", "person", "Request for an EHC needs assessment", (
        _f("receiveddate", "ReceivedDate", DATE), _f("requestsource", "RequestSource"), _f("rya", "RYA", CODE, YES_NO),
        _f("requestoutcomedate", "RequestOutcomeDate", DATE), _f("requestoutcome", "RequestOutcome", CODE, OUTCOMES),
        _f("requestmediation", "RequestMediation", CODE, YES_NO), _f("requesttribunal", "RequestTribunal", CODE, YES_NO),
        _f("exported", "Exported", CODE, YES_NO),
    )),
    Module("assessment", "Assessment", "requests", "EHC needs assessment", (
        _f("assessmentoutcome", "AssessmentOutcome", CODE, OUTCOMES),
        _f("assessmentoutcomedate", "AssessmentOutcomeDate", DATE),
        _f("assessmentmediation", "AssessmentMediation", CODE, YES_NO),
        _f("assessmenttribunal", "AssessmentTribunal", CODE, YES_NO),
        _f("othermediation", "OtherMediation", CODE, YES_NO), _f("othertribunal", "OtherTribunal", CODE, YES_NO),
        _f("week20", "Week20", CODE, YES_NO, "20-week time-limit exceptions apply"),
    )),
    Module("namedplan", "NamedPlan", "assessment", "Named plan", (
        _f("startdate", "StartDate", DATE), _f("planres", "PlanRes", CODE, YES_NO),
        _f("planwbp", "PlanWBP", CODE, YES_NO), _f("pb", "PB", CODE, YES_NO), _f("oa", "OA", CODE, YES_NO),
        _f("dp", "DP", CODE, YES_NO), _f("ceasedate", "CeaseDate", DATE),
        _f("ceasereason", "CeaseReason", CODE, CEASE_REASONS),
    )),
    Module("plandetail", "PlanDetail", "namedplan", "Placement named in the plan", (
        _f("urn", "URN", NUMBER), _f("ukprn", "UKPRN", NUMBER), _f("sensetting", "SENSetting", CODE, SEN_SETTINGS),
        _f("sensettingother", "SENSettingOther"), _f("placementrank", "PlacementRank", NUMBER),
        _f("senunitindicator", "SENUnitIndicator", CODE, YES_NO),
        _f("resourcedprovisionindicator", "ResourcedProvisionIndicator", CODE, YES_NO),
    )),
    Module("activeplans", "ActivePlans", "requests", "Active plan at the census date", (
        _f("transferla", "TransferLA"), _f("reviewmeeting", "ReviewMeeting", DATE),
        _f("reviewoutcome", "ReviewOutcome", DATE), _f("reviewdraft", "ReviewDraft", DATE),
        _f("phasetransferduedate", "PhaseTransferDueDate", DATE),
        _f("phasetransferfinaldate", "PhaseTransferFinalDate", DATE), _f("lastreview", "LastReview", DATE),
    )),
    Module("placementdetail", "PlacementDetail", "activeplans", "Current placement", (
        _f("urn", "URN", NUMBER), _f("ukprn", "UKPRN", NUMBER), _f("sensetting", "SENSetting", CODE, SEN_SETTINGS),
        _f("sensettingother", "SENSettingOther"), _f("placementrank", "PlacementRank", NUMBER),
        _f("entrydate", "EntryDate", DATE), _f("leavingdate", "LeavingDate", DATE),
        _f("senunitindicator", "SENUnitIndicator", CODE, YES_NO),
        _f("resourcedprovisionindicator", "ResourcedProvisionIndicator", CODE, YES_NO),
        _f("res", "RES", CODE, YES_NO), _f("wbp", "WBP", CODE, YES_NO),
    )),
    Module("senneed", "SENneed", "activeplans", "Special educational need", (
        _f("sentype", "SENtype", CODE, SEN_TYPES), _f("sentyperank", "SENtypeRank", NUMBER),
    )),
)
BY_KEY = {m.key: m for m in MODULES}
BY_XML = {m.xml: m for m in MODULES}
CHILDREN = {m.key: tuple(c.key for c in MODULES if c.parent == m.key) for m in MODULES}
ROOT_XML = "Message"


@dataclass
class Node:
    """One row of one module, with the rows that hang from it. Empty values are left out of the file."""

    module: str
    values: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    where: str = ""  # where it was read from, for a refusal report
    ref: str = ""  # for a person built from the record: the child's id, so a problem can link to the record

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def kids(self, module: str) -> list[Node]:
        return [c for c in self.children if c.module == module]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def node(module: str, **values) -> Node:
    spec = BY_KEY[module]
    unknown = set(values) - set(spec.field_names)
    if unknown:
        raise KeyError(f"{module} has no field {sorted(unknown)}")
    return Node(module, {k: text(v) for k, v in values.items() if text(v) != ""})


# --- writing ---------------------------------------------------------------------------------------------
def to_xml(header: Node) -> bytes:
    """The return as XML, elements in the specification's order, empty fields left out."""
    root = ET.Element(ROOT_XML)

    def add(parent_el, n: Node, with_children: bool = True):
        spec = BY_KEY[n.module]
        el = ET.SubElement(parent_el, spec.xml)
        for f in spec.fields:
            if n.get(f.name):
                ET.SubElement(el, f.xml).text = n.get(f.name)
        for child_key in CHILDREN[n.module] if with_children else ():
            for child in n.kids(child_key):
                add(el, child)

    add(root, header, with_children=False)  # persons sit beside the header in the message
    for person in header.kids("person"):
        add(root, person)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def to_tables(header: Node) -> dict[str, list[list[str]]]:
    """The return as the COLLECT CSV tables: one per module, each row with its own id and its parent's."""
    tables = {m.key: [[f"{m.key}_table_id"] + ([f"{m.parent}_table_id"] if m.parent else []) + list(m.field_names)]
              for m in MODULES}
    counters = {m.key: 0 for m in MODULES}

    def add(n: Node, parent_id: int | None):
        counters[n.module] += 1
        own = counters[n.module]
        spec = BY_KEY[n.module]
        tables[n.module].append([str(own)] + ([str(parent_id)] if spec.parent else []) + [n.get(f) for f in spec.field_names])
        for child in n.children:
            add(child, own)

    add(header, None)
    return tables


# --- reading ---------------------------------------------------------------------------------------------
class ReadError(ValueError):
    """The file is not a SEN2 return sendhub can read; the message says where and why."""


def from_xml(data: bytes) -> Node:
    try:
        # ElementTree never fetches external entities; a DOCTYPE is refused outright below.
        if b"<!DOCTYPE" in data[:2000] or b"<!ENTITY" in data:
            raise ReadError("The file declares a DOCTYPE or entities: a SEN2 return has none")
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ReadError(f"The file is not well-formed XML ({error})") from error
    header_el = root if root.tag == "Header" else root.find("Header")
    if root.tag != ROOT_XML or header_el is None:
        raise ReadError("This is not a SEN2 return: it has no <Message> with a <Header>")

    def read(el, module: Module, path: str) -> Node:
        n = Node(module.key)
        by_xml = {f.xml: f for f in module.fields}
        child_modules = {BY_KEY[k].xml: BY_KEY[k] for k in CHILDREN[module.key]}
        counts: dict[str, int] = {}
        for sub in el:
            if sub.tag in by_xml:
                n.values[by_xml[sub.tag].name] = (sub.text or "").strip()
            elif sub.tag in child_modules:
                counts[sub.tag] = counts.get(sub.tag, 0) + 1
                n.children.append(read(sub, child_modules[sub.tag], f"{path}/{sub.tag}[{counts[sub.tag]}]"))
            else:
                raise ReadError(f"{path}: unknown element <{sub.tag}> inside <{el.tag}>")
        n.values = {k: v for k, v in n.values.items() if v}
        n.where = path
        return n

    header = read(header_el, BY_KEY["sen2"], "Header")
    count = 0
    for el in root:
        if el is header_el:
            continue
        if el.tag != "Person":
            raise ReadError(f"unknown element <{el.tag}> inside <Message>")
        count += 1
        header.children.append(read(el, BY_KEY["person"], f"Person[{count}]"))
    return header


def from_tables(tables: dict[str, list[list[str]]]) -> Node:
    """Rebuild the tree from COLLECT CSV tables (dict of table name to rows, header row first)."""
    unknown = set(tables) - set(BY_KEY)
    if unknown:
        raise ReadError(f"Unknown table(s): {', '.join(sorted(unknown))}; expected {', '.join(BY_KEY)}")
    if "sen2" not in tables:
        raise ReadError("The header table (sen2.csv) is missing")
    nodes: dict[str, dict[str, Node]] = {}
    for module in MODULES:
        rows = tables.get(module.key)
        if not rows:
            nodes[module.key] = {}
            continue
        head = [h.strip().lower() for h in rows[0]]
        own_col = f"{module.key}_table_id"
        parent_col = f"{module.parent}_table_id" if module.parent else None
        expected = {own_col, *( [parent_col] if parent_col else []), *module.field_names}
        strange = [h for h in head if h not in expected]
        if strange:
            raise ReadError(f"{module.key}.csv: unknown column(s) {', '.join(strange)}")
        if own_col not in head or (parent_col and parent_col not in head):
            raise ReadError(f"{module.key}.csv: needs the columns {own_col}" + (f" and {parent_col}" if parent_col else ""))
        nodes[module.key] = {}
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            values = dict(zip(head, (cell.strip() for cell in row)))
            n = Node(module.key, {k: v for k, v in values.items() if k in module.field_names and v})
            n.where = f"{module.key}.csv line {line}"
            own = values.get(own_col, "")
            if own in nodes[module.key]:
                raise ReadError(f"{module.key}.csv line {line}: {own_col} {own} is used twice")
            nodes[module.key][own] = n
            if parent_col:
                parent = nodes[module.parent].get(values.get(parent_col, ""))
                if parent is None:
                    raise ReadError(f"{module.key}.csv line {line}: {parent_col} {values.get(parent_col)!r} "
                                    f"is not in {module.parent}.csv")
                parent.children.append(n)
    headers = list(nodes["sen2"].values())
    if len(headers) != 1:
        raise ReadError(f"sen2.csv must have exactly one header row, not {len(headers)}")
    return headers[0]


def tables_to_csv_texts(tables: dict[str, list[list[str]]], write) -> dict[str, str]:
    """Each table as CSV text, written by `write` (sendhub.core.exports.csv_text: the one CSV writer)."""
    return {f"{key}.csv": write(rows) for key, rows in tables.items()}


def read_csv_text(text_: str) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(text_.lstrip("\ufeff"))))
