from django.contrib import admin

from .models import HealthService, Organisation, Team


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "urn", "phase", "local_authority"]
    list_filter = ["kind", "phase", "setting_type"]
    search_fields = ["name", "code", "urn"]
    raw_id_fields = ["local_authority"]


@admin.register(HealthService)
class HealthServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "provider"]
    list_filter = ["kind"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name", "organisation__name"]
