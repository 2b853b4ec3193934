"""Read queries for people."""

from django.db.models import Q, QuerySet

from people import names
from people.models import Person


def person_filter_by_name(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """People whose search key holds every token of `text` under any spelling ("Zhumagulov" finds
    "Жұмағұлов"). A first, exact-token filter; ranking and near matches come with the search issue."""
    keys = names.name_keys(text)
    tokens = [*keys.tokens, *keys.patronymics]
    if not tokens:
        return queryset.none() if text.strip() else queryset
    condition = Q()
    for token in tokens:
        condition &= Q(search_key__contains=token)
    return queryset.filter(condition)
