"""A realistic generated spreadsheet of detentions, as a monitoring group keeps one: Russian headers, one row
per detainee per event, Cyrillic and Latin spellings of the same (fake) people, dates in every common format
and partial dates, the app's labels and the words monitors use. Deterministic for a seed.

`broken_rows` replaces chosen cells with seven kinds of mistakes; the tests check that the dry run names each.
Names are random combinations of common Kazakh and Russian given names and surnames: no real person."""

import csv
import io
import random
from dataclasses import dataclass, field

from people import names

HEADERS = [
    "№",
    "ФИО",
    "Год рождения",
    "Дата задержания",
    "Город",
    "Акция",
    "Кто задержал",
    "Статус",
    "Итог",
    "Статья",
    "Наказание",
    "Примечание",
]
SURNAMES = [
    "Жумабеков",
    "Серикбаев",
    "Касымов",
    "Нурланов",
    "Ахметов",
    "Бекмуратов",
    "Оспанов",
    "Исмаилов",
    "Тлеубаев",
    "Жаксылыков",
    "Мухтаров",
    "Сагинтаев",
    "Кенжебаев",
    "Абдрахманов",
    "Ермеков",
    "Садыков",
    "Байжанов",
    "Рахимов",
    "Токтаров",
    "Утегенов",
    "Шаймарданов",
    "Есенов",
    "Куанышев",
    "Мамыров",
]
GIVEN = [
    "Ерлан",
    "Нуржан",
    "Айдар",
    "Серик",
    "Бекжан",
    "Данияр",
    "Кайрат",
    "Тимур",
    "Асхат",
    "Болат",
    "Жандос",
    "Мурат",
    "Ринат",
    "Дмитрий",
    "Азамат",
    "Берик",
    "Мирас",
    "Алибек",
]
CITIES = ["Алматы", "Almaty", "Астана", "Шымкент", "Shymkent", "Актобе", "Жанаозен", "Уральск", "Караганда"]
CITY_CANON = {"Almaty": "Алматы", "Shymkent": "Шымкент"}
TITLES = [
    "Митинг за освобождение политзаключённых",
    "Акция против пенсионной реформы",
    "Пикет у акимата",
    "Марш оппозиции",
    "Rally for fair elections",
]
_LATIN = dict(zip("абвгдеёзийклмнопрстуфыэәғқңөұүіһ", "abvgdeeziyklmnoprstufyeagknouuih", strict=True))
_LATIN |= {
    "ж": "zh",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ю": "yu",
    "я": "ya",
    "ъ": "",
    "ь": "",
}

# (status, outcome, article, sentence) as monitors write them, consistent with each other.
FATES = [
    ("административно задержанный", "административный арест", "КоАП 488 ч.6", "7 суток"),
    ("Административно задержанный", "Administrative arrest", "AOC 488-6", "15 days"),
    ("административно задержанный", "штраф", "ст. 488 ч.1 КоАП", "штраф 50 МРП"),
    ("свидетель с правом на защиту", "отпущен", "", ""),
    ("Witness", "Released without charge", "", ""),
    ("подозреваемый", "уголовное дело", "УК 405 ч.2", "2 года ограничения свободы"),
    ("без статуса", "отпущен с предупреждением", "", ""),
    ("административно задержанный", "административный арест", "КоАП 434", "5 суток"),
]
AUTHORITIES = ["полиция", "Police", "спецназ", "КНБ", "в штатском", "Police special forces"]


def latin(text: str) -> str:
    return "".join(
        _LATIN[ch.lower()].capitalize() if ch.lower() in _LATIN and ch.isupper() else _LATIN.get(ch, ch)
        for ch in text
    )


@dataclass
class Generated:
    rows: list[list[str]]
    people: int  # distinct people in the file
    assemblies: int  # distinct assemblies in the file
    bad: dict[int, tuple[str, str]] = field(default_factory=dict)  # spreadsheet row → (field, bad value)


def generate(*, rows: int = 500, seed: int = 8, people: int | None = None) -> Generated:
    """`rows` data rows; about 3 in 5 people appear once, the rest at two or three events."""
    rng = random.Random(seed)
    wanted_people = people or max(1, rows * 3 // 5)
    combos = [(s, g) for s in SURNAMES for g in GIVEN]
    rng.shuffle(combos)
    if len(combos) < wanted_people:  # a large file (the bench): double given names, as some people have
        extra = [(s, f"{g} {h}") for s in SURNAMES for g in GIVEN for h in GIVEN if g != h]
        rng.shuffle(extra)
        combos += extra
    persons, seen = [], set()
    for surname, given in combos:
        full = f"{surname} {given}"
        key = names.skeleton(full)
        if key in seen:
            continue
        seen.add(key)
        persons.append((full, rng.randint(1950, 2003) if rng.random() < 0.7 else None))
        if len(persons) == wanted_people:
            break
    events = []
    for index in range(max(3, rows // 12)):
        day = rng.randint(1, 28)
        month = rng.randint(1, 12)
        year = rng.choice([2019, 2019, 2020, 2021, 2022])
        city = rng.choice(CITIES)
        title = f"{rng.choice(TITLES)} {index + 1}"
        events.append((title, CITY_CANON.get(city, city), (year, month, day)))
    out, used_people, used_events, pairs = [], set(), set(), set()
    person_cycle = list(range(len(persons))) + [rng.randrange(len(persons)) for _ in range(rows)]
    position = 0
    while len(out) < rows:
        pid = person_cycle[position % len(person_cycle)]
        position += 1
        full, year = persons[pid]
        with_event = rng.random() < 0.8
        if with_event:
            eid = rng.randrange(len(events))
            if (pid, eid) in pairs:
                continue
            pairs.add((pid, eid))
            title, city, (y, m, d) = events[eid]
            fmt = rng.randrange(4)
            time = f"{rng.randint(10, 20)}:{rng.choice(['00', '15', '30', '45'])}"
            date = [
                f"{d:02d}.{m:02d}.{y}",
                f"{y}-{m:02d}-{d:02d}",
                f"{d:02d}.{m:02d}.{y} {time}",
                f"{d}.{m}.{y}",
            ][fmt]
            city_cell = rng.choice([city, *(k for k, v in CITY_CANON.items() if v == city)])
            used_events.add(eid)
        else:
            y, m = rng.choice([2018, 2019, 2020]), rng.randint(1, 12)
            kind = rng.randrange(3)
            if (pid, "solo", y, kind) in pairs:
                continue
            pairs.add((pid, "solo", y, kind))
            date = [f"{m:02d}.{y}", f"{y}", f"{y}-{m:02d}"][kind]
            if kind == 1:
                m = 0
            title, city_cell = "", rng.choice(["Алматы", "Астана", "Актобе"])
            # A second solo detention of a person in the same period and city would be a duplicate row.
            if (pid, "solo-key", y, m, city_cell) in pairs:
                continue
            pairs.add((pid, "solo-key", y, m, city_cell))
        status, outcome, article, sentence = rng.choice(FATES)
        spelled = full if rng.random() < 0.6 else latin(full)
        if names.skeleton(spelled) != names.skeleton(full):
            spelled = full
        if rng.random() < 0.2:
            spelled = " ".join(reversed(spelled.split()))  # "Given Surname" order
        birth = str(year) if year is not None and rng.random() < 0.8 else ""
        used_people.add(pid)
        out.append(
            [
                str(len(out) + 1),
                spelled,
                birth,
                date,
                city_cell,
                title,
                rng.choice(AUTHORITIES),
                status,
                outcome,
                article,
                sentence,
                rng.choice(["", "", "телефон изъят", "без адвоката"]),
            ]
        )
    return Generated(rows=out, people=len(used_people), assemblies=len(used_events))


# Seven kinds of mistakes (field, column index, bad value), each put in two rows.
MISTAKES = [
    ("detained_at", 3, "31.02.2019"),
    ("city", 4, "Готэм"),
    ("full_name", 1, ""),
    ("procedural_status", 7, "допрошен и отпущен"),
    ("article", 9, "КоАП 9999"),
    ("sentence", 10, "много"),
    ("birth_date", 2, "19x5"),
]


def broken(generated: Generated) -> Generated:
    """A copy with two rows of each mistake; `bad` maps each broken spreadsheet row to (field, value)."""
    rows = [list(r) for r in generated.rows]
    bad = {}
    for number, (field_name, column, value) in enumerate(MISTAKES):
        for index in (7 + number * 31, 250 + number * 29):
            if field_name == "sentence" and not rows[index][10]:
                rows[index][8], rows[index][9] = "административный арест", "КоАП 488 ч.6"
            rows[index][column] = value
            bad[index + 2] = (field_name, value)  # the header is spreadsheet row 1
    return Generated(rows=rows, people=generated.people, assemblies=generated.assemblies, bad=bad)


def as_csv(generated: Generated, *, encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS)
    writer.writerows(generated.rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(generated: Generated, headers: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or HEADERS)
    for row in generated.rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
