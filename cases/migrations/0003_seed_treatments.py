"""Seed the treatment tags monitors tick for a detention (Treatment), worded as the reports word them."""

from django.db import migrations

# (code, name_en, name_ru, name_kk)
TREATMENTS = (
    ("force-at-arrest", "Brute force used at arrest", "Применение грубой силы при задержании", "Ұстау кезінде күш қолдану"),
    ("dragged", "Dragged across the ground", "Волочение по земле", "Жермен сүйреу"),
    ("beaten", "Beaten (battery)", "Избиение", "Ұрып-соғу"),
    ("threatened", "Threatened", "Угрозы", "Қорқыту"),
    ("phone-seized", "Phone seized", "Изъятие телефона", "Телефонды алып қою"),
    ("equipment-seized", "Equipment seized (camera, recorder)", "Изъятие техники (камера, диктофон)", "Техниканы алып қою (камера, диктофон)"),
    ("no-lawyer", "No lawyer allowed", "Недопуск адвоката", "Адвокатқа рұқсат бермеу"),
    ("held-incommunicado", "Held incommunicado", "Содержание без связи с внешним миром", "Сыртқы әлеммен байланыссыз ұстау"),
    ("denied-medical-care", "Denied medical care", "Отказ в медицинской помощи", "Медициналық көмек көрсетпеу"),
    ("questioned-about-political-views", "Questioned about political views", "Допрос о политических взглядах", "Саяси көзқарастары туралы жауап алу"),
    ("strip-searched", "Strip-searched", "Досмотр с раздеванием", "Шешіндіріп тінту"),
    ("forced-to-sign", "Forced to sign documents", "Принуждение к подписанию документов", "Құжаттарға қол қоюға мәжбүрлеу"),
    ("family-not-informed", "Family not informed", "Неуведомление родственников", "Туыстарына хабарламау"),
    ("fingerprinted-photographed", "Fingerprinted and photographed", "Дактилоскопирование и фотографирование", "Саусақ ізін алу және суретке түсіру"),
    # Administrative detention may as a rule last no more than three hours under the AOC.
    ("held-over-3-hours", "Held more than 3 hours", "Содержание более 3 часов", "3 сағаттан артық ұстау"),
)


def seed_treatments(apps, schema_editor):
    Treatment = apps.get_model("cases", "Treatment")
    for code, name_en, name_ru, name_kk in TREATMENTS:
        Treatment.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_ru": name_ru, "name_kk": name_kk}
        )


def unseed_treatments(apps, schema_editor):
    Treatment = apps.get_model("cases", "Treatment")
    Treatment.objects.filter(code__in=[row[0] for row in TREATMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_seed_legal_articles"),
    ]

    operations = [
        migrations.RunPython(seed_treatments, unseed_treatments),
    ]
