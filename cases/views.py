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
from django.utils.translation import gettext
from django.views.generic import TemplateView

from cases import selectors
from cases.forms import PersonSearchForm
from cases.models import Detention, LegalCase
from cases.services import person_merge
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
