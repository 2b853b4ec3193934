"""`import_detentions` and `revert_import` on a realistic 500-row file (tests/exchange/sheets.py): the dry run
names every bad row and writes nothing; the fixed file imports with the right counts; a re-import changes
nothing; an edited file updates exactly the edited rows; a revert restores the state before the import."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Charge, Detention, LegalCase, Sentence
from core.models import AuditEntry
from events.models import Assembly
from exchange.models import ImportBatch, ImportStatus
from people.models import Person, PersonName
from tests.exchange.sheets import as_csv, broken, generate

pytestmark = pytest.mark.django_db


def _state():
    """Everything an import could touch, as comparable values."""
    return {
        "people": sorted(Person.objects.live().values_list("uid", "full_name", "birth_date")),
        "names": PersonName.objects.live().count(),
        "assemblies": sorted(Assembly.objects.live().values_list("uid", "title", "starts_at", "place_id")),
        "detentions": sorted(
            Detention.objects.live().values_list(
                "uid",
                "person_id",
                "assembly_id",
                "detained_at",
                "detained_at_precision",
                "place_id",
                "authority",
                "procedural_status",
                "outcome",
                "notes",
            )
        ),
        "cases": LegalCase.objects.live().count(),
        "charges": Charge.objects.live().count(),
        "sentences": sorted(
            Sentence.objects.live().values_list("uid", "kind", "term_days", "term_years", "amount")
        ),
    }


def _run(tmp_path, data: bytes, *args, name="detentions.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_detentions", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sheet():
    return generate(rows=500, seed=8)


def test_dry_run_of_a_file_with_bad_rows_names_each_and_writes_nothing(tmp_path, monitor, sheet):
    bad = broken(sheet)
    before, audits = _state(), AuditEntry.objects.count()
    path = tmp_path / "detentions.csv"
    path.write_bytes(as_csv(bad))
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_detentions", str(path), "--dry-run", "--user", "monitor", stdout=out)
    assert raised.value.returncode == 1
    assert "14 error(s)" in str(raised.value)
    text = out.getvalue()
    assert "row numbers below are spreadsheet rows; the header is row 1" in text
    errors = [line for line in text.splitlines() if ": " in line and line.startswith("row ") and "'" in line]
    for row, (field, value) in bad.bad.items():
        matching = [line for line in errors if line.startswith(f"row {row}, '{field}'")]
        assert len(matching) == 1, (row, field, errors)
        if value:
            assert f"'{value}'" in matching[0]
    assert f"row {min(bad.bad)}, 'detained_at' (Дата задержания): '31.02.2019' is not a date" in text
    assert "row 40, 'city' (Город): 'Готэм' is not a known place" in text
    assert "row 71, 'full_name' (ФИО): is empty; every row needs it" in text
    assert "Nothing was written" in text
    assert _state() == before
    assert AuditEntry.objects.count() == audits
    assert not ImportBatch.objects.exists()


def test_confirmed_import_with_bad_rows_writes_nothing(tmp_path, monitor, sheet):
    before = _state()
    with pytest.raises(CommandError):
        _run(tmp_path, as_csv(broken(sheet)), "--user", "monitor")
    assert _state() == before
    assert not ImportBatch.objects.exists()


def test_import_reimport_edit_and_revert(tmp_path, monitor, sheet):
    before = _state()
    out = _run(tmp_path, as_csv(sheet), "--user", "monitor")
    assert "0 errors" in out
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.IMPORTED
    assert batch.created_by == monitor
    assert batch.file_name == "detentions.csv"
    assert len(batch.sha256) == 64
    assert batch.counts["people_created"] == sheet.people == Person.objects.count()
    assert batch.counts["assemblies_created"] == sheet.assemblies == Assembly.objects.count()
    assert batch.counts["detentions_created"] == 500 == Detention.objects.count()
    # Latin and Cyrillic spellings of one person in the file are one person.
    assert Detention.objects.values("person").distinct().count() == sheet.people
    with_sentence = sum(1 for row in sheet.rows if row[10])
    assert Sentence.objects.count() == with_sentence
    assert AuditEntry.objects.filter(action="kuzet.import.completed").count() == 1
    imported = _state()
    stamps = dict(Detention.objects.values_list("uid", "updated_at"))

    # The same file again: nothing changes.
    out = _run(tmp_path, as_csv(sheet), "--user", "monitor")
    assert "0 new people" in out and "0 new detentions, 0 updated, 500 unchanged" in out
    assert _state() == imported
    assert dict(Detention.objects.values_list("uid", "updated_at")) == stamps

    # An edited file: three outcomes and one sentence changed; exactly those rows are updated.
    edited = [list(row) for row in sheet.rows]
    edited_rows = [10, 120, 333]
    for index in edited_rows:
        warned = "отпущен с предупреждением"
        edited[index][8] = warned if edited[index][8] != warned else "штраф"
    sentenced = next(i for i, row in enumerate(edited) if row[10] == "7 суток" and i not in edited_rows)
    edited[sentenced][10] = "10 суток"
    edited_sheet = type(sheet)(rows=edited, people=sheet.people, assemblies=sheet.assemblies)
    out = _run(tmp_path, as_csv(edited_sheet), "--user", "monitor")
    assert "0 new detentions, 3 updated, 496 unchanged" in out, out[-400:]
    stamps_now = Detention.objects.values_list("uid", "updated_at")
    changed = {uid for uid, stamp in stamps_now if stamps[uid] != stamp}
    assert len(changed) == 3
    for index in edited_rows:
        assert f"row {index + 2}: updates detention" in out
    assert f"row {sentenced + 2}: updates the sentence (term_days)" in out
    assert Sentence.objects.filter(term_days=10).count() == 1
    assert _state()["detentions"] != imported["detentions"]

    # Reverting the edit restores the imported state; reverting the first import restores the start.
    edit_batch = ImportBatch.objects.latest("id")
    call_command("revert_import", str(edit_batch.pk), "--user", "monitor", stdout=io.StringIO())
    assert _state() == imported
    first = ImportBatch.objects.filter(status=ImportStatus.IMPORTED).earliest("id")
    second_run = ImportBatch.objects.exclude(pk__in=[first.pk, edit_batch.pk]).get()
    assert second_run.changes.count() == 0  # the re-import recorded nothing to undo
    call_command("revert_import", str(first.pk), "--user", "monitor", stdout=io.StringIO())
    assert _state() == before
    first.refresh_from_db()
    assert first.status == ImportStatus.REVERTED and first.reverted_by == monitor
    assert AuditEntry.objects.filter(action="kuzet.import.reverted").count() == 2


def test_revert_refuses_when_a_record_changed_after_the_import(tmp_path, monitor, sheet):
    small = type(sheet)(rows=sheet.rows[:20], people=0, assemblies=0)
    _run(tmp_path, as_csv(small), "--user", "monitor")
    batch = ImportBatch.objects.get()
    detention = Detention.objects.first()
    detention.notes = "edited by hand"
    detention.save()
    with pytest.raises(CommandError, match="changed after the import"):
        call_command("revert_import", str(batch.pk), stdout=io.StringIO())
    assert Detention.objects.live().count() == 20
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED


def test_existing_person_is_matched_by_any_spelling_and_birth_year(tmp_path, monitor):
    from people.services import person_create

    known = person_create(user=monitor, full_name="Zhumabekov Erlan", birth_date=dt.date(1980, 1, 1))
    namesake = person_create(user=monitor, full_name="Жумабеков Ерлан", birth_date=dt.date(1991, 1, 1))
    data = "ФИО;Год рождения;Дата задержания;Город\nЕрлан Жұмабеков;1980;21.02.2019;Алматы\n".encode()
    out = _run(tmp_path, data, "--user", "monitor")
    assert f"is the existing person 'Zhumabekov Erlan' (1980, {known.uid})" in out
    assert known.detentions.count() == 1 and namesake.detentions.count() == 0
    # Without a year, two people fit: the row is an error that names both.
    data = "ФИО;Дата задержания;Город\nЕрлан Жумабеков;22.02.2019;Алматы\n".encode()
    with pytest.raises(CommandError):
        _run(tmp_path, data, "--user", "monitor")


def test_unknown_headers_are_listed_with_the_map_hint_and_map_fixes_them(tmp_path, monitor):
    data = "Фамилия и имя;Когда;Город;Цвет\nАхметов Серик;2019;Алматы;синий\n".encode()
    with pytest.raises(CommandError) as raised:
        _run(tmp_path, data, "--user", "monitor")
    message = str(raised.value)
    assert "'Фамилия и имя', 'Когда', 'Цвет'" in message and '--map "Header=field"' in message
    out = _run(
        tmp_path,
        data,
        "--user",
        "monitor",
        "--map",
        "Фамилия и имя=full_name",
        "--map",
        "Когда=detained_at",
        "--map",
        "Цвет=ignore",
    )
    assert "1 new detentions" in out
    detention = Detention.objects.get()
    assert detention.detained_at_edtf == "2019"


def test_a_rule_of_the_model_is_reported_by_row_and_the_row_writes_nothing(tmp_path, monitor):
    """What only the model's own validation catches (a field too long) is found by the dry run too."""
    long_place = "ИВС " * 100
    data = (
        "ФИО;Дата задержания;Город;Где содержался\n"
        "Ахметов Серик;2019;Алматы;ИВС Алматы\n"
        f"Оспанов Болат;2019;Алматы;{long_place}\n"
    ).encode()
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_detentions", str(path), "--dry-run", "--user", "monitor", stdout=out)
    text = out.getvalue()
    assert "row 3, 'held_at': Ensure this value has at most 300 characters" in text
    assert "row 2: new person 'Ахметов Серик'" in text
    assert "Оспанов" not in text  # the failed row's would-be person is not reported as created
    assert not Person.objects.exists()
