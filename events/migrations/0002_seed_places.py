"""Seed Kazakhstan's regions, its three cities of republican significance and its main cities.

Parents follow the boundaries in force since June 2022, when Abai, Jetisu and Ulytau regions were formed:
Semey is in Abai Region, Taldykorgan in Jetisu Region, Zhezkazgan and Satpayev in Ulytau Region, and
Almaty Region's centre moved to Konaev (formerly Kapchagay). A 2019 detention in Semey is therefore
filed under Abai Region, although that region did not exist then.

Coordinates are the city centres as GeoNames gives them; a region gets its administrative centre's.
"""

from decimal import Decimal

from django.db import migrations

# (code, code of the administrative centre, name_en, name_ru, name_kk)
REGIONS = (
    ("abai-region", "semey", "Abai Region", "область Абай", "Абай облысы"),
    ("akmola-region", "kokshetau", "Akmola Region", "Акмолинская область", "Ақмола облысы"),
    ("aktobe-region", "aktobe", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы"),
    ("almaty-region", "konaev", "Almaty Region", "Алматинская область", "Алматы облысы"),
    ("atyrau-region", "atyrau", "Atyrau Region", "Атырауская область", "Атырау облысы"),
    ("east-kazakhstan-region", "oskemen", "East Kazakhstan Region", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы"),
    ("jambyl-region", "taraz", "Jambyl Region", "Жамбылская область", "Жамбыл облысы"),
    ("jetisu-region", "taldykorgan", "Jetisu Region", "область Жетісу", "Жетісу облысы"),
    ("karaganda-region", "karaganda", "Karaganda Region", "Карагандинская область", "Қарағанды облысы"),
    ("kostanay-region", "kostanay", "Kostanay Region", "Костанайская область", "Қостанай облысы"),
    ("kyzylorda-region", "kyzylorda", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы"),
    ("mangystau-region", "aktau", "Mangystau Region", "Мангистауская область", "Маңғыстау облысы"),
    ("north-kazakhstan-region", "petropavl", "North Kazakhstan Region", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы"),
    ("pavlodar-region", "pavlodar", "Pavlodar Region", "Павлодарская область", "Павлодар облысы"),
    ("turkistan-region", "turkistan", "Turkistan Region", "Туркестанская область", "Түркістан облысы"),
    ("ulytau-region", "zhezkazgan", "Ulytau Region", "область Ұлытау", "Ұлытау облысы"),
    ("west-kazakhstan-region", "uralsk", "West Kazakhstan Region", "Западно-Казахстанская область", "Батыс Қазақстан облысы"),
)

# (code, parent region code or None, name_en, name_ru, name_kk, latitude, longitude)
CITIES = (
    # Cities of republican significance belong to no region. Astana was named Nur-Sultan in 2019-2022.
    ("astana", None, "Astana", "Астана", "Астана", "51.1801", "71.4460"),
    ("almaty", None, "Almaty", "Алматы", "Алматы", "43.2525", "76.9115"),
    ("shymkent", None, "Shymkent", "Шымкент", "Шымкент", "42.3099", "69.6004"),
    ("semey", "abai-region", "Semey", "Семей", "Семей", "50.4206", "80.2503"),
    ("kokshetau", "akmola-region", "Kokshetau", "Кокшетау", "Көкшетау", "53.2841", "69.3936"),
    ("aktobe", "aktobe-region", "Aktobe", "Актобе", "Ақтөбе", "50.2797", "57.2072"),
    ("konaev", "almaty-region", "Konaev", "Конаев", "Қонаев", "43.8668", "77.0630"),
    ("atyrau", "atyrau-region", "Atyrau", "Атырау", "Атырау", "47.1048", "51.8843"),
    ("kulsary", "atyrau-region", "Kulsary", "Кульсары", "Құлсары", "46.9531", "54.0198"),
    ("oskemen", "east-kazakhstan-region", "Oskemen", "Усть-Каменогорск", "Өскемен", "49.9714", "82.6059"),
    ("taraz", "jambyl-region", "Taraz", "Тараз", "Тараз", "42.8980", "71.3733"),
    ("zhanatas", "jambyl-region", "Zhanatas", "Жанатас", "Жаңатас", "43.5627", "69.7321"),
    ("taldykorgan", "jetisu-region", "Taldykorgan", "Талдыкорган", "Талдықорған", "45.0156", "78.3739"),
    ("karaganda", "karaganda-region", "Karaganda", "Караганда", "Қарағанды", "49.8019", "73.1021"),
    ("temirtau", "karaganda-region", "Temirtau", "Темиртау", "Теміртау", "50.0520", "72.9550"),
    ("balkhash", "karaganda-region", "Balkhash", "Балхаш", "Балқаш", "46.8455", "74.9821"),
    ("kostanay", "kostanay-region", "Kostanay", "Костанай", "Қостанай", "53.2144", "63.6246"),
    ("rudny", "kostanay-region", "Rudny", "Рудный", "Рудный", "52.9724", "63.1106"),
    ("kyzylorda", "kyzylorda-region", "Kyzylorda", "Кызылорда", "Қызылорда", "44.8528", "65.5092"),
    ("aktau", "mangystau-region", "Aktau", "Актау", "Ақтау", "43.6611", "51.1739"),
    ("zhanaozen", "mangystau-region", "Zhanaozen", "Жанаозен", "Жаңаөзен", "43.3412", "52.8619"),
    ("petropavl", "north-kazakhstan-region", "Petropavl", "Петропавловск", "Петропавл", "54.8734", "69.1507"),
    ("pavlodar", "pavlodar-region", "Pavlodar", "Павлодар", "Павлодар", "52.2760", "76.9688"),
    ("ekibastuz", "pavlodar-region", "Ekibastuz", "Экибастуз", "Екібастұз", "51.7237", "75.3229"),
    ("turkistan", "turkistan-region", "Turkistan", "Туркестан", "Түркістан", "43.2946", "68.2569"),
    ("zhezkazgan", "ulytau-region", "Zhezkazgan", "Жезказган", "Жезқазған", "47.7941", "67.7063"),
    ("satpayev", "ulytau-region", "Satpayev", "Сатпаев", "Сәтбаев", "47.9041", "67.5411"),
    ("uralsk", "west-kazakhstan-region", "Uralsk", "Уральск", "Орал", "51.2460", "51.4256"),
)


def seed_places(apps, schema_editor):
    Place = apps.get_model("events", "Place")
    coordinates = {code: (Decimal(lat), Decimal(lon)) for code, *_, lat, lon in CITIES}
    regions = {}
    for code, centre, name_en, name_ru, name_kk in REGIONS:
        latitude, longitude = coordinates[centre]
        regions[code], _ = Place.objects.update_or_create(
            code=code,
            defaults={
                "kind": "region", "parent": None, "name_en": name_en, "name_ru": name_ru, "name_kk": name_kk,
                "latitude": latitude, "longitude": longitude,
            },
        )
    for code, parent, name_en, name_ru, name_kk, lat, lon in CITIES:
        Place.objects.update_or_create(
            code=code,
            defaults={
                "kind": "city", "parent": regions[parent] if parent else None,
                "name_en": name_en, "name_ru": name_ru, "name_kk": name_kk,
                "latitude": Decimal(lat), "longitude": Decimal(lon),
            },
        )


def unseed_places(apps, schema_editor):
    Place = apps.get_model("events", "Place")
    # Cities first: a region is protected while a city points to it.
    Place.objects.filter(code__in=[row[0] for row in CITIES]).delete()
    Place.objects.filter(code__in=[row[0] for row in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_places, unseed_places),
    ]
