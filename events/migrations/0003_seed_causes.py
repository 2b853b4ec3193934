"""Seed the causes an assembly can be about (CauseTag)."""

from django.db import migrations

# (code, name_en, name_ru, name_kk)
CAUSES = (
    ("social", "Social issues", "Социальные вопросы", "Әлеуметтік мәселелер"),
    ("political", "Political demands", "Политические требования", "Саяси талаптар"),
    ("labour", "Labour rights", "Трудовые права", "Еңбек құқықтары"),
    ("land", "Land", "Земельный вопрос", "Жер мәселесі"),
    ("housing", "Housing", "Жилищный вопрос", "Тұрғын үй мәселесі"),
    ("unemployment", "Unemployment", "Безработица", "Жұмыссыздық"),
    ("environment", "Environment", "Экология", "Қоршаған орта"),
    ("elections", "Elections", "Выборы", "Сайлау"),
    ("political-prisoners", "Political prisoners", "Политические заключённые", "Саяси тұтқындар"),
    ("corruption", "Corruption", "Коррупция", "Сыбайлас жемқорлық"),
    ("freedom-of-expression", "Freedom of expression", "Свобода выражения мнений", "Пікір білдіру бостандығы"),
)


def seed_causes(apps, schema_editor):
    CauseTag = apps.get_model("events", "CauseTag")
    for code, name_en, name_ru, name_kk in CAUSES:
        CauseTag.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_ru": name_ru, "name_kk": name_kk}
        )


def unseed_causes(apps, schema_editor):
    CauseTag = apps.get_model("events", "CauseTag")
    CauseTag.objects.filter(code__in=[row[0] for row in CAUSES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_seed_places"),
    ]

    operations = [
        migrations.RunPython(seed_causes, unseed_causes),
    ]
