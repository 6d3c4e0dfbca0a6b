"""The support admin site: every page that shows a child's record, and every change made there, is audited.

`ChildRecordAdmin` is the mixin for every ModelAdmin whose model has a path to a child (the test
`test_every_admin_with_a_path_to_a_child_is_audited` enumerates the registry, so a new admin without it
fails). It records, through `audit.services`, the children shown on a change list (search included),
each change, history and delete page opened, and every change, deletion and inline change saved.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import transaction

from .models import AuditAction, AuditEvent
from .services import record_change, record_children_shown, record_view, snapshot

WHERE = "in the support admin site"


class ChildRecordAdmin:
    """Mix into a ModelAdmin (before `admin.ModelAdmin`) for a model that belongs to a child.

    `child_path` is the ORM path from the model to its child ("pk" for Child itself). `audited_fields`
    lists the fields whose before and after are recorded on a change (default: every concrete field).
    """

    child_path = "child"
    audited_fields: list[str] | None = None

    # -- reads -------------------------------------------------------------------------------------------

    def child_ids(self, objects) -> list[int]:
        """The children of `objects` in one query, whatever the path (no query per object)."""
        pks = [obj.pk for obj in objects]
        if not pks:
            return []
        rows = self.model._default_manager.filter(pk__in=pks).values_list("pk", self.child_path)
        by_pk = dict(rows)
        return [by_pk[pk] for pk in pks if by_pk.get(pk) is not None]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if "cl" in context:  # the list itself, with or without a search
            shown, summary = context["cl"].result_list, f"Saw in the {self.opts.verbose_name_plural} list {WHERE}"
        elif "queryset" in context:  # an action's confirmation page (such as "delete selected") lists them too
            shown, summary = context["queryset"], f"Saw on a confirmation page {WHERE}"
        else:
            return response
        record_children_shown(request=request, children=self.child_ids(shown), summary=summary,
                              search=request.GET.get("q", ""))
        return response

    def _record_page(self, request, object_id, response, page: str):
        if getattr(response, "status_code", None) != 200:
            return
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            record_view(request=request, child=None, child_id=next(iter(self.child_ids([obj])), None), obj=obj,
                        summary=f"Opened the {page} of this {self.opts.verbose_name} {WHERE}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_page(request, object_id, response, "page")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_page(request, object_id, response, "history")
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        self._record_page(request, object_id, response, "delete page")
        return response

    # -- writes ------------------------------------------------------------------------------------------

    def _fields_of(self, model) -> list[str]:
        if model is self.model and self.audited_fields is not None:
            return list(self.audited_fields)
        return [f.name for f in model._meta.concrete_fields if not f.primary_key]

    def _before(self, model, pk) -> dict:
        if pk is None:
            return {}
        existing = model._default_manager.filter(pk=pk).first()
        return snapshot(existing, self._fields_of(model)) if existing is not None else {}

    def audit_change(self, request, obj, *, before: dict, after: dict | None, pk=None):
        """One audit row for a saved or deleted object; grants and ends of access go through people.services.

        `pk` names an object that has just been deleted (Django clears the pk of a deleted inline row).
        """
        from sendhub.people.services import ACCESS_MODELS, record_access_change

        object_id = str(pk if pk is not None else obj.pk)
        if obj._meta.label in ACCESS_MODELS:
            record_access_change(actor=request.user, obj=obj, before=before, after=after, request=request,
                                 where=WHERE, object_id=object_id)
            return
        action = AuditAction.DELETE if after is None else AuditAction.UPDATE if before else AuditAction.CREATE
        record_change(actor=request.user, action=action, obj=obj, child_id=_child_id_of(obj), before=before,
                      after=after or {}, summary=f"{action.label} {obj._meta.verbose_name} {WHERE}", request=request,
                      object_id=object_id)

    def save_model(self, request, obj, form, change):
        before = self._before(type(obj), obj.pk) if change else {}
        super().save_model(request, obj, form, change)
        self.audit_change(request, obj, before=before, after=snapshot(obj, self._fields_of(type(obj))))

    def delete_model(self, request, obj):
        before = snapshot(obj, self._fields_of(type(obj)))
        with transaction.atomic():
            self.audit_change(request, obj, before=before, after=None)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.audit_change(request, obj, before=snapshot(obj, self._fields_of(type(obj))), after=None)
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows (such as a child's family members) are audited one by one: added, changed, removed."""
        model = formset.model
        fields = self._fields_of(model)
        saved = {o.pk: snapshot(o, fields) for o in model._default_manager.filter(  # as stored, in one query
            pk__in=[f.instance.pk for f in formset.forms if f.instance.pk is not None])}
        originals = {id(f.instance): saved.get(f.instance.pk, {}) for f in formset.forms}  # deleting clears pk
        deleted_pks = {id(f.instance): f.instance.pk for f in formset.deleted_forms}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self.audit_change(request, obj, before={}, after=snapshot(obj, fields))
        for obj, _changed in formset.changed_objects:
            self.audit_change(request, obj, before=originals.get(id(obj), {}), after=snapshot(obj, fields))
        for obj in formset.deleted_objects:
            self.audit_change(request, obj, before=originals.get(id(obj)) or snapshot(obj, fields), after=None,
                              pk=deleted_pks.get(id(obj)))


def _child_id_of(obj):
    """The child an object belongs to, from the object in hand (a Child is its own child)."""
    if obj._meta.label == "people.Child":
        return obj.pk
    if hasattr(obj, "child_id"):
        return obj.child_id
    for path in ("plan", "assessment", "review", "version", "referral"):
        parent = getattr(obj, path, None)
        if parent is not None:
            return _child_id_of(parent)
    return None


@admin.register(AuditEvent)
class AuditEventAdmin(ChildRecordAdmin, admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted, even by support staff. Reading it is audited too."""

    list_display = ["at", "actor_label", "action", "channel", "object_type", "object_id", "summary"]
    list_filter = ["action", "channel"]
    search_fields = ["actor_label", "object_id", "summary"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
