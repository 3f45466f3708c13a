"""Enrichment end to end: the factory built once without enrichment, then enriched from the offline
directory and from an HTTP provider (a real server on loopback that answers from the planted
truth), built again, enriched again (from the cache), then with a steward's fixes. Checked against
the truth the generator planted."""

from __future__ import annotations

import csv
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from support import Warehouse, tables_containing

from lead_factory.demo.generator import generate
from lead_factory.landing.loader import land
from lead_factory.pipeline import enrich, run_dbt

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("enrichment")]

SIZE = 1500
SEED = 21
KEY = "sk-test-do-not-leak-0123456789"


class TruthApi(ThreadingHTTPServer):
    """A Clearbit-style company API answering from the planted truth: the companies the offline
    directory does not list (so the waterfall needs both providers)."""

    def __init__(self, companies: dict[str, dict[str, str]]) -> None:
        super().__init__(("127.0.0.1", 0), TruthHandler)
        self.companies = companies
        self.calls: list[str] = []


class TruthHandler(BaseHTTPRequestHandler):
    server: TruthApi

    def do_GET(self) -> None:
        url = urlparse(self.path)
        self.server.calls.append(self.path)
        company = None
        if url.path == "/v2/companies/find" and self.headers.get("Authorization") == f"Bearer {KEY}":
            company = self.server.companies.get(parse_qs(url.query).get("domain", [""])[0])
        if company is None:
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps(
            {
                "name": company["company_name"],
                "domain": company["domain"],
                "geo": {"country": company["country_code"], "city": company["city"]},
                "category": {"industry": company["industry"]},
                "metrics": {"employees": int(company["employee_count"])},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


CLOSED_BY_ENRICHMENT = """
    select cases.rule_name, classified.enriched_fields, rules.fields
    from marts.fct_remediation_cases as cases
    inner join intermediate.int_leads_classified as classified using (record_id)
    inner join marts.dim_mvl_rules as rules using (rule_name)
    where cases.resolution = 'fixed_by_enrichment'
"""
ENRICHED_WITHOUT_TIME = """
    select count(*) filter (where enriched_at is null) from marts.dim_lead_lifecycle
    inner join intermediate.int_leads_enriched using (record_id) where len(enriched_fields) > 0
"""


@dataclass
class Factory(Warehouse):
    api: TruthApi
    before: dict[str, list[tuple]] = field(default_factory=dict)
    enriched: dict[str, list[tuple]] = field(default_factory=dict)
    calls_after_first_enrichment: int = 0


@pytest.fixture(scope="module")
def factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Factory]:
    root = tmp_path_factory.mktemp("enrichment")
    generate(root / "demo", size=SIZE, seed=SEED)
    landing = root / "demo" / "landing"
    companies = {
        row["domain"]: row
        for row in csv.DictReader((root / "demo" / "truth" / "companies.csv").open(encoding="utf-8"))
        if row["in_directory"] != "true" and row["domain"]
    }
    api = TruthApi(companies)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    built = Factory(root / "warehouse.duckdb", root / "demo", root / "target", api)
    target = built.target
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEAD_FACTORY_ENRICH_URL", f"http://127.0.0.1:{api.server_address[1]}")
        env.setenv("LEAD_FACTORY_ENRICH_KEY", KEY)
        env.setenv("LEAD_FACTORY_ENRICH_RATE", "0")
        land(landing, built.db)
        run_dbt(["build"], built.db, target="test", target_path=target)
        built.before = {
            "statuses": built.query("select record_id, mvl_status from intermediate.int_leads_classified"),
            "open": built.query("select case_id, record_id, rule_name from marts.fct_remediation_queue"),
        }
        enrich(built.db, echo=lambda line: None, target="test")
        run_dbt(["build"], built.db, target="test", target_path=target)
        built.enriched = {
            "statuses": built.query("select record_id, mvl_status from intermediate.int_leads_classified"),
            "closed": built.query(CLOSED_BY_ENRICHMENT),
            "lifecycle": built.query(ENRICHED_WITHOUT_TIME),
        }
        built.calls_after_first_enrichment = len(api.calls)
        enrich(built.db, echo=lambda line: None, target="test")  # everything is fresh in the cache
        # A data steward's fixes arrive; the next run applies them over the providers' values.
        (landing / "fixes").mkdir()
        for path in (root / "demo" / "stewardship").glob("*.csv"):
            shutil.copyfile(path, landing / "fixes" / path.name)
        land(landing, built.db)
        enrich(built.db, echo=lambda line: None, target="test")
        run_dbt(["build"], built.db, target="test", target_path=target)
    yield built
    api.shutdown()


def test_both_providers_fill_fields_in_the_declared_order(factory: Factory) -> None:
    sources = dict(
        factory.query(
            "select company_name_source, count(*) from intermediate.int_leads_enriched group by all"
        )
    )
    assert sources.get("offline_directory", 0) > 0 and sources.get("http_api", 0) > 0
    # The HTTP provider was asked only about what the directory does not know.
    asked = {
        key
        for (key,) in factory.query(
            "select lookup_key from raw.enrichment_cache where provider = 'http_api' "
            "and request_type = 'company_by_domain'"
        )
    }
    directory = factory.query("select company_domain from staging.stg_firmographics__companies")
    known = {key for (key,) in directory}
    assert asked and not asked & known


def test_provider_values_are_the_true_companies(factory: Factory) -> None:
    companies = {row["domain"]: row for row in factory.truth_rows("companies.csv")}
    rows = factory.query(
        """
        select enriched.company_name, enriched.country_code, enriched.company_name_source,
            enriched.country_source, requests.lookup_key
        from intermediate.int_leads_enriched as enriched
        inner join raw.enrichment_cache as requests
            on requests.provider = enriched.company_name_source and requests.status = 'hit'
            and requests.request_type = 'company_by_domain'
            and requests.lookup_key = coalesce(
                case when enriched.is_email_syntax_valid and not enriched.is_free_email
                    and not enriched.is_disposable_email then enriched.email_domain end,
                enriched.website_domain)
        """
    )
    assert rows
    for name, country, name_source, country_source, domain in rows:
        assert name == companies[domain]["company_name"]
        if country_source == name_source:
            assert country == companies[domain]["country_code"]


def test_enrichment_moves_records_to_ready_and_closes_their_cases(factory: Factory) -> None:
    """After the first enrichment: records that only needed enrichment are ready, and every case
    resolved as fixed by enrichment is about a field a provider or the CRM filled."""
    before = dict(factory.before["statuses"])
    after = dict(factory.enriched["statuses"])
    improved = [r for r, status in before.items() if status == "needs_enrichment" and after[r] == "ready"]
    assert improved
    closed = factory.enriched["closed"]
    assert closed
    for rule, enriched, fields in closed:
        assert set(enriched) & set(fields), (rule, enriched, fields)
    assert factory.enriched["lifecycle"] == [(0,)]


def test_a_second_run_asks_nothing_fresh(factory: Factory) -> None:
    runs = factory.query(
        "select calls, from_cache, hits + misses from raw.enrichment_runs order by started_at"
    )
    assert runs[0][0] > 0
    # The second run took every hit and miss of the first from the cache and called nobody.
    assert runs[1][0] == 0 and runs[1][1] >= runs[0][2]
    assert len(factory.api.calls) == factory.calls_after_first_enrichment


def test_a_stewards_fix_beats_the_providers(factory: Factory) -> None:
    fixed = [
        row
        for row in factory.truth_rows("steward_fixes.csv")
        if row["expected_outcome"] == "applied" and row["field"] in ("company_name", "country")
    ]
    assert fixed
    for row in fixed:
        (source,) = factory.query(
            f"select {row['field']}_source from intermediate.int_leads_enriched "
            f"where record_id = '{row['record_id']}'"
        )
        assert source == ("steward",), row


def test_the_metrics_show_fill_rates_hits_and_calls_saved(factory: Factory) -> None:
    rates = {
        name: (before, after, providers)
        for name, before, after, providers in factory.query(
            "select field_name, fill_rate_before, fill_rate_after, from_providers "
            "from marts.rpt_enrichment_fill_rates"
        )
    }
    assert rates["company_name"][1] > rates["company_name"][0] and rates["company_name"][2] > 0
    assert all(after >= before for before, after, _ in rates.values())
    providers = dict(factory.query("select provider, hit_rate from marts.rpt_enrichment_providers"))
    assert set(providers) == {"offline_directory", "http_api"}
    saved = factory.query("select sum(calls_saved_by_cache) from marts.rpt_enrichment_runs")
    assert saved[0][0] > 0


def test_the_key_is_kept_out_of_the_warehouse(factory: Factory) -> None:
    assert tables_containing(factory.db, KEY) == []
    assert tables_containing(factory.db, "offline_directory") != []  # the search finds what is there
    assert KEY.encode() not in factory.db.read_bytes()
