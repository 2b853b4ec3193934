"""Read queries for people."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from people import names
from people.models import ConsentRecord, Person, PersonName


def person_filter_by_name(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """People whose search key holds every token of `text` under any spelling ("Zhumagulov" finds
    "Жұмағұлов"). A first, exact-token filter; ranking and near matches come with the search issue."""
    keys = names.name_keys(text)
    tokens = [*keys.tokens, *keys.patronymics]
    if not tokens:
        return queryset.none() if text.strip() else queryset
    condition = _all_tokens(tokens)
    if keys.alternative and keys.alternative != keys.primary:
        # A bare Latin j may be й (Jurij, Julia): the alternative reading is a match too.
        condition |= _all_tokens([*keys.alternative.split(), *keys.patronymics])
    return queryset.filter(condition)


def _all_tokens(tokens: list[str]) -> Q:
    condition = Q()
    for token in tokens:
        condition &= Q(search_key__contains=token)
    return condition


def person_list(*, user) -> QuerySet[Person]:
    """The people `user` may see, with what their API representation reads prefetched: live names, consents
    (people.disclosure decides on them without a query per row), groups and home place. A constant number
    of queries per page, whatever its size."""
    return (
        Person.objects.visible_to(user)
        .select_related("home_place")
        .prefetch_related(
            Prefetch("names", queryset=PersonName.objects.live()),
            "consents",
            "groups",
        )
    )


# --- Possible duplicates (issue 5, item 5) ---------------------------------------------------------------

DUPLICATE_SAME_FULL_NAME = 1.0
DUPLICATE_SAME_NAME_KEY = 0.9
DUPLICATE_SAME_CONSONANTS = 0.5
_BIRTH_YEAR_SLACK = 2  # a year of birth is often estimated ("about 40 years old") or mistyped by one
_MAX_CONSONANT_BLOCK = 50  # a larger block is a common name, not a lead: it would bury the real pairs


@dataclass(frozen=True)
class DuplicatePair:
    """Two live people who are probably the same; `first` has the lower id, so a pair is reported once."""

    first: Person
    second: Person
    score: float
    reason: str


def _years_clash(a: int | None, b: int | None) -> bool:
    """Clearly different people: both years known and further apart than an estimate explains."""
    return a is not None and b is not None and abs(a - b) > _BIRTH_YEAR_SLACK


def person_duplicate_candidates(*, user, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of live people visible to `user` that are probably one person, best first, at most `limit`.

    - "same name key" (score 1.0): the skeleton keys of their full names are equal;
    - "same name key of a recorded spelling" (0.9): some name of one has the key of some name of the other
      (PersonName.key: the sorted tokens, so word order does not matter);
    - "same consonant key, birth years compatible" (0.5): the consonant keys of the tokens of their full
      names are equal (NAMES.md 3.2 step 11: a blocking key only, so a human verifies) and both birth years
      are unknown or within two years.
    A pair whose birth years are both known and more than two years apart is never offered. Order is
    deterministic: score, then the first person's name and id, then the second's id.

    Three queries whatever the number of people (the user's roles, if not yet read on this user object, are
    one more): the names sharing a key, grouped in SQL; the key of every visible person's full name (the
    consonant blocks are dict buckets, O(n)); the paired people themselves.
    """
    visible = Person.objects.visible_to(user).values("pk")
    live_names = PersonName.objects.live().filter(person__in=visible).exclude(key="")
    shared_keys = (
        live_names.values("key").annotate(people=Count("person", distinct=True)).filter(people__gt=1)
    )
    by_key: dict[str, set[int]] = defaultdict(set)
    for key, person_id in live_names.filter(key__in=shared_keys.values("key")).values_list(
        "key", "person_id"
    ):
        by_key[key].add(person_id)

    # The full name is always one of the names (people.services keeps it so): its row carries its key.
    full_names = live_names.filter(text=F("person__full_name")).values_list(
        "person_id", "key", "person__birth_date"
    )
    full_key: dict[int, str] = {}
    year: dict[int, int | None] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for person_id, key, birth_date in full_names:
        if person_id in full_key:
            continue
        full_key[person_id] = key
        year[person_id] = birth_date.year if birth_date else None
        blocks[" ".join(sorted(names.consonant_key(token) for token in key.split()))].append(person_id)

    found: dict[tuple[int, int], tuple[float, str]] = {}

    def offer(a: int, b: int, score: float, reason: str) -> None:
        pair = (a, b) if a < b else (b, a)
        if pair not in found or found[pair][0] < score:
            found[pair] = (score, reason)

    for key, people in by_key.items():
        ordered = sorted(people)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if _years_clash(year.get(a), year.get(b)):
                    continue
                if full_key.get(a) == key == full_key.get(b):
                    offer(a, b, DUPLICATE_SAME_FULL_NAME, gettext("same name key"))
                else:
                    offer(a, b, DUPLICATE_SAME_NAME_KEY, gettext("same name key of a recorded spelling"))
    for people in blocks.values():
        if len(people) < 2 or len(people) > _MAX_CONSONANT_BLOCK:
            continue
        ordered = sorted(people)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                ya, yb = year[a], year[b]
                if (ya is None and yb is None) or not (ya is None or yb is None or _years_clash(ya, yb)):
                    offer(
                        a, b, DUPLICATE_SAME_CONSONANTS, gettext("same consonant key, birth years compatible")
                    )

    if not found:
        return []
    people_by_id = Person.objects.select_related("home_place").in_bulk({pk for pair in found for pk in pair})
    pairs = [
        DuplicatePair(people_by_id[a], people_by_id[b], score, reason)
        for (a, b), (score, reason) in found.items()
        if a in people_by_id and b in people_by_id
    ]
    pairs.sort(key=lambda p: (-p.score, p.first.full_name, p.first.pk, p.second.pk))
    return pairs[:limit]


def person_find(*, user, uid) -> Person | None:
    """The person with `uid` if `user` may see them, else None: for forms that name a person by uid and
    answer with a validation error rather than a 404."""
    return Person.objects.visible_to(user).filter(uid=uid).first()


def person_get(*, user, uid) -> Person:
    """One person `user` may see, with live names, consents and groups prefetched; 404 for anyone else (the
    person's existence is not confirmed)."""
    queryset = Person.objects.visible_to(user).prefetch_related(
        Prefetch("names", queryset=PersonName.objects.live()),
        Prefetch("consents", queryset=ConsentRecord.objects.live().order_by("scope", "-given_on")),
        "groups",
    )
    return get_object_or_404(queryset, uid=uid)
