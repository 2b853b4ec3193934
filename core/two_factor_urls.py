"""The two-factor pages under /account/two-factor/ (config/urls.py)."""

from django.urls import path

from core import two_factor_views as views

app_name = "two_factor"

urlpatterns = [
    path("", views.TwoFactorStatusView.as_view(), name="status"),
    path("verify/", views.TwoFactorVerifyView.as_view(), name="verify"),
    path("enrol/", views.TwoFactorEnrolView.as_view(), name="enrol"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery-codes"),
]
