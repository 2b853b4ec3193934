"""Forms of the report pages. They validate input; the services decide what may be done."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.selectors import person_find
from reports.models import BodyResponse, ReportDefinition, ReportStatus
from reports.services.queue import may_queue

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class ReportFilterForm(forms.Form):
    definition = forms.ModelChoiceField(
        label=_("Definition"), queryset=ReportDefinition.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ReportStatus.choices], required=False
    )

    def __init__(self, data, *, definitions):
        super().__init__(data)
        self.fields["definition"].queryset = definitions
        self.fields["definition"].empty_label = gettext("Every definition")


class ReportQueueForm(forms.Form):
    """A definition and a period; for an individual communication, the person (by UID, as the person page
    links here with `?person=`)."""

    definition = forms.ModelChoiceField(
        label=_("Definition"), queryset=ReportDefinition.objects.none(), to_field_name="slug"
    )
    period_start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("To"), widget=DATE_INPUT)
    person = forms.UUIDField(
        label=_("Person (UID)"),
        required=False,
        help_text=_("Only for an individual communication: the UID shown on the person's page."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("The definition's language")), *settings.LANGUAGES],
    )

    def __init__(self, *args, user, definitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["definition"].queryset = definitions

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        if not may_queue(self.user, definition):
            raise forms.ValidationError(gettext("You may not queue this report."))
        return definition

    def clean_person(self):
        uid = self.cleaned_data.get("person")
        if uid is None:
            return None
        person = person_find(user=self.user, uid=uid)
        if person is None:
            raise forms.ValidationError(gettext("No person with this UID that you may see."))
        return person


class ReportSendForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))


class ReportSubmitForm(forms.Form):
    sent_on = forms.DateField(label=_("Submitted on"), widget=DATE_INPUT)
    reference = forms.CharField(label=_("The body's reference number"), max_length=100, required=False)
    message = forms.CharField(
        label=_("Notes on the submission"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InterventionResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("Response"), choices=BodyResponse.choices)
    response_on = forms.DateField(label=_("Received on"), widget=DATE_INPUT, required=False)
    follow_up_on = forms.DateField(label=_("Follow up on"), widget=DATE_INPUT, required=False)
    reference = forms.CharField(label=_("The body's reference number"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
