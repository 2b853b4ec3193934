"""Forms behind the admin's fast entry of detainees on an assembly's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import ProceduralStatus, SentenceKind
from cases.models import Detention, LegalArticle
from events.models import Place
from people.models import GroupTag


class DetaineeRowForm(forms.ModelForm):
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
