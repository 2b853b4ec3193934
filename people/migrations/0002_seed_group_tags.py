"""Seed the groups the reports count people by (GroupTag)."""

from django.db import migrations

# (code, name_en, name_ru, name_kk)
GROUP_TAGS = (
    ("journalist", "Journalist", "Журналист", "Журналист"),
    ("blogger", "Blogger", "Блогер", "Блогер"),
    ("human-rights-defender", "Human rights defender", "Правозащитник", "Құқық қорғаушы"),
    ("activist", "Activist", "Активист", "Белсенді"),
    ("pensioner", "Pensioner", "Пенсионер", "Зейнеткер"),
    ("minor", "Minor", "Несовершеннолетний", "Кәмелетке толмаған"),
    ("mother-of-many-children", "Mother of many children", "Многодетная мать", "Көп балалы ана"),
    ("unemployed", "Unemployed", "Безработный", "Жұмыссыз"),
    ("opposition-member", "Opposition member", "Член оппозиции", "Оппозиция мүшесі"),
    ("lawyer", "Lawyer", "Адвокат", "Адвокат"),
    ("student", "Student", "Студент", "Студент"),
    ("religious-believer", "Religious believer", "Верующий", "Дінге сенуші"),
    ("person-with-disability", "Person with a disability", "Лицо с инвалидностью", "Мүгедектігі бар адам"),
    ("political-prisoner", "Political prisoner", "Политзаключённый", "Саяси тұтқын"),
)


def seed_group_tags(apps, schema_editor):
    GroupTag = apps.get_model("people", "GroupTag")
    for code, name_en, name_ru, name_kk in GROUP_TAGS:
        GroupTag.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_ru": name_ru, "name_kk": name_kk}
        )


def unseed_group_tags(apps, schema_editor):
    GroupTag = apps.get_model("people", "GroupTag")
    GroupTag.objects.filter(code__in=[row[0] for row in GROUP_TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_group_tags, unseed_group_tags),
    ]
