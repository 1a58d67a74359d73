"""The scale benchmark: `make bench SIZE=100000` (or 1000000) measures PALS Desk over HTTP on a generated trust.

It creates a PostgreSQL database (palsdesk_bench_<size>), migrates it, fills it with `generate_cases`,
serves the app with gunicorn (bench.settings: the app's settings plus a header counting each
response's queries), and measures with a plain HTTP client from the standard library:

- p50, p95 and p99 latency and queries per request for My work, the case list filtered by division
  and status, the case page with the longest timelines, search (hits and misses), the daily report,
  the dashboard and the KO41a return where those pages exist, and logging a case through the API;
- requests a second for a mixed officer workload at 8 and 32 concurrent clients;
- the raw SQL floor of the list and search pages: the very statements each page ran, executed again
  straight on one connection, so the app's own overhead shows as a ratio;
- the query plans of those statements: which indexes they use, and any sequential scan of a large table.

It writes the results into docs/performance.md between markers for the size, with the machine, the
size and the date. A benchmark, not a test: it fails on nothing but errors. The client runs on the
same machine as the server and the database, and takes some of its CPU.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
BIN = Path(PYTHON).parent
DOC = ROOT / "docs" / "performance.md"
PASSWORD = "pals-desk-demo-2026"  # noqa: S105 (palsdesk.demo.content.DEMO_PASSWORD, published: generated data only)
# The targets, at a million cases on two cores: p95 in milliseconds, and requests a second.
TARGET_P95_MS = {"my work": 50, "list": 50, "case page": 50, "search": 150, "ko41a": 1000}
TARGET_REQUESTS_A_SECOND = 200
LARGE_TABLE_ROWS = 10_000


# The HTTP client.


@dataclass
class Reply:
    status: int
    seconds: float
    queries: int | None
    body: bytes
    cookies: dict


class Client:
    """One keep-alive connection (reopened when the server closes it), with a session cookie or API token."""

    def __init__(self, port: int, *, cookie: str = "", token: str = ""):
        self.port = port
        self.cookie = cookie
        self.token = token
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def send(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Reply:
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            if response.will_close:
                self.connection.close()
            queries = response.getheader("X-Bench-Queries")
            cookies = SimpleCookie()
            for header in response.msg.get_all("Set-Cookie") or []:
                cookies.load(header)
            return Reply(
                response.status,
                seconds,
                int(queries) if queries else None,
                content,
                {k: m.value for k, m in cookies.items()},
            )
        raise AssertionError("unreachable")

    def get(self, path: str) -> Reply:
        return self.send("GET", path)


def sign_in(port: int, username: str) -> str:
    """A session cookie for the user, signed in through the sign-in form as a person would."""
    client = Client(port)
    page = client.get("/sign-in/")
    csrf = page.cookies["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
    client.cookie = f"csrftoken={csrf}"
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    reply = client.send(
        "POST", "/sign-in/", body=form.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    if reply.status != 302 or "sessionid" not in reply.cookies:
        raise SystemExit(f"Could not sign in as {username}: HTTP {reply.status}.")
    return f"csrftoken={csrf}; sessionid={reply.cookies['sessionid']}"


# What is measured.


@dataclass
class Request:
    cookie: str = ""
    path: str = "/"
    method: str = "GET"
    body: bytes | None = None
    token: str = ""
    expect: int = 200


@dataclass
class Scenario:
    name: str
    target: str  # a key of TARGET_P95_MS, or ""
    requests: list[Request]


@dataclass
class Measured:
    name: str
    target: str
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: int = 0

    def percentile(self, p: int) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0] * 1000 if self.seconds else float("nan")
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[p - 1] * 1000


def _send(client: Client, request: Request) -> Reply:
    client.cookie, client.token = request.cookie, request.token
    headers = {"Content-Type": "application/json"} if request.body is not None else None
    return client.send(request.method, request.path, body=request.body, headers=headers)


def measure(port: int, scenario: Scenario, count: int, *, warm_up: int = 5, budget: float = 60) -> Measured:
    """`count` requests after `warm_up`, or as many as `budget` seconds allow (at least 20): slow pages get fewer."""
    client = Client(port)
    result = Measured(scenario.name, scenario.target)
    started = time.perf_counter()
    for number in range(warm_up + count):
        if len(result.seconds) >= 20 and time.perf_counter() - started > budget:
            break
        request = scenario.requests[number % len(scenario.requests)]
        reply = _send(client, request)
        if reply.status != request.expect:
            result.errors += 1
            if result.errors == 1:
                print(f"    {scenario.name}: HTTP {reply.status} for {request.method} {request.path}", flush=True)
            continue
        if number >= warm_up:
            result.seconds.append(reply.seconds)
            if reply.queries is not None:
                result.queries.append(reply.queries)
    return result


@dataclass
class Throughput:
    clients: int
    seconds: float
    done: int
    errors: int
    latencies: list[float]


def throughput(port: int, mix: list[tuple[Request, int]], *, clients: int, seconds: float) -> Throughput:
    """Each client sends requests from the weighted mix, one after another, for `seconds` after a short warm-up."""
    requests, weights = zip(*mix, strict=True)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    warm_until = time.perf_counter() + 3
    stop_at = warm_until + seconds

    def work(seed: int):
        rng = random.Random(seed)  # noqa: S311 (which request next, not a secret)
        client = Client(port)
        mine, failed = [], 0
        while (now := time.perf_counter()) < stop_at:
            request = rng.choices(requests, weights=weights)[0]
            reply = _send(client, request)
            if now >= warm_until:
                if reply.status == request.expect:
                    mine.append(reply.seconds)
                else:
                    failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Throughput(clients, seconds, len(latencies), errors[0], latencies)


# The database, the data and the server.


def run(args: list[str], env: dict) -> str:
    """Run a management command, echoing its output; returns the output."""
    process = subprocess.Popen(  # noqa: S603 (our own manage.py, our own arguments)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines = []
    for line in process.stdout:
        if not line.startswith("Step 2 - "):  # WeasyPrint's import noise
            print("   ", line.rstrip(), flush=True)
        lines.append(line)
    if process.wait():
        raise SystemExit(f"manage.py {args[0]} failed.")
    return "".join(lines)


def prepare_database(base_url: str, name: str, size: int, seed: int, until: datetime.date, *, reuse: bool, env: dict):
    """Create, migrate and fill the database unless it is reused; returns the generation's summary line or ""."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as admin:
        found = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        exists = found is not None
        if exists and reuse:
            print(f"Reusing database {name}.", flush=True)
            return found[0] or ""
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    print(f"Created database {name}; migrating.", flush=True)
    run(["migrate", "--noinput", "-v", "0"], env)
    print(f"Generating {size:,} cases (seed {seed}).", flush=True)
    output = run(
        ["generate_cases", "--cases", str(size), "--seed", str(seed), "--until", until.isoformat(), "--force"], env
    )
    generated = next((line.strip() for line in output.splitlines() if line.strip().startswith("Generated ")), "")
    generated += f" (on {datetime.date.today():%-d %B %Y})"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as admin:
        # Kept with the database, so that a run with REUSE=1 can still say how it was made.
        admin.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(generated)))
    return generated


def start_server(port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 (the virtual environment's gunicorn)
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            if Client(port).get("/healthz").status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log}")
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer; see {log}")


# What to ask for: chosen from the generated data, in this process.


@dataclass
class Plan:
    scenarios: list[Scenario]
    mix: list[tuple[Request, int]]
    pages_for_floor: list[tuple[str, str, str]]  # (scenario name, username, path)
    facts: dict


def plan_requests(port: int, size: int, rng: random.Random) -> Plan:
    from django.db.models import Count

    from palsdesk.accounts.models import ApiToken, User
    from palsdesk.accounts.services import create_api_token
    from palsdesk.cases.models import OPEN_STATUSES, Case, Kind, TimelineEntry
    from palsdesk.organisation.models import Division, Service
    from palsdesk.people.models import CaseParty

    officers = list(
        Case.objects.filter(status__in=OPEN_STATUSES, case_officer__isnull=False)
        .values_list("case_officer__username")
        .annotate(open_cases=Count("id"))
        .order_by("-open_cases")[:10]
    )
    busiest, open_cases = officers[0]
    sessions = {username: sign_in(port, username) for username, _ in officers}
    officer = sessions[busiest]
    coordinator = sign_in(port, "coordinator01")
    divisions = list(Division.objects.order_by("code").values_list("code", flat=True))
    long_timelines = list(
        TimelineEntry.objects.values_list("case__reference").annotate(entries=Count("id")).order_by("-entries")[:10]
    )
    recent = list(
        CaseParty.objects.filter(role="patient", case__received_on__gte=datetime.date.today() - datetime.timedelta(700))
        .exclude(person__nhs_number="")
        .order_by("?")
        .values_list("person__last_name", "person__nhs_number", "case__summary")[:30]
    )
    name_and_word = []
    for last_name, _, summary in recent:
        words = [w for w in re.findall(r"[A-Za-z]{6,}", summary) if w.lower() not in {"family", "without"}]
        name_and_word.append(f"{last_name} {rng.choice(words) if words else ''}".strip())
    nhs_parts = [nhs[:6] for _, nhs, _ in recent]
    misses = ["".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(9)) for _ in range(20)]
    common = ["discharge", "appointment", "statement", "pain relief", "parking"]

    user = User.objects.get(username=busiest)
    ApiToken.objects.filter(user=user, name="benchmark").delete()
    token = create_api_token(user, name="benchmark")
    service = Service.objects.select_related("division").order_by("code").first()
    new_case = json.dumps(
        {
            "kind": Kind.PALS_CONCERN,
            "channel": "phone",
            "received_on": datetime.date.today().isoformat(),
            "division": service.division.code,
            "service": service.code,
            "summary": "Benchmark: waited two hours for a wheelchair at the main entrance",
            "account": "Logged through the API by the scale benchmark.",
            "complainant": {"first_name": "Ada", "last_name": "Benchmark", "is_patient": True, "phone": "01632 960001"},
        }
    ).encode()

    def q(text: str) -> str:
        return "/cases/?" + urllib.parse.urlencode({"q": text})

    scenarios = [
        Scenario("My work (the ten busiest officers)", "my work", [Request(sessions[u], "/") for u, _ in officers]),
        Scenario(
            "Case list: one division's open cases",
            "list",
            [Request(officer, f"/cases/?division={d}&status=open") for d in divisions],
        ),
        Scenario(
            "Case list: one division's closed cases (the longest list)",
            "list",
            [Request(officer, f"/cases/?division={d}&status=closed") for d in divisions],
        ),
        Scenario(
            "Case list: one division's closed cases, page 100",
            "list",
            [Request(officer, f"/cases/?division={d}&status=closed&page=100") for d in divisions],
        ),
        Scenario(
            "Case page with a long timeline",
            "case page",
            [Request(officer, f"/cases/{reference}/") for reference, _ in long_timelines],
        ),
        Scenario("Search hit: a surname and a word", "search", [Request(officer, q(t)) for t in name_and_word]),
        Scenario("Search hit: part of an NHS number", "search", [Request(officer, q(t)) for t in nhs_parts]),
        Scenario("Search hit: a common word", "search", [Request(officer, q(t)) for t in common]),
        Scenario("Search miss", "search", [Request(officer, q(t)) for t in misses]),
        Scenario("Daily report (co-ordinator)", "", [Request(coordinator, "/reports/daily/")]),
    ]
    for name, path, target in (("Dashboard", "/reports/dashboard/", ""), ("KO41a return", "/reports/ko41a/", "ko41a")):
        if Client(port, cookie=coordinator).get(path).status == 200:
            scenarios.append(Scenario(f"{name} (co-ordinator)", target, [Request(coordinator, path)]))
        else:
            print(f"    {path} does not answer 200 here: not measured.", flush=True)
    scenarios.append(
        Scenario(
            "Log a case through the API",
            "",
            [Request(path="/api/v1/cases/", method="POST", body=new_case, token=token, expect=201)],
        )
    )
    mix = [
        *[(r, 6) for r in scenarios[0].requests],  # My work, a quarter of the requests
        *[(r, 4) for r in scenarios[1].requests],  # the case list
        *[(r, 3) for r in scenarios[4].requests],  # case pages
        *[(r, 1) for r in scenarios[5].requests],  # searches
        *[(r, 1) for r in scenarios[8].requests],
        (scenarios[-1].requests[0], 10),  # logging a case
    ]
    floor_pages = [
        ("Case list: one division's open cases", busiest, f"/cases/?division={divisions[0]}&status=open"),
        ("Case list: one division's closed cases", busiest, f"/cases/?division={divisions[0]}&status=closed"),
        ("My work", busiest, "/"),
        ("Search hit: a surname and a word", busiest, q(name_and_word[0])),
        ("Search hit: a common word", busiest, q(common[0])),
        ("Search miss", busiest, q(misses[0])),
    ]
    facts = {
        "busiest_open_cases": open_cases,
        "longest_timeline": long_timelines[0][1] if long_timelines else 0,
    }
    return Plan(scenarios, mix, floor_pages, facts)


# The SQL floor and the plans, in this process, on the same database.


@dataclass
class Floor:
    name: str
    statements: int
    seconds: float
    plans: list[str]


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def sql_floor(pages: list[tuple[str, str, str]], *, repeats: int = 30) -> list[Floor]:
    """Each page's statements as the app ran them, run again straight on a cursor; and what their plans use."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from palsdesk.accounts.models import User

    floors = []
    for name, username, path in pages:
        client = DjangoClient()
        client.force_login(User.objects.get(username=username))
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path} did not answer 200 in process.")
        statements = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        timings = []
        with connection.cursor() as cursor:
            for _ in range(repeats):
                started = time.perf_counter()
                for statement in statements:
                    cursor.execute(statement)
                    cursor.fetchall()
                timings.append(time.perf_counter() - started)
            used, scanned = set(), set()
            for statement in statements:
                if "cases_case" not in statement and "search_searchdocument" not in statement:
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")
                for node in _plan_nodes(cursor.fetchone()[0][0]["Plan"]):
                    if "Index Name" in node:
                        used.add(node["Index Name"])
                    if node["Node Type"] == "Seq Scan":
                        # A scan that stops at the first match (EXISTS, LIMIT 1) reads few rows: count what it read.
                        read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get(
                            "Actual Loops", 1
                        )
                        if read > LARGE_TABLE_ROWS:
                            scanned.add(f"{node['Relation Name']} ({read:,.0f} rows)")
        plans = [", ".join(f"`{index}`" for index in sorted(used)) or "none"]
        plans.append(", ".join(f"`{table}`" for table in sorted(scanned)) or "none")
        floors.append(Floor(name, len(statements), statistics.median(timings), plans))
    return floors


# The report.


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{cpu} ({os.cpu_count()} CPUs{memory}), {python}, {platform.system()} {platform.machine()}"


def database_facts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
        version, size = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        counts = {}
        for label, table in (
            ("cases", "cases_case"),
            ("timeline entries", "cases_timelineentry"),
            ("people", "people_person"),
            ("coded issues", "coding_caseissue"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
            counts[label] = cursor.fetchone()[0]
    return {"version": version.split(" on ")[0], "size": size, "shared_buffers": shared_buffers, "counts": counts}


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"


def _verdict(measured: Measured, size: int) -> str:
    target = TARGET_P95_MS.get(measured.target)
    if target is None:
        return "–"
    p95 = measured.percentile(95)
    where = "" if size >= 1_000_000 else " (target is for 1,000,000)"
    if p95 <= target:
        return f"under {target}{where}"
    return f"**over {target} by {p95 - target:,.0f}**{where}"


def report(
    *,
    size: int,
    seed: int,
    workers: int,
    jit: bool,
    generated: str,
    facts: dict,
    plan_facts: dict,
    results: list[Measured],
    runs: list[Throughput],
    floors: list[Floor],
    app_p50: dict,
    load: tuple[float, float],
) -> str:
    today = datetime.date.today()
    lines = [
        f"#### {size:,} cases",
        "",
        f"Run on {today:%-d %B %Y}: {machine()}; {facts['version']} (shared_buffers {facts['shared_buffers']}, "
        f"JIT {'as the server has it' if jit else 'off'}), "
        f"database {facts['size']}; gunicorn with {workers} sync workers; the client on the same machine, whose "
        f"load average (one minute) was {load[0]:.1f} as measuring began and {load[1]:.1f} as it ended. "
        f"Seed {seed}. " + (generated or "Data generated by an earlier run (`REUSE=1`)."),
        "",
        "Rows: " + ", ".join(f"{count:,} {label}" for label, count in facts["counts"].items()) + ". "
        f"The busiest officer has {plan_facts['busiest_open_cases']:,} open cases; the longest timeline "
        f"has {plan_facts['longest_timeline']:,} entries.",
        "",
        "| Request | Requests | p50 ms | p95 ms | p99 ms | Queries | p95 target (ms) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for measured in results:
        queries = sorted(set(measured.queries))
        shown = "–" if not queries else str(queries[0]) if len(queries) == 1 else f"{queries[0]}–{queries[-1]}"
        errors = f" ({measured.errors} errors)" if measured.errors else ""
        lines.append(
            f"| {measured.name}{errors} | {len(measured.seconds)} | {_ms(measured.percentile(50))} | "
            f"{_ms(measured.percentile(95))} | {_ms(measured.percentile(99))} | {shown} | {_verdict(measured, size)} |"
        )
    lines += [
        "",
        "Mixed officer workload (a quarter My work, then case lists, case pages, searches and logging cases "
        "through the API), each client sending its next request as soon as the last is answered:",
        "",
        "| Clients | Seconds | Requests | Requests a second | p50 ms | p95 ms | Errors |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run_ in runs:
        quantiles = (
            statistics.quantiles(run_.latencies, n=100, method="inclusive") if len(run_.latencies) > 1 else [0] * 99
        )
        rate = run_.done / run_.seconds
        lines.append(
            f"| {run_.clients} | {run_.seconds:.0f} | {run_.done:,} | {rate:,.0f} | {quantiles[49] * 1000:,.0f} | "
            f"{quantiles[94] * 1000:,.0f} | {run_.errors} |"
        )
    lines += [
        "",
        f"The target is {TARGET_REQUESTS_A_SECOND} requests a second at a million cases.",
        "",
        "The SQL floor: each page's own statements (SELECTs, as captured from the app), run again back to back "
        "on one connection. The ratio is the app's p50 over it: Python, templates and HTTP on top of the database.",
        "",
        "| Page | Statements | SQL floor ms | App p50 ms | Ratio | Indexes the plans use | Sequential scans "
        f"reading over {LARGE_TABLE_ROWS:,} rows |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for floor in floors:
        app = app_p50.get(floor.name)
        ratio = f"{app / (floor.seconds * 1000):.1f}" if app else "–"
        lines.append(
            f"| {floor.name} | {floor.statements} | {_ms(floor.seconds * 1000)} | {_ms(app) if app else '–'} | "
            f"{ratio} | {floor.plans[0]} | {floor.plans[1]} |"
        )
    return "\n".join(lines) + "\n"


def write_section(size: int, text: str) -> None:
    start, end = f"<!-- scale-results:{size} -->", f"<!-- /scale-results:{size} -->"
    doc = DOC.read_text()
    block = f"{start}\n{text}{end}\n"
    if start in doc and end in doc:
        doc = doc[: doc.index(start)] + block + doc[doc.index(end) + len(end) + 1 :]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block
    DOC.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=100_000, help="How many cases to generate.")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="Requests measured per page.")
    parser.add_argument("--seconds", type=float, default=30, help="Seconds each throughput run lasts.")
    parser.add_argument(
        "--budget", type=float, default=60, help="Seconds a page is measured for at most (but 20 requests at least)."
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn sync workers.")
    parser.add_argument("--reuse", action="store_true", help="Reuse the database of an earlier run of this size.")
    parser.add_argument("--no-write", action="store_true", help="Print the table; leave docs/performance.md alone.")
    parser.add_argument("--jit", action="store_true", help="Leave PostgreSQL's JIT as the server has it (on).")
    parser.add_argument(
        "--database-server",
        default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432"),
        help="The PostgreSQL server (a role that may create databases), without a database name.",
    )
    args = parser.parse_args()
    name = f"palsdesk_bench_{args.size}"
    # PostgreSQL's JIT compiles a list query that is only estimated to be dear: 200 ms for a 70 ms page
    # (docs/performance.md). Off, as the docs advise for PALS Desk, unless --jit asks for the server's setting.
    jit = "" if args.jit else "?options=-c%20jit%3Doff"
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.database_server}/{name}{jit}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_DEBUG": "false",
        "DATABASE_CONN_MAX_AGE": "600",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    }
    until = datetime.date.today()
    generated = prepare_database(args.database_server, name, args.size, args.seed, until, reuse=args.reuse, env=env)
    os.environ.update(env)
    import django

    django.setup()
    log = Path(tempfile.gettempdir()) / f"palsdesk-bench-{args.size}-gunicorn.log"
    load_before = os.getloadavg()[0]
    print(f"Serving with gunicorn ({args.workers} workers) on port {args.port}; log in {log}.", flush=True)
    server = start_server(args.port, args.workers, env, log)
    try:
        plan = plan_requests(args.port, args.size, random.Random(args.seed))  # noqa: S311
        results = []
        for scenario in plan.scenarios:
            measured = measure(args.port, scenario, args.requests, budget=args.budget)
            print(
                f"  {scenario.name}: p50 {measured.percentile(50):.1f} ms, p95 {measured.percentile(95):.1f} ms, "
                f"queries {sorted(set(measured.queries))}",
                flush=True,
            )
            results.append(measured)
        runs = []
        for clients in (8, 32):
            run_ = throughput(args.port, plan.mix, clients=clients, seconds=args.seconds)
            print(
                f"  {clients} clients: {run_.done / run_.seconds:.0f} requests a second, {run_.errors} errors",
                flush=True,
            )
            runs.append(run_)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()[0]
    print("Timing the SQL floor and reading the plans.", flush=True)
    floors = sql_floor(plan.pages_for_floor)
    app_p50 = {}
    for measured in results:
        for floor in floors:
            if measured.name.startswith(floor.name):
                app_p50.setdefault(floor.name, measured.percentile(50))
    text = report(
        size=args.size,
        seed=args.seed,
        workers=args.workers,
        jit=args.jit,
        generated=generated,
        facts=database_facts(),
        plan_facts=plan.facts,
        results=results,
        runs=runs,
        floors=floors,
        app_p50=app_p50,
        load=(load_before, load_after),
    )
    print()
    print(text)
    if not args.no_write:
        write_section(args.size, text)
        print(f"Written to {DOC.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
