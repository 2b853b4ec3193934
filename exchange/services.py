"""Writes of the exchange app: importing a spreadsheet of detentions (all or nothing), reverting an import as
a whole, and recording exports. Records are written through the owning apps' services (people, events, cases),
so an imported row is validated, audited and fed to partners exactly as one typed in the admin."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.choices import CaseKind, SentenceKind
from cases.models import Charge, Detention, LegalCase, Sentence
from cases.services import detention_record, detention_update, legal_case_create, legal_case_update
from core.dates import DatePrecision
from core.history import Via, history_via
from core.models import ChildRecord
from core.services import audit_record, record_soft_delete
from events.models import Assembly, AssemblyKind
from events.services import assembly_create
from exchange.models import ChangeAction, ImportBatch, ImportChange, ImportStatus
from exchange.planning import MappingError, Plan, RowError, RowPlan, detention_fields, local_day, plan_import
from exchange.reading import SpreadsheetError, read_sheet
from people.models import Person
from people.services import person_create

__all__ = [
    "ImportBatchError",
    "ImportReport",
    "MappingError",
    "SpreadsheetError",
    "detentions_import",
    "import_batch_discard",
    "import_batch_upload",
    "import_revert",
]


class ImportBatchError(ValidationError):
    """An import or a revert that may not run as asked (a batch already imported, a revert over later
    changes); nothing is written."""


@dataclass
class ImportReport:
    """What an import did, or would do (dry run). Row numbers are spreadsheet rows: the header is row 1."""

    file_name: str
    sha256: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    people_created: list[tuple[int, str]] = field(default_factory=list)
    people_matched: list[tuple[int, str, Person]] = field(default_factory=list)
    assemblies_created: list[tuple[int, str]] = field(default_factory=list)
    assemblies_matched: list[tuple[int, Assembly]] = field(default_factory=list)
    detentions_created: list[int] = field(default_factory=list)
    detentions_updated: list[tuple[int, Detention, list[str]]] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    legal_cases: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = True
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "errors": len(self.errors),
            "people_created": len(self.people_created),
            "people_matched": len(self.people_matched),
            "assemblies_created": len(self.assemblies_created),
            "assemblies_matched": len(self.assemblies_matched),
            "detentions_created": len(self.detentions_created),
            "detentions_updated": len(self.detentions_updated),
            "unchanged": len(self.unchanged),
        }

    def lines(self) -> list[str]:
        """The report as a monitor reads it, for the command's output and the admin's page."""
        out = [
            _("%(file)s: %(rows)s data rows (row numbers below are spreadsheet rows; the header is row 1).")
            % {"file": self.file_name, "rows": self.rows}
        ]
        for row, name in self.people_created:
            out.append(_("row %(row)s: new person '%(name)s'") % {"row": row, "name": name})
        for row, name, person in self.people_matched:
            year = person.birth_date.year if person.birth_date else _("birth year unknown")
            out.append(
                _("row %(row)s: '%(name)s' is the existing person '%(match)s' (%(year)s, %(uid)s)")
                % {"row": row, "name": name, "match": person.full_name, "year": year, "uid": person.uid}
            )
        for row, title in self.assemblies_created:
            out.append(_("row %(row)s: new assembly '%(title)s'") % {"row": row, "title": title})
        for row, assembly in self.assemblies_matched:
            out.append(_("row %(row)s: existing assembly '%(title)s'") % {"row": row, "title": assembly})
        for row in self.detentions_created:
            out.append(_("row %(row)s: new detention") % {"row": row})
        for row, detention, fields in self.detentions_updated:
            out.append(
                _("row %(row)s: updates detention %(uid)s (%(fields)s)")
                % {"row": row, "uid": detention.uid, "fields": ", ".join(fields)}
            )
        for row, text in self.legal_cases:
            out.append(_("row %(row)s: %(text)s") % {"row": row, "text": text})
        for row, text in self.notes:
            out.append(_("row %(row)s: note: %(text)s") % {"row": row, "text": text})
        if self.unchanged:
            out.append(
                ngettext(
                    "%(count)s row changes nothing.", "%(count)s rows change nothing.", len(self.unchanged)
                )
                % {"count": len(self.unchanged)}
            )
        out.extend(str(error) for error in self.errors)
        out.append(self.summary())
        return out

    def summary(self) -> str:
        counts = self.counts
        text = (
            _(
                "%(rows)s rows: %(people_created)s new people, %(people_matched)s rows matched existing "
                "people, %(assemblies_created)s new assemblies, %(detentions_created)s new detentions, "
                "%(detentions_updated)s "
                "updated, %(unchanged)s unchanged, %(errors)s errors."
            )
            % counts
        )
        if self.errors:
            return text + " " + _("Nothing was written: correct the rows listed and import again.")
        if self.dry_run:
            return text + " " + _("Dry run: nothing was written.")
        return text + " " + _("Imported as batch %(id)s.") % {"id": self.batch.pk}


class _Rollback(Exception):
    pass


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _snapshot(record, names) -> dict:
    """The current values of `names` as JSON (a foreign key as its primary key)."""
    previous = {}
    for name in names:
        model_field = record._meta.get_field(name)
        previous[model_field.attname] = (
            getattr(record, model_field.attname)
            if model_field.is_relation
            else model_field.value_to_string(record)
        )
    return previous


def _restore_values(model, previous: dict) -> dict:
    values = {}
    for attname, text in previous.items():
        model_field = next(f for f in model._meta.concrete_fields if f.attname == attname)
        if model_field.is_relation:
            values[model_field.name] = (
                model_field.related_model.objects.get(pk=text) if text is not None else None
            )
        else:
            values[model_field.name] = model_field.to_python(text) if text is not None else None
    return values


class _Writer:
    """Writes one plan row by row, each in a savepoint, remembering what it created for the batch."""

    def __init__(self, *, user, report: ImportReport, batch: ImportBatch | None):
        self.user, self.report, self.batch = user, report, batch
        self.people: dict[tuple, Person] = {}
        self.assemblies: dict[tuple, Assembly] = {}
        self.changes: list[ImportChange] = []

    def _log(self, plan: RowPlan, record, action: str, previous: dict | None = None, row_key: str = ""):
        self.changes.append(
            ImportChange(
                batch=self.batch,
                row=plan.row,
                row_key=row_key,
                model=record._meta.label_lower,
                object_id=record.pk,
                object_uid=getattr(record, "uid", None),
                action=action,
                previous=previous or {},
            )
        )

    def write(self, plan: RowPlan) -> None:
        row_people, row_assemblies, mark = {}, {}, len(self.changes)
        lists = [value for value in vars(self.report).values() if isinstance(value, list)]
        lengths = [len(value) for value in lists]
        try:
            with transaction.atomic():
                self._write(plan, row_people, row_assemblies)
        except ValidationError as exc:
            del self.changes[mark:]
            for value, length in zip(lists, lengths, strict=True):  # the row's lines go with its writes
                del value[length:]
            for name, messages in _error_items(exc):
                self.report.errors.append(RowError(plan.row, name, "", "; ".join(messages)))
            return
        self.people.update(row_people)
        self.assemblies.update(row_assemblies)

    def _write(self, plan: RowPlan, row_people: dict, row_assemblies: dict) -> None:
        report = self.report
        person = plan.person
        confidentiality = {"confidentiality": plan.confidentiality} if plan.confidentiality else {}
        if person is None:
            person = self.people.get(plan.new_person) or row_people.get(plan.new_person)
            if person is None:
                birth = {}
                if plan.birth:
                    precision = plan.birth.precision
                    birth = {
                        "birth_date": plan.birth.value.date(),
                        "birth_date_precision": DatePrecision.DAY
                        if precision == DatePrecision.TIME
                        else precision,
                        "birth_date_certainty": plan.birth.certainty,
                    }
                person = person_create(user=self.user, full_name=plan.full_name, **birth, **confidentiality)
                row_people[plan.new_person] = person
                self._log(plan, person, ChangeAction.CREATED)
                report.people_created.append((plan.row, plan.full_name))
        else:
            report.people_matched.append((plan.row, plan.full_name, person))
        assembly = plan.assembly
        if plan.assembly_title and assembly is None:
            assembly = self.assemblies.get(plan.new_assembly) or row_assemblies.get(plan.new_assembly)
            if assembly is None:
                precision = plan.detained.precision
                assembly = assembly_create(
                    user=self.user,
                    title=plan.assembly_title,
                    kind=AssemblyKind.RALLY,
                    place=plan.place,
                    starts_at=timezone.make_aware(
                        dt.datetime.combine(local_day(plan.detained.value), dt.time.min)
                    )
                    if precision == DatePrecision.TIME
                    else plan.detained.value,
                    starts_at_precision=DatePrecision.DAY if precision == DatePrecision.TIME else precision,
                    **confidentiality,
                )
                row_assemblies[plan.new_assembly] = assembly
                self._log(plan, assembly, ChangeAction.CREATED)
                report.assemblies_created.append((plan.row, plan.assembly_title))
        elif assembly is not None:
            report.assemblies_matched.append((plan.row, assembly))

        detention, changes = plan.detention, {}
        if detention is None:
            fields = detention_fields(plan)
            detention = detention_record(user=self.user, person=person, assembly=assembly, **fields)
            self._log(plan, detention, ChangeAction.CREATED, row_key=plan.key)
            report.detentions_created.append(plan.row)
        else:
            changes = dict(plan.changes)
            if assembly is not None and detention.assembly_id != assembly.pk:
                changes["assembly"] = assembly
            if changes:
                previous = _snapshot(detention, changes)
                detention_update(user=self.user, detention=detention, **changes)
                self._log(plan, detention, ChangeAction.UPDATED, previous, row_key=plan.key)
                report.detentions_updated.append((plan.row, detention, sorted(changes)))
        legal_changed = False
        if plan.article or plan.sentence:
            legal_changed = self._legal_case(plan, person, detention)
        if plan.detention is not None and not changes and not legal_changed:
            report.unchanged.append(plan.row)
        report.notes.extend((plan.row, note) for note in plan.notes)

    def _legal_case(self, plan: RowPlan, person: Person, detention: Detention) -> bool:
        """The case the row's article and sentence belong to: the live case the detention grew from, or a new
        one (administrative for the AOC and for arrests and fines, else criminal). Returns whether it
        changed."""
        legal_case = None
        if plan.detention is not None:  # a detention this row created has no case yet
            legal_case = LegalCase.objects.live().filter(detentions=detention).order_by("id").first()
        sentence_row = None
        if plan.sentence:
            term = plan.sentence
            day = local_day(plan.detained.value)
            sentence_row = {
                "kind": term.kind,
                "term_years": term.years,
                "term_months": term.months,
                "term_days": term.days,
                "amount": term.amount,
                "currency": term.currency or "KZT",
                # A spreadsheet gives the penalty, not the day of the decision: the day of detention stands
                # for it, at no finer precision than the date of detention.
                "decided_on": day,
                "decided_on_precision": DatePrecision.DAY
                if plan.detained.precision == DatePrecision.TIME
                else plan.detained.precision,
            }
        if legal_case is None:
            administrative = (plan.article and plan.article.law == "AOC") or (
                not plan.article
                and plan.sentence.kind in (SentenceKind.ADMINISTRATIVE_ARREST, SentenceKind.FINE)
            )
            legal_case = legal_case_create(
                user=self.user,
                person=person,
                kind=CaseKind.ADMINISTRATIVE if administrative else CaseKind.CRIMINAL,
                charges=[{"article": plan.article}] if plan.article else [],
                sentences=[sentence_row] if sentence_row else [],
                detentions=[detention],
                **({"confidentiality": plan.confidentiality} if plan.confidentiality else {}),
            )
            self._log(plan, legal_case, ChangeAction.CREATED)
            self.report.legal_cases.append((plan.row, _("new legal case")))
            return True
        charges = list(legal_case.charges.live())
        sentences = list(legal_case.sentences.live())
        changed = False
        if plan.article and not any(c.article_id == plan.article.pk for c in charges):
            legal_case_update(
                user=self.user,
                legal_case=legal_case,
                charges=[*({"uid": c.uid} for c in charges), {"article": plan.article}],
            )
            charge = legal_case.charges.live().filter(article=plan.article).order_by("-id").first()
            self._log(plan, charge, ChangeAction.CREATED)
            self.report.legal_cases.append(
                (plan.row, _("adds the charge %(article)s") % {"article": plan.article.citation})
            )
            changed = True
        if sentence_row:
            same_kind = next((s for s in sentences if s.kind == sentence_row["kind"]), None)
            if same_kind is None:
                legal_case_update(
                    user=self.user,
                    legal_case=legal_case,
                    sentences=[*({"uid": s.uid} for s in sentences), sentence_row],
                )
                sentence = legal_case.sentences.live().order_by("-id").first()
                self._log(plan, sentence, ChangeAction.CREATED)
                self.report.legal_cases.append((plan.row, _("adds a sentence")))
                changed = True
            else:
                wanted = {k: sentence_row[k] for k in ("term_years", "term_months", "term_days", "amount")}
                if sentence_row["amount"] is not None:
                    wanted["currency"] = sentence_row["currency"]
                differs = [k for k, v in wanted.items() if getattr(same_kind, k) != v]
                if differs:
                    previous = _snapshot(same_kind, differs)
                    legal_case_update(
                        user=self.user,
                        legal_case=legal_case,
                        sentences=[
                            {
                                "uid": s.uid,
                                **({k: wanted[k] for k in differs} if s.pk == same_kind.pk else {}),
                            }
                            for s in sentences
                        ],
                    )
                    self._log(plan, same_kind, ChangeAction.UPDATED, previous)
                    self.report.legal_cases.append(
                        (plan.row, _("updates the sentence (%(fields)s)") % {"fields": ", ".join(differs)})
                    )
                    changed = True
        return changed


def _error_items(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return [
            (name, [str(m) for m in ValidationError(errors).messages])
            for name, errors in exc.error_dict.items()
        ]
    return [("", exc.messages)]


@history_via(Via.IMPORT)
def detentions_import(
    *,
    user,
    data: bytes,
    file_name: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = True,
    batch: ImportBatch | None = None,
) -> ImportReport:
    """Import a CSV or XLSX of detentions, one row per detainee per event (see exchange.planning for how rows
    are matched). A dry run writes every row and rolls all of it back, so it reports exactly what the import
    would do, errors of the model's own validation included. A confirmed import runs in one transaction:
    with any error nothing is written; without, it is recorded as an ImportBatch (file name, SHA-256, who,
    when, counts, and every record it created or updated with its previous values) and audited as
    `kuzet.import.completed`.

    Raises SpreadsheetError when the file cannot be read and MappingError for unknown headers; row errors are
    in the report (`report.errors`), never raised.
    """
    sha256 = file_sha256(data)
    sheet = read_sheet(data=data, file_name=file_name)
    report = ImportReport(file_name=file_name, sha256=sha256, rows=len(sheet.rows), dry_run=dry_run)
    plan = plan_import(user=user, sheet=sheet, mapping=mapping or {})
    report.errors = list(plan.errors)
    if report.errors and not dry_run:
        return report
    existed = batch is not None
    try:
        with transaction.atomic():
            if batch is None:
                batch = ImportBatch(file_name=file_name[:255], sha256=sha256, created_by=_actor(user))
            batch.mapping = mapping or {}
            batch.save()
            _write_plan(user=user, plan=plan, report=report, batch=batch)
            if dry_run or report.errors:
                raise _Rollback
    except _Rollback:
        report.errors.sort(key=lambda e: e.row)
        report.batch = None
        if existed:
            batch.refresh_from_db()  # the rolled-back writes must not linger on the object either
        return report
    return report


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _write_plan(*, user, plan: Plan, report: ImportReport, batch: ImportBatch) -> None:
    writer = _Writer(user=user, report=report, batch=batch)
    for row in plan.rows:
        writer.write(row)
    ImportChange.objects.bulk_create(writer.changes, batch_size=1000)
    batch.status = ImportStatus.IMPORTED
    batch.imported_at = timezone.now()
    batch.content = b""
    batch.counts = report.counts
    batch.save()
    report.batch = batch
    audit_record(
        actor=user,
        action="kuzet.import.completed",
        data={"batch": batch.pk, "file": batch.file_name, "sha256": batch.sha256, "counts": batch.counts},
    )


@transaction.atomic
def import_batch_upload(*, user, data: bytes, file_name: str) -> ImportBatch:
    """Keep an uploaded file as a pending batch between the admin's steps. Raises SpreadsheetError (nothing
    kept) when it cannot be read."""
    read_sheet(data=data, file_name=file_name)
    return ImportBatch.objects.create(
        file_name=file_name[:255], sha256=file_sha256(data), content=data, created_by=_actor(user)
    )


@transaction.atomic
def import_batch_discard(*, user, batch: ImportBatch) -> ImportBatch:
    """Drop a pending upload (its bytes go; the row stays as discarded)."""
    if batch.status != ImportStatus.PENDING:
        raise ImportBatchError(_("Only a pending upload can be discarded."))
    batch.status, batch.content = ImportStatus.DISCARDED, b""
    batch.save(update_fields=["status", "content"])
    return batch


def _later_changes(batch: ImportBatch, changes: list[ImportChange]) -> list[str]:
    """Records of the batch changed after it, and records made since that hang on what it created."""
    problems = []
    models_ = {
        "people.person": Person,
        "events.assembly": Assembly,
        "cases.detention": Detention,
        "cases.legalcase": LegalCase,
        "cases.charge": Charge,
        "cases.sentence": Sentence,
    }
    ids = {label: {c.object_id for c in changes if c.model == label} for label in models_}
    # Later imports that were reverted have put their records back: their revert is not a change to report.
    since = max(
        [batch.imported_at]
        + [
            b.reverted_at
            for b in ImportBatch.objects.filter(pk__gt=batch.pk, status=ImportStatus.REVERTED)
            if b.reverted_at
        ]
    )
    for label, model in models_.items():
        touched = model.objects.filter(pk__in=ids[label], updated_at__gt=since)
        problems += [f"{model._meta.verbose_name} {uid}" for uid in touched.values_list("uid", flat=True)]
    created = {c.model: set() for c in changes}
    for c in changes:
        if c.action == ChangeAction.CREATED:
            created[c.model].add(c.object_id)
    others = Detention.objects.live().exclude(pk__in=ids["cases.detention"]).filter(
        person_id__in=created.get("people.person", set())
    ) | Detention.objects.live().exclude(pk__in=ids["cases.detention"]).filter(
        assembly_id__in=created.get("events.assembly", set())
    )
    problems += [
        _("detention %(uid)s (entered since)") % {"uid": uid} for uid in others.values_list("uid", flat=True)
    ]
    cases = (
        LegalCase.objects.live()
        .exclude(pk__in=ids["cases.legalcase"])
        .filter(person_id__in=created.get("people.person", set()))
    )
    problems += [
        _("legal case %(uid)s (entered since)") % {"uid": uid} for uid in cases.values_list("uid", flat=True)
    ]
    return problems


@history_via(Via.IMPORT)
@transaction.atomic
def import_revert(*, user, batch: ImportBatch) -> ImportBatch:
    """Undo an import as a whole: the records it created are soft-deleted (restorable by an administrator,
    like any deletion), the records it updated get their previous values back through their services.

    Raises ImportBatchError and writes nothing when the batch is not an imported one, or when any of its
    records
    changed after it (a later import or an edit) or something entered since hangs on a record it created:
    revert that first, or change it by hand."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.IMPORTED:
        raise ImportBatchError(
            _("Only an imported batch can be reverted (this one is %(status)s).")
            % {"status": batch.get_status_display()}
        )
    changes = list(batch.changes.order_by("-id"))
    problems = _later_changes(batch, changes)
    if problems:
        raise ImportBatchError(
            _("Not reverted: these records changed after the import or depend on it: %(records)s.")
            % {"records": ", ".join(problems[:20]) + (" …" if len(problems) > 20 else "")}
        )
    for change in changes:
        model = _model(change.model)
        record = model.objects.get(pk=change.object_id)
        if change.action == ChangeAction.CREATED:
            _children_soft_delete(record=record, user=user)
            record_soft_delete(record=record, user=user)
        elif isinstance(record, Detention):
            detention_update(user=user, detention=record, **_restore_values(Detention, change.previous))
        elif isinstance(record, Sentence):
            values = _restore_values(Sentence, change.previous)
            siblings = record.legal_case.sentences.live()
            legal_case_update(
                user=user,
                legal_case=record.legal_case,
                sentences=[{"uid": s.uid, **(values if s.pk == record.pk else {})} for s in siblings],
            )
    batch.status = ImportStatus.REVERTED
    batch.reverted_at = timezone.now()
    batch.reverted_by = _actor(user)
    batch.save(update_fields=["status", "reverted_at", "reverted_by"])
    audit_record(
        actor=user,
        action="kuzet.import.reverted",
        data={"batch": batch.pk, "file": batch.file_name, "records": len(changes)},
    )
    return batch


def _children_soft_delete(*, record, user) -> None:
    """The rows that belong to a record the import created (a new person's names, a new case's charges and
    sentences) go with it, so the live rows are exactly those before the import."""
    for relation in record._meta.related_objects:
        child = relation.related_model
        if issubclass(child, ChildRecord) and child.parent_field == relation.field.name:
            for row in child.objects.live().filter(**{relation.field.name: record}):
                record_soft_delete(record=row, user=user)


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)
