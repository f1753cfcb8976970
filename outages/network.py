"""The network: city groups, `getpower network import`, and energised applications as customers."""
from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.models import Division
from core import events
from core.errors import InvalidInput
from outages.models import Area, Customer, Feeder, ReliabilityZone, Substation, Transformer

# One file for the whole topology: each row one element, parents before children. A `zone` row
# registers a high-reliability zone (高可靠性供电示范区); a feeder row's optional `zone` column
# puts the feeder, and every customer on it, in that zone.
NETWORK_COLUMNS = ("type", "code", "name", "parent", "county", "area", "ownership", "capacity_kva",
                   "contact_name", "contact_phone", "contact_email", "zone")
TYPES = ("zone", "substation", "feeder", "transformer", "customer_lv", "customer_mv")
MAX_ROWS = 2_000_000


def city_group(division: Division) -> str:
    """The reliability city group of a county: the county's own group first (枣庄 台儿庄区 and
    高新区 form their own group), then its city's, then "other"."""
    for node in division.ancestors_and_self():
        if node.level == Division.Level.PROVINCE:
            break
        if node.city_group:
            return node.city_group
    return "other"


class ImportError_(InvalidInput):
    """A bad row: `fields` names the line and column."""


def _fail(line: int, column: str, message: str) -> InvalidInput:
    return InvalidInput(f"line {line}, column {column}: {message}", fields={f"line {line}.{column}": message})


@dataclass
class ImportResult:
    created: dict[str, int]
    updated: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def network_import(*, path: Path, by=None, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Create or update the elements of one CSV file; a bad row fails the whole file (nothing kept)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})", fields={"file": "cannot read"}) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path}: not a UTF-8 CSV file ({exc})", fields={"file": "not UTF-8 CSV"}) from None
    if not rows:
        raise _fail(1, "-", f"empty file; header {','.join(NETWORK_COLUMNS)}")
    header = [h.strip() for h in rows[0]]
    for column in ("type", "code", "name", "parent", "county", "area"):
        if column not in header:
            raise _fail(1, column, "missing column")
    if len(rows) - 1 > MAX_ROWS:
        raise _fail(MAX_ROWS + 2, "-", f"at most {MAX_ROWS} rows per file")
    index = {name: i for i, name in enumerate(header)}
    counties = {d.code: d for d in Division.objects.filter(level=Division.Level.COUNTY)}
    created = dict.fromkeys(TYPES, 0)
    updated = dict.fromkeys(TYPES, 0)
    total = len(rows) - 1
    with transaction.atomic():
        substations = {s.code: s for s in Substation.objects.all()}
        feeders = {f.code: f for f in Feeder.objects.all()}
        transformers = {t.code: t for t in Transformer.objects.all()}
        zones = {z.code: z for z in ReliabilityZone.objects.all()}
        for n, row in enumerate(rows[1:], start=2):
            if progress and (n - 1) % 500 == 0:
                progress(n - 1, total)
            if not any(cell.strip() for cell in row):
                continue
            v = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
            for column, text in v.items():
                if len(text) > 128 or "\x00" in text:
                    raise _fail(n, column, "at most 128 characters, no NUL")
            kind = v["type"]
            if kind not in TYPES:
                raise _fail(n, "type", f"one of {', '.join(TYPES)}")
            if not v["code"] or len(v["code"]) > 32:
                raise _fail(n, "code", "1 to 32 characters")
            if not v["name"]:
                raise _fail(n, "name", "empty")
            county = counties.get(v["county"])
            if county is None:
                raise _fail(n, "county", f"unknown county code {v['county']!r}")
            area = v["area"]
            if kind not in ("substation", "zone") and area not in Area.values:
                raise _fail(n, "area", f"one of {', '.join(Area.values)}")
            common = {"name": v["name"][:64], "county": county}
            if kind == "zone":
                obj, new = ReliabilityZone.objects.update_or_create(code=v["code"], defaults=common)
                zones[obj.code] = obj
            elif kind == "substation":
                obj, new = Substation.objects.update_or_create(code=v["code"], defaults=common)
                substations[obj.code] = obj
            elif kind == "feeder":
                parent = substations.get(v["parent"])
                if parent is None:
                    raise _fail(n, "parent", f"unknown substation {v['parent']!r} (list it on an earlier line)")
                zone = None
                if v.get("zone"):
                    zone = zones.get(v["zone"])
                    if zone is None:
                        raise _fail(n, "zone", f"unknown zone {v['zone']!r} (list it on an earlier line)")
                obj, new = Feeder.objects.update_or_create(
                    code=v["code"], defaults={**common, "substation": parent, "area": area,
                                              # a file without the column leaves zones as they are
                                              **({"zone": zone} if "zone" in index else {})})
                feeders[obj.code] = obj
            elif kind == "transformer":
                parent = feeders.get(v["parent"])
                if parent is None:
                    raise _fail(n, "parent", f"unknown feeder {v['parent']!r} (list it on an earlier line)")
                ownership = v.get("ownership") or Transformer.Ownership.PUBLIC
                if ownership not in Transformer.Ownership.values:
                    raise _fail(n, "ownership", "public or dedicated")
                capacity = v.get("capacity_kva") or "0"
                if not capacity.isdigit() or int(capacity) > 100_000:
                    raise _fail(n, "capacity_kva", "a whole number of kVA, at most 100000")
                obj, new = Transformer.objects.update_or_create(
                    code=v["code"], defaults={**common, "feeder": parent, "area": area, "ownership": ownership,
                                              "capacity_kva": int(capacity)})
                transformers[obj.code] = obj
            else:
                lv = kind == "customer_lv"
                if lv:
                    transformer = transformers.get(v["parent"])
                    if transformer is None:
                        raise _fail(n, "parent", f"unknown transformer {v['parent']!r} (list it on an earlier line)")
                    feeder = transformer.feeder
                else:
                    transformer, feeder = None, feeders.get(v["parent"])
                    if feeder is None:
                        raise _fail(n, "parent", f"unknown feeder {v['parent']!r} (list it on an earlier line)")
                phone = v.get("contact_phone", "")
                if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
                    raise _fail(n, "contact_phone", "7 to 20 digits")
                email = v.get("contact_email", "")
                if email and ("@" not in email or len(email) > 128):
                    raise _fail(n, "contact_email", "an e-mail address")
                obj, new = Customer.objects.update_or_create(
                    code=v["code"], defaults={**common, "kind": "lv" if lv else "mv", "transformer": transformer,
                                              "feeder": feeder, "area": area,
                                              "contact_name": v.get("contact_name", "")[:64],
                                              "contact_email": email})
                if phone != obj.contact_phone:  # a fresh nonce on every write would churn unchanged rows
                    obj.contact_phone_enc = Customer.encrypt_phone(phone)
                    obj.save(update_fields=["contact_phone_enc"])
            (created if new else updated)[kind] += 1
        if progress:
            progress(total, total)
        result = ImportResult(created={k: c for k, c in created.items() if c},
                              updated={k: c for k, c in updated.items() if c})
        events.record(actor=by, verb="network.imported", subject_type="outages.network", subject_id=path.name[:64],
                      data={"file": path.name, "created": result.created, "updated": result.updated})
    return result


def customer_from_application(application) -> Customer | None:
    """Energised hook: the application's site becomes a customer on the element its chosen
    supply scheme connects to (recorded as a SchemeConnection). No connection, no customer:
    the network import will bring it in with the next export from the utility's GIS."""
    from outages.models import SchemeConnection

    connection = (SchemeConnection.objects.select_related("feeder", "transformer")
                  .filter(scheme__application=application, scheme__chosen=True).first())
    if connection is None or Customer.objects.filter(application=application).exists():
        return None
    transformer = connection.transformer
    feeder = transformer.feeder if transformer else connection.feeder
    customer = Customer.objects.create(
        code=f"A{application.number}"[:32], name=application.applicant_name[:64],
        kind="lv" if transformer else "mv", feeder=feeder, transformer=transformer, county=application.county,
        area=application.area_category, contact_name=application.applicant_name[:64],
        contact_phone_enc=application.contact_phone_enc,  # the same key: the ciphertext moves as it is
        user=application.applicant_user, application=application)
    events.record(actor=None, verb="customer.connected", subject=customer,
                  data={"application": application.number, "feeder": feeder.code,
                        "transformer": transformer.code if transformer else None})
    return customer
