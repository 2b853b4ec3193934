"""Seed the five report definitions of issue 6 and the wording of their sections (REPORTS.md), in English
with Russian titles. Both stay editable in the admin; `key` is what the compiler looks up."""

from django.db import migrations

SUBMITTER = (
    "Submitted by: [name of the organisation], [address], [e-mail], [telephone]. Contact person: [name, "
    "role]. The organisation documents detentions and prosecutions of peaceful protesters in Kazakhstan."
)
CONFIDENTIALITY = (
    "The identity of the submitting organisation and of its sources must not be disclosed to the State. "
    "People named in this report have consented to be named to this body; everyone else appears under a "
    "stable pseudonym."
)

# The articles the EU briefing lists prisoners under, and the ones the RFoM digest counts as prosecution
# for speech (LegalArticle codes, seeded by cases 0002). Editable in the definition's filters.
MONITORED_ARTICLES = [
    "cc-174-1",
    "cc-174-2",
    "cc-179",
    "cc-274-1",
    "cc-274-2",
    "cc-378",
    "cc-380",
    "cc-400",
    "cc-405-1",
    "cc-405-2",
]
SPEECH_ARTICLES = ["cc-174-1", "cc-174-2", "cc-274-1", "cc-274-2", "cc-378", "aoc-453"]

# slug: (name, recipient, kind, cadence, filters, [(key, title, title_ru, text)])
DEFINITIONS = {
    "un-sr-foaa": (
        "Assembly & association summary",
        "un_sr_assembly",
        "periodic",
        "monthly",
        {},
        [
            (
                "summary",
                "Summary and request",
                "Краткое изложение и просьба",
                "This communication summarises restrictions on peaceful assembly documented in the period and asks "
                "the Special Rapporteur to raise them with the Government of Kazakhstan.",
            ),
            (
                "events",
                "Assemblies in the period",
                "Собрания за период",
                "Each assembly with its date, city, kind, demands, participants, notification and outcome.",
            ),
            (
                "detentions",
                "What happened: detentions",
                "Что произошло: задержания",
                "Detentions by city, by day and by outcome. People detained in the period are distinguished from "
                "people held on its last day.",
            ),
            (
                "force",
                "Use of force and ill-treatment",
                "Применение силы и жестокое обращение",
                "Treatment reported by detainees and monitors.",
            ),
            (
                "perpetrators",
                "Perpetrators",
                "Исполнители",
                "The authorities that carried out the detentions.",
            ),
            (
                "cases",
                "New administrative and criminal cases",
                "Новые административные и уголовные дела",
                "Cases opened in the period, by the article charged.",
            ),
            ("sentences", "Sentences", "Приговоры и взыскания", "Sentences handed down in the period."),
            ("domestic-remedies", "Domestic steps and responses", "Внутренние средства защиты и ответы", ""),
            (
                "law",
                "Relevant law",
                "Применимое право",
                "Article 21 of the ICCPR; Article 32 of the Constitution of Kazakhstan; the Law on the procedure "
                "for organising and holding peaceful assemblies; Article 488 of the Administrative Offences Code "
                "and Article 400 of the Criminal Code.",
            ),
            (
                "victims",
                "Individual cases",
                "Индивидуальные случаи",
                "Each detention of the period with the person's group, outcome, articles and sentence.",
            ),
            ("confidentiality", "Confidentiality", "Конфиденциальность", CONFIDENTIALITY),
            ("submitter", "Submitter", "Отправитель", SUBMITTER),
        ],
    ),
    "un-wgad": (
        "Individual communication",
        "un_wgad",
        "individual",
        "on_demand",
        {},
        [
            ("identity", "1. Identity", "1. Личность", "The person concerned."),
            (
                "arrest",
                "2. Arrest",
                "2. Арест",
                "Date, place, forces, warrant and stated reasons of the arrest.",
            ),
            (
                "detention",
                "3. Detention",
                "3. Содержание под стражей",
                "Dates, places and transfers, the custodian, the authority that ordered it and its legal basis.",
            ),
            (
                "circumstances",
                "4. Circumstances",
                "4. Обстоятельства",
                "The facts as documented. Names of other people are replaced by pseudonyms.",
            ),
            (
                "categories",
                "5. Categories of arbitrary detention",
                "5. Категории произвольного задержания",
                "Indicate which categories apply and why (protest: usually Category II; trial defects: Category "
                "III).",
            ),
            (
                "remedies",
                "6. Domestic remedies",
                "6. Внутренние средства правовой защиты",
                "Hearings, appeals and their outcome.",
            ),
            ("submitter", "7. Submitter", "7. Отправитель", SUBMITTER),
            (
                "consent",
                "8. Consent",
                "8. Согласие",
                "The person concerned, or their family, consents to this communication and to being named to the "
                "Working Group.",
            ),
        ],
    ),
    "osce-odihr": (
        "Assembly monitoring summary",
        "osce_odihr",
        "periodic",
        "quarterly",
        {},
        [
            (
                "summary",
                "Executive summary",
                "Резюме",
                "Assemblies, restrictions, dispersals, detentions and their outcomes in the quarter, per region, "
                "and how they compare with the previous quarter.",
            ),
            ("recommendations", "Consolidated recommendations", "Сводные рекомендации", ""),
            (
                "methodology",
                "Methodology",
                "Методология",
                "Figures are compiled from records kept by monitors: first-hand observation, interviews with "
                "detainees and lawyers, court documents and media reports. Each detention is counted once.",
            ),
            (
                "notification",
                "Notification and authorisation",
                "Уведомление и согласование",
                "Standard: notification must not become a request for permission.",
            ),
            (
                "restrictions",
                "Restrictions",
                "Ограничения",
                "Standard: restrictions must be lawful, necessary and proportionate.",
            ),
            (
                "policing",
                "Policing and use of force",
                "Действия полиции и применение силы",
                "Standard: force only when unavoidable and to the minimum extent necessary.",
            ),
            (
                "detentions",
                "Detentions and their outcomes",
                "Задержания и их последствия",
                "Per region, then per city.",
            ),
            ("monitors-media", "Treatment of monitors and media", "Отношение к наблюдателям и СМИ", ""),
            (
                "trends",
                "Trends against the previous quarter",
                "Динамика по сравнению с предыдущим кварталом",
                "",
            ),
            ("assemblies", "Annex: assemblies monitored", "Приложение: наблюдавшиеся собрания", ""),
            ("submitter", "Submitter", "Отправитель", SUBMITTER),
        ],
    ),
    "osce-rfom": (
        "Journalists and media",
        "osce_rfom",
        "periodic",
        "quarterly",
        {"speech_articles": SPEECH_ARTICLES},
        [
            (
                "summary",
                "Summary",
                "Резюме",
                "Journalists and bloggers detained or obstructed, equipment seized, prosecutions for speech and "
                "restrictions of the internet in the quarter.",
            ),
            (
                "journalists",
                "Journalists and bloggers detained or obstructed",
                "Задержания журналистов и блогеров",
                "",
            ),
            ("equipment", "Equipment seized or deleted", "Изъятие техники", ""),
            ("prosecutions", "Prosecutions for speech", "Преследование за высказывания", ""),
            ("internet", "Internet and social-network restrictions", "Ограничения интернета и соцсетей", ""),
            ("request", "Status and request", "Текущее положение и просьба", ""),
            ("submitter", "Submitter", "Отправитель", SUBMITTER),
        ],
    ),
    "eu-briefing": (
        "Political prisoners & trends briefing",
        "eu",
        "periodic",
        "quarterly",
        {"articles": MONITORED_ARTICLES},
        [
            (
                "summary",
                "Trend summary",
                "Обзор тенденций",
                "The key figures of the quarter and their change against the previous quarter.",
            ),
            (
                "concerns",
                "Key concerns",
                "Основные проблемы",
                'Laws on assemblies and on "extremism"; mass detentions; administrative arrests.',
            ),
            (
                "recommendations",
                "Recommendations to the EU",
                "Рекомендации ЕС",
                "The reviewer writes the numbered recommendations here before approving.",
            ),
            (
                "prisoners",
                "Political prisoners",
                "Политические заключённые",
                "People imprisoned or restricted on the monitored articles on the last day of the period.",
            ),
            ("convictions", "New convictions", "Новые приговоры", ""),
            ("key-figures", "Key figures and their change", "Основные показатели и их динамика", ""),
            ("follow-up", "Follow-up on earlier EU requests", "Выполнение прежних просьб ЕС", ""),
            ("submitter", "Submitter", "Отправитель", SUBMITTER),
        ],
    ),
}


def seed_definitions(apps, schema_editor):
    ReportDefinition = apps.get_model("reports", "ReportDefinition")
    ReportSection = apps.get_model("reports", "ReportSection")
    for slug, (name, recipient, kind, cadence, filters, sections) in DEFINITIONS.items():
        definition, _created = ReportDefinition.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "recipient": recipient, "kind": kind, "cadence": cadence},
            create_defaults={
                "name": name,
                "recipient": recipient,
                "kind": kind,
                "cadence": cadence,
                "filters": filters,
            },
        )
        for position, (key, title, title_ru, text) in enumerate(sections, start=1):
            # get_or_create, not update_or_create: wording a lawyer edited in the admin is never overwritten.
            ReportSection.objects.get_or_create(
                definition=definition,
                key=key,
                defaults={"position": position * 10, "title": title, "title_ru": title_ru, "text": text},
            )


def unseed_definitions(apps, schema_editor):
    ReportDefinition = apps.get_model("reports", "ReportDefinition")
    ReportSection = apps.get_model("reports", "ReportSection")
    ReportSection.objects.filter(definition__slug__in=DEFINITIONS).delete()
    # A definition that already has reports stays (they are PROTECTed and must not be lost).
    ReportDefinition.objects.filter(slug__in=DEFINITIONS, reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_sections_interventions"),
    ]

    operations = [
        migrations.RunPython(seed_definitions, unseed_definitions),
    ]
