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
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from cases import selectors
from cases.forms import (
    FAST_ENTRY_MAX_ROWS,
    FAST_ENTRY_ROWS,
    PastedNamesForm,
    PersonSearchForm,
    assembly_detention_formset,
    assembly_detention_row,
    rows_with_names,
    typed_rows,
)
from cases.models import Detention, LegalCase
from cases.panels import PERSON_PANELS, panels_render
from cases.services import AssemblyRowError, assembly_detentions_record, person_merge
from core import roles
from core.models import ReadKind
from core.pages import StaffPageMixin
from core.services import read_log_record
from people.models import Person, PersonName
from people.search import RANK_NEAR
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
        read_log_record(request_or_user=self.request, what=ReadKind.PERSON_PAGE, obj=person)
        context["history"] = selectors.person_history(user=self.request.user, person=person)
        context["panels"] = panels_render(
            PERSON_PANELS, request=self.request, user=self.request.user, person=person
        )
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


class _AssemblyRecordAccess(StaffPageMixin):
    """The fast entry's access rule: 404 for an assembly the user may not see, 403 without
    `cases.add_detention`; sets `self.assembly`."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and roles.is_case_staff(request.user):
            self.assembly = selectors.assembly_get(user=request.user, uid=kwargs["uid"])
            if not request.user.has_perm("cases.add_detention"):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def row_kwargs(self) -> dict:
        return {"user": self.request.user, "assembly": self.assembly}


class AssemblyRecordView(_AssemblyRecordAccess, TemplateView):
    """GET: empty rows (`?rows=N` for more). POST, by the button pressed (`action`):

    - "save" (the default): every row validated; any error re-renders the rows as typed with the error
      beside its row and writes nothing; else one service call, then the assembly page.
    - "add_rows": the rows as typed and FAST_ENTRY_ROWS empty ones more; nothing is validated or saved.
    - "paste": the pasted names (one per line) go into the rows without a name, then into new rows;
      nothing is saved. A save with names still in the paste box does the same rather than drop them.

    The page works without JavaScript; with it, "paste" is posted by htmx and answered with the form
    alone, and rows are added one at a time by AssemblyRecordRowView. Either way what was typed stays."""

    template_name = "cases/assembly_record.html"
    form_template_name = "cases/_assembly_record_form.html"
    http_method_names = ["get", "post", "head", "options"]

    def get_template_names(self):
        return [self.form_template_name if self.request.htmx else self.template_name]

    def _formset(self, data=None):
        try:
            rows = int(self.request.GET.get("rows", FAST_ENTRY_ROWS))
        except ValueError:
            rows = FAST_ENTRY_ROWS
        return assembly_detention_formset(rows=rows, data=data, form_kwargs=self.row_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = kwargs.get("formset") or self._formset()
        context.update(
            assembly=self.assembly,
            formset=formset,
            paste_form=kwargs.get("paste_form") or PastedNamesForm(),
            show_errors=kwargs.get("show_errors", formset.is_bound),
            notice=kwargs.get("notice", ""),
            max_rows=FAST_ENTRY_MAX_ROWS,
        )
        return context

    def post(self, request, *args, **kwargs):
        formset = self._formset(data=request.POST)
        paste_form = PastedNamesForm(request.POST)
        action = request.POST.get("action", "save")
        if action != "save" or not paste_form.is_valid() or paste_form.names():
            return self._refill(formset, paste_form, add_rows=action == "add_rows")
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
        return self.render_to_response(self.get_context_data(formset=formset, paste_form=paste_form))

    def _refill(self, formset, paste_form, *, add_rows: bool):
        """The page again with every row as typed (unvalidated, so no error shows yet), the pasted names
        put into rows, and more rows if asked. Names that do not fit stay in the paste box."""
        rows = typed_rows(formset)
        notice = ""
        if not paste_form.is_valid():
            return self.render_to_response(
                self.get_context_data(
                    formset=self._typed_formset(rows, len(rows)), paste_form=paste_form, show_errors=False
                )
            )
        names = paste_form.names()
        rows, leftover = rows_with_names(rows, names)
        if names:
            placed = len(names) - len(leftover)
            notice = ngettext(
                "%(count)d name put in the rows: check the rows, then save.",
                "%(count)d names put in the rows: check the rows, then save.",
                placed,
            ) % {"count": placed}
        total = len(rows) + (FAST_ENTRY_ROWS if add_rows else 0)
        if leftover:
            limit = gettext(
                "At most %(max)d rows can be saved at once: save these, then fill rows with the names "
                "still in the box."
            )
        elif total > FAST_ENTRY_MAX_ROWS:
            limit = gettext("At most %(max)d rows can be saved at once: save these, then enter the rest.")
        else:
            limit = ""
        if limit:
            notice = f"{notice} {limit % {'max': FAST_ENTRY_MAX_ROWS}}".strip()
        paste_form = PastedNamesForm(initial={"pasted_names": "\n".join(leftover)})
        return self.render_to_response(
            self.get_context_data(
                formset=self._typed_formset(rows, total),
                paste_form=paste_form,
                show_errors=False,
                notice=notice,
            )
        )

    def _typed_formset(self, rows: list[dict], total: int):
        total = max(total, len(rows), 1)
        return assembly_detention_formset(rows=total, typed=rows, form_kwargs=self.row_kwargs())


class AssemblyRecordRowView(_AssemblyRecordAccess, TemplateView):
    """htmx partial: one empty fast-entry row at position `?index=` (the form's TOTAL_FORMS, which the page
    then raises by one), with the field names the formset expects there. 400 for an index that is not a
    number or is past FAST_ENTRY_MAX_ROWS."""

    template_name = "cases/_assembly_record_row.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        try:
            self.index = int(request.GET.get("index", ""))
        except ValueError:
            return HttpResponseBadRequest(gettext("The row number is missing."))
        if not 0 <= self.index < FAST_ENTRY_MAX_ROWS:
            return HttpResponseBadRequest(
                gettext("At most %(max)d rows can be saved at once.") % {"max": FAST_ENTRY_MAX_ROWS}
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=assembly_detention_row(index=self.index, **self.row_kwargs()),
            index=self.index,
            show_errors=False,
        )
        return context


class PersonSuggestView(StaffPageMixin, TemplateView):
    """htmx partial: up to five people the user may see whose names match `?q=`, best first, for the fast
    entry to pick from; a near match (a spelling no rule folds) is marked "possible — verify"."""

    template_name = "cases/_person_suggestions.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()[:200]
        people = selectors.person_suggestions(user=self.request.user, text=text) if len(text) >= 2 else []
        for person in people:  # a near match only: the monitor must check it is the same person
            person.possible_match = person.rank == RANK_NEAR
        context.update(people=people, target=self.request.GET.get("target", ""))
        return context
