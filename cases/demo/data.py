"""The demo data set: what the Open Dialogue Foundation report "A turbulent February in Kazakhstan" (March
2019) states, as plain tuples. Each item has a stable `key`; its uid is derived from it.

Only what the report says is recorded. Where it gives no figure (detainees or participants per city, times
of day, dates of the earlier DCK verdicts) the field stays empty or carries its precision. Times are local
(settings.TIME_ZONE); the time of day is never in the report, so starts are stored at 11:00 (rallies) or
12:00 with day precision. The 16 people arrested in Zhanaozen are not named, so only their count is kept.
Narratives are written without the names of the people they concern: names live on Person rows, whose
identity leaves the system only with consent.
"""

import datetime as dt

from cases.choices import (
    Authority,
    CaseKind,
    CaseStatus,
    ChargeStatus,
    CustodyKind,
    DetentionOutcome,
    DetentionType,
    HearingKind,
    ProceduralStatus,
    SentenceKind,
    SentenceStatus,
    Verification,
)
from core.dates import DateCertainty, DatePrecision
from core.roles import Role
from events.models import (
    AssemblyKind,
    AssemblyOutcome,
    IncidentKind,
    NotificationStatus,
    Reliability,
    SourceKind,
)
from people.models import Gender

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
APPROX = DateCertainty.APPROXIMATE
FEB_2019 = dt.date(2019, 2, 1)  # with MONTH precision: "2019-02"

SOURCE = {
    "key": "source/odf-2019-03-turbulent-february",
    "kind": SourceKind.NGO_REPORT,
    "title": "A turbulent February in Kazakhstan: hundreds of detained and persecuted participants of "
    "peaceful assemblies",
    "published_on": dt.date(2019, 3, 6),
    "reliability": Reliability.PROBABLE,
    "notes": "Open Dialogue Foundation, 'Hot topics', March 2019. Kuzet demo data.",
}

# (username, role); staff roles get is_staff, the partner does not.
USERS = (
    ("demo-monitor", Role.MONITOR),
    ("demo-lawyer", Role.LAWYER),
    ("demo-analyst", Role.ANALYST),
    ("demo-admin", Role.ADMINISTRATOR),
    ("demo-partner", Role.PARTNER),
)

CONSENT_HOW_RECORDED = "public statements; demo data"
CONSENT_GIVEN_ON = dt.date(2019, 3, 6)

# --- people ----------------------------------------------------------------------------------------------
UN_RELEASE = "UN bodies called for release (report, Feb 2019)."
DCK_VERDICT = "Sentenced for 'supporting the DCK' (report); the date and court are not given."
TOYKEN = (
    "The report spells her name both Saniya and Sania. Detained in Zhanaozen on 27 February 2019 and, in "
    "February 2019, in Astana, where she had come to interview a mother of many children under pressure."
)
AYTIMOVA = (
    "She reported that at the police station she was slapped in the face, so that she hit the table, and "
    "that the police demanded she stop making statements, threatening her with arrest and deprivation of "
    "parental rights ('You are inciting discord. You are calling the people to revolt. Think of your "
    "children'). The leadership of the local police denies the accusations."
)
ARYSTANBAEVA = (
    "She stated that unidentified persons who introduced themselves as officers of the Kyzylorda City "
    "Administration subjected her to battery and threatened her with arrest (February 2019). The leadership "
    "of the local police denies the accusations and warns of criminal responsibility for 'disseminating "
    "deliberately false information'."
)
ZHUNUSOV = (
    "68 years old when sentenced, for writing comments on social networks in support of the DCK manifesto "
    "and its leader Mukhtar Ablyazov. At the trial he stated that he merely expressed his opinion regarding "
    "a peaceful and democratic change of power."
)

# The three political prisoners get no group: there is no political-prisoner tag, and the report says no more.
# fmt: off
PEOPLE = (
    {"key": "azbergenov", "full_name": "Iskhak Azbergenov", "aliases": ("Азбергенов Исхак",),
     "groups": ("pensioner",), "occupation": "Pensioner",
     "notes": "Detained at the 27 February 2019 rally in Uralsk."},
    {"key": "lukyanova", "full_name": "Maya Lukyanova", "aliases": ("Лукьянова Майя",),
     "birth": (dt.date(1938, 1, 1), YEAR, APPROX),
     "notes": "80 years old when detained at the 27 February 2019 rally in Uralsk."},
    {"key": "shaigumarov", "full_name": "Askar Shaigumarov", "aliases": ("Шайгумаров Аскар",),
     "groups": ("blogger",), "occupation": "Blogger", "notes": "Detained in Uralsk on 27 February 2019."},
    {"key": "bersalimov", "full_name": "Askhat Bersalimov", "aliases": ("Берсалимов Асхат",),
     "groups": ("blogger",), "occupation": "Blogger", "notes": "Detained in Almaty on 27 February 2019."},
    {"key": "tikhonov", "full_name": "Dmitriy Tikhonov", "aliases": ("Тихонов Дмитрий",),
     "groups": ("human-rights-defender",), "occupation": "Human rights defender", "consent": True,
     "notes": "Detained in Almaty on 27 February 2019."},
    {"key": "toyken", "full_name": "Saniya Toyken", "aliases": ("Sania Toyken", "Тойкен Сания"),
     "groups": ("journalist",), "occupation": "Journalist, Radio Liberty", "consent": True, "notes": TOYKEN},
    {"key": "nurbek", "full_name": "Sanat Nurbek", "aliases": ("Нұрбек Санат",), "groups": ("journalist",),
     "occupation": "Journalist, Radio Liberty", "notes": "Detained in Zhanaozen on 27 February 2019."},
    {"key": "akhmedyarov", "full_name": "Lukpan Akhmedyarov", "aliases": ("Ахмедьяров Лукпан",),
     "groups": ("journalist",), "occupation": "Journalist", "gender": Gender.MALE,
     "notes": "On 27 February 2019 in Uralsk a police car followed him wherever he went. Not detained."},
    {"key": "aytimova", "full_name": "Meruert Aytimova", "aliases": ("Айтимова Меруерт",),
     "groups": ("mother-of-many-children",), "gender": Gender.FEMALE, "home_place": "kyzylorda",
     "notes": AYTIMOVA},
    {"key": "arystanbaeva", "full_name": "Nurgul Arystanbaeva", "aliases": ("Арыстанбаева Нургуль",),
     "groups": ("mother-of-many-children",), "gender": Gender.FEMALE, "notes": ARYSTANBAEVA},
    {"key": "zhumagulov", "full_name": "Almat Zhumagulov", "aliases": ("Жумагулов Алмат", "Жұмағұлов Алмат"),
     "notes": DCK_VERDICT},
    {"key": "kenzhebek-abishev", "full_name": "Kenzhebek Abishev", "aliases": ("Абишев Кенжебек",),
     "notes": DCK_VERDICT},
    {"key": "aset-abishev", "full_name": "Aset Abishev", "aliases": ("Абишев Асет",), "notes": DCK_VERDICT},
    {"key": "dzhumayev", "full_name": "Ablovas Dzhumayev", "aliases": ("Джумаев Абловас",),
     "notes": DCK_VERDICT},
    {"key": "zhunusov", "full_name": "Bolathan Zhunusov", "aliases": ("Жунусов Болатхан",),
     "groups": ("pensioner",), "occupation": "Pensioner", "gender": Gender.MALE,
     "birth": (dt.date(1950, 1, 1), YEAR, APPROX), "notes": ZHUNUSOV},
    {"key": "bokayev", "full_name": "Maks Bokayev", "aliases": ("Бокаев Макс",),
     "groups": ("political-prisoner",), "notes": UN_RELEASE},
    {"key": "yerimbetov", "full_name": "Iskander Yerimbetov", "aliases": ("Еримбетов Искандер",),
     "groups": ("political-prisoner",), "notes": UN_RELEASE},
    {"key": "dzhakishev", "full_name": "Mukhtar Dzhakishev", "aliases": ("Джакишев Мухтар",),
     "groups": ("political-prisoner",), "notes": UN_RELEASE},
)
# fmt: on

# --- assemblies ------------------------------------------------------------------------------------------
RALLY_27_FEB = (
    "On 27 February 2019, the day of the congress of the ruling Nur Otan party, the opposition movement "
    "Democratic Choice of Kazakhstan (DCK) called people to peaceful rallies. Protesters demanded reforms "
    "and the resignation of President Nazarbayev. More than 1,000 people took part across the country and "
    "more than 200 were detained; the report gives a per-city figure for Almaty only. Party offices were "
    "surrounded by law enforcement officers; police and special forces detained participants with brute "
    "force, dragged them across the asphalt and threw them into police vehicles, in some cases using combat "
    "techniques. Detainees spent several hours at police stations, were questioned as 'witnesses entitled "
    "to protection' about their support for the DCK, and were released."
)
NO_CITY_FIGURE = "no figure for this city (more than 200 detained in all cities)"
NUR_OTAN = "near the Nur Otan party office"

# fmt: off
# (city code, title, address, reported detainees, as stated, what the report adds for this city)
RALLIES_27_FEB = (
    ("astana", "Rally near the Palace of Independence during the Nur Otan congress, Astana",
     "near the Palace of Independence", None, NO_CITY_FIGURE, ""),
    ("almaty", "Rally at the Nur Otan office, Almaty", NUR_OTAN, 100, "more than 100",
     "The largest number of detainees was recorded in Almaty."),
    ("aktobe", "Rally at the Nur Otan office, Aktobe", NUR_OTAN, None, NO_CITY_FIGURE, ""),
    ("aktau", "Rally at the Nur Otan office, Aktau", NUR_OTAN, None, NO_CITY_FIGURE, ""),
    ("uralsk", "Rally at the Nur Otan office, Uralsk", NUR_OTAN, None, NO_CITY_FIGURE,
     "Elderly people were among the detainees."),
    ("zhanaozen", "Rally at the Nur Otan office, Zhanaozen", NUR_OTAN, None, NO_CITY_FIGURE,
     "Two Radio Liberty journalists were detained as they prepared to film."),
    ("shymkent", "Rally at the Nur Otan office, Shymkent", NUR_OTAN, None, NO_CITY_FIGURE, ""),
)
# fmt: on

ZHANAOZEN_UNEMPLOYED = (
    "Since 9 February 2019 dozens of unemployed residents have gathered near the city employment centre, "
    "demanding permanent jobs with sufficient salaries; the local administration offers only temporary, "
    "low-paid work. They set out their problems in an open appeal to President Nazarbayev. Several dozen "
    "participants were detained over the weeks of protest."
)
ZHANAOZEN_ARRESTS = (
    "Between 23 and 25 February 2019, 16 protesters were sentenced to 5 to 7 days of administrative arrest "
    "for 'littering in public places, foul language and other actions expressing disrespect for society'. "
    "The report does not name them. The central square was cordoned off by the police. For at least one "
    "person, statements made at the rally led to criminal charges of 'inciting social discord'."
)
MOTHERS = (
    "Since 6 February 2019, after five children aged 1 to 13 died in a fire in temporary housing in Astana "
    "on 4 February while their parents worked the night shift, mothers of many children have come to local "
    "administrations demanding better social security; some call for the resignation of the President. "
    "Hundreds protest across eight cities. Several mothers reported pressure and threats from the "
    "authorities, and police detained women on their way to the local administration."
)
MOTHERS_CITIES = ("astana", "almaty", "aktobe", "karaganda", "shymkent", "uralsk", "kyzylorda", "taldykorgan")
UNEMPLOYED = "Protest of the unemployed at the employment centre, Zhanaozen"

# fmt: off
ZHANAOZEN_ASSEMBLIES = (
    {"key": "assembly/zhanaozen-unemployed-2019-02-09", "title": f"{UNEMPLOYED} (from 9 February)",
     "starts": (2019, 2, 9, 12, 0), "reported_detainees_note": "several dozen over the weeks of protest",
     "description": ZHANAOZEN_UNEMPLOYED},
    {"key": "assembly/zhanaozen-unemployed-2019-02-16", "title": f"{UNEMPLOYED}, 16 February",
     "starts": (2019, 2, 16, 12, 0), "participants_low": 100,
     "description": "More than 100 people took part in the peaceful assembly."},
    {"key": "assembly/zhanaozen-unemployed-2019-02-23", "title": f"{UNEMPLOYED}, 23–25 February: 16 arrested",
     "starts": (2019, 2, 23, 12, 0), "ends": (2019, 2, 25, 12, 0), "outcome": AssemblyOutcome.RESTRICTED,
     "reported_detainees": 16, "reported_detainees_note": "16 administratively arrested for 5 to 7 days",
     "description": ZHANAOZEN_ARRESTS},
)


def _assemblies() -> tuple[dict, ...]:
    rallies = tuple(
        {"key": f"assembly/2019-02-27-{city}", "title": title, "kind": AssemblyKind.RALLY, "place": city,
         "starts": (2019, 2, 27, 11, 0), "address": address, "causes": ("political",),
         "organisers": "Democratic Choice of Kazakhstan (DCK) call", "outcome": AssemblyOutcome.FORCE_USED,
         "notification": NotificationStatus.NOT_NOTIFIED, "reported_detainees": count,
         "reported_detainees_note": note, "description": f"{RALLY_27_FEB} {extra}".strip()}
        for city, title, address, count, note, extra in RALLIES_27_FEB
    )
    zhanaozen = tuple(
        {"kind": AssemblyKind.GATHERING, "place": "zhanaozen", "address": "near the city employment centre",
         "causes": ("social", "unemployment"), **spec}
        for spec in ZHANAOZEN_ASSEMBLIES
    )
    mothers = tuple(
        {"key": f"assembly/mothers-2019-02-06-{city}", "kind": AssemblyKind.GATHERING, "place": city,
         "title": f"Protest of mothers of many children at the local administration, {city.title()}",
         "starts": (2019, 2, 6, 12, 0), "address": "local administration (akimat)",
         "causes": ("social", "housing"), "description": MOTHERS}
        for city in MOTHERS_CITIES
    )
    return rallies + zhanaozen + mothers
# fmt: on


ASSEMBLIES = _assemblies()

# --- incidents -------------------------------------------------------------------------------------------
LIVE_STREAMS = (
    "Whenever the DCK leader Mukhtar Ablyazov goes live, access to social networks fails. In March and April "
    "2018 the Minister of Information and Communications said the interruptions were 'technical work on the "
    "removal of unlawful materials' of the DCK; from May 2018 he denied his ministry had anything to do "
    "with it."
)
YOUTUBE = (
    "According to the mobile operator KaR-Tel, the Ministry of Information announced in April 2018 that it "
    "had restricted access to YouTube 'at the time of the activity of the DCK'."
)
ZHANAOZEN_JOURNALISTS = (
    "Police special forces caught two Radio Liberty journalists as they began preparing to film the "
    "assembly, took them to Aktau and held them at the police station for more than 5 hours; their phones "
    "and a video camera were seized. The police cited a local resident's statement that the journalists "
    "could 'stir up social discord'."
)
CORDON = (
    "The central square was cordoned off by the police. Many law enforcement officers were in the city, and "
    "videos show people in military uniform, likely internal troops."
)
KYZYLORDA_THREATS = (
    "A protesting mother of many children stated that unidentified persons who introduced themselves as "
    "officers of the city administration beat her and threatened her with arrest. The local police "
    "leadership denies the accusations."
)
IFHR = "Italian Federation for Human Rights"
PROTESTS_ZH = "assembly/zhanaozen-unemployed-2019-02-09"
OBSTRUCTION = IncidentKind.OBSTRUCTION_OF_JOURNALISTS

# fmt: off
INCIDENTS = (
    {"key": "incident/2018-03-dck-live-stream-blocking", "kind": IncidentKind.SOCIAL_NETWORK_BLOCK,
     "title": "Social networks disrupted during DCK live streams", "starts_on": dt.date(2018, 3, 1),
     "precision": MONTH, "description": LIVE_STREAMS},
    {"key": "incident/2018-04-youtube-restricted", "kind": IncidentKind.SOCIAL_NETWORK_BLOCK,
     "title": "Access to YouTube restricted during DCK activity", "starts_on": dt.date(2018, 4, 1),
     "precision": MONTH, "description": YOUTUBE},
    {"key": "incident/2019-02-14-ifhr-mission-expelled", "kind": IncidentKind.EXPULSION_OF_MONITORS,
     "title": f"{IFHR} monitoring mission expelled", "starts_on": dt.date(2019, 2, 14),
     "description": f"Members of the human rights monitoring mission of the {IFHR} were illegally expelled "
     "from Kazakhstan."},
    {"key": "incident/2019-02-27-uralsk-journalist-followed", "kind": OBSTRUCTION,
     "title": "Journalist followed by a police car, Uralsk", "starts_on": dt.date(2019, 2, 27),
     "place": "uralsk", "assembly": "assembly/2019-02-27-uralsk",
     "description": "A police car followed a journalist wherever he went; a blogger was detained."},
    {"key": "incident/2019-02-27-zhanaozen-journalists", "kind": OBSTRUCTION,
     "title": "Radio Liberty journalists detained before filming, Zhanaozen",
     "starts_on": dt.date(2019, 2, 27), "place": "zhanaozen", "assembly": "assembly/2019-02-27-zhanaozen",
     "description": ZHANAOZEN_JOURNALISTS},
    {"key": "incident/2019-02-zhanaozen-curfew", "kind": IncidentKind.CURFEW,
     "title": "Curfew during the protests, Zhanaozen", "starts_on": FEB_2019, "precision": MONTH,
     "place": "zhanaozen", "assembly": PROTESTS_ZH,
     "description": "According to journalists, a curfew was introduced during the days of crowded rallies."},
    {"key": "incident/2019-02-zhanaozen-shutdown", "kind": IncidentKind.INTERNET_SHUTDOWN,
     "title": "Mobile communications and internet shut down, Zhanaozen", "starts_on": FEB_2019,
     "precision": MONTH, "place": "zhanaozen", "assembly": PROTESTS_ZH,
     "description": "According to journalists, mobile communications and the Internet were shut down during "
     "the days of crowded rallies."},
    {"key": "incident/2019-02-zhanaozen-cordon", "kind": IncidentKind.CORDON,
     "title": "Central square cordoned off, Zhanaozen", "starts_on": FEB_2019, "precision": MONTH,
     "place": "zhanaozen", "assembly": PROTESTS_ZH, "description": CORDON},
    {"key": "incident/2019-02-zhanaozen-surveillance", "kind": IncidentKind.SURVEILLANCE,
     "title": "Protesters surveilled and visited at night, Zhanaozen", "starts_on": FEB_2019,
     "precision": MONTH, "place": "zhanaozen", "assembly": PROTESTS_ZH,
     "description": "Participants reported being surveilled; police came to their homes even at night, "
     "demanding that they go to the police station."},
    {"key": "incident/2019-02-kyzylorda-threats", "kind": IncidentKind.THREATS,
     "title": "Mother of many children beaten and threatened, Kyzylorda", "starts_on": FEB_2019,
     "precision": MONTH, "place": "kyzylorda", "assembly": "assembly/mothers-2019-02-06-kyzylorda",
     "description": KYZYLORDA_THREATS},
    {"key": "incident/2019-03-04-almaty-journalists-removed", "kind": OBSTRUCTION,
     "title": "Journalists taken out of the local administration by force, Almaty",
     "starts_on": dt.date(2019, 3, 4), "place": "almaty", "assembly": "assembly/mothers-2019-02-06-almaty",
     "description": "When about 30 mothers of many children came to the local administration, the police "
     "took the journalists out of the office by force."},
)
# fmt: on

# --- detentions ------------------------------------------------------------------------------------------
DETENTION_TYPE = DetentionType.FREE_SPEECH
RALLY_DETENTION = {
    "detained": (2019, 2, 27, 11, 0),
    "released": (2019, 2, 27, 15, 0),  # "several hours"
    "authority": Authority.POLICE,
    "held_at": "police station",
    "procedural_status": ProceduralStatus.WITNESS_WITH_RIGHT_TO_DEFENCE,
    "treatment": ("force-at-arrest", "dragged", "questioned-about-political-views"),
    "outcome": DetentionOutcome.RELEASED,
    "notes": "Held several hours (report); the times of detention and release are not given. Brute force and "
    "dragging are described for the 27 February detentions in general, not for this person by name.",
}
ZHANAOZEN_JOURNALIST = {
    "assembly": "assembly/2019-02-27-zhanaozen",
    "place": "zhanaozen",
    "detained": (2019, 2, 27, 11, 0),
    "released": (2019, 2, 27, 19, 0),  # more than 5 hours at the Aktau station, after the transfer
    "authority": Authority.SPECIAL_FORCES,
    "held_at": "police station, Aktau",
    "treatment": ("phone-seized", "equipment-seized", "held-over-3-hours"),
    "outcome": DetentionOutcome.RELEASED,
    "custody": (
        (CustodyKind.POLICE_STATION, "police station, Zhanaozen", "zhanaozen", dt.date(2019, 2, 27)),
        (CustodyKind.POLICE_STATION, "police station, Aktau", "aktau", dt.date(2019, 2, 27)),
    ),
    "notes": "Caught by police special forces as they began preparations for filming, transferred to Aktau "
    "and held at the police station for more than 5 hours; questioned about their activities. Phones and a "
    "video camera were seized. The police named a local resident's statement that the journalists could "
    "'stir up social discord' as the reason. Times of day are not in the report.",
}
TOYKEN_ASTANA = (
    "Detained by the police in Astana, where she had come to interview a protesting mother of many children "
    "who had been put under pressure. The date and what followed are not in the report."
)
AYTIMOVA_DETENTION = (
    "Her account: slapped in the face at the police station, so that she hit the table, and threatened with "
    "arrest and deprivation of parental rights if she did not stop making statements. The local police "
    "leadership denies the accusations, hence 'disputed'. The date is not in the report."
)
URALSK, ALMATY = "assembly/2019-02-27-uralsk", "assembly/2019-02-27-almaty"

# fmt: off
DETENTIONS = (
    {"key": "detention/azbergenov/2019-02-27", "person": "azbergenov", "assembly": URALSK, "place": "uralsk",
     **RALLY_DETENTION},
    {"key": "detention/lukyanova/2019-02-27", "person": "lukyanova", "assembly": URALSK, "place": "uralsk",
     **RALLY_DETENTION},
    {"key": "detention/shaigumarov/2019-02-27", "person": "shaigumarov", "assembly": URALSK,
     "place": "uralsk", **RALLY_DETENTION},
    {"key": "detention/bersalimov/2019-02-27", "person": "bersalimov", "assembly": ALMATY, "place": "almaty",
     **RALLY_DETENTION},
    {"key": "detention/tikhonov/2019-02-27", "person": "tikhonov", "assembly": ALMATY, "place": "almaty",
     **RALLY_DETENTION},
    {"key": "detention/toyken/2019-02-27", "person": "toyken", **ZHANAOZEN_JOURNALIST},
    {"key": "detention/nurbek/2019-02-27", "person": "nurbek", **ZHANAOZEN_JOURNALIST},
    {"key": "detention/toyken/2019-02-astana", "person": "toyken", "place": "astana",
     "detained": (2019, 2, 1, 12, 0), "precision": MONTH, "certainty": APPROX, "notes": TOYKEN_ASTANA},
    {"key": "detention/aytimova/2019-02", "person": "aytimova", "place": "kyzylorda",
     "held_at": "police station", "detained": (2019, 2, 1, 12, 0), "precision": MONTH, "certainty": APPROX,
     "treatment": ("beaten", "threatened"), "verification": Verification.DISPUTED,
     "notes": AYTIMOVA_DETENTION},
)
# fmt: on

# --- legal cases -----------------------------------------------------------------------------------------
CASE_DEFAULTS = {
    "kind": CaseKind.CRIMINAL,
    "status": CaseStatus.CONVICTED,
    "article": "cc-405-2",
    "charge_status": ChargeStatus.CONVICTED,
    "sentence_status": SentenceStatus.SERVING,
}
TALDYKORGAN, VERDICT = "Court in Taldykorgan", dt.date(2019, 2, 28)
DCK_CASE = "Convicted for 'supporting the DCK', banned as 'extremist' in March 2018 (report)."
ZHUNUSOV_CASE = (
    "Sentenced on 28 February 2019 for writing comments on social networks in support of the DCK. The "
    "restriction of liberty is entered as starting on the day of the verdict; it really starts when the "
    "verdict enters into force, a date the report does not give."
)


# fmt: off
def _dck_case(person: str, years: int) -> dict:
    # The report dates none of these verdicts: 2018 (after the March 2018 ban) with year precision, and no
    # start date, so no end date is computed rather than one invented.
    return {"key": f"case/{person}/cc-405", "person": person, "notes": DCK_CASE,
            "sentence": {"decided_on": dt.date(2018, 1, 1), "precision": YEAR, "years": years,
                         "kind": SentenceKind.IMPRISONMENT}}


LEGAL_CASES = (
    _dck_case("zhumagulov", 8),
    _dck_case("kenzhebek-abishev", 7),
    _dck_case("aset-abishev", 4),
    _dck_case("dzhumayev", 3),
    {"key": "case/zhunusov/cc-405", "person": "zhunusov", "court": TALDYKORGAN, "notes": ZHUNUSOV_CASE,
     "sentence": {"decided_on": VERDICT, "precision": DAY, "court": TALDYKORGAN, "starts_on": VERDICT,
                  "kind": SentenceKind.RESTRICTION_OF_LIBERTY, "years": 1},
     # The sitting at which the verdict was announced; the report mentions no other hearing and no appeal.
     "hearings": ({"held_on": VERDICT, "kind": HearingKind.VERDICT, "court": TALDYKORGAN,
                   "outcome": "Sentenced to one year of restriction of liberty"},)},
)
# fmt: on
