"""Who a report may name, and text that must not name anyone else.

The rule itself is people.disclosure's (an active consent for the body's scope, `user=None`); this module
only applies it to many people at once without a query per person, remembers whom a report named, and never
names a restricted person (they are counted, at most).
"""

import re

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from core.models import Confidentiality
from people import disclosure
from people.models import ConsentRecord, Person, PersonName

# Words, and words joined by hyphens (a double-barrelled name): "Nomen's" must yield "Nomen".
_WORD = re.compile(r"[^\W\d_]+")
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_MAX_NAME_WORDS = 4
_CHUNK = 400


def with_consents(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """People with their live consents prefetched, so naming them costs no query per person."""
    return queryset.prefetch_related(
        Prefetch("consents", queryset=ConsentRecord.objects.filter(is_deleted=False))
    )


class Namer:
    """The name each person appears under in one report: their name (or initials) with an active consent
    for `scope`, else their stable pseudonym. Everyone named is remembered for `Compiled.named_people`."""

    def __init__(self, scope: str):
        self.scope = scope
        self.named: dict[int, Person] = {}

    def may_name(self, person: Person) -> bool:
        if person.confidentiality == Confidentiality.RESTRICTED:
            return False
        return disclosure.identity_disclosed(person, user=None, scope=self.scope)

    def __call__(self, person: Person) -> str:
        if not self.may_name(person):
            return disclosure.pseudonym(person)
        shown = disclosure.display_name(person, user=None, scope=self.scope)
        if shown != disclosure.pseudonym(person):
            self.named[person.pk] = person
        return shown

    def named_people(self) -> list[Person]:
        return [self.named[pk] for pk in sorted(self.named)]


class Redactor:
    """Replaces, in free text a report quotes (titles, notes, narratives), every known spelling of a person
    the report may not name with that person's pseudonym.

    The text's word sequences (up to four words) are looked up in the names table in one query, so the cost
    follows the length of the text, not the number of people in the database."""

    def __init__(self, namer: Namer):
        self.namer = namer

    def redact_all(self, texts: list[str]) -> list[str]:
        candidates: set[str] = set()
        for text in texts:
            candidates |= _phrases(text or "")
        # Both as written and lower-cased: SQLite's lower() leaves Cyrillic as it is.
        if not candidates:
            return list(texts)
        replacements = self._replacements(candidates)
        if not replacements:
            return list(texts)
        # Longest first, so "Sania Toyken" is replaced before a one-word name inside it could be.
        pattern = re.compile(
            "|".join(
                r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"
                for phrase in sorted(replacements, key=len, reverse=True)
            ),
            re.IGNORECASE,
        )

        def substitute(match: re.Match) -> str:
            return replacements.get(" ".join(match.group(0).lower().split()), "▇▇▇")

        return [pattern.sub(substitute, text or "") for text in texts]

    def redact(self, text: str) -> str:
        return self.redact_all([text])[0]

    def _replacements(self, candidates: set[str]) -> dict[str, str]:
        phrases = sorted(candidates)
        found: dict[str, Person] = {}
        people_ids: dict[int, set[str]] = {}
        # In chunks: a long text has thousands of phrases, more than SQLite takes as parameters at once.
        for i in range(0, len(phrases), _CHUNK):
            chunk = phrases[i : i + _CHUNK]
            names = (
                PersonName.objects.filter(is_deleted=False)
                .annotate(lowered=Lower("text"))
                .filter(Q(text__in=chunk) | Q(lowered__in=chunk))
                .values_list("person_id", "text")
            )
            full = Person.objects.annotate(lowered=Lower("full_name")).filter(
                Q(full_name__in=chunk) | Q(lowered__in=chunk)
            )
            for person_id, text in [*names, *full.values_list("id", "full_name")]:
                people_ids.setdefault(person_id, set()).add(" ".join(text.lower().split()))
        if not people_ids:
            return {}
        people = with_consents(Person.objects.filter(pk__in=people_ids)).only("id", "confidentiality")
        for person in people:
            if not self.namer.may_name(person):
                for phrase in people_ids[person.pk]:
                    found[phrase] = person
        return {phrase: disclosure.pseudonym(person) for phrase, person in found.items()}


def _phrases(text: str) -> set[str]:
    phrases = set()
    for pattern in (_WORD, _HYPHENATED):
        phrases |= _ngrams(pattern.findall(text))
    return phrases


def _ngrams(words: list[str]) -> set[str]:
    phrases = set()
    for size in range(1, _MAX_NAME_WORDS + 1):
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i : i + size])
            phrases.add(phrase)
            phrases.add(phrase.lower())
    return phrases
