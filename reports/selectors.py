"""Read queries of the reports app, each with the user's visibility built in.

A report is seen by staff with `reports.view_report` (monitors, lawyers, analysts, administrators); an
individual communication only by those who may also see the person it is about. Interventions follow their
report. Pages of the cases app (the person history, the dashboard) call the intervention selectors here and
render the partials `reports/_person_interventions.html` and `reports/_dashboard_interventions.html`.
"""

import datetime as dt

from django.db.models import BooleanField, Case, F, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from core import roles
from people.models import Person
from reports.models import BodyResponse, Intervention, Report, ReportDefinition

PERM_VIEW = "reports.view_report"


def may_view_reports(user) -> bool:
    return roles.is_case_staff(user) and user.has_perm(PERM_VIEW)


def _visible_reports(user) -> QuerySet[Report]:
    if not may_view_reports(user):
        return Report.objects.none()
    return Report.objects.filter(Q(person__isnull=True) | Q(person__in=Person.objects.visible_to(user)))


def report_list(
    *, user, definition: ReportDefinition | None = None, status: str | None = None
) -> QuerySet[Report]:
    """The reports `user` may see, newest period first, optionally of one definition and in one status, with
    their definition and person loaded (one query for the page)."""
    reports = _visible_reports(user).select_related("definition", "person")
    if definition is not None:
        reports = reports.filter(definition=definition)
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-period_end", "definition__name", "-version", "-pk")


def report_get(*, user, uid) -> Report:
    """One report `user` may see, with its definition, person and who approved and sent it; 404 for anyone
    else (its existence is not confirmed)."""
    queryset = _visible_reports(user).select_related("definition", "person", "approved_by", "sent_by")
    return get_object_or_404(queryset, uid=uid)


def report_versions(*, user, report: Report) -> QuerySet[Report]:
    """Every version of the same report (definition, period and person) that `user` may see, newest first."""
    return (
        _visible_reports(user)
        .filter(
            definition_id=report.definition_id,
            person_id=report.person_id,
            period_start=report.period_start,
            period_end=report.period_end,
        )
        .order_by("-version")
    )


def report_interventions(*, report: Report) -> QuerySet[Intervention]:
    """What was sent with `report` (call after `report_get`, which checked the user may see it)."""
    return report.interventions.select_related("created_by").order_by("-sent_on", "-pk")


def definition_list(*, user) -> QuerySet[ReportDefinition]:
    """The active definitions, for the queue form and the list's filter."""
    if not may_view_reports(user):
        return ReportDefinition.objects.none()
    return ReportDefinition.objects.filter(is_active=True).order_by("name")


def _visible_interventions(user) -> QuerySet[Intervention]:
    return Intervention.objects.filter(report__in=_visible_reports(user))


def interventions_for_person(*, user, person: Person) -> QuerySet[Intervention]:
    """What was sent to which body about `person` (a person the caller already checked `user` may see), and
    what it answered, newest first, with each report and definition loaded: one query."""
    return (
        _visible_interventions(user)
        .filter(people=person)
        .select_related("report__definition")
        .order_by("-sent_on", "-pk")
    )


def interventions_awaiting_reply(*, user, today: dt.date) -> QuerySet[Intervention]:
    """Interventions still awaiting the body's reply, the follow-ups due soonest first (those without a date
    last), each with its report, definition and the people it is about (two queries); `is_due` says the
    follow-up date is on or before `today`."""
    return (
        _visible_interventions(user)
        .filter(response=BodyResponse.AWAITING)
        .select_related("report__definition")
        .prefetch_related(Prefetch("people", queryset=Person.objects.visible_to(user).order_by("full_name")))
        .annotate(
            is_due=Case(
                When(follow_up_on__lte=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(F("follow_up_on").asc(nulls_last=True), "sent_on", "pk")
    )
