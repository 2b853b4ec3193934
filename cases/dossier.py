"""The person's dossier as a PDF: what the person page shows, on paper a lawyer can hand to a court or to a
UN, OSCE or EU body. Rendered by WeasyPrint from `templates/cases/dossier.html`.

The PDF holds exactly what the person page shows the same user (`cases.selectors.person_history`, which
applies `visible_to`), and each download leaves an audit entry: a dossier is the record leaving the system.
"""

import re
import unicodedata

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.selectors import PersonHistory, person_history
from core.services import audit_record
from people.models import Person

# Russian and Kazakh Cyrillic to ASCII, for file names only (close to BGN/PCGN, without diacritics). The
# name keeps its readability in a mail attachment or a court's file system that mangles anything else.
_TO_ASCII = dict(
    zip(
        "абвгдезийклмнопрстуфыэәғқңөұүһі",
        "abvgdeziyklmnoprstufyeagknouuhi",
        strict=True,
    )
)
_TO_ASCII.update(
    {"ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": ""}
)
_TO_ASCII.update({"ю": "yu", "я": "ya"})
# Latin letters of the Kazakh alphabets that carry no decomposable accent.
_TO_ASCII.update({"ı": "i", "ə": "a", "ł": "l", "đ": "d", "ø": "o", "ß": "ss"})
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def ascii_name(text: str) -> str:
    """`text` in ASCII letters and digits joined by hyphens: "Жүнісов Болатхан" → "Zhunisov-Bolatkhan"."""
    letters = []
    for char in text:
        latin = _TO_ASCII.get(char.lower())
        if latin is None:
            letters.append(char)
        else:
            letters.append(latin.capitalize() if char.isupper() else latin)
    # What is left (Latin with diacritics: ş, ý, ǵ) loses its marks; anything else becomes a separator.
    folded = unicodedata.normalize("NFKD", "".join(letters)).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", folded).strip("-")


def dossier_filename(person: Person) -> str:
    """`dossier-<name in ASCII>.pdf`, or the person's uid when the name has no letter ASCII can carry."""
    name = ascii_name(person.full_name)[:80].strip("-") or str(person.uid)
    return f"dossier-{name}.pdf"


def _refuse_fetch(url, *args, **kwargs):
    # The template links nothing it needs to load (its CSS is inline); a fetch would only ever be a source
    # URL that user-entered content smuggled in, so none is made.
    raise ValueError(f"The dossier loads no external resource ({url}).")


def dossier_render(*, history: PersonHistory, user, generated_at=None) -> bytes:
    """The PDF of `history` (as `person_history` built it for `user`), headed by the person's name and
    "Generated <date> by <user>" on every page, pages numbered "n / total"."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only this needs it

    generated_at = timezone.localtime(generated_at or timezone.now())
    html = render_to_string(
        "cases/dossier.html",
        {
            "history": history,
            "generated_at": generated_at,
            "generated_by": user.get_username(),
            "language": translation.get_language(),
        },
    )
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def person_dossier_download(*, user, person: Person) -> bytes:
    """Render the dossier of `person` as `user` may see it and record the download
    (`kuzet.person.dossier_downloaded`, with how many detentions and cases it held). The caller has checked
    that `user` may see `person` (`people.selectors.person_get`)."""
    history = person_history(user=user, person=person)
    pdf = dossier_render(history=history, user=user)
    audit_record(
        actor=user,
        action="kuzet.person.dossier_downloaded",
        obj=person,
        data={"detentions": len(history.detentions), "legal_cases": len(history.legal_cases)},
    )
    return pdf
