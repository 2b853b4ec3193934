"""/api/v1/: the router of every app's read endpoints, the delta feed, and the OpenAPI schema and docs.
It lives in cases, the highest app the API draws on, so it may import the viewsets of every app below."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
# Each app's api.py registers its viewsets here (see register_all below).


def register_all() -> None:
    """Register the endpoints of every app, in the order the API root lists them."""


register_all()

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("docs/swagger/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger"),
]
