"""`audit verify` as a whole: the hash chain, the anchors kept outside the database, and the
state rows that no event explains. Each part names what it found; the log is sound only
when all three are empty."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Max

from core import anchors, events, verbs
from core.models import Event


@dataclass
class Report:
    chain: events.VerifyResult
    anchor_problems: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.anchor_problems and not self.unexplained

    def as_dict(self) -> dict:
        return {**self.chain.as_dict(), "ok": self.ok, "anchors": self.anchor_problems,
                "unexplained": self.unexplained}


def unexplained_rows(origins: list[verbs.Origin] | None = None) -> list[str]:
    """Rows with fewer explaining events than rows, per subject: one grouped count per side."""
    found = []
    for origin in verbs.ORIGINS if origins is None else origins:
        model = apps.get_model(origin.model)
        if origin.subject == "pk":
            subject_type, column = model._meta.label_lower, "pk"
        else:
            related = model._meta.get_field(origin.subject).related_model
            subject_type, column = related._meta.label_lower, f"{origin.subject}_id"
        rows = dict(model.objects.filter(**{f"{column}__isnull": False}).values_list(column)
                    .annotate(n=Count("pk")).order_by())
        explained = dict(Event.objects.filter(verb=origin.verb, subject_type=subject_type)
                         .values_list("subject_id").annotate(n=Count("pk")).order_by())
        for subject_id, count in sorted(rows.items()):
            have = explained.get(str(subject_id), 0)
            if have >= count:
                continue
            if origin.subject == "pk":
                found.append(f"unexplained state: {subject_type}:{subject_id} has no {origin.verb} event")
            else:
                found.append(f"unexplained state: {count - have} {model._meta.label_lower} row(s) of "
                             f"{subject_type}:{subject_id} without a {origin.verb} event")
    return found


def verify(*, key: str | bytes | None = None, anchor_store=None) -> Report:
    chain = events.verify(key=key)
    table_end = Event.objects.aggregate(end=Max("seq"))["end"] or 0
    return Report(
        chain=chain,
        anchor_problems=anchors.problems(table_end=table_end, source=anchor_store, key=key),
        unexplained=unexplained_rows(),
    )
