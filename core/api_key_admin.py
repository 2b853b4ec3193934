"""The staff admin for API keys (administrators only): a new key is shown once after saving, keys are
revoked rather than deleted, and the stored hash is never displayed. Registered from core/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import roles
from core.models import ApiKey
from core.services import ApiKeyError, api_key_create, api_key_revoke, api_key_validate, audit_record


class ApiKeyAddForm(forms.ModelForm):
    """A new key for a partner organisation (its Partner account is created with its first key) or for a staff
    user; the rules are the service's (`api_key_validate`), checked before anything is saved."""

    partner = forms.CharField(
        label=_("partner organisation"),
        max_length=150,
        required=False,
        help_text=_("For a partner's read-only key. Leave empty and choose a user for a staff key."),
    )

    class Meta:
        model = ApiKey
        fields = ("partner", "user", "name", "scope", "expiry_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].required = False
        self.fields["user"].help_text = _(
            "For a staff key: the key acts as this user and sees what they see."
        )
        self.fields["name"].required = False
        self.fields["name"].help_text = _("A label; by default the partner's name or the username.")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                api_key_validate(
                    partner=cleaned.get("partner") or None,
                    user=cleaned.get("user"),
                    scope=cleaned.get("scope"),
                    expires_at=cleaned.get("expiry_date"),
                )
            except ApiKeyError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return cleaned


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Administrators issue and revoke REST API keys. A new key is shown once, in a message after saving;
    only its hash is stored and it is never shown. Keys are revoked, never deleted."""

    list_display = ("name", "user", "scope", "prefix", "created", "expiry_date", "last_used_at", "revoked")
    list_filter = ("scope", "revoked")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    actions = ["revoke_selected"]
    add_fields = ("partner", "user", "name", "scope", "expiry_date")
    change_fields = ("name", "prefix", "user", "scope", "created", "expiry_date", "last_used_at", "revoked")

    def _allowed(self, request) -> bool:
        return roles.is_administrator(request.user)

    def has_module_permission(self, request):
        return self._allowed(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.change_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.revoked:
            return self.change_fields
        return ("prefix", "user", "scope", "created", "last_used_at", "revoked")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, groups__name__in=[str(role) for role in roles.STAFF_ROLES])
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="kuzet.api_key.updated",
                obj=obj,
                data={"prefix": obj.prefix, "fields": form.changed_data, "via": "admin"},
            )
            return
        data = form.cleaned_data
        api_key, key = api_key_create(
            partner=data["partner"] or None,
            user=data["user"],
            scope=data["scope"],
            expires_at=data["expiry_date"],
            created_by=request.user,
            name=data["name"] or None,
        )
        # The admin goes on with `obj` (its log entry, the redirect): make it the row the service wrote.
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(api_key, field.attname))
        obj._state.adding = False
        obj._state.db = api_key._state.db
        messages.add_message(
            request,
            messages.WARNING,
            _(
                "The API key for %(name)s is: %(key)s — it is shown only once: store it somewhere safe now, "
                "it cannot be recovered."
            )
            % {"name": api_key.name, "key": key},
        )

    @admin.action(description=_("Revoke selected API keys"))
    def revoke_selected(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked=False).select_related("user"):
            api_key_revoke(api_key=api_key, by=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", revoked)
            % {"count": revoked},
        )
