"""Forms behind the admin's fast entry of detainees on an assembly's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Detention


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
