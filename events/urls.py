from django.urls import path

from events.views import SourceFileView

app_name = "events"

urlpatterns = [
    path("sources/<uuid:uid>/file/", SourceFileView.as_view(), name="source-file"),
]
