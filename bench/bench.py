#!/usr/bin/env python3
"""Junction's benchmark harness (issue 13). Starts Junction on loopback on a fresh database,
seeds a platform, a connected account and data, drives each scenario with wrk (several runs,
the median reported), does the same with localstripe for the customer scenarios, and prints
one table with the ratios and the targets of docs/PERFORMANCE.md.

Run it through bench/run, which builds the release binary and the localstripe venv first."""

import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LUA = os.path.join(HERE, "wrk", "request.lua")
FEE = "application_fee_amount=100"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def form(params, prefix=None):
    """Stripe's bracket encoding of nested dicts."""
    pairs = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else key
        if isinstance(value, dict):
            pairs.extend(form(value, name))
        else:
            pairs.append((name, "true" if value is True else str(value)))
    return pairs if prefix else urllib.parse.urlencode(pairs)


class Junction:
    """A Junction process on loopback, with the time it took to be ready."""

    def __init__(self, binary, database, workdir):
        self.binary, self.database, self.workdir = binary, database, workdir
        self.token = "bench-" + uuid.uuid4().hex
        self.start()

    def start(self):
        out = open(os.path.join(self.workdir, "junction.out"), "w+")
        self.err = open(os.path.join(self.workdir, "junction.err"), "a")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", "0", "--database", self.database, "--admin-token", self.token,
             "--log-level", "error"], stdout=out, stderr=self.err)
        while True:
            out.seek(0)
            line = next((l for l in out.read().splitlines() if l.startswith("junction listening on ")), None)
            if line:
                self.ready_ms = (time.perf_counter() - started) * 1000
                self.base = line.split()[-1]
                return
            if self.process.poll() is not None or time.perf_counter() - started > 120:
                raise RuntimeError(f"junction did not start: {open(self.err.name).read()[-2000:]}")
            time.sleep(0.002)

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        self.process.wait(timeout=60)

    def call(self, method, path, key=None, params=None, account=None, json_body=None):
        headers = {}
        data = None
        if json_body is not None:
            data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif params is not None:
            data, headers["Content-Type"] = form(params).encode(), "application/x-www-form-urlencoded"
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if account:
            headers["Stripe-Account"] = account
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None

    def control(self, method, path, body=None):
        return self.call(method, path, key=self.token, json_body=body if body is not None else {})


def seed(junction, codes):
    """A platform, an active Custom account it controls with one customer, a user's account it
    is connected to by OAuth, and `codes` authorization codes for that account."""
    platform = junction.control("POST", "/_junction/applications", {
        "name": "Bench platform", "kind": "platform", "redirect_uris": ["http://127.0.0.1:9/callback"]})
    key = platform["secret_key"]
    account = junction.call("POST", "/v1/accounts", key, {
        "type": "custom", "country": "US", "business_type": "individual",
        "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
        "business_profile": {"mcc": "5734", "url": "https://shop.example"},
        "individual": {"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com",
                       "phone": "+15555550100", "dob": {"day": 1, "month": 2, "year": 1990},
                       "address": {"line1": "1 Main St", "city": "Springfield", "postal_code": "12345"}},
        "tos_acceptance": {"date": 1700000000, "ip": "127.0.0.1"}})["id"]
    customer = junction.call("POST", "/v1/customers", key, {"email": "seed@example.com"}, account)["id"]
    user = junction.control("POST", "/_junction/users", {"email": f"bench-{uuid.uuid4().hex[:8]}@example.com",
                                                          "password": "bench-password-1"})
    owned = junction.control("POST", f"/_junction/users/{user['id']}/accounts", {})["account"]["id"]
    code_list = []
    for _ in range(codes):
        decision = junction.control("POST", "/_junction/oauth/authorize", {
            "client_id": platform["id"], "user": user["id"], "account": owned, "scope": "read_write"})
        code_list.append(urllib.parse.parse_qs(urllib.parse.urlparse(decision["redirect_url"]).query)["code"][0])
    return key, account, customer, code_list


class SQL:
    """Bulk rows straight into Junction's database, copied from one real row (the harness
    needs a million customers in seconds, not the hours the API would take)."""

    def __init__(self, database):
        self.database = database

    def run(self, statement):
        if self.database.startswith("sqlite:"):
            with sqlite3.connect(self.database[len("sqlite:"):]) as db:
                return db.execute(statement).fetchall()
        psql = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
        out = subprocess.check_output([psql, self.database, "-At", "-c", statement], text=True)
        return [tuple(line.split("|")) for line in out.splitlines() if line]

    def columns(self):
        if self.database.startswith("sqlite:"):
            return [row[1] for row in self.run("PRAGMA table_info(objects)")]
        return [row[0] for row in self.run(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'objects' ORDER BY ordinal_position")]

    def copy_customer(self, template, account, count, prefix):
        """`count` copies of customer `template` on `account`, ids cus_<prefix><n>."""
        new_id = f"'cus_{prefix}' || n.i"
        values = {"id": new_id, "account": f"'{account}'",
                  "document": f"replace(replace(o.document, '{template}', {new_id}), o.account, '{account}')"}
        columns = [c for c in self.columns() if c != "seq"]
        select = ", ".join(values.get(c, f"o.{c}") for c in columns)
        if self.database.startswith("sqlite:"):
            source = f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) "
            rows = "n"
        else:
            source, rows = "", f"generate_series(1, {count}) AS n(i)"
        self.run(f"{source}INSERT INTO objects ({', '.join(columns)}) SELECT {select} FROM objects o, {rows} "
                 f"WHERE o.id = '{template}'")

    def count_customers(self, account):
        return int(self.run(f"SELECT COUNT(*) FROM objects WHERE account = '{account}' AND type = 'customer'")[0][0])


def wrk(url, env, seconds, connections, threads):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", LUA, url]
    out = subprocess.run(command, env={**os.environ, **env, "THREADS": str(threads), "RUN": uuid.uuid4().hex[:8]},
                         capture_output=True, text=True, timeout=seconds + 120)
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result: {out.stdout[-1000:]} {out.stderr[-1000:]}")
    result = json.loads(line[len("BENCH "):])
    seconds_taken = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds_taken if seconds_taken else 0
    result["ok"] = result["requests"] - result["non2xx"] - result["socket_errors"]
    return result


class Sampler:
    """The highest resident memory of a process while a block runs."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        while self.running:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.1)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def measure(name, url, env, args, per_run=None):
    """The median of `args.runs` wrk runs; `per_run(n)` adds what each run needs of its own."""
    runs = [wrk(url, {**env, **(per_run(n) if per_run else {})}, args.seconds, args.connections, args.threads)
            for n in range(args.runs)]
    best = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]  # the median run
    best["name"], best["ok_total"] = name, sum(r["ok"] for r in runs)
    best["failed_total"] = sum(r["non2xx"] + r["socket_errors"] for r in runs)
    print(f"  {name}: {best['rps']:,.0f} req/s, p50 {best['p50_us'] / 1000:.2f} ms, "
          f"p99 {best['p99_us'] / 1000:.2f} ms, failed {best['failed_total']}", flush=True)
    return best


METRIC_LINE = re.compile(r'^(junction_http_request_(?:duration|database)_seconds_(?:sum|count)|'
                         r'junction_http_request_database_calls_sum)\{(.*)\} (\S+)$')


def scrape(junction):
    """The request metrics of /metrics, summed over statuses: {(metric, route, method): value}."""
    request = urllib.request.Request(junction.base + "/metrics", headers={"Authorization": f"Bearer {junction.token}"})
    totals = {}
    for line in urllib.request.urlopen(request, timeout=30).read().decode().splitlines():
        match = METRIC_LINE.match(line)
        if not match:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
        key = (match.group(1), labels.get("route"), labels.get("method"))
        totals[key] = totals.get(key, 0.0) + float(match.group(3))
    return totals


def where_time_goes(before, after, route, method):
    """From two scrapes around a scenario: the mean time of its requests inside Junction, the
    mean time of it in the database, and database calls per request."""
    delta = lambda metric: after.get((metric, route, method), 0.0) - before.get((metric, route, method), 0.0)  # noqa: E731
    count = delta("junction_http_request_duration_seconds_count")
    if not count:
        return None
    return {"server_ms": delta("junction_http_request_duration_seconds_sum") / count * 1000,
            "database_ms": delta("junction_http_request_database_seconds_sum") / count * 1000,
            "calls": delta("junction_http_request_database_calls_sum") / count}


def measure_routed(name, junction, env, args, route, method, per_run=None):
    """``measure``, with where the time of the scenario went, from /metrics."""
    before = scrape(junction)
    result = measure(name, junction.base, env, args, per_run)
    result["inside"] = where_time_goes(before, scrape(junction), route, method)
    if result["inside"]:
        inside = result["inside"]
        print(f"    inside Junction {inside['server_ms']:.2f} ms per request, of which database "
              f"{inside['database_ms']:.2f} ms in {inside['calls']:.1f} calls", flush=True)
    return result


def junction_scenarios(args, workdir, database):
    results, facts = {}, {}
    junction = Junction(args.binary, database, workdir)
    key, account, customer, codes = seed(junction, args.codes)
    sql = SQL(database)
    small, large = (junction.call("POST", "/v1/accounts", key, {
        "type": "custom", "country": "US", "capabilities": {"transfers": {"requested": True}}})["id"] for _ in range(2))
    facts["idle_rss_kib"] = rss_kib(junction.process.pid)
    base = junction.base
    auth = {"KEY": key, "ACCOUNT": account}
    with Sampler(junction.process.pid) as sampler:
        results["healthz"] = measure("GET /healthz", base, {"REQ_PATH": "/healthz"}, args)
        results["get"] = measure_routed("GET customer", junction, {
            **auth, "REQ_PATH": f"/v1/customers/{customer}"}, args, "/v1/customers/{id}", "GET")
        before = sql.count_customers(account)
        results["post"] = measure_routed("POST customer", junction, {
            **auth, "METHOD": "POST", "REQ_PATH": "/v1/customers", "IDEMPOTENT": "1",
            "BODY": "email=bench%40example.com&name=Bench"}, args, "/v1/customers", "POST")
        results["payment_intent"] = measure_routed("POST payment_intent confirm", junction, {
            **auth, "METHOD": "POST", "REQ_PATH": "/v1/payment_intents", "IDEMPOTENT": "1",
            "BODY": f"amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true&{FEE}"}, args,
            "/v1/payment_intents", "POST")
        # Each run exchanges codes of its own: a code is single-use (P15).
        share = len(codes) // args.runs
        results["oauth"] = measure_routed("POST /oauth/token", junction, {
            "KEY": key, "METHOD": "POST", "REQ_PATH": "/oauth/token"}, args, "/oauth/token", "POST",
            per_run=lambda n: {"CODES": write_codes(workdir, codes[n * share:(n + 1) * share], n)})
    facts["load_rss_kib"] = sampler.peak
    # Durability: every customer acknowledged with a 2xx is there after kill -9.
    junction.stop(signal.SIGKILL)
    facts["acknowledged"] = results["post"]["ok_total"]
    facts["durable"] = sql.count_customers(account) - before
    # Bulk data: a list on accounts of 1,000 and of --large customers; the start-up on all of it.
    print(f"  seeding {args.small:,} and {args.large:,} customers", flush=True)
    sql.copy_customer(customer, small, args.small, "s")
    sql.copy_customer(customer, large, args.large, "l")
    junction.start()
    facts["ready_ms"] = junction.ready_ms
    facts["objects"] = args.small + args.large
    for name, target, size in (("list_small", small, args.small), ("list_large", large, args.large)):
        results[name] = measure_routed(f"GET customers?limit=10 of {size:,}", junction, {
            "KEY": key, "ACCOUNT": target, "REQ_PATH": "/v1/customers?limit=10"}, args, "/v1/customers", "GET")
    # The soak: creating customers for --soak seconds; resident memory before and after.
    warm = rss_kib(junction.process.pid)
    wrk(junction.base, {**auth, "METHOD": "POST", "REQ_PATH": "/v1/customers", "IDEMPOTENT": "1",
                        "BODY": "email=soak%40example.com"}, args.soak, args.connections, args.threads)
    facts["soak_start_kib"], facts["soak_end_kib"] = warm, rss_kib(junction.process.pid)
    junction.stop()
    return results, facts


def write_codes(workdir, codes, run):
    path = os.path.join(workdir, f"codes-{run}.txt")
    with open(path, "w") as f:
        f.write("\n".join(codes) + "\n")
    return path


def start_localstripe(binary, log):
    """localstripe on a free port, and a customer made there; a port taken between choosing it
    and localstripe binding it (localstripe then exits) is retried on another."""
    for _ in range(3):
        port = free_port()
        process = subprocess.Popen([binary, "--port", str(port)], stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while process.poll() is None and time.time() < deadline:
            try:
                request = urllib.request.Request(base + "/v1/customers", data=b"email=seed%40example.com",
                                                 headers={"Authorization": "Bearer sk_test_bench"})
                return process, base, json.loads(urllib.request.urlopen(request, timeout=5).read())["id"]
            except OSError:
                time.sleep(0.2)
        if process.poll() is None:
            process.kill()
            process.wait()
    raise RuntimeError(f"localstripe did not start: {open(log.name).read()[-2000:]}")


def localstripe_scenarios(args, workdir):
    binary = os.path.join(ROOT, ".venv-bench", "bin", "localstripe")
    with open(os.path.join(workdir, "localstripe.log"), "w+") as log:
        process, base, customer = start_localstripe(binary, log)
        try:
            auth = {"KEY": "sk_test_bench"}
            return {
                "get": measure("localstripe GET customer", base, {
                    **auth, "REQ_PATH": f"/v1/customers/{customer}"}, args),
                "post": measure("localstripe POST customer", base, {
                    **auth, "METHOD": "POST", "REQ_PATH": "/v1/customers", "BODY": "email=bench%40example.com"}, args),
            }
        finally:
            process.terminate()
            process.wait(timeout=30)


def report(junction, facts, localstripe, label):
    ceiling = junction["healthz"]["rps"]
    rows = [("GET /healthz", "healthz", None), ("GET customer (Stripe-Account)", "get", "get"),
            ("POST customer (Stripe-Account, Idempotency-Key)", "post", "post"),
            ("POST payment_intent confirm + application fee", "payment_intent", None),
            ("POST /oauth/token (code exchange)", "oauth", None),
            ("GET customers?limit=10, small account", "list_small", None),
            ("GET customers?limit=10, large account", "list_large", None)]
    print(f"\n## {label}\n")
    print("| scenario | req/s | p50 ms | p99 ms | × /healthz | localstripe req/s | × localstripe "
          "| in Junction ms | in database ms (calls) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for title, key, other in rows:
        r = junction[key]
        ls = localstripe.get(other) if other and localstripe else None
        ls_rps = f"{ls['rps']:,.0f}" if ls else ""
        ls_ratio = f"{r['rps'] / ls['rps']:.1f}" if ls else ""
        inside = r.get("inside")
        inside_cells = (f"{inside['server_ms']:.2f} | {inside['database_ms']:.2f} ({inside['calls']:.1f})"
                        if inside else " | ")
        print(f"| {title} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} | "
              f"{r['rps'] / ceiling:.2f} | {ls_rps} | {ls_ratio} | {inside_cells} |")
    mib = lambda kib: kib / 1024  # noqa: E731
    growth = (facts["soak_end_kib"] - facts["soak_start_kib"]) / max(facts["soak_start_kib"], 1) * 100
    print(f"\nready on {facts['objects']:,} objects: {facts['ready_ms']:.0f} ms; RSS idle {mib(facts['idle_rss_kib']):.0f} MiB, "
          f"under load {mib(facts['load_rss_kib']):.0f} MiB, soak {mib(facts['soak_start_kib']):.0f} → "
          f"{mib(facts['soak_end_kib']):.0f} MiB ({growth:+.1f} %); durable after kill -9: "
          f"{facts['durable']:,} of {facts['acknowledged']:,} acknowledged")
    checks = [
        ("GET customer ≥ 0.5× /healthz", junction["get"]["rps"] >= 0.5 * ceiling),
        ("POST customer ≥ 0.15× /healthz", junction["post"]["rps"] >= 0.15 * ceiling),
        ("list large within 1.3× of small (latency p50)",
         junction["list_large"]["p50_us"] <= 1.3 * max(junction["list_small"]["p50_us"], 1)),
        ("ready ≤ 300 ms", facts["ready_ms"] <= 300),
        ("RSS ≤ 80 MiB idle", mib(facts["idle_rss_kib"]) <= 80),
        ("RSS ≤ 200 MiB under load", mib(facts["load_rss_kib"]) <= 200),
        ("soak growth ≤ 10 %", growth <= 10),
        ("every acknowledged write durable", facts["durable"] >= facts["acknowledged"]),
    ]
    if localstripe:
        checks += [("GET customer ≥ 3× localstripe", junction["get"]["rps"] >= 3 * localstripe["get"]["rps"]),
                   ("POST customer ≥ 30× localstripe", junction["post"]["rps"] >= 30 * localstripe["post"]["rps"])]
    print("\n| target | |\n|---|---|")
    for title, held in checks:
        print(f"| {title} | {'met' if held else 'MISSED'} |")
    return facts["durable"] >= facts["acknowledged"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seconds", type=int, default=10, help="length of one wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (the median is reported)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--codes", type=int, default=30_000, help="OAuth codes made for the exchange scenario")
    parser.add_argument("--soak", type=int, default=120, help="seconds of the soak")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL (started on loopback)")
    parser.add_argument("--no-localstripe", action="store_true")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="junction-bench-")
    os.chmod(workdir, 0o755)
    ok = True
    try:
        print("Junction on SQLite", flush=True)
        results, facts = junction_scenarios(args, workdir, f"sqlite:{workdir}/bench.sqlite")
        localstripe = None if args.no_localstripe else (print("localstripe", flush=True) or localstripe_scenarios(args, workdir))
        ok &= report(results, facts, localstripe, "SQLite")
        if args.postgres:
            port = free_port()
            url = subprocess.check_output([os.path.join(ROOT, "scripts", "postgres"), "start",
                                           f"{workdir}/pg", str(port)], text=True).strip()
            try:
                print("Junction on PostgreSQL", flush=True)
                pg_results, pg_facts = junction_scenarios(args, workdir, url)
                ok &= report(pg_results, pg_facts, None, "PostgreSQL")
                print("\n| PostgreSQL ÷ SQLite | |\n|---|---|")
                for key, title in (("get", "GET customer"), ("post", "POST customer")):
                    ratio = results[key]["rps"] / max(pg_results[key]["rps"], 1)
                    print(f"| {title}: SQLite is {ratio:.1f}× PostgreSQL (target ≤ 3×) | "
                          f"{'met' if ratio <= 3 else 'MISSED'} |")
            finally:
                subprocess.call([os.path.join(ROOT, "scripts", "postgres"), "stop", f"{workdir}/pg"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
