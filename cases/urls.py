"""Browser pages of the cases app (they show people with their detentions and cases, so they live here:
people may not import cases)."""

from django.urls import path

from cases import dashboard_views, dossier_views, views

app_name = "cases"

urlpatterns = [
    path("search/", views.PersonSearchView.as_view(), name="person-search"),
    path("people/suggest/", views.PersonSuggestView.as_view(), name="person-suggest"),
    path("people/duplicates/", views.PersonDuplicatesView.as_view(), name="person-duplicates"),
    path("people/<uuid:uid>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<uuid:uid>/dossier.pdf", dossier_views.PersonDossierView.as_view(), name="person-dossier"),
    path("assemblies/<uuid:uid>/", views.AssemblyDetailView.as_view(), name="assembly-detail"),
    path("assemblies/<uuid:uid>/record/", views.AssemblyRecordView.as_view(), name="assembly-record"),
    path(
        "assemblies/<uuid:uid>/record/row/", views.AssemblyRecordRowView.as_view(), name="assembly-record-row"
    ),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
]
