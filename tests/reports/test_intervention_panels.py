"""What was sent to international bodies shows where monitors and lawyers look: on the person's history and,
while the body has not answered, on the dashboard (reports registers both panels in cases.panels)."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import Confidentiality
from reports.models import BodyResponse, Intervention
from tests.people.factories import PersonFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _sent(*, about, response=BodyResponse.AWAITING, reference="UA KAZ 1/2019"):
    report = ReportFactory(status="sent", version=Intervention.objects.count() + 1)
    intervention = Intervention.objects.create(
        report=report,
        recipient=report.definition.recipient,
        channel="portal",
        sent_on=dt.date(2019, 3, 5),
        reference=reference,
        response=response,
        follow_up_on=dt.date(2019, 6, 5),
    )
    intervention.people.set(about)
    return intervention


def test_the_person_history_lists_what_was_sent_about_the_person(client, lawyer):
    person, other = PersonFactory(), PersonFactory()
    _sent(about=[person], reference="UA KAZ 1/2019")
    _sent(about=[other], reference="UA KAZ 9/2019")
    client.force_login(lawyer)

    page = client.get(reverse("cases:person-detail", args=[person.uid])).content.decode()

    assert "Sent to international bodies" in page
    assert "UA KAZ 1/2019" in page
    assert "UA KAZ 9/2019" not in page


def test_the_dashboard_lists_interventions_awaiting_a_reply_without_people_the_user_may_not_see(
    client, monitor, other_monitor
):
    hidden = PersonFactory(full_name="Testova Hidden", confidentiality=Confidentiality.RESTRICTED)
    hidden.created_by = other_monitor
    hidden.save(update_fields=["created_by"])
    shown = PersonFactory(full_name="Testov Shown")
    _sent(about=[shown, hidden], reference="AL KAZ 2/2019")
    _sent(about=[shown], reference="AL KAZ 3/2019", response=BodyResponse.FAVOURABLE)
    client.force_login(monitor)

    page = client.get(reverse("cases:dashboard")).content.decode()

    assert "Awaiting a reply from a body" in page
    assert "AL KAZ 2/2019" in page and "Testov Shown" in page
    assert "Testova Hidden" not in page
    assert "AL KAZ 3/2019" not in page
