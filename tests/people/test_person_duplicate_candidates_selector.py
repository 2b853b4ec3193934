"""people.selectors.person_duplicate_candidates: pairs of people who are probably one, best first."""

import datetime as dt

import pytest

from core import roles
from core.models import Confidentiality
from people.selectors import (
    DUPLICATE_SAME_CONSONANTS,
    DUPLICATE_SAME_FULL_NAME,
    DUPLICATE_SAME_NAME_KEY,
    person_duplicate_candidates,
)
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _pairs(user, **kwargs):
    return [
        ({p.first.full_name, p.second.full_name}, p.score, p.reason)
        for p in person_duplicate_candidates(user=user, **kwargs)
    ]


def _names(user):
    return [{p.first.full_name, p.second.full_name} for p in person_duplicate_candidates(user=user)]


def test_transliteration_variants_pair_up(monitor):
    PersonFactory(full_name="Жумагулов Болат")
    PersonFactory(full_name="Zhumagulov Bolat")
    PersonFactory(full_name="Bolat Jumagulov")
    PersonFactory(full_name="Testov Serik")

    pairs = _pairs(monitor)

    assert len(pairs) == 3
    assert {frozenset(names) for names, _score, _reason in pairs} == {
        frozenset({"Жумагулов Болат", "Zhumagulov Bolat"}),
        frozenset({"Жумагулов Болат", "Bolat Jumagulov"}),
        frozenset({"Zhumagulov Bolat", "Bolat Jumagulov"}),
    }
    assert {(score, reason) for _names, score, reason in pairs} == {
        (DUPLICATE_SAME_FULL_NAME, "same name key")
    }


def test_different_names_never_pair(monitor):
    PersonFactory(full_name="Абишев Ерлан")
    PersonFactory(full_name="Абилов Ерлан")
    PersonFactory(full_name="Усенов Ерлан")
    PersonFactory(full_name="Ускенов Ерлан")

    assert _pairs(monitor) == []


def test_a_recorded_spelling_pairs_with_a_full_name(monitor):
    PersonFactory(full_name="Марат Ахмедьяров")
    PersonFactory(full_name="Марат Ахмедов", aliases=["Marat Akhmedyarov"])

    assert _pairs(monitor) == [
        (
            {"Марат Ахмедьяров", "Марат Ахмедов"},
            DUPLICATE_SAME_NAME_KEY,
            "same name key of a recorded spelling",
        )
    ]


def test_same_consonant_key_pairs_only_with_compatible_birth_years(monitor):
    PersonFactory(full_name="Жунусов Ерлан")
    PersonFactory(full_name="Жүнісов Ерлан")  # other vowels, same consonants: both birth years unknown
    PersonFactory(full_name="Сапаров Нурлан", birth_date=dt.date(1980, 1, 1))
    PersonFactory(full_name="Сапаров Нұрлан", birth_date=dt.date(1982, 1, 1))  # same key
    PersonFactory(full_name="Капаров Даурен", birth_date=dt.date(1980, 1, 1))
    PersonFactory(full_name="Копаров Даурен")  # one year unknown: too weak for a consonant match

    assert _pairs(monitor) == [
        ({"Сапаров Нурлан", "Сапаров Нұрлан"}, DUPLICATE_SAME_FULL_NAME, "same name key"),
        (
            {"Жунусов Ерлан", "Жүнісов Ерлан"},
            DUPLICATE_SAME_CONSONANTS,
            "same consonant key, birth years compatible",
        ),
    ]


def test_incompatible_birth_years_are_never_paired(monitor):
    PersonFactory(full_name="Сейткалиев Нурлан", birth_date=dt.date(1980, 5, 1))
    PersonFactory(full_name="Seitkaliyev Nurlan", birth_date=dt.date(1990, 5, 1))
    PersonFactory(full_name="Ерімбетов Асхат", birth_date=dt.date(1975, 1, 1))
    PersonFactory(full_name="Yerimbetov Askhat", birth_date=dt.date(1978, 1, 1))
    PersonFactory(full_name="Еримбетов Асхат")  # unknown year: the name key alone pairs it

    assert {frozenset(names) for names in _names(monitor)} == {
        frozenset({"Yerimbetov Askhat", "Еримбетов Асхат"}),
        frozenset({"Ерімбетов Асхат", "Еримбетов Асхат"}),
    }


def test_restricted_person_of_another_monitor_is_not_offered(monitor, other_monitor, administrator):
    PersonFactory(full_name="Жумагулов Болат")
    PersonFactory(
        full_name="Zhumagulov Bolat", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )

    assert _pairs(monitor) == []
    assert len(_pairs(other_monitor)) == 1
    assert len(_pairs(administrator)) == 1


def test_deleted_people_and_deleted_names_are_left_out(monitor):
    PersonFactory(full_name="Жумагулов Болат", is_deleted=True)
    PersonFactory(full_name="Zhumagulov Bolat")
    PersonFactory(full_name="Тойкен Сания")
    other = PersonFactory(full_name="Сапарова Асель", aliases=["Saniya Toyken"])
    other.names.filter(text="Saniya Toyken").update(is_deleted=True)

    assert _pairs(monitor) == []


def test_order_is_by_score_then_name_and_limit_cuts(monitor):
    PersonFactory(full_name="Бекова Айгуль")
    PersonFactory(full_name="Bekova Aigul")
    PersonFactory(full_name="Алиев Серик")
    PersonFactory(full_name="Aliev Serik")
    PersonFactory(full_name="Жунусов Ерлан")
    PersonFactory(full_name="Жүнісов Ерлан")

    pairs = person_duplicate_candidates(user=monitor)
    assert [(p.first.full_name, p.score) for p in pairs] == [
        ("Алиев Серик", DUPLICATE_SAME_FULL_NAME),
        ("Бекова Айгуль", DUPLICATE_SAME_FULL_NAME),
        ("Жунусов Ерлан", DUPLICATE_SAME_CONSONANTS),
    ]
    assert all(p.first.pk < p.second.pk for p in pairs)
    assert [p.first.full_name for p in person_duplicate_candidates(user=monitor, limit=2)] == [
        "Алиев Серик",
        "Бекова Айгуль",
    ]


def test_outsider_gets_nothing(outsider):
    PersonFactory(full_name="Жумагулов Болат")
    PersonFactory(full_name="Zhumagulov Bolat")

    assert person_duplicate_candidates(user=outsider) == []


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_does_not_grow_with_people(monitor, django_assert_num_queries, count):
    letters = "bdfglmnprtv"  # no two of these fold together in a skeleton or consonant key
    for n in range(count):
        given = f"Ta{letters[n // 2 % 11]}a{letters[n // 22]}ov"  # one given name per pair
        PersonFactory(full_name=f"{('Zhumagulov', 'Jumagulov')[n % 2]} {given}")
    roles.user_roles(monitor)  # read once per user object, as in a request

    # names sharing a key; the key of every full name; the paired people
    with django_assert_num_queries(3):
        pairs = person_duplicate_candidates(user=monitor)

    assert len(pairs) == count // 2  # each Zhumagulov pairs with its Jumagulov
