"""Distance from a postcode without a network geocoder: a small table of postcode districts.

`postcodes.csv` holds one point per outward code (postcode district) for the demonstration area:
approximate centres written by hand from where the towns and villages each district serves lie,
good to a kilometre or two. It is not copied from any postcode data set. A real installation swaps
in the outward-code centroids of its own area (for example from the ONS Postcode Directory, under the
Open Government Licence) in the same four columns.
"""

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("postcodes.csv")
EARTH_RADIUS_MILES = 3958.8
OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


class UnknownPostcode(ValueError):
    pass


@dataclass(frozen=True)
class Place:
    outward: str
    latitude: float
    longitude: float
    name: str


@cache
def districts() -> dict[str, Place]:
    with TABLE.open(newline="", encoding="utf-8") as handle:
        return {row["outward"]: Place(row["outward"], float(row["latitude"]), float(row["longitude"]), row["place"])
                for row in csv.DictReader(handle)}


def outward_code(postcode: str) -> str:
    """The district part of a full postcode ('HD1 2AB' -> 'HD1'), or the district itself ('hd1' -> 'HD1')."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    full = FULL.match(compact)
    if full:
        return full.group(1)
    if OUTWARD.match(compact):
        return compact
    raise UnknownPostcode(f"Enter a real postcode, like HD1 2AB, or just its first part, like HD1")


def locate(postcode: str) -> Place:
    outward = outward_code(postcode)
    place = districts().get(outward)
    if place is None:
        known = ", ".join(sorted(districts(), key=lambda c: (re.sub(r"\d", "", c), int(re.sub(r"\D", "", c)))))
        raise UnknownPostcode(f"We cannot find {outward}: the directory knows postcodes starting {known}")
    return place


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))
