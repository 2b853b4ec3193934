"""The mixed read load of `make bench` (bench.run.mixed_load starts locust on it, headless).

Users that never wait, each request drawn by weight: mostly the partner API (detentions and name searches),
then person pages, the search page, and now and then the dashboard. The URLs, the partner's key and the
staff session come from the JSON file named by BENCH_PLAN, written by bench.run.
"""

import json
import os
import random
import sys
from pathlib import Path

from locust import FastHttpUser, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # locust adds bench/, not the root
from bench.stats import LOAD_WEIGHTS as WEIGHTS

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read()) if os.environ.get("BENCH_PLAN") else None  # noqa: SIM115


class Reader(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.cases = {case["name"]: case for case in PLAN["cases"]}
        self.names = [name for name in WEIGHTS if name in self.cases]
        self.weights = [WEIGHTS[name] for name in self.names]
        self.headers = {
            "partner": {"Authorization": f"Bearer {PLAN['partner_key']}", "Accept": "application/json"},
            "staff": {"Cookie": PLAN["cookie"], "Accept-Language": "en"},
        }

    @task
    def read(self):
        (name,) = random.choices(self.names, self.weights)
        case = self.cases[name]
        path = case["path"]
        if name == "person history page":
            path = f"/people/{random.choice(PLAN['people'])}/"
        self.client.get(path, headers=self.headers[case["who"]], name=name)
