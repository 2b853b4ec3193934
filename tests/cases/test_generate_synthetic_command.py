"""`manage.py generate_synthetic`: deterministic, realistic enough to search and count, and its sentences are
the ones `sentence_recompute` computes."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import Charge, CustodyPeriod, Detention, LegalCase, Sentence
from cases.services import sentence_recompute
from cases.synthetic_names import transliterate
from core.models import Reference
from events.models import Assembly
from people.models import Person, PersonName
from people.selectors import person_filter_by_name

pytestmark = pytest.mark.django_db

# Parents before children; deleted in reverse.
GENERATED = (
    Assembly,
    Assembly.causes.through,
    Person,
    PersonName,
    Person.groups.through,
    Detention,
    Detention.treatment.through,
    CustodyPeriod,
    LegalCase,
    LegalCase.detentions.through,
    Charge,
    Sentence,
)
NOT_CONTENT = {"id", "created_at", "updated_at"}  # outside the determinism contract


def _generate(people: int, seed: int, **options) -> str:
    out = StringIO()
    call_command("generate_synthetic", people=people, seed=seed, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def _content_fields(model) -> list[str]:
    """Every column but the id and the stamps; a foreign key as the uid (records) or code (reference
    rows) it points to, since ids change from run to run."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.name in NOT_CONTENT:
            continue
        if field.is_relation and issubclass(field.related_model, Reference):
            fields.append(f"{field.name}__code")
        elif field.is_relation and any(f.name == "uid" for f in field.related_model._meta.fields):
            fields.append(f"{field.name}__uid")
        else:
            fields.append(field.attname)
    return fields


def _digest() -> str:
    digest = hashlib.sha256()
    for model in GENERATED:
        fields = _content_fields(model)
        rows = sorted(repr([row[f] for f in fields]) for row in model.objects.values(*fields))
        digest.update(f"{model._meta.label}:{len(rows)}\n".encode())
        for row in rows:
            digest.update(row.encode() + b"\n")
    return digest.hexdigest()


def _delete_generated() -> None:
    for model in reversed(GENERATED):
        model.objects.all().delete()


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    output = _generate(40, 7)
    assert output.startswith("assemblies 1, assembly_causes ")
    assert "people 40, " in output and "rows/s" in output
    first = _digest()
    assert Sentence.objects.exists() or Detention.objects.count() > 40

    _delete_generated()
    _generate(40, 7, batch_size=7)  # the batch size changes how rows are sent, not which
    assert _digest() == first

    _delete_generated()
    _generate(40, 8)
    assert _digest() != first


def test_the_same_seed_twice_is_refused_and_writes_nothing():
    _generate(10, 3)
    count = Person.objects.count()
    with pytest.raises(CommandError, match="already in the database"):
        _generate(10, 3)
    assert Person.objects.count() == count


def test_people_are_detained_about_three_times_each():
    _generate(200, 11)
    assert Person.objects.count() == 200
    assert 2 <= Detention.objects.count() / 200 <= 4
    at_assemblies = Detention.objects.filter(assembly__isnull=False).count() / Detention.objects.count()
    assert 0.6 <= at_assemblies <= 0.85  # 80% asked; fewer when 7 assemblies cannot hold everyone's repeats
    for assembly in Assembly.objects.all():
        assert assembly.reported_detainees >= assembly.detentions.count()


def test_every_person_is_found_under_their_latin_name():
    _generate(200, 5)
    for person in Person.objects.prefetch_related("names"):
        latin = [name.text for name in person.names.all() if name.script == "latn"]
        # also the spellings that were not stored: a lawyer types the passport or the English form
        spellings = {*latin, transliterate(person.full_name, "icao"), transliterate(person.full_name, "bgn")}
        for spelling in spellings:
            found = person_filter_by_name(Person.objects.all(), spelling)
            assert found.filter(pk=person.pk).exists(), (person.full_name, spelling, person.search_key)


def test_generated_sentences_are_the_ones_sentence_recompute_computes():
    _generate(400, 2)
    sentences = list(Sentence.objects.select_related("legal_case"))
    assert len(sentences) >= 10
    assert any(sentence.custody_credit_days for sentence in sentences)
    for sentence in sentences:
        generated = (sentence.custody_credit_days, sentence.ends_on, sentence.appeal_deadline)
        sentence_recompute(sentence=sentence)
        recomputed = (sentence.custody_credit_days, sentence.ends_on, sentence.appeal_deadline)
        assert generated == recomputed, (sentence.uid, sentence.kind)
