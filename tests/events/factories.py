import datetime as dt

import factory

from core.models import Confidentiality
from events.models import Assembly, Incident, Place, PlaceKind, Source


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-city-{n}")
    name_en = factory.Sequence(lambda n: f"Testcity {n}")
    kind = PlaceKind.CITY


class AssemblyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assembly

    title = factory.Sequence(lambda n: f"Test rally {n}")
    starts_at = factory.LazyFunction(lambda: dt.datetime(2019, 2, 27, 11, 0, tzinfo=dt.UTC))
    place = factory.SubFactory(PlaceFactory)
    confidentiality = Confidentiality.INTERNAL


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    kind = "internet_shutdown"
    title = factory.Sequence(lambda n: f"Test shutdown {n}")
    starts_on = dt.date(2019, 2, 16)
    confidentiality = Confidentiality.INTERNAL


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = "media"
    title = factory.Sequence(lambda n: f"Test article {n}")
    url = "https://example.org/article"
    confidentiality = Confidentiality.INTERNAL
