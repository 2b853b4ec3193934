"""Forms behind the admin's fast entry of detainees on an assembly's page."""

import datetime as dt

from django import forms
from django.utils import dateparse, timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import DetentionOutcome, ProceduralStatus, SentenceKind
from cases.models import Detention, LegalArticle
from core.dates import DatePrecision
from core.versioning import VersionedModelForm
from events.models import Place
from people.models import GroupTag
from people.selectors import person_find


class DetaineeRowForm(VersionedModelForm):
    """One row of "who was detained here": an existing person, or a new one known only by name."""

    new_person_name = forms.CharField(
        label=_("or new person"),
        required=False,
        max_length=300,
        help_text=_("Type a name to create a new person."),
    )

    class Meta:
        model = Detention
        fields = (
            "person",
            "new_person_name",
            "detained_at",
            "held_at",
            "procedural_status",
            "treatment",
            "outcome",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].required = False

    def clean(self):
        cleaned = super().clean()
        person, new_name = cleaned.get("person"), (cleaned.get("new_person_name") or "").strip()
        if not person and not new_name and "person" not in self.errors:
            self.add_error("person", _("Pick a person or type the name of a new one."))
        if person and new_name:
            self.add_error("new_person_name", _("Either pick a person or type a new name, not both."))
        return cleaned


class PersonSearchForm(forms.Form):
    """The search page's box and filters, read from GET parameters. A value that is not a choice (an
    unknown place, a date that is not a date) is a form error, never a server error."""

    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    place = forms.ModelChoiceField(
        label=_("City or region"),
        queryset=Place.objects.none(),
        required=False,
        help_text=_("A region includes its cities."),
    )
    detained_from = forms.DateField(
        label=_("Detained from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    detained_to = forms.DateField(
        label=_("Detained to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    article = forms.ModelChoiceField(
        label=_("Legal article"), queryset=LegalArticle.objects.none(), required=False
    )
    procedural_status = forms.ChoiceField(
        label=_("Procedural status"), choices=[("", "—"), *ProceduralStatus.choices], required=False
    )
    sentence_kind = forms.ChoiceField(
        label=_("Sentence kind"), choices=[("", "—"), *SentenceKind.choices], required=False
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=GroupTag.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.visible_to(user).select_related("parent")
        self.fields["article"].queryset = LegalArticle.objects.visible_to(user)
        self.fields["group"].queryset = GroupTag.objects.visible_to(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("detained_from"), cleaned.get("detained_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the date range is after its end."), code="date_range")
        return cleaned

    def filters(self) -> dict:
        """The cleaned filters, as `cases.selectors.person_search_results` takes them."""
        data = dict(self.cleaned_data)
        data.pop("q", None)
        return data


# --- Fast entry of detentions at an assembly (issue 5, item 4) --------------------------------------------

FAST_ENTRY_ROWS = 10
FAST_ENTRY_MAX_ROWS = 200


class AssemblyDetentionRowForm(forms.Form):
    """One row of the fast entry: a name typed (a new person) or a suggested person picked (their uid), the
    time (a time of day on the assembly's date, or a full date and time), where held, status, outcome.
    An untouched row is skipped; `detention_fields()` gives what `assembly_detentions_record` takes."""

    name = forms.CharField(label=_("Name"), required=False, max_length=300)
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    time = forms.CharField(
        label=_("Time"),
        required=False,
        max_length=40,
        help_text=_("HH:MM on the day of the assembly, or YYYY-MM-DD HH:MM; empty: the assembly's start."),
    )
    held_at = forms.CharField(label=_("Held at"), required=False, max_length=300)
    procedural_status = forms.ChoiceField(
        label=_("Procedural status"), choices=ProceduralStatus.choices, initial=ProceduralStatus.UNKNOWN
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=DetentionOutcome.choices, initial=DetentionOutcome.UNKNOWN
    )

    def __init__(self, *args, user, assembly, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.assembly = user, assembly
        self.fields["name"].widget.attrs.update(autocomplete="off", **{"data-suggest": "name"})

    def has_changed(self):
        """Whether anything differs from a blank row, whatever the row was pre-filled with: a row filled
        from pasted names (or re-rendered as typed after "Add rows") carries its values as `initial`, and
        must still count as filled when it is saved unchanged."""
        return any(field.has_changed(field.initial, self[name].data) for name, field in self.fields.items())

    def clean_person(self):
        uid = self.cleaned_data.get("person")
        if uid is None:
            return None
        person = person_find(user=self.user, uid=uid)
        if person is None:
            raise forms.ValidationError(_("This person was not found; type the name again."))
        return person

    def clean_time(self):
        text = (self.cleaned_data.get("time") or "").strip()
        if not text:
            return None
        tz = timezone.get_current_timezone()
        time_of_day = dateparse.parse_time(text) if len(text) <= 8 else None
        if time_of_day is not None:
            day = timezone.localtime(self.assembly.starts_at, tz).date()
            return dt.datetime.combine(day, time_of_day, tzinfo=tz)
        try:
            moment = dateparse.parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(
                _("Enter a time as HH:MM, or a date and time as YYYY-MM-DD HH:MM."), code="time"
            )
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, tz)

    def clean(self):
        cleaned = super().clean()
        name, person = (cleaned.get("name") or "").strip(), cleaned.get("person")
        if not name and person is None and "person" not in self.errors:
            raise forms.ValidationError(_("Type a name or pick a suggested person."), code="no_person")
        cleaned["name"] = name
        return cleaned

    def detention_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "held_at": data["held_at"].strip(),
            "procedural_status": data["procedural_status"],
            "outcome": data["outcome"],
        }
        if data["person"] is not None:
            fields["person"] = data["person"]
        else:
            fields["new_person_name"] = data["name"]
        if data["time"] is not None:
            fields.update(detained_at=data["time"], detained_at_precision=DatePrecision.TIME)
        else:
            fields.update(
                detained_at=self.assembly.starts_at, detained_at_precision=self.assembly.starts_at_precision
            )
        return fields


class AssemblyDetentionFormSet(forms.BaseFormSet):
    """The fast entry's rows. `typed` pre-fills the first rows (each a dict of raw values, as
    `typed_rows` reads them): they are still extra forms, so a row emptied again is skipped on save."""

    def __init__(self, *args, typed: list[dict] | None = None, **kwargs):
        self.typed = typed or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.typed):
            kwargs["initial"] = self.typed[index]
        return kwargs


def assembly_detention_formset(*, rows: int = FAST_ENTRY_ROWS, **kwargs) -> AssemblyDetentionFormSet:
    """A formset of `rows` rows (more when the POST says so, up to FAST_ENTRY_MAX_ROWS); pass
    `form_kwargs={"user": …, "assembly": …}`, and `typed=[…]` to pre-fill the first rows."""
    formset_class = forms.formset_factory(
        AssemblyDetentionRowForm,
        formset=AssemblyDetentionFormSet,
        extra=max(1, min(rows, FAST_ENTRY_MAX_ROWS)),
        max_num=FAST_ENTRY_MAX_ROWS,
        validate_max=True,
        absolute_max=FAST_ENTRY_MAX_ROWS,
    )
    return formset_class(**kwargs)


def assembly_detention_row(*, index: int, user, assembly) -> AssemblyDetentionRowForm:
    """One empty row as the formset would build it at position `index` (0-based): what "Add rows" appends
    without reloading the page when JavaScript is on."""
    formset = assembly_detention_formset(rows=1, form_kwargs={"user": user, "assembly": assembly})
    return formset.form(
        prefix=formset.add_prefix(index),
        auto_id=formset.auto_id,
        empty_permitted=True,
        use_required_attribute=False,
        renderer=formset.renderer,
        **formset.get_form_kwargs(None),
    )


def typed_rows(formset: AssemblyDetentionFormSet) -> list[dict]:
    """Every row of a bound formset exactly as typed (raw strings, nothing validated, no query), in
    order: what a re-rendered page must show again."""
    return [{name: form[name].value() for name in form.fields} for form in formset.forms]


def _row_is_nameless(row: dict) -> bool:
    return not (row.get("name") or "").strip() and not (row.get("person") or "")


def rows_with_names(rows: list[dict], names: list[str]) -> tuple[list[dict], list[str]]:
    """`rows` with `names` put, in order, into the rows that have neither a name nor a picked person
    (their other fields are kept), then into new rows, up to FAST_ENTRY_MAX_ROWS. Returns the rows and
    the names that did not fit."""
    rows, pending = [dict(row) for row in rows], list(names)
    for row in rows:
        if not pending:
            break
        if _row_is_nameless(row):
            row.update(name=pending.pop(0), person="")
    while pending and len(rows) < FAST_ENTRY_MAX_ROWS:
        rows.append({"name": pending.pop(0)})
    return rows, pending


class PastedNamesForm(forms.Form):
    """The "paste names, one per line" box above the rows."""

    pasted_names = forms.CharField(
        label=_("Paste names, one per line"),
        required=False,
        max_length=100_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 40}),
        help_text=_("Each line becomes a row; blank lines and repeated names are skipped."),
    )

    def names(self) -> list[str]:
        """The non-empty lines, trimmed (inner spaces collapsed), each once: a name pasted twice is one
        person, compared without regard to case."""
        seen: set[str] = set()
        names = []
        for line in self.cleaned_data["pasted_names"].splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names
