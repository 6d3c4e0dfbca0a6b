"""Load another directory's Open Referral feed, and export ours, as JSON or as ORUK tabular CSV.

Import reads every row first and checks it; if any row is wrong the report names each problem (file,
row, what is wrong) and nothing at all is loaded. Only a clean feed is published, in one transaction.
Files are streamed (JSON with ijson, CSV row by row from the zip member), with a cap on rows
(SENDHUB_IMPORT_MAX_ROWS), a zip's unpacked size and packing ratio checked before anything is unpacked,
and the first 100 problems kept to show (docs/security.md, "Imports").

JSON: an ORUK page ({"contents": [...]}, as /services?per_page=… or our export gives), a list of
services, or one service, each fully nested as /services/{id} returns it.
CSV: a zip of the HSDS tabular files (services.csv, organizations.csv, service_at_locations.csv,
locations.csv, addresses.csv, accessibility.csv, schedules.csv, phones.csv, contacts.csv,
cost_options.csv, taxonomies.csv, taxonomy_terms.csv, attributes.csv); only services.csv and
organizations.csv are required.
"""

import csv
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field

import ijson
from django.core.exceptions import ValidationError
from ijson.common import ObjectBuilder

from sendhub.core.filechecks import FileProblem
from sendhub.core.importing import ProblemList, RowBudget, TooManyRows, open_zip

from sendhub.core.exports import csv_text, restore

from . import oruk
from .models import Service, Taxonomy, TaxonomyTerm
from .selectors import with_details
from .services import clean_content
from .taxonomy import CATEGORY_NAMES, NEED_NAMES, term_id
from .weblinks import web_address_problem

MAX_UPLOAD = 20 * 1024 * 1024
HOW_TO_ACCESS_UNKNOWN = "Contact the service to ask how to get it."
COST_UNKNOWN = "Ask the service whether there is a cost."
OUR_TERMS = ({term_id("category", c): ("category", c) for c in CATEGORY_NAMES}
             | {term_id("need", n): ("need", n) for n in NEED_NAMES})


@dataclass
class Report:
    rows: list = field(default_factory=list)   # checked rows ready to publish
    errors: ProblemList = field(default_factory=ProblemList)  # (where, message): all counted, the first 100 kept
    notes: ProblemList = field(default_factory=ProblemList)   # defaults filled in, for the person importing

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


LIST_FIELDS = ("attributes", "service_at_locations", "schedules", "cost_options", "contacts", "phones")


def _objects(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _first(items):
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


def row_from_oruk(item: dict, *, default_category: str, known_orgs: dict) -> tuple[dict, list[str]]:
    """One ORUK service as a row for `services.import_services`; raises ValidationError naming each problem."""
    problems: dict[str, str] = {}
    notes: list[str] = []
    if not isinstance(item, dict):
        raise ValidationError("This is not a service object")
    for key in LIST_FIELDS:
        if item.get(key) is not None and not _objects(item[key]):
            problems[key] = f"{key} must be a list of objects"
    for sal in item.get("service_at_locations") or []:
        location = sal.get("location") if isinstance(sal, dict) else None
        if location is not None and not (isinstance(location, dict) and all(
                location.get(k) is None or _objects(location[k]) for k in ("addresses", "accessibility"))):
            problems["service_at_locations"] = "Each location must be an object, with lists of addresses and accessibility"
    if item.get("organization") is not None and not isinstance(item["organization"], dict):
        problems["organization"] = "organization must be an object"
    if problems:
        raise ValidationError(problems)
    try:
        service_id = str(uuid.UUID(str(item.get("id"))))
    except ValueError:
        raise ValidationError({"id": "The service has no id, or its id is not a UUID"}) from None
    org = item.get("organization") if isinstance(item.get("organization"), dict) else None
    org_id = (org or {}).get("id") or item.get("organization_id")
    try:
        org_id = str(uuid.UUID(str(org_id)))
    except ValueError:
        org_id = None
    if org_id is None:
        problems["organization"] = "The service does not say which organisation runs it"
    elif org and org.get("name"):
        organisation = {"id": org_id, "name": str(org["name"])[:200], "description": str(org.get("description") or ""),
                        "email": str(org.get("email") or ""), "website": str(org.get("website") or "")}
    elif org_id in known_orgs:
        organisation = known_orgs[org_id]
    else:
        problems["organization"] = f"Organisation {org_id} is not in the feed"
    if org_id is not None and "organization" not in problems and web_address_problem(organisation.get("website")):
        problems["organization"] = (f"The organisation's website is not a web address starting https:// or http:// "
                                    f"({str(organisation['website'])[:60]})")

    categories, needs, extra_terms, terms, taxonomies = [], [], [], [], {}
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        tid = (term or {}).get("id") or (attribute or {}).get("taxonomy_term_id")
        try:
            tid = uuid.UUID(str(tid))
        except ValueError:
            problems["attributes"] = "An attribute's taxonomy term has no id, or its id is not a UUID"
            continue
        if tid in OUR_TERMS:
            kind, code = OUR_TERMS[tid]
            (categories if kind == "category" else needs).append(code)
            continue
        if not term or not term.get("name"):
            if not TaxonomyTerm.objects.filter(pk=tid).exists():
                problems["attributes"] = f"Taxonomy term {tid} has no name and is not known here"
                continue
        else:
            tax = term.get("taxonomy_id")
            if tax:
                try:
                    tax = str(uuid.UUID(str(tax)))
                except ValueError:
                    tax = None
            if tax:
                taxonomies[tax] = {"id": tax, "name": str(term.get("taxonomy") or "Imported taxonomy")[:200]}
            if web_address_problem(term.get("term_uri")):
                problems["attributes"] = f"Taxonomy term {tid}: its term_uri is not a web address starting https://"
                continue
            terms.append({"id": str(tid), "name": str(term["name"])[:200], "description": str(term.get("description") or ""),
                          "taxonomy_id": tax, "term_uri": str(term.get("term_uri") or "")})
        extra_terms.append(str(tid))
    category = max(categories, key=len) if categories else default_category
    if not categories:
        notes.append(f"no local offer category: filed under {CATEGORY_NAMES.get(default_category, default_category)}")
    if not needs:
        needs = ["ANY"]
        notes.append("no SEN2 need: shown for any need")

    cost = _first(item.get("cost_options"))
    amount = cost.get("amount")
    fees = str(item.get("fees") or "").strip()
    is_free = (amount in (0, 0.0) or str(cost.get("option", "")).lower() == "free") and not fees
    cost_description = str(cost.get("amount_description") or "").strip() or fees or (
        f"£{amount:.2f}" if isinstance(amount, (int, float)) and amount else "")
    if not is_free and not cost_description:
        cost_description = COST_UNKNOWN
    contact = _first(item.get("contacts"))
    phone = _first(item.get("phones")) or _first(contact.get("phones"))
    how = str(item.get("application_process") or "").strip()
    if not how:
        notes.append("no application process: says to contact the service")
    raw = {
        "name": item.get("name"), "description": item.get("description"), "easy_read": item.get("sendhub_easy_read"),
        "category": category, "needs": needs, "minimum_age": item.get("minimum_age"),
        "maximum_age": item.get("maximum_age"), "self_referral": item.get("sendhub_self_referral") is True,
        "how_to_access": how or HOW_TO_ACCESS_UNKNOWN, "eligibility": item.get("eligibility_description"),
        "is_free": is_free, "cost_description": "" if is_free else cost_description,
        "while_waiting": item.get("sendhub_while_waiting"), "status": item.get("status"),
        "url": item.get("url"), "email": item.get("email") or contact.get("email"),
        "phone": phone.get("number"), "contact_name": contact.get("name"),
        "extra_terms": extra_terms, "last_checked": item.get("assured_date"),
        "locations": [], "schedules": [],
    }
    for sal in item.get("service_at_locations") or []:
        location = (sal or {}).get("location") or {}
        address = _first(location.get("addresses"))
        raw["locations"].append({
            "location_type": location.get("location_type"), "name": location.get("name"),
            "address_1": address.get("address_1"), "city": address.get("city"), "postcode": address.get("postal_code"),
            "accessibility": _first(location.get("accessibility")).get("description"),
            "sal_id": sal.get("id"), "location_id": location.get("id"),
            "latitude": location.get("latitude"), "longitude": location.get("longitude")})
    for schedule in item.get("schedules") or []:
        raw["schedules"].append({k: (schedule or {}).get(k) for k in ("id", "byday", "opens_at", "closes_at", "description")})
    try:
        content = clean_content(raw, strict_places=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            problems[key] = "; ".join(messages)
    if problems:
        raise ValidationError(problems)
    return {"id": service_id, "organisation": organisation, "content": content, "terms": terms,
            "taxonomies": list(taxonomies.values())}, notes


def _check(pairs, *, default_category: str, known_orgs: dict, budget: RowBudget | None = None) -> Report:
    """Check (service, label) pairs as they come: only the checked rows are kept, never the raw feed."""
    report = Report()
    seen: set = set()
    count = 0
    try:
        for item, label in pairs:
            count += 1
            if budget is not None:
                budget.take()
            try:
                try:
                    row, notes = row_from_oruk(item, default_category=default_category, known_orgs=known_orgs)
                except (TypeError, AttributeError, ValueError) as error:  # a shape no check above foresaw
                    raise ValidationError(f"This service is not in the Open Referral shape ({error})") from error
            except ValidationError as error:
                messages = ([m for ms in error.message_dict.values() for m in ms] if hasattr(error, "error_dict")
                            else error.messages)
                for message in messages:
                    report.errors.append((label, message))
                continue
            if row["id"] in seen:
                report.errors.append((label, f"Service {row['id']} appears twice in the feed"))
                continue
            seen.add(row["id"])
            report.rows.append(row)
            for note in notes:
                report.notes.append((label, note))
    except (TooManyRows, FeedUnreadable) as error:  # the whole file is refused: that is the one thing to say
        refusal = ("Feed", _too_many(error)) if isinstance(error, TooManyRows) else ("File", str(error))
        report.errors = ProblemList([refusal])
        report.rows.clear()
        return report
    if not count:
        report.errors.append(("Feed", "The feed has no services in it"))
    return report


def _too_many(error: TooManyRows) -> str:
    return f"The feed has more than {error.limit:,} rows: split it into smaller feeds and load each one"


class FeedUnreadable(Exception):
    """The file stops being JSON (or CSV) part of the way through, or a service in it is far too big."""


MAX_VALUES_PER_SERVICE = 20_000  # a service with hundreds of locations and schedules is still far below this
_OPENS = {"start_map", "start_array"}
_CLOSES = {"end_map", "end_array"}


def _value(events, event: str, value, counted: list[int] | None = None):
    """One JSON value rebuilt from ijson's events, starting at (event, value); refused if it is huge.

    `counted` carries the count of values across several calls (the top-level keys of one service)."""
    counted = [0] if counted is None else counted
    counted[0] += 1
    if event not in _OPENS:
        return value
    builder = ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _prefix, event, value in events:
        builder.event(event, value)
        counted[0] += 1
        if counted[0] > MAX_VALUES_PER_SERVICE:
            raise FeedUnreadable(f"A service in the feed has more than {MAX_VALUES_PER_SERVICE:,} values: it is "
                                 "not an Open Referral service we can load")
        depth += 1 if event in _OPENS else -1 if event in _CLOSES else 0
        if depth == 0:
            return builder.value
    raise FeedUnreadable("The JSON stops part of the way through")


def _json_services(fileobj):
    """The services of an ORUK page, list or single service, one at a time, with their labels.

    ijson reads the file as a stream of events, so only one service is ever held in memory whole.
    """
    raw = getattr(fileobj, "file", fileobj)
    raw.seek(0)
    if raw.read(3) != b"\xef\xbb\xbf":
        raw.seek(0)
    events = ijson.parse(raw, use_float=True)
    number = 0

    def labelled(item):
        nonlocal number
        number += 1
        name = item.get("name") if isinstance(item, dict) else None
        return item, f"Service {number}" + (f" ({name})" if name else "")

    try:
        _prefix, event, value = next(events)
        if event == "start_array":
            for _prefix, event, value in events:
                if event == "end_array":
                    return
                yield labelled(_value(events, event, value))
        elif event == "start_map":
            top, paged, counted = {}, False, [0]
            for _prefix, event, key in events:
                if event == "end_map":
                    break
                _prefix, event, value = next(events)
                if key == "contents" and event == "start_array":
                    paged = True
                    for _prefix, event, value in events:
                        if event == "end_array":
                            break
                        yield labelled(_value(events, event, value))
                else:
                    top[key] = _value(events, event, value, counted)
            if not paged:
                if "id" not in top:
                    raise FeedUnreadable("The JSON is not an Open Referral service, list of services or page of services")
                yield labelled(top)
        else:
            raise FeedUnreadable("The JSON is not an Open Referral service, list of services or page of services")
    except ijson.JSONError as error:
        detail = str(error).splitlines()[0].strip(" b'\"") if str(error) else "it stops part of the way through"
        raise FeedUnreadable(f"This is not a JSON file we can read ({detail})") from None
    except StopIteration:
        raise FeedUnreadable("This is not a JSON file we can read (it is empty)") from None


def read_json(feed, *, default_category: str) -> Report:
    """Check a JSON feed (a file, or bytes) as it is read, up to SENDHUB_IMPORT_MAX_ROWS services."""
    if isinstance(feed, bytes):
        feed = io.BytesIO(feed)
    return _check(_json_services(feed), default_category=default_category, known_orgs={}, budget=RowBudget())


TABLES = ["organizations", "services", "service_at_locations", "locations", "addresses", "accessibility", "schedules",
          "phones", "contacts", "cost_options", "taxonomies", "taxonomy_terms", "attributes"]
# The columns the import reads from each file; others are dropped as each row is read, so a file of a
# thousand empty columns costs no more than one of the columns that matter.
READ_COLUMNS = {
    "organizations": {"id", "name", "description", "email", "website"},
    "services": {"id", "organization_id", "name", "description", "url", "email", "status", "fees", "minimum_age",
                 "maximum_age", "assured_date", "eligibility_description", "application_process",
                 "sendhub_easy_read", "sendhub_while_waiting", "sendhub_self_referral"},
    "service_at_locations": {"id", "service_id", "location_id"},
    "locations": {"id", "location_type", "name", "latitude", "longitude"},
    "addresses": {"id", "location_id", "address_1", "city", "postal_code"},
    "accessibility": {"id", "location_id", "description"},
    "schedules": {"id", "service_id", "byday", "opens_at", "closes_at", "description"},
    "phones": {"id", "service_id", "number"},
    "contacts": {"id", "service_id", "name", "email"},
    "cost_options": {"id", "service_id", "option", "amount", "amount_description"},
    "taxonomies": {"id", "name"},
    "taxonomy_terms": {"id", "taxonomy_id", "name", "description", "term_uri"},
    "attributes": {"id", "link_id", "link_type", "link_entity", "taxonomy_term_id"},
}


def _rows(archive: zipfile.ZipFile, table: str, budget: RowBudget) -> list[dict]:
    """One CSV file of the zip, streamed row by row from the zip member; every row counts against the budget."""
    names = {name.rsplit("/", 1)[-1]: name for name in archive.namelist()}
    if f"{table}.csv" not in names:
        return []
    wanted = READ_COLUMNS[table]
    rows = []
    with archive.open(names[f"{table}.csv"]) as member:
        text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
        for row in csv.DictReader(text):
            budget.take()
            # restore(): our own export quotes text that a spreadsheet would run as a formula (core.exports)
            rows.append({k: restore((v if isinstance(v, str) else "").strip()) for k, v in row.items() if k in wanted})
    return rows


def _num(value):
    if value in (None, ""):
        return None
    try:
        return float(value)
    except ValueError:
        return value  # left for the checks to name


def read_csv_zip(feed, *, default_category: str) -> Report:
    """Check a zip of ORUK CSV files (a file, or bytes): the zip's directory first, then each file row by row."""
    if isinstance(feed, bytes):
        feed = io.BytesIO(feed)
    report = Report()
    budget = RowBudget()
    try:
        archive = open_zip(feed, label="a zip of Open Referral CSV files")
        tables = {table: _rows(archive, table, budget) for table in TABLES}
    except FileProblem as problem:
        report.errors.append(("File", f"This file {problem}: split the feed or check how it was made"))
        return report
    except TooManyRows as error:
        report.errors.append(("Feed", _too_many(error)))
        return report
    except (zipfile.BadZipFile, UnicodeDecodeError, csv.Error, OSError, EOFError, NotImplementedError) as error:
        report.errors.append(("File", f"This is not a zip of ORUK CSV files we can read ({error})"))
        return report
    if not tables["services"]:
        report.errors.append(("services.csv", "The zip has no services.csv, or it has no rows"))
        return report
    by_service: dict[str, dict] = {}
    items, labels = [], []
    for number, row in enumerate(tables["services"], start=2):  # row 1 is the header
        item = {k: v for k, v in row.items() if v != ""}
        for key in ("minimum_age", "maximum_age"):
            if key in item:
                item[key] = _num(item[key])
        if "sendhub_self_referral" in item:
            item["sendhub_self_referral"] = item["sendhub_self_referral"].lower() in {"true", "1", "yes"}
        item.update(service_at_locations=[], schedules=[], phones=[], contacts=[], cost_options=[], attributes=[])
        by_service[row.get("id", "")] = item
        items.append(item)
        labels.append(f"services.csv row {number}" + (f" ({row.get('name')})" if row.get("name") else ""))
    orgs = {row.get("id"): row for row in tables["organizations"]}

    def owner(table: str, number: int, key: str, row: dict) -> dict | None:
        service = by_service.get(row.get(key, ""))
        if service is None:
            report.errors.append((f"{table}.csv row {number}", f"No service in services.csv has the id {row.get(key) or '(blank)'}"))
        return service

    locations = {row.get("id"): dict(row, addresses=[], accessibility=[]) for row in tables["locations"]}
    for table in ("addresses", "accessibility"):
        for number, row in enumerate(tables[table], start=2):
            location = locations.get(row.get("location_id"))
            if location is None:
                report.errors.append((f"{table}.csv row {number}", f"No location in locations.csv has the id {row.get('location_id') or '(blank)'}"))
            else:
                location[table].append(row)
    for number, row in enumerate(tables["service_at_locations"], start=2):
        service = owner("service_at_locations", number, "service_id", row)
        location = locations.get(row.get("location_id"))
        if location is None:
            report.errors.append((f"service_at_locations.csv row {number}", f"No location in locations.csv has the id {row.get('location_id') or '(blank)'}"))
        elif service is not None:
            service["service_at_locations"].append({"id": row.get("id"), "location": dict(
                location, latitude=_num(location.get("latitude")), longitude=_num(location.get("longitude")))})
    for table, key in (("schedules", "schedules"), ("phones", "phones"), ("contacts", "contacts"),
                       ("cost_options", "cost_options")):
        for number, row in enumerate(tables[table], start=2):
            if table == "phones" and not row.get("service_id"):
                continue  # a phone of a location or contact: not kept by the directory
            if table == "schedules" and not row.get("service_id"):
                continue
            service = owner(table, number, "service_id", row)
            if service is not None:
                service[key].append(dict(row, amount=_num(row.get("amount"))) if table == "cost_options" else row)
    terms = {row.get("id"): row for row in tables["taxonomy_terms"]}
    taxonomy_names = {row.get("id"): row.get("name") for row in tables["taxonomies"]}
    for number, row in enumerate(tables["attributes"], start=2):
        if row.get("link_type", "service") not in {"service", ""} and row.get("link_entity", "service") != "service":
            continue
        service = owner("attributes", number, "link_id", row)
        if service is not None:
            term = terms.get(row.get("taxonomy_term_id"))
            if term:
                term = dict(term, taxonomy=taxonomy_names.get(term.get("taxonomy_id"), ""))
            service["attributes"].append({"taxonomy_term_id": row.get("taxonomy_term_id"), "taxonomy_term": term})
    checked = _check(zip(items, labels, strict=True), default_category=default_category, known_orgs={
        k: {"id": k, "name": v.get("name", "")[:200], "description": v.get("description", ""), "email": v.get("email", ""),
            "website": v.get("website", "")} for k, v in orgs.items() if v.get("name")})
    report.errors.extend(checked.errors)  # the zip's problems first, then each service's
    checked.errors = report.errors
    return checked


# --- export ------------------------------------------------------------------------------------------

def export_services():
    return with_details(Service.objects.all().order_by("name", "id"))


def export_json() -> bytes:
    contents = [oruk.service_json(service) for service in export_services()]
    return json.dumps({"total_items": len(contents), "total_pages": 1, "page_number": 1, "size": len(contents),
                       "first_page": True, "last_page": True, "empty": not contents, "contents": contents},
                      indent=1).encode()


COLUMNS = {
    "organizations": ["id", "name", "description", "email", "website"],
    "services": ["id", "organization_id", "name", "description", "url", "email", "status", "fees", "minimum_age",
                 "maximum_age", "assured_date", "last_modified", "eligibility_description", "application_process",
                 "sendhub_easy_read", "sendhub_while_waiting", "sendhub_self_referral"],
    "service_at_locations": ["id", "service_id", "location_id"],
    "locations": ["id", "location_type", "name", "latitude", "longitude"],
    "addresses": ["id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
    "accessibility": ["id", "location_id", "description"],
    "schedules": ["id", "service_id", "freq", "interval", "byday", "opens_at", "closes_at", "description"],
    "phones": ["id", "service_id", "number"],
    "contacts": ["id", "service_id", "name", "email"],
    "cost_options": ["id", "service_id", "option", "amount", "amount_description"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
    "taxonomy_terms": ["id", "taxonomy_id", "name", "description", "parent_id", "term_uri", "term"],
    "attributes": ["id", "link_id", "link_type", "link_entity", "taxonomy_term_id"],
}


def export_csv_zip() -> bytes:
    rows: dict[str, list] = {table: [] for table in COLUMNS}
    orgs: dict = {}
    for service in export_services():
        data = oruk.service_json(service)
        orgs[data["organization"]["id"]] = data["organization"]
        rows["services"].append(data)
        for sal in data["service_at_locations"]:
            location = sal["location"]
            rows["service_at_locations"].append(sal)
            rows["locations"].append(location)
            rows["addresses"].extend(location.get("addresses", []))
            rows["accessibility"].extend(location.get("accessibility", []))
        for table in ("schedules", "phones", "contacts", "cost_options"):
            rows[table].extend(data[table])
        rows["attributes"].extend(data["attributes"])
    rows["organizations"] = list(orgs.values())
    rows["taxonomies"] = [oruk.taxonomy_json(t) for t in Taxonomy.objects.order_by("name", "id")]
    rows["taxonomy_terms"] = [oruk.term_json(t) for t in TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "id")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, columns in COLUMNS.items():
            lines = [columns, *([row.get(column) for column in columns] for row in rows[table])]
            archive.writestr(f"{table}.csv", csv_text(lines, lineterminator="\n"))
    return buffer.getvalue()
