"""UN Working Group on Arbitrary Detention: an individual communication (REPORTS.md §1), the model
questionnaire filled from the person's record — identity, arrest, detention (custody periods and
transfers), circumstances, domestic remedies (hearings, appeals, sentences) — with the categories of
arbitrariness, the submitter and the consent left for the lawyer to complete or check. Rendered as an
editable DOCX and a PDF.

It names the person, so it is refused without an active `un` consent (people.disclosure); everyone else
its free text mentions is replaced by their pseudonym (naming.Redactor)."""

from django.db.models import Prefetch
from django.utils.translation import gettext, gettext_noop

from cases.choices import HearingKind
from cases.models import Appeal, Charge, CustodyPeriod, Detention, Hearing, Sentence
from cases.selectors import detention_custody_days
from core.models import Confidentiality
from people import disclosure
from people.models import ConsentRecord, Person, PersonName
from reports.compiling.bodies import common
from reports.compiling.document import Fields, Paragraphs, Table

CATEGORIES = (
    ("I", gettext_noop("No legal basis can be invoked to justify the deprivation of liberty.")),
    (
        "II",
        gettext_noop(
            "The deprivation of liberty results from the exercise of rights or freedoms (expression, "
            "assembly, association, religion …)."
        ),
    ),
    ("III", gettext_noop("Non-observance of the international norms relating to the right to a fair trial.")),
    (
        "IV",
        gettext_noop(
            "Prolonged administrative custody without the possibility of administrative or judicial review."
        ),
    ),
    (
        "V",
        gettext_noop(
            "Discrimination on grounds such as political or other opinion, national or social origin, or "
            "other status."
        ),
    ),
)
TO_COMPLETE = gettext_noop("To be completed by the lawyer.")


class Refusal(Exception):
    pass


def check_consent(person: Person) -> None:
    """Raises Refusal with the analyst's message when the communication may not be made."""
    if person.confidentiality == Confidentiality.RESTRICTED or person.is_deleted:
        raise Refusal(
            gettext("%(person)s is a restricted record: restricted records are never named in a report.")
            % {"person": disclosure.pseudonym(person)}
        )
    if not disclosure.identity_disclosed(person, user=None, scope="un"):
        raise Refusal(
            gettext(
                "An individual communication to the UN Working Group on Arbitrary Detention names the "
                "person: it cannot be sent without the consent of %(person)s or their family. Record an "
                "active consent for UN bodies first."
            )
            % {"person": disclosure.pseudonym(person)}
        )


def builders(ctx: common.Context, person: Person) -> dict:
    scope = ctx.scope
    _since, until = scope.bounds
    person = (
        Person.objects.filter(pk=person.pk)
        .select_related("home_place")
        .prefetch_related(
            Prefetch("consents", queryset=ConsentRecord.objects.filter(is_deleted=False)),
            Prefetch("names", queryset=PersonName.objects.filter(is_deleted=False).order_by("kind", "id")),
            "groups",
        )
        .get()
    )
    name = ctx.namer(person)
    detentions = list(
        scope.detentions(described=True)
        .filter(person=person, detained_at__lt=until)
        .select_related("assembly", "place")
        .prefetch_related(
            Prefetch(
                "custody_periods",
                queryset=CustodyPeriod.objects.filter(is_deleted=False).select_related("place"),
            ),
            "treatment",
            "sources",
        )
        .order_by("detained_at", "id")
    )
    cases = list(
        scope.legal_cases(described=True)
        .filter(person=person)
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.filter(is_deleted=False).select_related("article")),
            Prefetch("sentences", queryset=Sentence.objects.filter(is_deleted=False)),
            Prefetch("hearings", queryset=Hearing.objects.filter(is_deleted=False)),
            Prefetch("appeals", queryset=Appeal.objects.filter(is_deleted=False)),
            Prefetch("detentions", queryset=Detention.objects.filter(is_deleted=False).only("id")),
            "sources",
        )
        .order_by("opened_on", "id")
    )
    arrest = detentions[-1] if detentions else None
    articles_of = {
        d.pk: sorted(
            {
                c.article.citation
                for case in cases
                if d.pk in {x.pk for x in case.detentions.all()}
                for c in case.charges.all()
            }
        )
        for d in detentions
    }
    all_articles = sorted({c.article.citation for case in cases for c in case.charges.all()})
    for d in detentions:
        ctx.source_ids.update(s.pk for s in d.sources.all())
    for case in cases:
        ctx.source_ids.update(s.pk for s in case.sources.all())
    ctx.figures["communication"] = {
        "person": name,
        "detentions": len(detentions),
        "legal_cases": len(cases),
        "articles": all_articles,
        "custody_days": sum(detention_custody_days(d, today=scope.end) for d in detentions),
    }
    ctx.key_figures = [
        (gettext("Detentions recorded"), len(detentions)),
        (gettext("Days in custody (as of the period end)"), ctx.figures["communication"]["custody_days"]),
        (gettext("Legal cases"), len(cases)),
    ]

    def identity():
        full = disclosure.full_name_allowed(person, user=None, scope="un")
        spellings = sorted({n.text for n in person.names.all()} - {person.full_name}) if full else []
        return [
            Fields(
                rows=[
                    (gettext("Family name and first names"), name),
                    (gettext("Other spellings"), ", ".join(spellings) or "—"),
                    (gettext("Sex"), str(person.get_gender_display())),
                    (gettext("Date of birth or age"), person.birth_date_display if full else "—"),
                    (gettext("Nationality"), gettext(TO_COMPLETE)),
                    (gettext("Identity document"), gettext(TO_COMPLETE)),
                    (gettext("Occupation"), person.occupation or "—"),
                    (
                        gettext("Groups"),
                        ", ".join(g.name_in(ctx.language) for g in person.groups.all()) or "—",
                    ),
                    (
                        gettext("Usual residence"),
                        ctx.places.name(person.home_place) if person.home_place else "—",
                    ),
                ]
            )
        ]

    def arrest_fields():
        if arrest is None:
            return [
                Paragraphs(texts=[gettext("No detention is recorded for this person.")], placeholder=True)
            ]
        place = arrest.place_id or (arrest.assembly.place_id if arrest.assembly else None)
        location = ", ".join(
            x for x in (ctx.redactor.redact(arrest.location), ctx.places.name(ctx.places.city(place))) if x
        )
        return [
            Fields(
                rows=[
                    (gettext("Date and time of arrest"), arrest.detained_at_display),
                    (gettext("Place of arrest"), location or "—"),
                    (gettext("Forces who carried out the arrest"), str(arrest.get_authority_display())),
                    (gettext("Warrant shown, and issued by"), gettext(TO_COMPLETE)),
                    (gettext("Type of detention (HURIDOCS MT 29)"), str(arrest.get_detention_type_display())),
                    (gettext("Procedural status given"), str(arrest.get_procedural_status_display())),
                    (
                        gettext("Reasons and legal basis stated"),
                        "; ".join(articles_of[arrest.pk]) or gettext(TO_COMPLETE),
                    ),
                ]
            )
        ]

    def detention_blocks():
        if not detentions:
            return []
        # The court that decided the measure of restraint (custody), when a hearing records it.
        restraint = [h for case in cases for h in case.hearings.all() if h.kind == HearingKind.RESTRAINT]
        ordered_by = ", ".join(dict.fromkeys(h.court or h.judge for h in restraint if h.court or h.judge))
        rows = []
        for d in detentions:
            periods = list(d.custody_periods.all())
            if not periods:
                rows.append(
                    [
                        d.detained_at_display,
                        common.day(d.released_at) if d.released_at else "—",
                        d.held_at or "—",
                        "—",
                        str(d.get_outcome_display()),
                    ]
                )
            for p in periods:
                rows.append(
                    [
                        p.started_on.isoformat(),
                        p.ended_on.isoformat() if p.ended_on else gettext("still held"),
                        p.facility or d.held_at or "—",
                        str(p.get_kind_display()),
                        ctx.places.name(ctx.places.city(p.place_id)) if p.place_id else "—",
                    ]
                )
        last = detentions[-1]
        return [
            Fields(
                rows=[
                    (gettext("Start of detention"), last.detained_at_display),
                    (
                        gettext("Days in custody, all detentions (as of %(day)s)")
                        % {"day": scope.end.isoformat()},
                        str(ctx.figures["communication"]["custody_days"]),
                    ),
                    (gettext("Held by"), last.held_at or "—"),
                    (
                        gettext("Whereabouts and contact (HURIDOCS MT 30)"),
                        str(last.get_whereabouts_display()),
                    ),
                    (gettext("Legal counsel (HURIDOCS MT 31)"), str(last.get_lawyer_access_display())),
                    (gettext("Authority that ordered the detention"), ordered_by or gettext(TO_COMPLETE)),
                    (gettext("Legal basis"), "; ".join(all_articles) or gettext(TO_COMPLETE)),
                ]
            ),
            Table(
                key="custody",
                caption=gettext("Places of detention and transfers"),
                columns=[
                    gettext("From"),
                    gettext("To"),
                    gettext("Facility"),
                    gettext("Kind"),
                    gettext("Place"),
                ],
                rows=rows,
            ),
        ]

    def circumstances():
        texts = []
        for d in detentions:
            parts = [gettext("Detained on %(date)s.") % {"date": d.detained_at_display}]
            if d.assembly is not None:
                parts.append(
                    gettext("At the assembly “%(title)s” (%(kind)s, %(outcome)s).")
                    % {
                        "title": d.assembly.title,
                        "kind": d.assembly.get_kind_display(),
                        "outcome": d.assembly.get_outcome_display(),
                    }
                )
            treatment = ", ".join(t.name_in(ctx.language) for t in d.treatment.all())
            if treatment:
                parts.append(gettext("Treatment: %(list)s.") % {"list": treatment})
            if d.notes:
                parts.append(d.notes)
            texts.append(" ".join(parts))
        texts = ctx.redactor.redact_all(texts)
        texts.append(gettext("Narrative of the facts: to be completed by the lawyer."))
        return (
            [Paragraphs(texts=texts[:-1]), Paragraphs(texts=texts[-1:], placeholder=True)]
            if len(texts) > 1
            else [Paragraphs(texts=texts, placeholder=True)]
        )

    def categories():
        return [
            Table(
                key="categories",
                caption=gettext("Categories of arbitrary detention"),
                columns=[gettext("Category"), gettext("Description"), gettext("Applies? Arguments (lawyer)")],
                rows=[[code, gettext(text), ""] for code, text in CATEGORIES],
                in_xlsx=False,
            )
        ]

    def remedies():
        hearings, appeals, sentences = [], [], []
        for case in cases:
            label = f"{case.get_kind_display()} {case.number}".strip()
            hearings += [
                [
                    label,
                    h.held_at_display,
                    str(h.get_kind_display()),
                    h.court or case.court or "—",
                    h.outcome or "—",
                ]
                for h in case.hearings.all()
            ]
            appeals += [
                [
                    label,
                    str(a.get_instance_display()),
                    a.filed_on_display,
                    a.decided_on_display,
                    str(a.get_outcome_display()),
                ]
                for a in case.appeals.all()
            ]
            sentences += [
                [
                    label,
                    s.decided_on.isoformat(),
                    s.court or case.court or "—",
                    str(s),
                    common.day(s.expected_end),
                ]
                for s in case.sentences.all()
            ]
        texts = ctx.redactor.redact_all([h[-1] for h in hearings])
        for row, text in zip(hearings, texts, strict=True):
            row[-1] = text
        return [
            Table(
                key="hearings",
                caption=gettext("Hearings"),
                columns=[
                    gettext("Case"),
                    gettext("Date"),
                    gettext("Kind"),
                    gettext("Court"),
                    gettext("Outcome"),
                ],
                rows=hearings,
            ),
            Table(
                key="sentences",
                caption=gettext("Sentences"),
                columns=[
                    gettext("Case"),
                    gettext("Decided"),
                    gettext("Court"),
                    gettext("Sentence"),
                    gettext("Expected end"),
                ],
                rows=sentences,
            ),
            Table(
                key="appeals",
                caption=gettext("Appeals and their outcome"),
                columns=[
                    gettext("Case"),
                    gettext("Instance"),
                    gettext("Filed"),
                    gettext("Decided"),
                    gettext("Outcome"),
                ],
                rows=appeals,
            ),
        ]

    def consent():
        active = [c for c in person.consents.all() if c.scope == "un" and c.is_active]
        return [
            Fields(
                rows=[
                    (
                        gettext("Consent for UN bodies given on"),
                        ", ".join(c.given_on.isoformat() for c in active),
                    ),
                    (gettext("How it was recorded"), "; ".join(c.how_recorded for c in active)),
                    (
                        gettext("Full name allowed"),
                        gettext("yes")
                        if any(c.full_name_allowed for c in active)
                        else gettext("initials only"),
                    ),
                ]
            )
        ]

    return {
        "identity": identity,
        "arrest": arrest_fields,
        "detention": detention_blocks,
        "circumstances": circumstances,
        "categories": categories,
        "remedies": remedies,
        "consent": consent,
    }
