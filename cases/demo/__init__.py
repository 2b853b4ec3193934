"""The demo data set (the February 2019 report) and the service that loads it: `manage.py load_demo`."""

from cases.demo.load import DEMO_NAMESPACE, DemoError, DemoResult, DemoUser, demo_load, demo_uid

__all__ = ["DEMO_NAMESPACE", "DemoError", "DemoResult", "DemoUser", "demo_load", "demo_uid"]
