"""Read queries for people."""

from django.db.models import Prefetch, Q, QuerySet

from people import names
from people.models import Person, PersonName


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
