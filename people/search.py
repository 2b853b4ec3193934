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

Within a tier the closer spelling comes first (NAMES.md §3.6 step 5): the skeleton deliberately merges
Валиев and Валеев, Мамыров and Мамиров, so among the people of one tier those whose names' light keys
(people.names: romanised, nothing folded) are nearer the query's light key rank higher — `closeness`, an
integer 0-1000. It is computed in Python for the best RERANK_LIMIT matches, with one query for their names,
and handed back to the database as a CASE, so the result stays a queryset that pages like any other. The
API asks for `closer_first=False`: its cursor keys on (tier, id) and would not use the order. A near match
is for a human to verify: the pages mark it "possible — verify".

Not done: NAMES.md's consonant-key "possible variants" tier (§3.6 step 4); the trigram tier already finds
its examples (Жунусов / Жүнісов), and a consonant key alone pairs too many unrelated names.
"""

from collections.abc import Iterable
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat

from people import names
from people.models import Person

RANK_EXACT = 2
RANK_PARTIAL = 1
RANK_NEAR = 0
# NAMES.md §3.6: 0.45 keeps Жунусов / Жүнісов and leaves Абишев / Абилов (0.375) out. pg_trgm's default, 0.6,
# would miss most of what the key does not already fold.
NEAR_THRESHOLD = 0.45
# How many of the best matches are re-ranked by spelling; below them a tier keeps its id order. A page of
# suggestions or of search results rarely reaches past the first tier's first hundred.
RERANK_LIMIT = 200
# Name rows read for those people (a person with dozens of aliases must not starve the rest of the list).
RERANK_NAME_ROWS = 1000
CLOSENESS_MAX = 1000


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


def spelling_closeness(query_light: str, texts: Iterable[str]) -> int:
    """How close the nearest of `texts` (one person's names) is to the query, spelled out: for each word of
    the query's light key, its best difflib ratio against the words of a name's light key, averaged over the
    query's words; the best name counts. 0-1000; CLOSENESS_MAX when every query word is spelled as in one
    of the names (word order and extra words do not count against it)."""
    matchers = []
    for word in query_light.split():
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(word)  # difflib caches what it learns about the second sequence: the query word
        matchers.append((word, matcher))
    best = 0.0
    for text in texts:
        words = names.light_key(text).split()
        if not words or not matchers:
            continue
        total = 0.0
        for word, matcher in matchers:
            if word in words:
                total += 1.0
                continue
            best_word = 0.0
            for other in words:
                matcher.set_seq1(other)
                best_word = max(best_word, matcher.ratio())
            total += best_word
        best = max(best, total / len(matchers))
    return round(best * CLOSENESS_MAX)


def _closeness(ranked: QuerySet[Person], query_light: str) -> Case | Value:
    """`closeness` of the best RERANK_LIMIT people of `ranked` as a CASE on their ids (one query: their
    live names, and the full name as entered); everyone further down gets 0."""
    top = Person.objects.filter(pk__in=ranked.values("pk")[:RERANK_LIMIT])
    texts: dict[int, set[str]] = {}
    rows = (
        top.alias(live_names=FilteredRelation("names", condition=Q(names__is_deleted=False)))
        .order_by("pk")
        .values_list("pk", "full_name", "live_names__text")[:RERANK_NAME_ROWS]
    )
    for pk, full_name, text in rows:
        texts.setdefault(pk, {full_name}).add(text or full_name)
    whens = [
        When(pk=pk, then=Value(score))
        for pk, person_texts in texts.items()
        if (score := spelling_closeness(query_light, sorted(person_texts)))
    ]
    if not whens:
        return Value(0, output_field=IntegerField())
    return Case(*whens, default=Value(0), output_field=IntegerField())


def person_search(queryset: QuerySet[Person], text: str, *, closer_first: bool = True) -> QuerySet[Person]:
    """The people of `queryset` that match `text`, annotated with `rank` (see the module docstring) and
    ordered best tier first; within a tier by `closeness` (the spelling nearest the query first; runs one
    query now, see the module docstring), then by id. With `closer_first=False` there is no `closeness`
    and a tier is in id order. Text without any letter matches nobody; so does an empty text.

    It searches names only: pass what the user may search (people.disclosure.disclosed_people for anyone
    outside staff), since a hit by name tells who the person is."""
    keys = names.name_keys(text or "")
    tokens = [*keys.tokens, *keys.patronymics]
    if not tokens:
        nobody = queryset.none().annotate(rank=Value(RANK_EXACT, output_field=IntegerField()))
        return nobody.annotate(closeness=Value(0, output_field=IntegerField())) if closer_first else nobody
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
    ranked = (
        queryset.annotate(_padded_key=Concat(Value(" "), "search_key", Value(" "), output_field=TextField()))
        .filter(matches)
        .annotate(rank=Case(*ranks, default=Value(RANK_NEAR), output_field=IntegerField()))
        .order_by("-rank", "id")
    )
    if not closer_first:
        return ranked
    return ranked.annotate(closeness=_closeness(ranked, keys.light)).order_by("-rank", "-closeness", "id")
