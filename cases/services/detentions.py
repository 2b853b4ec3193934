"""Recording and changing detentions: one at a time, or a whole assembly's detainees in one transaction."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Detention
from cases.services._fields import assign
from cases.services.sentences import detention_custody_changed
from core.services import audit_record, record_links_set
from core.versioning import version_check, version_next
from people.models import Person
from people.services import person_create


@transaction.atomic
def detention_record(*, user, person: Person | None = None, new_person_name: str = "", **fields) -> Detention:
    """Record one detention of an existing person or of a new person known only by name.

    Raises django.core.exceptions.ValidationError (a PersonError for a missing name) and writes nothing.
    """
    if person is None:
        person = person_create(user=user, full_name=new_person_name)
    treatment = fields.pop("treatment", ())
    sources = fields.pop("sources", ())
    detention = Detention(person=person, created_by=user if user.is_authenticated else None, **fields)
    detention.full_clean()
    detention.save()
    detention.treatment.set(treatment)
    detention.sources.set(sources)
    audit_record(actor=user, action="kuzet.detention.created", obj=detention)
    return detention


@transaction.atomic
def detention_update(
    *,
    user,
    detention: Detention,
    treatment: Iterable | None = None,
    sources: Iterable | None = None,
    lock_version: int | None = None,
    **fields,
) -> Detention:
    """Change the given fields of a detention; `treatment` and `sources`, when given, replace the links
    (links to sources the user may not see are kept). Applies the model's validation (`full_clean`: a
    release before the detention is refused), as the admin does, and recomputes the sentences of every case
    the detention led to, since its custody may have changed. `lock_version` is the version the editor
    started from (default: the one `detention` was loaded at); a save moves it to the next one.
    Raises EditConflict (core.versioning) when the detention was saved since, ValidationError when a field
    is invalid; nothing is written then."""
    links = {"treatment": treatment, "sources": sources}
    values = {**fields, **{name: rows for name, rows in links.items() if rows is not None}}
    version_check(record=detention, expected=lock_version, values=values, user=user)
    changed = assign(detention, fields)
    detention.full_clean()
    if treatment is not None and set(treatment) != set(detention.treatment.all()):
        detention.treatment.set(treatment)
        changed.append("treatment")
    if sources is not None and record_links_set(record=detention, field="sources", values=sources, user=user):
        changed.append("sources")
    if changed:
        detention.save(
            update_fields=[
                *(n for n in changed if n not in ("treatment", "sources")),
                "updated_at",
                version_next(detention),
            ]
        )
        detention_custody_changed(detention=detention)
        audit_record(actor=user, action="kuzet.detention.updated", obj=detention, data={"fields": changed})
    return detention


class AssemblyRowError(ValidationError):
    """One row of a fast entry is invalid; `index` is its position (0-based) and nothing was written."""

    def __init__(self, error: ValidationError, *, index: int):
        super().__init__(error.messages)
        self.index = index


@transaction.atomic
def assembly_detentions_record(*, user, assembly, rows: list[dict]) -> list[Detention]:
    """Record one detention at `assembly` per row, all or none.

    Each row holds `person` (an existing Person) or `new_person_name` (a person created by that name, with
    its search keys), and Detention fields (`detained_at`, `detained_at_precision`, `held_at`,
    `procedural_status`, `outcome` …); the assembly and its place are set here. Every detention is audited
    by detention_record, the batch as `kuzet.assembly.detentions_recorded`.

    Raises AssemblyRowError (a ValidationError naming the row) and writes nothing when any row is invalid.
    """
    detentions = []
    for index, row in enumerate(rows):
        fields = {"place": assembly.place, **row, "assembly": assembly}
        try:
            detentions.append(detention_record(user=user, **fields))
        except ValidationError as error:
            raise AssemblyRowError(error, index=index) from error
    if detentions:
        audit_record(
            actor=user,
            action="kuzet.assembly.detentions_recorded",
            obj=assembly,
            data={"detentions": [str(d.uid) for d in detentions]},
        )
    return detentions
