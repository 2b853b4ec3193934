import datetime as dt

import factory

from cases.models import Appeal, Charge, CustodyPeriod, Detention, Hearing, LegalArticle, LegalCase, Sentence
from core.models import Confidentiality
from tests.people.factories import PersonFactory


class LegalArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalArticle
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cc-9{n}")
    law = "CC"
    number = factory.Sequence(lambda n: f"9{n}")
    name_en = "Test article"


class DetentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Detention

    person = factory.SubFactory(PersonFactory)
    detained_at = factory.LazyFunction(lambda: dt.datetime(2019, 2, 27, 12, 0, tzinfo=dt.UTC))
    confidentiality = Confidentiality.INTERNAL


class CustodyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyPeriod

    detention = factory.SubFactory(DetentionFactory)
    kind = "ivs"
    started_on = dt.date(2019, 2, 27)
    ended_on = dt.date(2019, 3, 1)


class LegalCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalCase

    person = factory.SubFactory(PersonFactory)
    kind = "criminal"
    confidentiality = Confidentiality.INTERNAL


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charge

    legal_case = factory.SubFactory(LegalCaseFactory)
    article = factory.SubFactory(LegalArticleFactory)


class SentenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sentence

    legal_case = factory.SubFactory(LegalCaseFactory)
    decided_on = dt.date(2019, 6, 1)
    kind = "imprisonment"


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    legal_case = factory.SubFactory(LegalCaseFactory)
    held_at = factory.LazyFunction(lambda: dt.datetime(2019, 5, 20, 10, 0, tzinfo=dt.UTC))
    kind = "trial"


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal

    legal_case = factory.SubFactory(LegalCaseFactory)
    filed_on = dt.date(2019, 6, 10)
