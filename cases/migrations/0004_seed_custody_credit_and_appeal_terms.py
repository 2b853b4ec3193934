"""Seed the custody credit rate per sentence kind (CustodyCredit) and the days to appeal per case kind
(AppealTerm), each with the provision it comes from."""

from decimal import Decimal

from django.db import migrations

# (sentence_kind, sentence days per day in custody, legal_basis)
CUSTODY_CREDITS = (
    ("imprisonment", "1.00", "CC art. 62: one day of custody counts as one day of imprisonment."),
    ("restriction_of_liberty", "2.00", "CC art. 62: one day of custody counts as two days of restriction of liberty."),
    ("administrative_arrest", "1.00", "AOC: the time of administrative detention is counted into the term of administrative arrest."),
    ("community_work", "1.00", "CC art. 62: one day of custody counts as eight hours of community work; 1.00 stands in for that, check the hours."),
    ("probation", "0.00", "No day rate: a suspended sentence is not served, so no custody is credited against it."),
    ("fine", "0.00", "No day rate: a fine has no term; the court may take custody into account by reducing the fine."),
    ("ban_on_activity", "0.00", "No day rate: the court may take custody into account by reducing the ban."),
)

# (case_kind, days, legal_basis)
APPEAL_TERMS = (
    ("criminal", 15, "Criminal Procedure Code art. 416: 15 days from the announcement of the verdict (for a detained convict, from receipt of its copy)."),
    ("administrative", 10, "AOC art. 826: 10 days from receipt of a copy of the decision."),
)


def seed_terms(apps, schema_editor):
    CustodyCredit = apps.get_model("cases", "CustodyCredit")
    AppealTerm = apps.get_model("cases", "AppealTerm")
    for sentence_kind, rate, legal_basis in CUSTODY_CREDITS:
        CustodyCredit.objects.update_or_create(
            sentence_kind=sentence_kind,
            defaults={"days_per_custody_day": Decimal(rate), "legal_basis": legal_basis},
        )
    for case_kind, days, legal_basis in APPEAL_TERMS:
        AppealTerm.objects.update_or_create(case_kind=case_kind, defaults={"days": days, "legal_basis": legal_basis})


def unseed_terms(apps, schema_editor):
    CustodyCredit = apps.get_model("cases", "CustodyCredit")
    AppealTerm = apps.get_model("cases", "AppealTerm")
    CustodyCredit.objects.filter(sentence_kind__in=[row[0] for row in CUSTODY_CREDITS]).delete()
    AppealTerm.objects.filter(case_kind__in=[row[0] for row in APPEAL_TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_seed_treatments"),
    ]

    operations = [
        migrations.RunPython(seed_terms, unseed_terms),
    ]
