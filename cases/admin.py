"""Admin for cases. It also extends the person and assembly pages with their case inlines: those admins
live in people/ and events/, which may not import cases (apps depend downward only), so the extended
versions are registered here, in their place."""

from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cases.forms import DetaineeRowForm
from cases.models import (
    Appeal,
    AppealTerm,
    Charge,
    CustodyCredit,
    CustodyPeriod,
    Detention,
    Hearing,
    LegalArticle,
    LegalCase,
    Sentence,
    Treatment,
)
from cases.services import detention_custody_changed, legal_case_recompute
from cases.urgent_admin import UrgentFilter
from core.admin import (
    ChildStackedInline,
    ChildTabularInline,
    ReadOnlyTabularInline,
    RecordAdmin,
    ReferenceAdmin,
    SoftDeleteInlineFormSet,
)
from events.admin import AssemblyAdmin
from events.models import Assembly
from people.admin import PRIVATE, PersonAdmin, PrivateFieldsetMixin, SkeletonSearchMixin
from people.models import Person
from people.services import person_create


@admin.register(LegalArticle)
class LegalArticleAdmin(ReferenceAdmin):
    list_display = ("citation", "name_en", "name_ru", "code")
    list_filter = ("law",)
    search_fields = ("code", "number", "name_en", "name_ru", "name_kk")


@admin.register(Treatment)
class TreatmentAdmin(ReferenceAdmin):
    pass


@admin.register(CustodyCredit)
class CustodyCreditAdmin(admin.ModelAdmin):
    list_display = ("sentence_kind", "days_per_custody_day", "legal_basis")


@admin.register(AppealTerm)
class AppealTermAdmin(admin.ModelAdmin):
    list_display = ("case_kind", "days", "legal_basis")


class CustodyPeriodInline(ChildTabularInline):
    model = CustodyPeriod
    fields = ("kind", "facility", "place", "started_on", "ended_on")
    autocomplete_fields = ("place",)
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("place__parent")


@admin.register(Detention)
class DetentionAdmin(PrivateFieldsetMixin, SkeletonSearchMixin, RecordAdmin):
    skeleton_search_path = "person__"
    list_display = (
        "person",
        "detained_at",
        "place",
        "assembly",
        "procedural_status",
        "outcome",
        "verification",
        "confidentiality",
    )
    list_filter = (
        "procedural_status",
        "outcome",
        "verification",
        "authority",
        "confidentiality",
        "treatment",
        UrgentFilter,
    )
    search_fields = ("person__full_name", "held_at", "location", "assembly__title")
    date_hierarchy = "detained_at"
    autocomplete_fields = ("person", "assembly", "place", "treatment", "sources")
    list_select_related = ("person", "place__parent", "assembly")
    inlines = [CustodyPeriodInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "person",
                    "assembly",
                    ("detained_at", "detained_at_precision", "detained_at_certainty"),
                )
            },
        ),
        ("Where and by whom", {"fields": ("place", "location", "authority", "held_at", "released_at")}),
        (
            "Status",
            {
                "fields": (
                    "procedural_status",
                    "detention_type",
                    "whereabouts",
                    "lawyer_access",
                    "treatment",
                    "outcome",
                )
            },
        ),
        ("Evidence", {"fields": ("verification", "sources", "notes")}),
        (
            PRIVATE,
            {
                "fields": ("private_notes",),
                "description": _(
                    "Encrypted at rest. Never leaves the system: not in the API, exports or reports."
                ),
            },
        ),
        ("Access", {"fields": ("confidentiality", "shared_with")}),
        ("Record", {"classes": ("collapse",), "fields": RecordAdmin.record_readonly}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        detention_custody_changed(detention=form.instance)


class ChargeInline(ChildTabularInline):
    model = Charge
    fields = ("article", "charged_on", "status")
    autocomplete_fields = ("article",)
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


class SentenceInline(ChildStackedInline):
    model = Sentence
    extra = 0
    fields = (
        ("decided_on", "decided_on_precision", "court"),
        ("kind", "status"),
        ("term_years", "term_months", "term_days"),
        ("amount", "currency"),
        ("starts_on", "custody_credit_days", "ends_on", "ends_on_override", "end_shown"),
        ("appeal_deadline", "appeal_outcome"),
    )
    readonly_fields = ("custody_credit_days", "ends_on", "appeal_deadline", "end_shown")

    @admin.display(description=_("expected end"))
    def end_shown(self, obj):
        if obj is None or obj.expected_end is None:
            return "—"
        if obj.end_is_overridden:
            return format_html(
                "{} <strong>{}</strong> ({} {})",
                obj.expected_end,
                _("set by a lawyer"),
                _("computed"),
                obj.ends_on,
            )
        return format_html("{} <em>{}</em>", obj.expected_end, _("computed"))


class HearingInline(ChildStackedInline):
    model = Hearing
    extra = 0
    fields = (
        ("held_at", "held_at_precision", "held_at_certainty"),
        ("kind", "court", "judge"),
        "outcome",
        "notes",
        "sources",
    )
    autocomplete_fields = ("sources",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")


class AppealFormSet(SoftDeleteInlineFormSet):
    """Every row offers the same sentences: read them once, not once per row."""

    @cached_property
    def forms(self):
        forms = super().forms
        if forms:
            choices = list(iter(forms[0].fields["sentence"].choices))  # iter: no COUNT query first
            for form in forms:
                form.fields["sentence"].choices = choices
        return forms


def _sentence_label(sentence: Sentence) -> str:
    return f"{sentence.decided_on:%Y-%m-%d}: {sentence}"


class AppealInline(ChildStackedInline):
    model = Appeal
    formset = AppealFormSet
    extra = 0
    fields = (
        ("sentence", "instance", "court"),
        ("filed_by", "filed_on", "filed_on_precision"),
        ("decided_on", "decided_on_precision", "outcome"),
        "notes",
        "sources",
    )
    autocomplete_fields = ("sources",)

    def get_queryset(self, request):
        # The sentence is shown by name on a read-only page.
        return super().get_queryset(request).select_related("sentence").prefetch_related("sources")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the sentences of the case on this page (none yet on an add page).
        if db_field.name == "sentence":
            match = request.resolver_match
            case_pk = match.kwargs.get("object_id") if match else None
            sentences = Sentence.objects.visible_to(request.user)
            kwargs["queryset"] = sentences.filter(legal_case_id=case_pk) if case_pk else sentences.none()
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = _sentence_label
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _hidden_sources(instances, user) -> dict[int, list[int]]:
    """The sources of existing hearings or appeals that `user` may not see, by row: the inline offers only
    visible ones, so saving it would drop the others (another monitor's restricted source)."""
    rows = [obj for obj in instances if obj.pk]
    if not rows:
        return {}
    model = type(rows[0])
    visible = model.sources.field.related_model.objects.visible_to(user).values("pk")
    through = model.sources.through.objects.filter(**{f"{model._meta.model_name}__in": rows})
    hidden: dict[int, list[int]] = {}
    for owner, source in through.exclude(source__in=visible).values_list(
        f"{model._meta.model_name}_id", "source_id"
    ):
        hidden.setdefault(owner, []).append(source)
    return hidden


@admin.register(LegalCase)
class LegalCaseAdmin(SkeletonSearchMixin, RecordAdmin):
    skeleton_search_path = "person__"
    list_display = ("__str__", "kind", "status", "court", "opened_on", "articles", "confidentiality")
    list_filter = ("kind", "status", "confidentiality", "charges__article")
    search_fields = ("person__full_name", "number", "court", "judge")
    date_hierarchy = "opened_on"
    autocomplete_fields = ("person", "detentions", "sources")
    list_select_related = ("person",)
    inlines = [ChargeInline, SentenceInline, HearingInline, AppealInline]
    fieldsets = (
        (None, {"fields": ("person", "kind", "number", "status", "opened_on")}),
        ("Court", {"fields": ("court", "judge", "prosecutor")}),
        ("Grew from", {"fields": ("detentions",)}),
        ("Evidence", {"fields": ("sources", "notes")}),
        ("Access", {"fields": ("confidentiality", "shared_with")}),
        ("Record", {"classes": ("collapse",), "fields": RecordAdmin.record_readonly}),
    )

    def get_queryset(self, request):
        # A read-only case page labels each detention with its person's name.
        detentions = Prefetch("detentions", queryset=Detention.objects.select_related("person"))
        return super().get_queryset(request).prefetch_related("charges__article", detentions)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "detentions":  # each is labelled with its person's name
            kwargs["queryset"] = Detention.objects.visible_to(request.user).select_related("person")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("articles"))
    def articles(self, obj):
        return ", ".join(c.article.citation for c in obj.charges.all() if not c.is_deleted)

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Hearing, Appeal):
            return super().save_formset(request, form, formset, change)
        hidden = _hidden_sources([f.instance for f in formset.initial_forms], request.user)
        super().save_formset(request, form, formset, change)
        for obj in formset.model.objects.filter(pk__in=hidden):
            obj.sources.add(*hidden[obj.pk])
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        legal_case_recompute(legal_case=form.instance)


# --- The assembly page, with its detainees entered in one save -------------------------------------------


class DetaineeInline(ChildTabularInline):
    """Fast entry: one row per detainee. The admin validates every row before saving any, and saves them in
    one transaction, so one bad row refuses the whole save with the error on that row."""

    model = Detention
    form = DetaineeRowForm
    fk_name = "assembly"
    extra = 5
    autocomplete_fields = ("person", "treatment")
    show_change_link = True
    verbose_name = _("detainee")
    verbose_name_plural = _("detainees")

    def get_queryset(self, request):
        return (
            Detention.objects.visible_to(request.user).select_related("person").prefetch_related("treatment")
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["detained_at"].initial = obj.starts_at
        return formset


class AssemblyWithDetaineesAdmin(AssemblyAdmin):
    list_display = (*AssemblyAdmin.list_display[:-1], "named_detainees", "confidentiality")
    inlines = [DetaineeInline]
    readonly_fields = ("detainee_count",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(named=Count("detentions", filter=Q(detentions__is_deleted=False), distinct=True))
            .order_by(*Assembly._meta.ordering)  # an aggregate drops Meta.ordering
        )

    @admin.display(description=_("named detainees"), ordering="named")
    def named_detainees(self, obj):
        return obj.named

    @admin.display(description=_("detainees: reported / named"))
    def detainee_count(self, obj):
        named = obj.detentions.filter(is_deleted=False).count() if obj and obj.pk else 0
        reported = obj.reported_detainees_note or obj.reported_detainees or "—" if obj else "—"
        return format_html("{} {} / {} {}", _("reported"), reported, _("named"), named)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        title, options = fieldsets[2]
        fieldsets[2] = (title, {**options, "fields": (*options["fields"], "detainee_count")})
        return fieldsets

    def save_formset(self, request, form, formset, change):
        if formset.model is not Detention:
            return super().save_formset(request, form, formset, change)
        assembly = form.instance
        for row in formset.forms:
            new_name = (row.cleaned_data.get("new_person_name") or "").strip() if row.cleaned_data else ""
            if new_name and not row.cleaned_data.get("DELETE"):
                row.instance.person = person_create(user=request.user, full_name=new_name)
            if row.cleaned_data and not row.instance.place_id:
                row.instance.place = assembly.place
        return super().save_formset(request, form, formset, change)


admin.site.unregister(Assembly)
admin.site.register(Assembly, AssemblyWithDetaineesAdmin)


# --- The person page, with the whole history -------------------------------------------------------------


class PersonDetentionInline(ReadOnlyTabularInline):
    model = Detention
    fields = ("detained_at", "assembly", "place", "held_at", "procedural_status", "treatments", "outcome")
    readonly_fields = fields
    verbose_name_plural = _("detentions")

    def get_queryset(self, request):
        return (
            Detention.objects.visible_to(request.user)
            .select_related("person", "assembly", "place__parent")
            .prefetch_related("treatment")
            .order_by("detained_at")
        )

    @admin.display(description=_("treatment"))
    def treatments(self, obj):
        return ", ".join(t.name_en for t in obj.treatment.all())


class PersonLegalCaseInline(ReadOnlyTabularInline):
    model = LegalCase
    fields = ("kind", "number", "court", "status", "charge_list", "sentence_list")
    readonly_fields = fields
    verbose_name_plural = _("legal cases")

    def get_queryset(self, request):
        return (
            LegalCase.objects.visible_to(request.user)
            .select_related("person")
            .prefetch_related("charges__article", "sentences")
        )

    @admin.display(description=_("charges"))
    def charge_list(self, obj):
        charges = [c for c in obj.charges.all() if not c.is_deleted]
        return (
            format_html_join(
                "",
                "<div>{} — {} ({})</div>",
                ((c.article.citation, c.article.name_en, c.get_status_display()) for c in charges),
            )
            or "—"
        )

    @admin.display(description=_("sentences"))
    def sentence_list(self, obj):
        sentences = [s for s in obj.sentences.all() if not s.is_deleted]
        return (
            format_html_join(
                "",
                "<div>{} {}, {} {}{}</div>",
                (
                    (
                        s.get_kind_display(),
                        s.term_display,
                        _("ends"),
                        s.expected_end or "—",
                        f" ({_('set by a lawyer')})" if s.end_is_overridden else "",
                    )
                    for s in sentences
                ),
            )
            or "—"
        )


class PersonWithHistoryAdmin(PersonAdmin):
    inlines = [*PersonAdmin.inlines, PersonDetentionInline, PersonLegalCaseInline]
    readonly_fields = ("add_case_link",)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.insert(1, (_("History"), {"fields": ("add_case_link",)}))
        return fieldsets

    @admin.display(description=_("add to the history"))
    def add_case_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a class="addlink" href="{}?person={}">{}</a> &nbsp; '
            '<a class="addlink" href="{}?person={}">{}</a>',
            reverse("admin:cases_detention_add"),
            obj.pk,
            _("Add a detention"),
            reverse("admin:cases_legalcase_add"),
            obj.pk,
            _("Add a legal case"),
        )


admin.site.unregister(Person)
admin.site.register(Person, PersonWithHistoryAdmin)
