from django.urls import path

from . import oruk, views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("services/<uuid:pk>", views.service_page, name="service"),
    path("services/<uuid:pk>/easy-read", views.easy_read, name="easy-read"),
    path("export/oruk.json", views.export_json, name="export-json"),
    path("export/oruk-csv.zip", views.export_csv, name="export-csv"),
    path("entries/", views.entries, name="entries"),
    path("entries/new", views.entry_new, name="entry-new"),
    path("entries/<uuid:pk>/edit", views.entry_edit, name="entry-edit"),
    path("entries/<uuid:pk>/confirm", views.entry_confirm, name="entry-confirm"),
    path("drafts/<int:pk>/", views.draft_edit, name="draft"),
    path("drafts/<int:pk>/delete", views.draft_withdraw, name="draft-withdraw"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("import/", views.import_feed, name="import"),
    # The Open Referral UK API: the profile's paths under the stub /local-offer/api
    path("api/", oruk.api_info, name="oruk-info"),
    path("api/services", oruk.services, name="oruk-services"),
    path("api/services/<str:id>", oruk.service_detail, name="oruk-service"),
    path("api/service_at_locations", oruk.service_at_locations, name="oruk-sals"),
    path("api/service_at_locations/<str:id>", oruk.service_at_location_detail, name="oruk-sal"),
    path("api/taxonomies", oruk.taxonomies, name="oruk-taxonomies"),
    path("api/taxonomies/<str:id>", oruk.taxonomy_detail, name="oruk-taxonomy"),
    path("api/taxonomy_terms", oruk.taxonomy_terms, name="oruk-terms"),
    path("api/taxonomy_terms/<str:id>", oruk.taxonomy_term_detail, name="oruk-term"),
]
