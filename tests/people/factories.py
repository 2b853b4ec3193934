import factory

from core.models import Confidentiality
from people.models import ConsentRecord, NameKind, Person, PersonName
from people.services import person_refresh_search_key


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with an official name row and a current search key, as the save path leaves them."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Testperson Number{n}")
    confidentiality = Confidentiality.INTERNAL

    @factory.post_generation
    def aliases(obj, create, extracted, **kwargs):
        if not create:
            return
        PersonName.objects.create(person=obj, text=obj.full_name, kind=NameKind.OFFICIAL)
        for alias in extracted or ():
            PersonName.objects.create(person=obj, text=alias, kind=NameKind.ALIAS)
        person_refresh_search_key(person=obj)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    person = factory.SubFactory(PersonFactory)
    scope = "partners"
    given_on = factory.Faker("date_between", start_date="-3y", end_date="-1d")
    how_recorded = "signed form"
