"""Browser pages of the cases app. Append new paths at the end (several people add to this list)."""

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("search/", views.PersonSearchView.as_view(), name="person-search"),
    path("people/<uuid:uid>/", views.PersonDetailView.as_view(), name="person-detail"),
]
urlpatterns.append(path("people/duplicates/", views.PersonDuplicatesView.as_view(), name="person-duplicates"))
