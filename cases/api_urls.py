"""/api/v1/: the router of every app's read endpoints, the delta feed, and the OpenAPI schema and docs.
It lives in cases, the highest app the API draws on, so it may import the viewsets of every app below."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cases.api_feed import ChangesView

router = DefaultRouter()
# Each app's api.py registers its viewsets here (see register_all below).


def register_all() -> None:
    """Register the endpoints of every app, in the order the API root lists them. The basename is the
    record's `type` in the delta feed: `person`, `assembly`, … (route names `api:<basename>-list|detail`)."""
    from cases.api import DetentionViewSet, LegalArticleViewSet, LegalCaseViewSet
    from events.api import AssemblyViewSet, IncidentViewSet, PlaceViewSet, SourceViewSet
    from people.api import PersonViewSet

    router.register("people", PersonViewSet, basename="person")
    router.register("assemblies", AssemblyViewSet, basename="assembly")
    router.register("incidents", IncidentViewSet, basename="incident")
    router.register("detentions", DetentionViewSet, basename="detention")
    router.register("legal-cases", LegalCaseViewSet, basename="legal-case")
    router.register("places", PlaceViewSet, basename="place")
    router.register("legal-articles", LegalArticleViewSet, basename="legal-article")
    router.register("sources", SourceViewSet, basename="source")


register_all()

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Redoc styles itself with CSS-in-JS (<style> elements it writes at run time) and runs its search in a
    # worker it builds from a blob: this one page allows both. Its scripts stay 'self' only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    # The split view serves its start-up script from a URL: the Content-Security-Policy allows no inline one.
    path("docs/swagger/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="swagger"),
]
