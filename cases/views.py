"""Browser pages that read across people and cases: the person search and the person history.

They live in cases, not people, because both show detentions, legal cases and sentences, and apps depend
downward only (people may not import cases). The name search itself is people.search.person_search, the
one ranking the API shares.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from cases import selectors
from cases.forms import FAST_ENTRY_ROWS, PersonSearchForm, assembly_detention_formset
from cases.models import Detention, LegalCase
from cases.services import AssemblyRowError, assembly_detentions_record, person_merge
from core import roles
from core.pages import StaffPageMixin
from people.models import Person, PersonName
from people.selectors import person_duplicate_candidates, person_get

SEARCH_PAGE_SIZE = 25


class PersonSearchView(StaffPageMixin, TemplateView):
    template_name = "cases/person_search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = PersonSearchForm(self.request.GET or None, user=user)
        page = None
        if form.is_bound and form.is_valid():
            results = selectors.person_search_results(
                user=user, text=form.cleaned_data["q"], **form.filters()
            )
            page = Paginator(results, SEARCH_PAGE_SIZE).get_page(self.request.GET.get("page"))
            page.object_list = selectors.person_search_rows(user=user, people=list(page.object_list))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, page=page, query_string=query.urlencode())
        return context


class PersonDetailView(StaffPageMixin, TemplateView):
    template_name = "cases/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = person_get(user=self.request.user, uid=kwargs["uid"])
        context["history"] = selectors.person_history(user=self.request.user, person=person)
        return context


# --- Possible duplicates (issue 5, item 5) ---------------------------------------------------------------


class PersonMergeForm(forms.Form):
    """A pair (`first`, `second`) and which of the two to keep; the other is folded into it."""

    first = forms.UUIDField(widget=forms.HiddenInput)
    second = forms.UUIDField(widget=forms.HiddenInput)
    keep = forms.UUIDField()

    def clean(self):
        data = super().clean()
        pair = (data.get("first"), data.get("second"))
        if data.get("keep") not in pair:
            raise forms.ValidationError(gettext("Choose which of the two people to keep."))
        data["merge"] = pair[1] if data["keep"] == pair[0] else pair[0]
        return data


def _duplicate_rows(*, user, pairs) -> list[dict]:
    """Each pair with what a monitor compares: every live name, detentions and cases counted as the user
    sees them. Three queries whatever the number of pairs."""
    ids = {p.pk for pair in pairs for p in (pair.first, pair.second)}
    spellings: dict[int, list[str]] = {}
    for person_id, text in (
        PersonName.objects.live().filter(person_id__in=ids).values_list("person_id", "text")
    ):
        spellings.setdefault(person_id, []).append(text)

    def counted(model) -> dict[int, int]:
        rows = model.objects.visible_to(user).filter(person_id__in=ids).values("person_id")
        return dict(rows.annotate(n=Count("pk")).values_list("person_id", "n"))

    detentions, cases = counted(Detention), counted(LegalCase)
    return [
        {
            "pair": pair,
            "sides": [
                {
                    "person": p,
                    "names": spellings.get(p.pk, []),
                    "detentions": detentions.get(p.pk, 0),
                    "cases": cases.get(p.pk, 0),
                }
                for p in (pair.first, pair.second)
            ],
        }
        for pair in pairs
    ]


class PersonDuplicatesView(StaffPageMixin, TemplateView):
    """GET: pairs of people who are probably one, side by side. POST: merge one pair (needs
    `people.change_person`; 403 without it, 404 for a person the user may not see)."""

    template_name = "cases/duplicates.html"
    http_method_names = ["get", "post", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pairs = person_duplicate_candidates(user=user)
        context.update(
            rows=_duplicate_rows(user=user, pairs=pairs), can_merge=user.has_perm("people.change_person")
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("people.change_person"):
            raise PermissionDenied
        form = PersonMergeForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Choose which of the two people to keep."))
            return redirect("cases:person-duplicates")
        visible = Person.objects.visible_to(request.user)
        keep = get_object_or_404(visible, uid=form.cleaned_data["keep"])
        merge = get_object_or_404(visible, uid=form.cleaned_data["merge"])
        try:
            person_merge(user=request.user, keep=keep, merge=merge)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cases:person-duplicates")
        messages.success(
            request,
            gettext("%(merge)s was merged into %(keep)s.")
            % {"merge": merge.full_name, "keep": keep.full_name},
        )
        return redirect("cases:person-detail", uid=keep.uid)


# --- The assembly page and fast entry of detentions (issue 5, items 3 and 4) ----------------------------


class AssemblyDetailView(StaffPageMixin, TemplateView):
    """The assembly, its sources, the detainees the user may see, and "reported vs named"."""

    template_name = "cases/assembly_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        assembly = selectors.assembly_get(user=user, uid=kwargs["uid"])
        context.update(
            assembly=assembly,
            detainees=selectors.assembly_detainees(user=user, assembly=assembly),
            can_record=user.has_perm("cases.add_detention"),
        )
        return context


class AssemblyRecordView(StaffPageMixin, TemplateView):
    """GET: empty rows (`?rows=N` for more). POST: every row validated; any error re-renders the rows as
    typed with the error beside its row and writes nothing; else one service call, then the assembly page.
    404 for an assembly the user may not see, 403 without `cases.add_detention`."""

    template_name = "cases/assembly_record.html"
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.is_case_staff(request.user):
            self.assembly = selectors.assembly_get(user=request.user, uid=kwargs["uid"])
            if not request.user.has_perm("cases.add_detention"):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _formset(self, data=None):
        try:
            rows = int(self.request.GET.get("rows", FAST_ENTRY_ROWS))
        except ValueError:
            rows = FAST_ENTRY_ROWS
        return assembly_detention_formset(
            rows=rows, data=data, form_kwargs={"user": self.request.user, "assembly": self.assembly}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = kwargs.get("formset") or self._formset()
        context.update(
            assembly=self.assembly,
            formset=formset,
            more_rows=formset.total_form_count() + FAST_ENTRY_ROWS,
        )
        return context

    def post(self, request, *args, **kwargs):
        formset = self._formset(data=request.POST)
        if formset.is_valid():
            forms_filled = [form for form in formset.forms if form.has_changed()]
            try:
                detentions = assembly_detentions_record(
                    user=request.user,
                    assembly=self.assembly,
                    rows=[form.detention_fields() for form in forms_filled],
                )
            except AssemblyRowError as error:
                forms_filled[error.index].add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d detention recorded.", "%(count)d detentions recorded.", len(detentions)
                    )
                    % {"count": len(detentions)},
                )
                return redirect("cases:assembly-detail", uid=self.assembly.uid)
        return self.render_to_response(self.get_context_data(formset=formset))


class PersonSuggestView(StaffPageMixin, TemplateView):
    """htmx partial: up to five people the user may see whose names match `?q=`, best first, for the fast
    entry to pick from."""

    template_name = "cases/_person_suggestions.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()[:200]
        people = selectors.person_suggestions(user=self.request.user, text=text) if len(text) >= 2 else []
        context.update(people=people, target=self.request.GET.get("target", ""))
        return context
