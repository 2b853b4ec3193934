"""The material `cases.synthetic` draws from: common Kazakh and Russian given names and surnames as written
in Cyrillic (with the Kazakh letters where the Kazakh spelling has them), a small transliterator for their
Latin spellings, and the fixed tables of the data set: the weights of each choice, the protest waves, the
words that fill free-text fields.

Every name is common; a generated full name is a random combination and belongs to no one. Surnames of
people named in the public reports the project works from are deliberately left out.
"""

import datetime as dt
import random
import re
from bisect import bisect_right
from types import SimpleNamespace

# fmt: off
KAZAKH_MALE = (
    "Абай", "Абылай", "Азамат", "Айбек", "Айдар", "Айдос", "Айдын", "Ақжол", "Ақылбек", "Алмас", "Алмат",
    "Амангелді", "Арман", "Арсен", "Асан", "Асқар", "Асхат", "Әділ", "Әлихан", "Әмір", "Бағдат", "Батыр",
    "Бауыржан", "Бақыт", "Бақытжан", "Бейбіт", "Бекболат", "Бекзат", "Бексұлтан", "Берік", "Болат", "Ғабит",
    "Ғалым", "Ғани", "Дамир", "Данияр", "Дастан", "Дәулет", "Дәурен", "Дидар", "Еламан", "Ербол", "Ерболат",
    "Ержан", "Еркін", "Ерлан", "Ерсін", "Жақсылық", "Жанболат", "Жандос", "Жасұлан", "Жәнібек", "Жеңіс",
    "Жомарт", "Заңғар", "Ілияс", "Исатай", "Қазбек", "Қайрат", "Қанат", "Қасым", "Қуаныш", "Құдайберген",
    "Мағжан", "Мақсат", "Марат", "Медет", "Мейрам", "Мирас", "Мұрат", "Мұхит", "Мұхтар", "Нұрбек", "Нұржан",
    "Нұрлан", "Нұрым", "Олжас", "Өмірзақ", "Өркен", "Рахат", "Руслан", "Рүстем", "Самат", "Санжар", "Саят",
    "Сәкен", "Серік", "Сұлтан", "Талғат", "Тәуекел", "Темірлан", "Тимур", "Төлеген", "Ұлан", "Шыңғыс",
)
KAZAKH_FEMALE = (
    "Айгүл", "Айдана", "Айжан", "Айнұр", "Айсұлу", "Айым", "Ақбота", "Ақмарал", "Әйгерім", "Әлия", "Әсел",
    "Балжан", "Балнұр", "Бибігүл", "Ботагөз", "Гаухар", "Гүлжан", "Гүлмира", "Гүлнар", "Гүлнара", "Гүлшат",
    "Дана", "Динара", "Жанар", "Жанна", "Жансая", "Жаңыл", "Жұлдыз", "Зарина", "Зәуре", "Индира", "Клара",
    "Күләш", "Қарлығаш", "Ләззат", "Ләйлә", "Майра", "Мәдина", "Меруерт", "Назгүл", "Назерке", "Нәзира",
    "Нұргүл", "Перизат", "Райхан", "Раушан", "Роза", "Салтанат", "Сандуғаш", "Сания", "Сәуле", "Сымбат",
    "Толқын", "Томирис", "Ұлбосын", "Ұлжан", "Үміт", "Шолпан", "Шынар", "Эльмира",
)
# Masculine forms; the feminine adds -а.
KAZAKH_SURNAMES = (
    "Абдрахманов", "Ахметов", "Әбдіров", "Әбілов", "Әлиев", "Әмірханов", "Байжанов", "Бейсенов", "Бектұров",
    "Бекмұхамбетов", "Бердібаев", "Ғабдуллин", "Дәулетов", "Досанов", "Досмағамбетов", "Ермеков", "Есенов",
    "Есенғалиев", "Жақсылықов", "Жақыпов", "Жаманқұлов", "Жанұзақов", "Жұмабаев", "Жұманов", "Ибрагимов",
    "Иманбаев", "Исин", "Исмағұлов", "Қалиев", "Қаржаубаев", "Қасымов", "Кенжебаев", "Қожахметов",
    "Көшербаев", "Қуанышбаев", "Құдайбергенов", "Мақсұтов", "Махамбетов", "Мұқанов", "Мұратбаев",
    "Мұсабеков", "Мұсин", "Нұрғалиев", "Нұрмағамбетов", "Оразов", "Оспанов", "Рахымов", "Сағындықов",
    "Сәрсенбаев", "Сәрсенов", "Сейтқалиев", "Серікбаев", "Сұлтанов", "Сүлейменов", "Тәжібаев", "Темірбеков",
    "Төлегенов", "Тұрсынбаев", "Тұрсынов", "Шәкенов", "Ысқақов", "Әбдіқалиев", "Ермекбаев", "Өмірбеков",
)
# Written without the Russian ending, as many Kazakhs have chosen since the 1990s: one form for both genders.
KAZAKH_SURNAMES_PLAIN = (
    "Ақынбек", "Әбдібек", "Әлібек", "Бекмырза", "Жұмабай", "Құлмахан", "Нұрбол", "Сейітқали", "Серікбай",
    "Төлебай",
)
RUSSIAN_MALE = (
    "Александр", "Алексей", "Анатолий", "Андрей", "Антон", "Аркадий", "Борис", "Вадим", "Валентин", "Валерий",
    "Василий", "Вениамин", "Виктор", "Виталий", "Владимир", "Владислав", "Вячеслав", "Геннадий", "Георгий",
    "Глеб", "Григорий", "Денис", "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл",
    "Константин", "Леонид", "Максим", "Михаил", "Никита", "Николай", "Олег", "Павел", "Роман", "Сергей",
    "Станислав", "Степан", "Тимофей", "Эдуард", "Юрий", "Ярослав",
)
RUSSIAN_FEMALE = (
    "Александра", "Алина", "Анастасия", "Анна", "Валентина", "Валерия", "Вера", "Вероника", "Виктория",
    "Галина", "Дарья", "Евгения", "Екатерина", "Елена", "Елизавета", "Зоя", "Инна", "Ирина", "Кристина",
    "Ксения", "Лариса", "Любовь", "Людмила", "Марина", "Мария", "Надежда", "Наталья", "Нина", "Оксана",
    "Ольга", "Полина", "Раиса", "Светлана", "Софья", "Тамара", "Татьяна", "Ульяна", "Юлия", "Яна",
)
RUSSIAN_SURNAMES = (
    "Абрамов", "Александров", "Алексеев", "Андреев", "Антонов", "Афанасьев", "Баранов", "Белов", "Беляев",
    "Богданов", "Борисов", "Быков", "Васильев", "Виноградов", "Власов", "Волков", "Воронин", "Гаврилов",
    "Герасимов", "Григорьев", "Гусев", "Давыдов", "Данилов", "Денисов", "Дмитриев", "Егоров", "Ефимов",
    "Жуков", "Зайцев", "Захаров", "Иванов", "Ильин", "Исаев", "Казаков", "Калинин", "Карпов", "Климов",
    "Ковалев", "Козлов", "Комаров", "Крылов", "Кузнецов", "Кузьмин", "Куликов", "Лебедев", "Макаров",
    "Максимов", "Марков", "Мартынов", "Матвеев", "Мельников", "Миронов", "Михайлов", "Морозов", "Назаров",
    "Никитин", "Николаев", "Новиков", "Орлов", "Осипов", "Павлов", "Петров", "Поляков", "Попов", "Романов",
    "Семенов", "Сергеев", "Сидоров", "Смирнов", "Соколов", "Сорокин", "Степанов", "Тарасов", "Тимофеев",
    "Титов", "Фомин", "Фролов", "Харитонов", "Цветков", "Чернов", "Шевцов", "Щербаков", "Яковлев",
    "Покровский", "Ковальский",
)
RUSSIAN_SURNAMES_PLAIN = ("Бондаренко", "Коваленко", "Кравченко", "Ткаченко", "Шевченко", "Марченко")
# fmt: on
_FATHERS = tuple(name for name in RUSSIAN_MALE if not name.endswith(("а", "я")))


def feminine(surname: str) -> str:
    """The feminine form of a Russian-pattern surname (-ов/-ев/-ин/-ын take -а, -ский becomes -ская)."""
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ин", "ын")):
        return surname + "а"
    return surname


def russian_patronymic(father: str, *, female: bool) -> str:
    """Сергей → Сергеевич / Сергеевна, Иван → Иванович / Ивановна (fathers' names ending in -а/-я are not
    offered: Илья → Ильич is irregular)."""
    base = father[:-1] + "ев" if father.endswith(("й", "ь")) else father + "ов"
    return base + ("на" if female else "ич")


def kazakh_patronymic(father: str, *, female: bool) -> str:
    """The Kazakh form, written as one word: Серікұлы, Болатқызы."""
    return father + ("қызы" if female else "ұлы")


def compose_name(rng: random.Random, *, kazakh: bool, female: bool) -> str:
    """A Cyrillic full name as a monitor types it: "Surname Given [Patronymic]" or "Given Surname"."""
    if kazakh:
        given = rng.choice(KAZAKH_FEMALE if female else KAZAKH_MALE)
        if rng.random() < 0.1:
            surname = rng.choice(KAZAKH_SURNAMES_PLAIN)
        else:
            surname = rng.choice(KAZAKH_SURNAMES)
            surname = feminine(surname) if female else surname
        patronymic = kazakh_patronymic(rng.choice(KAZAKH_MALE), female=female) if rng.random() < 0.15 else ""
    else:
        given = rng.choice(RUSSIAN_FEMALE if female else RUSSIAN_MALE)
        if rng.random() < 0.08:
            surname = rng.choice(RUSSIAN_SURNAMES_PLAIN)
        else:
            surname = rng.choice(RUSSIAN_SURNAMES)
            surname = feminine(surname) if female else surname
        patronymic = russian_patronymic(rng.choice(_FATHERS), female=female) if rng.random() < 0.3 else ""
    if patronymic:
        return f"{surname} {given} {patronymic}"
    return f"{surname} {given}" if rng.random() < 0.6 else f"{given} {surname}"


# --- transliteration: enough of ICAO 9303, BGN/PCGN and Kazakh Latin 2021 for the names we generate
_SHARED = dict(zip("абвгдзклмнопрстуфәғқңөұүіһи", "abvgdzklmnoprstufagknouuihi", strict=True))
_SHARED.update(ж="zh", х="kh", ц="ts", ч="ch", ш="sh", щ="shch", ы="y", ь="", ъ="", э="e", ё="e", е="e")
_SCHEMES = {
    "icao": {**_SHARED, "й": "i", "ю": "iu", "я": "ia"},
    "bgn": {**_SHARED, "й": "y", "ю": "yu", "я": "ya"},
    "kz2021": {**_SHARED, "й": "i", "ю": "iu", "я": "ia", "ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö",
               "ұ": "ū", "ү": "ü", "і": "ı", "ж": "j", "ш": "ş", "ч": "ç", "х": "h", "щ": "şş"},
}  # fmt: skip
_IOTATING = frozenset("аеёиоуыэюяәөұүійьъ")  # BGN writes е as "ye" after these and at the start of a word


def transliterate(text: str, scheme: str = "icao") -> str:
    """Cyrillic (Russian or Kazakh) → Latin in one of the schemes: "icao", "bgn", "kz2021"."""
    table, words = _SCHEMES[scheme], []
    for word in text.split():
        out, previous = [], ""
        for letter in word.lower():
            iotated = scheme == "bgn" and letter == "е" and (not previous or previous in _IOTATING)
            out.append("ye" if iotated else table.get(letter, letter))
            previous = letter
        latin = "".join(out)
        words.append(latin[:1].upper() + latin[1:])
    return " ".join(words)


_MEDIA_SWAPS = (  # what journalists do to a transliteration; each keeps the skeleton key (NAMES.md 3.4)
    (re.compile(r"iya\b"), "ia"),
    (re.compile(r"(?<=\w)y"), "i"),
    (re.compile(r"(?<=[aeiou])i(?![aeiou])"), "y"),
    (re.compile(r"(?<=\b)Zh(?=[aeiou])"), "J"),
    (re.compile(r"zh(?=[aeiou])"), "j"),
    (re.compile(r"(?<![sczt])kh"), "h"),
    (re.compile(r"(?<=[aeiou])s(?=[aeiouy])"), "ss"),
    (re.compile(r"\bYe"), "E"),
    (re.compile(r"\bE(?=[rslkmn])"), "Ye"),
)


def media_variant(rng: random.Random, latin: str) -> str:
    """One or two spelling swaps applied to a Latin name; the name itself when none applies."""
    swaps = [(pattern, repl) for pattern, repl in _MEDIA_SWAPS if pattern.search(latin)]
    for _ in range(min(len(swaps), 1 + (rng.random() < 0.4))):
        pattern, repl = swaps.pop(rng.randrange(len(swaps)))
        latin = pattern.sub(repl, latin)
    return latin


# --- weights of each choice, keyed by the stored value (a value missing here is never drawn)
# fmt: off
CONFIDENTIALITY = {"internal": 55, "partners": 36, "public": 8, "restricted": 1}
AUTHORITY = {"police": 55, "special_forces": 22, "plain_clothes": 10, "national_security": 5,
             "local_officials": 2, "military": 1, "unknown": 5}
OUTCOME = {"released": 42, "warned": 12, "fined": 17, "admin_arrest": 15, "charged": 2, "held": 0.5,
           "unknown": 11.5}
WHEREABOUTS = {"disclosed": 60, "undisclosed": 15, "incommunicado": 5, "unknown": 20}
LAWYER = {"none_permitted": 18, "none_requested": 12, "delayed": 14, "state_appointed": 14, "chosen": 9,
          "ngo": 6, "unknown": 27}
VERIFICATION = {"verified": 45, "unverified": 45, "disputed": 10}
DETENTION_TYPE = {"administrative": 45, "political_act": 35, "unknown": 20}
# procedural status by outcome; the report's "witnesses entitled to protection" are released the same day
STATUS_RELEASED = {"witness_protected": 30, "witness": 10, "administrative": 10, "none": 25, "unknown": 25}
STATUS_ADMIN = {"administrative": 85, "unknown": 15}
STATUS_CHARGED = {"suspect": 70, "accused": 30}
ASSEMBLY_KIND = {"rally": 40, "picket": 15, "single_picket": 12, "march": 6, "strike": 4, "sit_in": 5,
                 "gathering": 12}
NOTIFICATION = {"notified": 8, "authorised": 2, "refused": 20, "not_notified": 40, "spontaneous": 20,
                "unknown": 10}
ASSEMBLY_OUTCOME = {"peaceful": 15, "restricted": 20, "dispersed": 30, "force_used": 20, "prevented": 5,
                    "unknown": 10}
CRIMINAL_VERDICT = {"imprisonment": 35, "restriction": 40, "probation": 10, "fine": 5, "acquitted": 5,
                    "closed": 5}
ADMIN_VERDICT = {"arrest": 55, "fine": 35, "closed": 10}
APPEAL = {"none": 45, "upheld": 45, "reduced": 7, "overturned": 3}
OCCUPATION = {"": 50, "unemployed": 12, "entrepreneur": 8, "driver": 6, "oil worker": 5, "pensioner": 5,
              "builder": 5, "teacher": 4, "student": 3, "journalist": 2}
# Reference rows: a well-known code weighs this much; a row with another code gets a default weight.
CITY = {"almaty": 30, "astana": 20, "shymkent": 8, "aktobe": 6, "uralsk": 6, "aktau": 6, "zhanaozen": 6,
        "karaganda": 5, "atyrau": 4, "taraz": 3, "semey": 3, "oskemen": 3, "pavlodar": 3, "kyzylorda": 3,
        "kostanay": 3, "taldykorgan": 3, "petropavl": 2, "kokshetau": 2}
ARTICLE = {"aoc-488-1": 20, "aoc-488-2": 30, "aoc-488-3": 10, "aoc-488-6": 6, "aoc-434": 8, "aoc-667": 8,
           "cc-405-2": 30, "cc-405-1": 8, "cc-174-1": 15, "cc-174-2": 5, "cc-274-2": 10, "cc-274-1": 5,
           "cc-400": 6, "cc-380": 8, "cc-378": 6, "cc-179": 3}
TREATMENT = {"force-at-arrest": 30, "dragged": 20, "no-lawyer": 18, "phone-seized": 15,
             "questioned-about-political-views": 15, "held-over-3-hours": 15, "threatened": 12,
             "fingerprinted-photographed": 12, "family-not-informed": 8, "beaten": 6, "forced-to-sign": 5,
             "equipment-seized": 4, "held-incommunicado": 3}
CAUSE = {"social": 3, "political": 3, "labour": 3, "land": 3, "housing": 3, "unemployment": 3}
GROUP = {"activist": 30, "unemployed": 12, "opposition-member": 10, "pensioner": 10,
         "mother-of-many-children": 10, "minor": 8, "blogger": 6, "student": 6, "journalist": 5,
         "human-rights-defender": 4}
GROUP_RULES = {  # who may carry a tag, by (female, age at the first detention)
    "pensioner": lambda female, age: age >= (58 if female else 63),
    "mother-of-many-children": lambda female, age: female and age >= 28,
    "student": lambda female, age: 17 <= age <= 24,
    "minor": lambda female, age: age < 18,
}
# The days most were detained on: (first day, days, favoured cities, title, kind, causes, outcome): weight
WAVES = {
    (dt.date(2011, 12, 16), 2, ("zhanaozen", "aktau"), "Oil workers' strike", "strike", ("labour", "social"),
     "force_used"): 3,
    (dt.date(2016, 4, 24), 28, (), "Protest against the land reform", "rally", ("land",), "dispersed"): 3,
    (dt.date(2018, 5, 10), 1, ("almaty", "astana", "shymkent", "uralsk"), "Rally called by a banned movement",
     "rally", ("political",), "dispersed"): 3,
    (dt.date(2019, 2, 4), 22, ("astana", "almaty", "shymkent", "karaganda"),
     "Mothers of many children demand support", "gathering", ("social", "housing"), "restricted"): 3,
    (dt.date(2019, 2, 27), 1, ("almaty", "astana", "aktobe", "aktau", "uralsk", "zhanaozen", "shymkent"),
     "Rally outside the ruling party's offices", "rally", ("political",), "force_used"): 6,
    (dt.date(2019, 3, 20), 12, ("astana", "almaty"), "Protest against renaming the capital", "picket",
     ("political",), "dispersed"): 3,
    (dt.date(2019, 6, 9), 4, ("almaty", "astana", "shymkent"), "Election-day protest", "rally",
     ("elections", "political"), "force_used"): 8,
    (dt.date(2021, 1, 10), 1, ("almaty", "astana"), "Election-day protest", "rally", ("elections",),
     "restricted"): 2,
    (dt.date(2022, 1, 2), 6, ("zhanaozen", "aktau", "almaty", "atyrau", "aktobe", "uralsk", "shymkent",
     "taraz", "kyzylorda", "taldykorgan"), "Protest over fuel prices", "rally", ("social", "political"),
     "force_used"): 12,
}

# --- words for the free-text fields
KIND_TITLE = {"rally": "Rally", "picket": "Picket", "single_picket": "Single-person picket", "march": "March",
              "strike": "Strike", "sit_in": "Sit-in", "gathering": "Gathering at the akimat"}
ADDRESSES = ("Central square", "Outside the akimat", "Outside the ruling party's office", "City park",
             "Main street", "Outside the regional court", "Outside the oil company's office")
LOCATIONS = ("Outside home", "On the way to the assembly", "At work", "Near a bus stop", "")
HELD_AT = ("City police department", "District police station No. 1", "District police station No. 2",
           "Temporary detention centre", "Regional police department")
FACILITY = {"special_reception": "Special reception centre", "ivs": "IVS", "sizo": "SIZO"}
JUDGES = KAZAKH_SURNAMES + RUSSIAN_SURNAMES
INITIALS = "АБГДЕЖКМНРСТ"
# The monthly calculation index (MCI, in KZT) that fines are set in, by year
MCI = {2011: 1512, 2012: 1618, 2013: 1731, 2014: 1852, 2015: 1982, 2016: 2121, 2017: 2269, 2018: 2405,
       2019: 2525, 2020: 2778, 2021: 2917, 2022: 3063, 2023: 3450, 2024: 3692, 2025: 3932}
# fmt: on


class Pick:
    """Draws an item with probability proportional to its weight: one random() and a bisect."""

    def __init__(self, pairs):
        self.items, self.cum, total = [], [], 0.0
        for item, weight in pairs:
            if weight > 0:
                total += weight
                self.items.append(item)
                self.cum.append(total)

    def __bool__(self):
        return bool(self.items)

    def __call__(self, rng: random.Random):
        return self.items[min(bisect_right(self.cum, rng.random() * self.cum[-1]), len(self.items) - 1)]


# One weighted draw per table above: W.outcome(rng), W.lawyer(rng) …
W = SimpleNamespace(**{name.lower(): Pick(globals()[name].items()) for name in (
    "CONFIDENTIALITY", "AUTHORITY", "OUTCOME", "WHEREABOUTS", "LAWYER", "VERIFICATION", "DETENTION_TYPE",
    "STATUS_RELEASED", "STATUS_ADMIN", "STATUS_CHARGED", "ASSEMBLY_KIND", "NOTIFICATION", "ASSEMBLY_OUTCOME",
    "CRIMINAL_VERDICT", "ADMIN_VERDICT", "APPEAL", "OCCUPATION", "WAVES",
)})  # fmt: skip
DETENTION_COUNT = Pick((k, 0.32 * 0.68 ** (k - 1)) for k in range(1, 13))  # geometric on 1–12, mean 3.0
