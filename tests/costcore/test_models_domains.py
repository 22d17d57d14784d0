"""Models as data outside LLM economics (issue 19): three small decision guides written the
way an author would, each built into a site, its figures checked against arithmetic done by
hand here, its steps against the units they must show, and every figure recomputed from the
JSON twin alone by the independent evaluator of tests/twin_evaluator.py.

- Database hosting: SQLite on a VPS (priced in euros) against managed Postgres (priced in
  dollars), converted through a cited exchange-rate row, with storage beyond a plan's
  allowance, a write-rate limit (`require`) and a monthly → yearly conversion.
- A Kubernetes node pool: requests per second → pods → nodes (models calling models), node
  prices found by `find` among spot and on-demand rows, per-hour → per-month → per-year,
  a ranged load and the site's own count units (`pod`, `node`, `vcpu`).
- Hiring: a contractor's day rate against a salary with employer on-costs (a cited range),
  equipment per month, and the employee's cost per working day.

The URLs are example.org placeholders: these sites test arithmetic, not sources.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from citeguide.cli import main
from citeguide.engine.builder import build_site
from conftest import TODAY, write_site

FRONT = '---\ntitle: "{title}"\nsummary: "{summary}"\npublished: 2026-05-01\n---\n\n'


def _cite(url: str, confidence: str = "high") -> str:
    return f"    source: {url}\n    date: 2026-04-01\n    confidence: {confidence}\n"


def _build(root: Path) -> dict[str, Any]:
    """Build the site; the guide's JSON twin, its calculations by model (first use)."""
    result = build_site(root, today=TODAY, use_cache=False)
    assert result.ok, [d.format() for d in result.diagnostics.items]
    twins = list((root / "site").glob("*.cite.json"))
    assert len(twins) == 1
    return dict(json.loads(twins[0].read_text(encoding="utf-8")))


def _by_marker(twin: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Calculations keyed by `model k=v ...` (keys sorted), as the guide wrote them."""
    found = {}
    for calc in twin["calculations"]:
        given = sorted(f"{p['name']}={_text(p['value'])}" for p in calc["params"]
                       if p["origin"] == "given")  # fmt: skip
        found[" ".join([calc["model"], *given])] = calc
    return found


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _recomputes(twin: dict[str, Any]) -> int:
    """Every figure of the twin, recomputed from its models, tables and rates alone."""
    from twin_evaluator import Twin

    agent = Twin(twin)
    for calc in twin["calculations"]:
        values = {p["name"]: p["value"] for p in calc["params"]}
        given = {p["name"] for p in calc["params"] if p["origin"] == "given"}
        result = agent.evaluate(calc["model"], values, given)
        expected = Fraction(repr(calc["value"]))
        assert abs(result.value - expected) <= Fraction(1, 10**6), (calc["display"], result)
    return len(twin["calculations"])


def _exact(calc: dict[str, Any]) -> Decimal:
    return Decimal(repr(calc["value"]))


# ---------------------------------------------------------------- database hosting

HOSTING_TABLE = (
    """\
title: Database hosting plans
columns:
  engine: text
  currency: currency
  price: money/month
  included_storage: GB
  storage_price: money/GB/month
  max_writes: request/s
rows:
  vps-small:
    engine: sqlite
    currency: EUR
    price: 4.51
    included_storage: 40
    storage_price: 0.05
    max_writes: 500
    note: SQLite in WAL mode on the VPS's local disk; writes are serialised.
"""
    + _cite("https://vps.example.org/pricing#:~:text=4.51")
    + """\
  pg-managed:
    engine: postgres
    currency: USD
    price: 15
    included_storage: 10
    storage_price: 0.20
    max_writes: 5000
"""
    + _cite("https://db.example.org/pricing#:~:text=15")
)
FX_TABLE = """\
eur-usd-2026-04:
  base: EUR
  quote: USD
  rate: 1.085
""" + _cite("https://fx.example.org/eur-usd#:~:text=1.085").replace("    ", "  ")
HOSTING_MODELS = """\
db_monthly:
  title: Monthly cost of a database plan with the storage it holds
  label: plan cost
  unit: money/month
  params:
    plan: {table: hosting, label: hosting plan}
    storage: {unit: GB, min: 0, default: 0, label: data stored}
    writes: {unit: request/s, min: 0, default: 0, label: peak writes per second}
  let:
    extra_storage:
      expr: max(storage - plan.included_storage, 0[GB])
      label: storage beyond the plan
  formula: plan.price + extra_storage * plan.storage_price
  require:
    - if: writes > plan.max_writes
      error: "{plan} takes at most {plan.max_writes}"
      param: writes

db_yearly_difference:
  title: Yearly extra cost of managed Postgres over SQLite on a VPS
  unit: money/year
  params:
    sqlite_plan: {table: hosting, label: the SQLite plan}
    postgres_plan: {table: hosting, label: the Postgres plan}
    storage: {unit: GB, min: 0, label: data stored}
    writes: {unit: request/s, min: 0, default: 0, label: peak writes per second}
  formula: >-
    db_monthly(plan=postgres_plan, storage=storage, writes=writes)
    - db_monthly(plan=sqlite_plan, storage=storage, writes=writes)
"""
HOSTING_GUIDE = FRONT.format(
    title="SQLite on a VPS or managed Postgres?",
    summary="For 60 GB, managed Postgres costs more a year than SQLite on a small VPS.",
) + (
    "## What each costs\n\n"
    "The small VPS with 60 GB stored costs [calc: db_monthly plan=vps-small storage=60] "
    "a month.\n\n"
    "Managed Postgres with 60 GB stored costs [calc: db_monthly plan=pg-managed storage=60] "
    "a month.\n\n"
    "Over a year managed Postgres costs [calc: db_yearly_difference sqlite_plan=vps-small "
    "postgres_plan=pg-managed storage=60 writes=200] more.\n"
)


def _hosting_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "citeguide.toml": 'currency = "EUR"\n',
            "content/data/hosting.yaml": HOSTING_TABLE,
            "content/data/fx.yaml": FX_TABLE,
            "content/models/hosting.yaml": HOSTING_MODELS,
            "content/guides/sqlite-or-postgres.md": HOSTING_GUIDE,
        },
    )


def test_database_hosting_in_two_currencies(tmp_path: Path) -> None:
    twin = _build(_hosting_site(tmp_path / "hosting"))
    calcs = _by_marker(twin)
    sqlite = calcs["db_monthly plan=vps-small storage=60"]
    postgres = calcs["db_monthly plan=pg-managed storage=60"]
    yearly = calcs[
        "db_yearly_difference postgres_plan=pg-managed sqlite_plan=vps-small storage=60 writes=200"
    ]
    # By hand. SQLite: 60 GB − 40 GB included = 20 GB × €0.05 = €1.00, + €4.51 = €5.51.
    assert _exact(sqlite) == Decimal("5.51")
    assert sqlite["unit"] == "EUR/month"
    assert sqlite["steps"] == [
        "storage beyond the plan = max(60 GB − 40 GB, 0 GB) = 20 GB",
        "€4.51/month + 20 GB × €0.05/GB/month = €5.51/month",
    ]
    # Postgres: (60 − 10) GB × $0.20 = $10, + $15 = $25 a month; the site's currency is the
    # euro, so $25 ÷ 1.085 USD/EUR = €23.04147465… (25,000 / 1,085).
    assert _exact(postgres) == Decimal("23.041475")
    assert abs(Fraction(repr(postgres["value"])) - Fraction(25000, 1085)) < Fraction(1, 10**6)
    assert postgres["steps"][-1].startswith("$25.00/month ÷ 1.085 USD/EUR (eur-usd-2026-04,")
    assert postgres["fx"] == [
        {"row": "eur-usd-2026-04", "base": "EUR", "quote": "USD", "rate": 1.085,
         "date": "2026-04-01"}
    ]  # fmt: skip
    # A year of the difference: (25,000 / 1,085 − 5.51) × 12 months = 45,651.96 / 217.
    assert abs(Fraction(repr(yearly["value"])) - Fraction(4565196, 21700)) < Fraction(1, 10**6)
    assert yearly["unit"] == "EUR/year"
    assert yearly["display"] == "€210"
    assert any("× 12 months/year" in step for step in yearly["steps"]), yearly["steps"]
    assert {f["table"] for f in yearly["facts"]} == {"hosting", "fx"}
    assert _recomputes(twin) == 3


def test_database_hosting_refuses_more_writes_than_sqlite_takes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _hosting_site(tmp_path / "hosting")
    code = main(["calc", "--root", str(root), "db_yearly_difference", "sqlite_plan=vps-small",
                 "postgres_plan=pg-managed", "storage=60", "writes=800"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "vps-small takes at most 500 requests/s" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- a Kubernetes node pool

NODES_TABLE = (
    """\
title: Node types
columns:
  vcpu: vcpu/node
  memory: GB/node
rows:
  m6i-large:
    vcpu: 2
    memory: 8
"""
    + _cite("https://cloud.example.org/instance-types#:~:text=m6i.large")
    + """\
  m6i-xlarge:
    vcpu: 4
    memory: 16
"""
    + _cite("https://cloud.example.org/instance-types#:~:text=m6i.xlarge")
)
NODE_PRICES_TABLE = (
    """\
title: Node prices per hour
columns:
  node: ref:nodes
  market: text
  hourly: USD/node/h
rows:
  m6i-large-od:
    node: m6i-large
    market: on-demand
    hourly: 0.096
"""
    + _cite("https://cloud.example.org/pricing#:~:text=0.096")
    + """\
  m6i-large-spot:
    node: m6i-large
    market: spot
    hourly: 0.035..0.045
    note: The spot price moved between these over the month read.
"""
    + _cite("https://cloud.example.org/spot#:~:text=0.035", "medium")
)
POOL_MODELS = """\
pods_for_load:
  title: Pods needed to serve a request rate
  label: pods
  unit: pod
  params:
    rps: {unit: request/s, min: 0, label: peak requests per second}
    per_pod: {unit: request/s/pod, min: 1, default: 50, label: requests per second one pod serves}
  formula: ceil(rps / per_pod)

nodes_needed:
  title: Nodes a pool needs for its pods' CPU and memory requests
  label: nodes
  unit: node
  params:
    pods: {unit: pod, min: 1, label: pods}
    cpu_per_pod: {unit: vcpu/pod, min: 0, label: CPU each pod requests}
    mem_per_pod: {unit: GB/pod, min: 0, label: memory each pod requests}
    node: {table: nodes, label: node type}
    headroom: {unit: "1", min: 0.1, max: 1, default: 0.8, label: share of a node pods may request}
  let:
    by_cpu: {expr: "pods * cpu_per_pod / (node.vcpu * headroom)", label: nodes for CPU}
    by_memory: {expr: "pods * mem_per_pod / (node.memory * headroom)", label: nodes for memory}
  formula: ceil(max(by_cpu, by_memory))

pool_cost:
  title: Monthly cost of a node pool serving a request rate
  label: pool cost
  unit: USD/month
  params:
    rps: {unit: request/s, min: 0, label: peak requests per second}
    per_pod: {unit: request/s/pod, min: 1, default: 50, label: requests per second one pod serves}
    cpu_per_pod: {unit: vcpu/pod, min: 0, label: CPU each pod requests}
    mem_per_pod: {unit: GB/pod, min: 0, label: memory each pod requests}
    node: {table: nodes, label: node type}
    spot: {type: bool, default: false, label: spot nodes}
  let:
    pods: pods_for_load(rps=rps, per_pod=per_pod)
    nodes: nodes_needed(pods=pods, cpu_per_pod=cpu_per_pod, mem_per_pod=mem_per_pod, node=node)
    price: >-
      if(spot, find(node_prices, node=node, market='spot'),
         find(node_prices, node=node, market='on-demand'))
  formula: nodes * price.hourly * 730[h/month]

pool_cost_yearly:
  title: Yearly cost of the node pool
  unit: USD/year
  params:
    rps: {unit: request/s, min: 0, label: peak requests per second}
    cpu_per_pod: {unit: vcpu/pod, min: 0, label: CPU each pod requests}
    mem_per_pod: {unit: GB/pod, min: 0, label: memory each pod requests}
    node: {table: nodes, label: node type}
  formula: pool_cost(rps=rps, cpu_per_pod=cpu_per_pod, mem_per_pod=mem_per_pod, node=node)

cost_per_million_requests:
  title: What the pool costs per million requests at a steady rate
  unit: USD/1M request
  params:
    rps: {unit: request/s, min: 1, label: steady requests per second}
    cpu_per_pod: {unit: vcpu/pod, min: 0, label: CPU each pod requests}
    mem_per_pod: {unit: GB/pod, min: 0, label: memory each pod requests}
    node: {table: nodes, label: node type}
  formula: pool_cost(rps=rps, cpu_per_pod=cpu_per_pod, mem_per_pod=mem_per_pod, node=node) / rps
"""
POOL_MARKERS = {
    "on-demand": "pool_cost rps=1000 cpu_per_pod=0.5 mem_per_pod=1 node=m6i-large",
    "spot": "pool_cost rps=1000 cpu_per_pod=0.5 mem_per_pod=1 node=m6i-large spot=true",
    "load": "pool_cost rps=800..1200 cpu_per_pod=0.5 mem_per_pod=1 node=m6i-large",
    "yearly": "pool_cost_yearly rps=1000 cpu_per_pod=0.5 mem_per_pod=1 node=m6i-large",
    "per-million": "cost_per_million_requests rps=1000 cpu_per_pod=0.5 mem_per_pod=1 "
    "node=m6i-large",
}
POOL_GUIDE = (
    FRONT.format(
        title="How big a Kubernetes node pool does 1,000 requests a second need?",
        summary="Seven m6i.large nodes on demand, for about 490 dollars a month.",
    )
    + "## The pool\n\n"
    + "".join(
        f"The {name} figure is [calc: {marker}].\n\n" for name, marker in POOL_MARKERS.items()
    )
)


def _pool_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "citeguide.toml": '[units]\ncount = ["pod", "node", "vcpu"]\n',
            "content/data/nodes.yaml": NODES_TABLE,
            "content/data/node_prices.yaml": NODE_PRICES_TABLE,
            "content/models/pool.yaml": POOL_MODELS,
            "content/guides/node-pool.md": POOL_GUIDE,
        },
    )


def _marker_key(marker: str) -> str:
    name, *pairs = marker.split()
    return " ".join([name, *sorted(pairs)])


def test_kubernetes_node_pool_from_requests_to_nodes_to_dollars(tmp_path: Path) -> None:
    twin = _build(_pool_site(tmp_path / "pool"))
    calcs = _by_marker(twin)
    on_demand = calcs[_marker_key(POOL_MARKERS["on-demand"])]
    # By hand: 1,000 requests/s ÷ 50 per pod = 20 pods; CPU 20 × 0.5 ÷ (2 × 0.8) = 6.25
    # nodes, memory 20 × 1 GB ÷ (8 GB × 0.8) = 3.125; ceil(6.25) = 7 nodes;
    # 7 × $0.096/h × 730 h/month = $490.56/month.
    assert _exact(on_demand) == Decimal("490.56")
    assert on_demand["display"] == "$491"
    assert on_demand["steps"] == [
        "pods: ceil(1,000 requests/s ÷ 50 requests/s/pod) = 20 pods",
        "nodes: nodes for CPU = 20 pods × 0.5 vcpus/pod ÷ (2 vcpus/node × 0.8) = 6.25 nodes",
        "nodes: nodes for memory = 20 pods × 1 GB/pod ÷ (8 GB/node × 0.8) = 3.125 nodes",
        "nodes: ceil(max(6.25 nodes, 3.125 nodes)) = 7 nodes",
        "7 nodes × $0.096/node/h × 730 h/month = $490.56/month",
    ]
    # Spot: the row's range $0.035–0.045/h → 7 × 730 × (0.035, 0.040, 0.045)
    # = $178.85 low, $204.40 at the midpoint, $229.95 high.
    spot = calcs[_marker_key(POOL_MARKERS["spot"])]
    assert (_exact(spot), spot["low"], spot["high"]) == (Decimal("204.4"), 178.85, 229.95)
    assert spot["display"] == "$179–230"
    assert spot["drivers"][0]["input"] == "node_prices:m6i-large-spot.hourly"
    # A ranged load: 800 requests/s → 16 pods → ceil(5) = 5 nodes → $350.40; 1,200 → 24
    # pods → ceil(7.5) = 8 nodes → $560.64; the midpoint 1,000 is the $490.56 above.
    load = calcs[_marker_key(POOL_MARKERS["load"])]
    assert (_exact(load), load["low"], load["high"]) == (Decimal("490.56"), 350.4, 560.64)
    assert load["monotone"] is True
    # A year is 12 of the 730-hour months: $490.56 × 12 = $5,886.72.
    yearly = calcs[_marker_key(POOL_MARKERS["yearly"])]
    assert _exact(yearly) == Decimal("5886.72")
    assert yearly["steps"][-1] == "$490.56/month × 12 months/year = $5,886.72/year"
    # Per request: $490.56 a month over 1,000 requests/s × 2,628,000 s/month, per million:
    # 490.56 / 2,628 = $0.186666… per 1M requests.
    per_million = calcs[_marker_key(POOL_MARKERS["per-million"])]
    assert abs(Fraction(repr(per_million["value"])) - Fraction(49056, 262800)) < Fraction(1, 10**6)
    assert per_million["unit"] == "USD/1M requests"
    assert per_million["steps"][-1] == (
        "$490.56/month ÷ (1,000 requests/s × 2,628,000 s/month) = ≈$0.1867/1M requests"
    )
    assert _recomputes(twin) == 5


# ---------------------------------------------------------------- hiring

PAY_TABLE = (
    """\
title: What a developer costs
columns:
  day_rate: GBP/day
  salary: GBP/year
  on_cost: "1"
rows:
  contractor-dev:
    day_rate: 550
"""
    + _cite("https://jobs.example.org/contract-rates#:~:text=550")
    + """\
  employee-dev:
    salary: 65000
    on_cost: 0.20..0.30
    estimate: true
    note: >-
      Employer National Insurance, pension and benefits as a share of salary, taken
      from the range the guide cites rather than stated for this salary.
"""
    + _cite("https://jobs.example.org/salaries#:~:text=65%2C000", "medium")
)
HIRING_MODELS = """\
contractor_cost:
  title: Yearly cost of a contractor at a day rate
  label: contractor
  unit: GBP/year
  params:
    rate: {unit: GBP/day, min: 0, table: pay, column: day_rate, label: day rate}
    days: {unit: day/year, min: 1, max: 365, default: 220, label: days worked a year}
  formula: rate * days

employee_cost:
  title: Yearly cost of an employee with employer on-costs and equipment
  label: employee
  unit: GBP/year
  params:
    salary: {unit: GBP/year, min: 0, table: pay, column: salary, label: salary}
    on_cost: {unit: "1", min: 0, max: 1, table: pay, column: on_cost, label: employer on-costs}
    equipment: {unit: GBP/month, min: 0, default: 50, label: "laptop, licences and desk"}
  formula: salary * (1 + on_cost) + equipment

hire_saving:
  title: Yearly saving from hiring a developer instead of contracting one
  unit: GBP/year
  params:
    rate: {unit: GBP/day, min: 0, table: pay, column: day_rate, label: day rate}
    days: {unit: day/year, min: 1, max: 365, default: 220, label: days worked a year}
    salary: {unit: GBP/year, min: 0, table: pay, column: salary, label: salary}
    on_cost: {unit: "1", min: 0, max: 1, table: pay, column: on_cost, label: employer on-costs}
  formula: contractor_cost(rate=rate, days=days) - employee_cost(salary=salary, on_cost=on_cost)

employee_day_cost:
  title: What an employee costs per day worked
  unit: GBP/day
  params:
    salary: {unit: GBP/year, min: 0, table: pay, column: salary, label: salary}
    on_cost: {unit: "1", min: 0, max: 1, table: pay, column: on_cost, label: employer on-costs}
    days: {unit: day/year, min: 1, max: 365, default: 220, label: days worked a year}
  formula: employee_cost(salary=salary, on_cost=on_cost) / days
  require:
    - if: days > 260[day/year]
      error: "{days} is more than the 260 weekdays of a year"
"""
HIRING_MARKERS = {
    "contractor": "contractor_cost rate=contractor-dev",
    "employee": "employee_cost salary=employee-dev on_cost=employee-dev",
    "saving": "hire_saving rate=contractor-dev salary=employee-dev on_cost=employee-dev",
    "per-day": "employee_day_cost salary=employee-dev on_cost=employee-dev",
}
HIRING_GUIDE = (
    FRONT.format(
        title="Contractor or employee: which costs a team less?",
        summary="At a £550 day rate, hiring saves tens of thousands of pounds a year.",
    )
    + "## The costs\n\n"
    + "".join(
        f"The {name} figure is [calc: {marker}].\n\n" for name, marker in HIRING_MARKERS.items()
    )
)


def test_hiring_a_contractor_or_an_employee(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "hiring",
        {
            "citeguide.toml": 'currency = "GBP"\nlanguage = "en-GB"\n',
            "content/data/pay.yaml": PAY_TABLE,
            "content/models/hiring.yaml": HIRING_MODELS,
            "content/guides/contractor-or-employee.md": HIRING_GUIDE,
        },
    )
    twin = _build(root)
    calcs = _by_marker(twin)
    # By hand: £550/day × 220 days/year = £121,000/year.
    contractor = calcs[_marker_key(HIRING_MARKERS["contractor"])]
    assert _exact(contractor) == Decimal("121000")
    assert contractor["steps"] == ["£550.00/day × 220 days/year = £121,000.00/year"]
    # £65,000 × (1 + 0.20..0.30) + £50/month × 12: £78,600 low, £81,850 mid, £85,100 high.
    employee = calcs[_marker_key(HIRING_MARKERS["employee"])]
    assert (_exact(employee), employee["low"], employee["high"]) == (
        Decimal("81850"), 78600, 85100,
    )  # fmt: skip
    assert employee["steps"][-1] == (
        "£65,000.00/year × (1 + 0.25) + £50.00/month × 12 months/year = £81,850.00/year"
    )
    assert [f["estimate"] for f in employee["facts"]] == [True]
    # The saving: £121,000 − the employee's cost, so its low is £121,000 − £85,100 = £35,900
    # and its high £121,000 − £78,600 = £42,400.
    saving = calcs[_marker_key(HIRING_MARKERS["saving"])]
    assert (_exact(saving), saving["low"], saving["high"]) == (Decimal("39150"), 35900, 42400)
    assert saving["display"] == "£35,900–42,400"
    # Per day worked: £81,850 ÷ 220 days = £372.0454…/day (£357.27 to £386.82).
    per_day = calcs[_marker_key(HIRING_MARKERS["per-day"])]
    assert abs(Fraction(repr(per_day["value"])) - Fraction(81850, 220)) < Fraction(1, 10**6)
    assert (per_day["low"], per_day["high"]) == (
        float(round(Decimal(78600) / 220, 6)), float(round(Decimal(85100) / 220, 6)),
    )  # fmt: skip
    assert per_day["unit"] == "GBP/day"
    assert _recomputes(twin) == 4


# ---------------------------------------------------------------- the page's evaluator


def test_the_page_computes_what_python_computes_in_every_domain(tmp_path: Path) -> None:
    """The what-if forms' evaluator (whatif.js, in Chromium) gives every marker of the three
    sites the display and the steps `citeguide calc` gives: currencies converted after the
    arithmetic done in them, custom count units, `find`, ranges and models calling models."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    from chromium import CHROMIUM_ARGS, QuietHandler, chromium_path
    from citeguide.config_file import load_config
    from citeguide.content.models import load_library
    from citeguide.costcore.evaluate import evaluate
    from citeguide.diagnostics import Diagnostics

    hiring = write_site(tmp_path / "hiring", {
        "citeguide.toml": 'currency = "GBP"\n',
        "content/data/pay.yaml": PAY_TABLE,
        "content/models/hiring.yaml": HIRING_MODELS,
        "content/guides/contractor-or-employee.md": HIRING_GUIDE,
    })  # fmt: skip
    sites = [_hosting_site(tmp_path / "hosting"), _pool_site(tmp_path / "pool"), hiring]
    compared = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for root in sites:
            twin = _build(root)
            library = load_library(root, load_config(root), Diagnostics())
            handler = functools.partial(QuietHandler, directory=str(root / "site"))
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{twin['slug']}/")
            page.wait_for_function("() => document.documentElement.classList.contains("
                                   "'whatif-ready')")  # fmt: skip
            for calc in twin["calculations"]:
                raw = {p["name"]: _text(p["value"]) for p in calc["params"]
                       if p["origin"] == "given"}  # fmt: skip
                python = evaluate(calc["model"], raw, library, locale="en")
                page_figure = page.evaluate(
                    "([name, raw]) => window.citeguideWhatif.engine.figure(name, raw)",
                    [calc["model"], raw],
                )
                assert page_figure["display"] == python.display == calc["display"]
                assert page_figure["steps"] == python.steps, calc["model"]
                compared += 1
            page.close()
            server.shutdown()
            server.server_close()
        browser.close()
    assert compared == 3 + 5 + 4
