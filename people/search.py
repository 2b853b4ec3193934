"""Finding a person under any spelling, best match first: the one ranking the API's `?search=` and the search
page share (NAMES.md §3.6).

Both sides of the comparison are skeleton keys (people.names), so "Zhumagulov" finds "Жұмағұлов" and back.
Each match gets an integer `rank`:

- 2, every name part: each query token equals a whole token of one of the person's names, in any order; a
  surname alone is enough ("Toiken" finds "Сания Тойкен").
- 1, partial: each query token (or its stem: Zhumagulova finds Zhumagulov) occurs inside the person's key —
  a prefix or fragment — or the match needs the alternative reading of a bare Latin j (Jumagulov → Юмагулов).
- 0, near (PostgreSQL only): each query token is trigram-similar to a word of the key (pg_trgm `<%`, word
  similarity at least NEAR_THRESHOLD), for spellings no rule folds: Жунусов / Жүнісов (0.45), typos.

TODO(search page issue): re-rank within a tier by the light key (rapidfuzz JaroWinkler, NAMES.md §3.6 step 5)
and surface the consonant-key "possible variants" tier there; the API orders by tier, then id.
"""

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat

from people import names
from people.models import Person

RANK_EXACT = 2
RANK_PARTIAL = 1
RANK_NEAR = 0
# NAMES.md §3.6: 0.45 keeps Жунусов / Жүнісов and leaves Абишев / Абилов (0.375) out. pg_trgm's default, 0.6,
# would miss most of what the key does not already fold.
NEAR_THRESHOLD = 0.45


class _WordSimilar(Func):
    """`'token' <% search_key`: pg_trgm word similarity above the threshold; it uses the trigram index."""

    arg_joiner = " <%% "  # psycopg reads %% as a literal %
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _whole_tokens(tokens: list[str]) -> Q:
    # The key is space-separated words and " | " between names, so a space on each side marks a whole token.
    condition = Q()
    for token in tokens:
        condition &= Q(_padded_key__contains=f" {token} ")
    return condition


def _inside(tokens: list[str]) -> Q:
    condition = Q()
    for token in tokens:
        stem = names.token_stem(token)
        condition &= Q(search_key__contains=token) | Q(search_key__contains=stem)
    return condition


def _near(tokens: list[str]) -> Q:
    condition = Q()
    for token in tokens:
        condition &= Q(_WordSimilar(Value(token), F("search_key")))
    return condition


def _set_near_threshold() -> None:
    """`<%` reads its threshold from the session (the trigram index can only serve the operator, not a
    comparison of `word_similarity()`). Only this search uses the operator, so setting it for the session
    of a pooled connection changes nothing else."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(NEAR_THRESHOLD)]
        )


def person_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """The people of `queryset` that match `text`, annotated with `rank` (see the module docstring) and
    ordered best first, then by id. Text without any letter matches nobody; so does an empty text.

    It searches names only: pass what the user may search (people.disclosure.disclosed_people for anyone
    outside staff), since a hit by name tells who the person is."""
    keys = names.name_keys(text or "")
    tokens = [*keys.tokens, *keys.patronymics]
    if not tokens:
        return queryset.none().annotate(rank=Value(RANK_EXACT, output_field=IntegerField()))
    alternative = []
    if keys.alternative != keys.primary:
        alternative = [*keys.alternative.split(" "), *keys.patronymics]

    exact = _whole_tokens(tokens)
    partial = _inside(tokens)
    if alternative:
        partial |= _inside(alternative)
    matches = partial
    if connection.vendor == "postgresql":
        _set_near_threshold()
        matches |= _near(tokens)

    ranks = [When(exact, then=Value(RANK_EXACT)), When(partial, then=Value(RANK_PARTIAL))]
    return (
        queryset.annotate(_padded_key=Concat(Value(" "), "search_key", Value(" "), output_field=TextField()))
        .filter(matches)
        .annotate(rank=Case(*ranks, default=Value(RANK_NEAR), output_field=IntegerField()))
        .order_by("-rank", "id")
    )
