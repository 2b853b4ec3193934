"""Rows of every admin model, for the admin page tests: `make_rows(label, n)` creates n rows of a model and
returns the one a test opens, itself with n related rows where its page lists them (a person's history, an
assembly's detainees, a detention's custody periods, a case's charges and sentences)."""

import datetime as dt
import itertools
import uuid

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, User
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AppealTerm, CustodyCredit, Treatment
from core.models import ApiKey, AuditEntry, ReadKind, ReadLogEntry
from events.models import CauseTag, Place, PlaceKind
from people.models import GroupTag
from reports.models import Intervention, Report, ReportDefinition
from tests.cases.factories import (
    AppealFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    HearingFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

_seq = itertools.count(1)


def _site() -> Place:
    """A site inside a city: its name on a page names the city too (the deepest place a monitor records)."""
    number = next(_seq)
    city = PlaceFactory()
    return PlaceFactory(
        code=f"test-site-{number}", name_en=f"Testsquare {number}", kind=PlaceKind.SITE, parent=city
    )


def _treatments() -> list[Treatment]:
    return [
        Treatment.objects.get_or_create(
            code=f"test-treatment-{i}", defaults={"name_en": f"Test treatment {i}"}
        )[0]
        for i in (1, 2)
    ]


def _detention(**kwargs):
    detention = DetentionFactory(place=kwargs.pop("place", None) or _site(), **kwargs)
    detention.treatment.set(_treatments())
    return detention


def _people(n):
    place = _site()
    people = [PersonFactory(home_place=place, aliases=["Testalias Number"]) for _ in range(n)]
    target = people[0]
    target.groups.set([GroupTag.objects.create(code=f"test-group-{next(_seq)}", name_en="Test group")])
    ConsentRecordFactory(person=target)
    assembly = AssemblyFactory(place=place)
    for _ in range(n):
        _detention(person=target, assembly=assembly, place=place)
        legal_case = LegalCaseFactory(person=target)
        ChargeFactory(legal_case=legal_case)
        SentenceFactory(legal_case=legal_case, term_years=2, starts_on=dt.date(2019, 7, 1))
    return target


def _assemblies(n):
    place = _site()
    assemblies = [AssemblyFactory(place=place) for _ in range(n)]
    for assembly in assemblies[1:]:
        _detention(assembly=assembly, place=place)
    for _ in range(n):
        _detention(assembly=assemblies[0], place=place)
    return assemblies[0]


def _detentions(n):
    detentions = [_detention(assembly=AssemblyFactory()) for _ in range(n)]
    for _ in range(n):
        CustodyPeriodFactory(detention=detentions[0], place=PlaceFactory())
    return detentions[0]


def _legal_cases(n):
    cases = [LegalCaseFactory() for _ in range(n)]
    for legal_case in cases[1:]:
        ChargeFactory(legal_case=legal_case)
    target = cases[0]
    target.detentions.set([_detention(person=target.person) for _ in range(n)])
    source = SourceFactory()
    for _ in range(n):
        ChargeFactory(legal_case=target)
        sentence = SentenceFactory(legal_case=target, term_years=1, starts_on=dt.date(2019, 7, 1))
        HearingFactory(legal_case=target).sources.add(source)
        AppealFactory(legal_case=target, sentence=sentence).sources.add(source)
    return target


def _many(factory):
    """n rows, each made by `factory()`; the first is the one a test opens."""

    def make(n):
        rows = [factory() for _ in range(n)]
        return rows[0]

    return make


def _reference(model):
    def make():
        number = next(_seq)
        return model.objects.create(code=f"test-{number}", name_en=f"Test {number}")

    return _many(make)


def _report_definition():
    return ReportDefinition.objects.create(slug=f"test-{next(_seq)}", name="Test report", recipient="un_wgad")


def _report():
    return Report.objects.create(
        definition=_report_definition(), period_start=dt.date(2019, 1, 1), period_end=dt.date(2019, 3, 31)
    )


def _intervention():
    report = _report()
    intervention = Intervention.objects.create(
        report=report, recipient=report.definition.recipient, channel="portal", sent_on=dt.date(2019, 4, 2)
    )
    intervention.people.set([PersonFactory(), PersonFactory()])
    return intervention


def _audit_entry():
    return AuditEntry.objects.create(action="kuzet.test.done", object_type="people.person")


def _read_log_entry():
    user = User.objects.create_user(username=f"testuser{next(_seq)}")
    return ReadLogEntry.objects.create(
        user=user, username=user.username, what=ReadKind.PERSON_PAGE, person_uid=uuid.uuid4()
    )


def _totp_device():
    user = User.objects.create_user(username=f"testuser{next(_seq)}")
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def _static_device():
    user = User.objects.create_user(username=f"testuser{next(_seq)}")
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=f"code{i:04d}") for i in range(10))
    return device


def _access_attempt():
    number = next(_seq)
    return AccessAttempt.objects.create(
        username=f"testuser{number}", ip_address="203.0.113.7", user_agent="Test", failures_since_start=5
    )


def _access_log():
    return AccessLog.objects.create(username=f"testuser{next(_seq)}", ip_address="203.0.113.7")


def _access_failure():
    return AccessFailureLog.objects.create(username=f"testuser{next(_seq)}", ip_address="203.0.113.7")


def _user():
    return User.objects.create_user(username=f"testuser{next(_seq)}")


def _api_key():
    user = User.objects.create_user(username=f"testuser{next(_seq)}")
    return ApiKey.objects.create_key(name=f"Test key {next(_seq)}", user=user)[0]


def _groups(n):
    for _ in range(n):
        Group.objects.create(name=f"Test group {next(_seq)}")
    return Group.objects.get(name="Monitor")


def _only(model, **lookup):
    """Reference rows keyed by a choice: there are as many as there are choices, seeded by migration."""

    def make(n):
        return model.objects.get_or_create(**lookup)[0]

    return make


def _import_batch():
    from exchange.models import ImportBatch, ImportChange

    batch = ImportBatch.objects.create(file_name="list.csv", sha256="0" * 64, status="imported")
    detention = DetentionFactory()
    ImportChange.objects.create(
        batch=batch,
        row=2,
        model="cases.detention",
        object_id=detention.pk,
        object_uid=detention.uid,
        action="created",
    )
    return batch


def _interval():
    return IntervalSchedule.objects.create(every=next(_seq) + 1, period=IntervalSchedule.MINUTES)


def _crontab():
    return CrontabSchedule.objects.create(minute=str(next(_seq) % 60), hour="2")


def _periodic_task():
    return PeriodicTask.objects.create(
        name=f"Test task {next(_seq)}", task="cases.tasks.send_urgent_alerts", interval=_interval()
    )


def _solar():
    return SolarSchedule.objects.create(event="sunrise", latitude=43.2 + next(_seq) / 1000, longitude=76.9)


def _clocked():
    hour = next(_seq) % 24
    return ClockedSchedule.objects.create(clocked_time=dt.datetime(2019, 3, 1, hour, tzinfo=dt.UTC))


MAKERS = {
    "people.person": _people,
    "people.grouptag": _reference(GroupTag),
    "events.place": _many(_site),
    "events.causetag": _reference(CauseTag),
    "events.assembly": _assemblies,
    "events.incident": _many(lambda: IncidentFactory(place=_site(), assembly=AssemblyFactory())),
    "events.source": _many(SourceFactory),
    "cases.detention": _detentions,
    "cases.legalcase": _legal_cases,
    "cases.legalarticle": _many(LegalArticleFactory),
    "cases.treatment": _reference(Treatment),
    "cases.custodycredit": _only(
        CustodyCredit, sentence_kind="imprisonment", defaults={"days_per_custody_day": 1}
    ),
    "cases.appealterm": _only(AppealTerm, case_kind="criminal", defaults={"days": 15}),
    "reports.reportdefinition": _many(_report_definition),
    "reports.report": _many(_report),
    "reports.intervention": _many(_intervention),
    "core.auditentry": _many(_audit_entry),
    "core.readlogentry": _many(_read_log_entry),
    "core.apikey": _many(_api_key),
    "auth.user": _many(_user),
    "otp_totp.totpdevice": _many(_totp_device),
    "otp_static.staticdevice": _many(_static_device),
    "axes.accessattempt": _many(_access_attempt),
    "axes.accesslog": _many(_access_log),
    "axes.accessfailurelog": _many(_access_failure),
    "auth.group": _groups,
    "exchange.importbatch": _many(_import_batch),
    "django_celery_beat.periodictask": _many(_periodic_task),
    "django_celery_beat.intervalschedule": _many(_interval),
    "django_celery_beat.crontabschedule": _many(_crontab),
    "django_celery_beat.solarschedule": _many(_solar),
    "django_celery_beat.clockedschedule": _many(_clocked),
}


def make_rows(label: str, n: int):
    return MAKERS[label](n)
