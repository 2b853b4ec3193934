"""Report-side factories. The five shipped definitions are seeded by reports/migrations/0004; use
`definition("un-sr-foaa")` for one of them, or ReportDefinitionFactory for a definition of your own."""

import datetime as dt

import factory

from reports.models import Report, ReportDefinition, ReportSection


def definition(slug: str) -> ReportDefinition:
    return ReportDefinition.objects.get(slug=slug)


class ReportDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDefinition
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-definition-{n}")
    name = factory.Sequence(lambda n: f"Test definition {n}")
    recipient = "un_sr_assembly"
    kind = "periodic"
    cadence = "monthly"


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    definition = factory.SubFactory(ReportDefinitionFactory)
    key = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Section {n}")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    definition = factory.LazyFunction(lambda: definition("un-sr-foaa"))
    period_start = dt.date(2019, 2, 1)
    period_end = dt.date(2019, 2, 28)
    language = "en"
