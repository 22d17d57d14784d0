"""Readers redo the numbers (issue 20): the what-if forms in a real Chromium.

The page's evaluator (templates/assets/whatif.js) must show exactly what `citeguide calc`
displays for the same inputs: checked here over random inputs for every bundled model,
ranges and refusals included, and for the number formats of several locales; then the
forms themselves: typing, selecting a cited row, the figure and steps in the text, the
shareable URL, reset, keyboard and screen-reader names, a 390 px screen, no JavaScript.
"""

from __future__ import annotations

import functools
import random
import shutil
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from chromium import CHROMIUM_ARGS, QuietHandler, chromium_path
from citeguide.config_file import load_config
from citeguide.content.models import load_library
from citeguide.costcore import format as fmt
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.format import locale_data
from citeguide.costcore.library import Library
from citeguide.costcore.quantities import CalcError
from citeguide.diagnostics import Diagnostics
from citeguide.engine.builder import build_site
from conftest import REPO, TODAY

GUIDE = "/self-hosted-llm-2026/"
HEATING = "/heat-pump-or-gas-boiler/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("whatif")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "citeguide.toml", root)
    assert build_site(root, today=TODAY).ok
    handler = functools.partial(QuietHandler, directory=str(root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def library(site: tuple[str, Path]) -> Library:
    root = site[1]
    diags = Diagnostics()
    lib = load_library(root, load_config(root), diags)
    assert not diags.has_errors(), diags.render()
    return lib


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _page(browser: Browser, width: int = 1100, js: bool = True) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=js)
    context.route("**/*", lambda route: (
        route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
    ))  # fmt: skip
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    tab = _page(browser)
    yield tab
    tab.context.close()


def _ready(page: Page, url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_function("() => document.documentElement.classList.contains('whatif-ready')")
    assert errors == []


def _python(lib: Library, name: str, raw: dict[str, str]) -> str:
    try:
        return evaluate(name, raw, lib, locale="en").display
    except CalcError:
        return "REFUSED"


JS_FIGURE = """([name, raw]) => {
  try { return window.citeguideWhatif.engine.figure(name, raw).display; }
  catch (e) { if (e.constructor.name === 'Refused') return 'REFUSED'; throw e; }
}"""


# ---------------------------------------------------------------- random inputs per model


def _number(rng: random.Random, param: Any) -> str:
    low = param.minimum if param.minimum is not None else Decimal(0)
    high = (
        param.maximum
        if param.maximum is not None
        else low + Decimal(rng.choice([10, 1000, 10**6, 10**10]))
    )
    value = low + (high - low) * Decimal(rng.randint(0, 10_000)) / 10_000
    places = rng.choice([0, 1, 2, 3, 4])
    text = format(value.quantize(Decimal(1).scaleb(-places)), "f")
    if rng.random() < 0.1:  # a range now and then
        upper = value * Decimal(rng.choice(["1.1", "1.5", "2"]))
        if param.maximum is None or upper <= param.maximum:
            text = f"{text}..{format(upper.quantize(Decimal(1).scaleb(-places)), 'f')}"
    return text


def _baselines(root: Path) -> dict[str, list[dict[str, str]]]:
    """Every bundled marker's own inputs (and every chart line's), by model."""
    import json

    found: dict[str, list[dict[str, str]]] = {}
    for twin in sorted((root / "site").glob("*.cite.json")):
        data = json.loads(twin.read_text(encoding="utf-8"))
        for calc in data["calculations"]:
            given = {
                p["name"]: str(p["value"]).lower()
                if isinstance(p["value"], bool)
                else str(p["value"])
                for p in calc["params"]
                if p["origin"] == "given"
            }
            found.setdefault(calc["model"], []).append(given)
        for chart in data["charts"]:
            for line in chart["lines"]:
                params = {k: str(v) for k, v in line["params"].items()}  # typed in the twin
                if chart["kind"] != "tornado":  # a tornado's one line is its figure's inputs
                    params[chart["x_param"]] = str(int(chart["x_from"]))
                found.setdefault(line["model"], []).append(params)
    return found


def _mutate(rng: random.Random, lib: Library, name: str, base: dict[str, str]) -> dict[str, str]:
    """A marker's inputs with one or two changed: a number scaled, a range, another row."""
    model = lib.models[name]
    raw = dict(base)
    # Change what the marker gave, or a number it left at its default (a reader's move).
    movable = sorted(p for p, spec in model.params.items()
                     if p in base or (spec.kind == "number" and spec.default is not None
                                      and not spec.table))  # fmt: skip
    for pname in rng.sample(movable, k=min(2, len(movable))):
        param = model.params[pname]
        if param.kind == "bool":
            raw[pname] = rng.choice(["true", "false"])
        elif param.kind == "currency":
            raw[pname] = rng.choice(["USD", "GBP"])
        elif param.table and pname in raw and not raw[pname][:1].isdigit():
            table = lib.tables.get(param.table)
            current = table.rows.get(raw[pname]) if table else None
            if table and current is not None:
                # another row of the same kind: one with the same columns
                alike = sorted(r for r, row in table.rows.items()
                               if set(row.values) == set(current.values))  # fmt: skip
                raw[pname] = rng.choice(alike)
        elif param.kind == "number":
            current = (
                Decimal(raw[pname].split("..")[0])
                if pname in raw and raw[pname][:1].isdigit()
                else Decimal(param.default)
                if param.default and param.default[:1].isdigit()
                else None
            )
            if current is None:
                raw[pname] = _number(rng, param)
                continue
            factor = Decimal(rng.choice(["0.5", "0.9", "1.1", "1.37", "2", "3", "0.25"]))
            value = (current * factor).quantize(Decimal("0.0001"))
            if param.maximum is not None:
                value = min(value, param.maximum)
            text = format(value.normalize(), "f")
            if rng.random() < 0.2:
                upper = value * Decimal("1.2")
                if param.maximum is None or upper <= param.maximum:
                    text = f"{text}..{format(upper.normalize(), 'f')}"
            raw[pname] = text
    return raw


def _inputs(rng: random.Random, lib: Library, name: str, bases: dict[str, list[dict[str, str]]]
            ) -> dict[str, str]:  # fmt: skip
    if bases.get(name) and rng.random() < 0.85:
        return _mutate(rng, lib, name, rng.choice(bases[name]))
    model = lib.models[name]
    raw: dict[str, str] = {}
    for pname, param in model.params.items():
        roll = rng.random()
        if param.kind == "bool":
            if roll < 0.3:
                raw[pname] = rng.choice(["true", "false"])
        elif param.kind == "currency":
            if roll < 0.3:
                raw[pname] = rng.choice(["USD", "GBP"])
        elif param.table and (param.kind == "row" or roll < 0.6):
            table = lib.tables.get(param.table)
            if table and table.rows and (not param.optional or roll < 0.5):
                raw[pname] = rng.choice(sorted(table.rows))
        elif (
            param.kind == "number"
            and (not param.optional or roll < 0.3)
            and (param.default is None or roll < 0.5)
        ):
            raw[pname] = _number(rng, param)
    return raw


def test_page_and_cli_agree_on_random_inputs_for_every_bundled_model(
    browser: Browser, site: tuple[str, Path], library: Library
) -> None:
    page = _page(browser)
    _ready(page, site[0] + GUIDE)
    rng = random.Random(20261202)
    bases = _baselines(site[1])
    compared = refused = 0
    figured: set[str] = set()
    for name in sorted(library.models):
        for _ in range(40):
            raw = _inputs(rng, library, name, bases)
            expected = _python(library, name, raw)
            got = page.evaluate(JS_FIGURE, [name, raw])
            assert got == expected, (name, raw)
            compared += 1
            if expected == "REFUSED":
                refused += 1  # the models' own constraints: both sides must refuse
            else:
                figured.add(name)
    assert compared >= 40 * len(library.models)
    assert compared - refused >= 300
    assert (
        figured == set(library.models) - {"model_memory"} or len(figured) >= len(library.models) - 1
    )
    page.context.close()


def test_bundled_markers_recompute_to_their_own_figures(
    browser: Browser, site: tuple[str, Path]
) -> None:
    """Every form, untouched, computes the figure the page was built with."""
    page = _page(browser)
    for url in (GUIDE, HEATING, "/model-size-for-one-gpu/"):
        _ready(page, site[0] + url)
        pairs = page.evaluate("""() => [...document.querySelectorAll('form.whatif')].map((f) => {
            const { engine } = window.citeguideWhatif;
            const raw = {};
            for (const el of f.elements) {
              if (!el.name || el.type === 'button' || el.tagName === 'OUTPUT') continue;
              if (el.dataset.origin === 'default') continue;
              raw[el.name] = el.value;
            }
            const built = f.querySelector('output').textContent;
            return [built, engine.figure(f.dataset.model, raw).display];
        })""")
        assert pairs, url
        for built, recomputed in pairs:
            assert recomputed == built, url
    page.context.close()


@pytest.mark.parametrize("locale", ["en", "en_GB", "de", "fr", "ja", "hi"])
def test_number_formats_agree_in_every_locale(
    browser: Browser, site: tuple[str, Path], locale: str
) -> None:
    page = _page(browser)
    _ready(page, site[0] + GUIDE)
    data = locale_data(locale, {"USD", "GBP", "EUR", "JPY", "INR"})
    rng = random.Random(locale)
    cases = []
    for _ in range(150):
        digits = rng.choice([0, 1, 2, 3, 4, 6])
        value = Decimal(rng.randint(-(10**7), 10**13)).scaleb(-digits)
        if rng.random() < 0.2:
            value = Decimal(rng.randint(0, 10**6)) / 8  # ties at half
        cases.append(format(value, "f"))
    got = page.evaluate(
        """([L, cases]) => {
        const { Q, format } = window.citeguideWhatif;
        return cases.map((c) => {
          const q = Q.of(c);
          return [format.money(q, 'EUR', L), format.count(q.abs(), L), format.significant(q, 3, L),
                  format.share(q, L), format.gigabytes(q.abs(), L), format.exactNumber(q, L),
                  format.moneyText(q, 'GBP', L),
                  format.joinRange(format.money(q, 'EUR', L), format.money(q.neg(), 'EUR', L)),
                  format.joinRange(format.count(q, L), format.count(q.add(Q.of('1')), L)),
                  format.significant(q, 3, L, 2), format.significantPlaces(q, 3),
                  format.money(q, 'GBP', L, true), format.wholeRange(q, q.add(Q.of('95')))];
        });
    }""",
        [data, cases],
    )
    from citeguide.costcore.display import _money_text, exact_number

    for case, js in zip(cases, got, strict=True):
        value = Decimal(case)
        python = [
            fmt.money(value, "EUR", locale), fmt.count(abs(value), locale),
            fmt.significant(value, 3, locale), fmt.share(value, locale),
            fmt.gigabytes(abs(value), locale), exact_number(value, locale),
            _money_text(value, "GBP", locale),
            fmt.join_range(fmt.money(value, "EUR", locale), fmt.money(-value, "EUR", locale)),
            fmt.join_range(fmt.count(value, locale), fmt.count(value + 1, locale)),
            fmt.significant(value, 3, locale, 2), list(fmt.significant_places(value, 3)),
            fmt.money(value, "GBP", locale, whole=True), fmt.whole_range(value, value + 95),
        ]  # fmt: skip
        assert js == python, case
    page.context.close()


# ---------------------------------------------------------------- the forms


def _form(page: Page, model: str, nth: int = 0) -> Any:
    return page.locator(f'form.whatif[data-model="{model}"]').nth(nth)


def test_typing_a_volume_recomputes_figure_steps_and_text(
    page: Page, site: tuple[str, Path], library: Library
) -> None:
    _ready(page, site[0] + GUIDE)
    form = _form(page, "api_cost")
    calc = form.get_attribute("data-calc")
    page.locator(f"#{calc}").evaluate("(li) => li.closest('details').open = true")
    field = form.locator('input[name="tokens"]')
    assert field.is_visible()
    field.fill("25000000")
    expected = evaluate("api_cost", {"tokens": "25000000", "model": "claude-haiku-4.5"}, library)
    assert form.locator("output").inner_text() == expected.display
    # the figure in the text follows, and the steps are redone
    assert page.locator(f'a.calc-value[href="#{calc}"]').first.inner_text() == expected.display
    steps = page.locator(f"#{calc} ol.calc-steps li").all_inner_texts()
    assert steps == expected.steps
    assert f"w.{calc}.tokens=25000000" in page.url


def test_choosing_another_cited_row_recomputes(
    page: Page, site: tuple[str, Path], library: Library
) -> None:
    _ready(page, site[0] + GUIDE)
    form = _form(page, "blended_price")
    form.evaluate("(f) => f.closest('details').open = true")
    form.locator('select[name="model"]').select_option("claude-sonnet-4.5")
    expected = evaluate("blended_price", {"model": "claude-sonnet-4.5"}, library).display
    assert form.locator("output").inner_text() == expected


def test_a_link_reproduces_the_readers_case_and_reset_restores_the_authors(
    browser: Browser, site: tuple[str, Path], library: Library
) -> None:
    page = _page(browser)
    _ready(page, site[0] + GUIDE)
    form = _form(page, "api_cost")
    calc = form.get_attribute("data-calc")
    built = form.locator("output").text_content()
    link = f"{site[0]}{GUIDE}#w.{calc}.tokens=50000000"
    other = _page(browser)
    _ready(other, link)
    form2 = _form(other, "api_cost")
    form2.evaluate("(f) => f.closest('details').open = true")
    expected = evaluate("api_cost", {"tokens": "50000000", "model": "claude-haiku-4.5"}, library)
    assert form2.locator("output").inner_text() == expected.display
    assert form2.locator('input[name="tokens"]').input_value() == "50000000"
    form2.evaluate("(f) => f.closest('details').open = true")
    form2.locator(".whatif-reset").click()
    assert form2.locator("output").inner_text() == built
    assert "w." not in other.url.split("#", 1)[-1] or "#" not in other.url
    other.context.close()
    page.context.close()


def test_a_refused_input_says_why_and_the_form_survives(page: Page, site: tuple[str, Path]) -> None:
    _ready(page, site[0] + GUIDE)
    form = _form(page, "api_cost")
    form.evaluate("(f) => f.closest('details').open = true")
    form.locator('input[name="input_share"]').fill("1.5")
    assert "out of range" in form.locator("output").inner_text()
    form.locator('input[name="input_share"]').fill("0.5")
    assert "$" in form.locator("output").inner_text()


def test_ranged_inputs_give_a_range_in_the_page(
    page: Page, site: tuple[str, Path], library: Library
) -> None:
    _ready(page, site[0] + HEATING)
    form = _form(page, "payback")
    form.evaluate("(f) => f.closest('details').open = true")
    built = form.locator("output").inner_text()
    assert "–" in built  # the boiler's price is a range, so the payback is too
    expected = evaluate("payback", {**_given(form), "scop": "ashp-eoh-top-quartile"}, library)
    form.locator('input[name="scop"]').fill("ashp-eoh-top-quartile")
    assert form.locator("output").inner_text() == expected.display


def test_a_cited_row_or_the_readers_own_price(
    page: Page, site: tuple[str, Path], library: Library
) -> None:
    """The headline breakeven: the reader keeps the cited rental row or types their own
    price per GPU-hour, volume-free; the page says what `citeguide calc` says."""
    _ready(page, site[0] + GUIDE)
    form = _form(page, "breakeven_tokens")
    form.evaluate("(f) => f.closest('details').open = true")
    field = form.locator('input[name="gpu_hourly"]')
    assert field.input_value() == "h100-sxm-rental-lambda"
    options = form.evaluate("(f) => [...f.querySelector('datalist').options].map(o => o.value)")
    assert "h100-sxm-rental-replicate" in options
    field.fill("2.49")
    expected = evaluate("breakeven_tokens", {**_given(form), "gpu_hourly": "2.49"}, library)
    assert form.locator("output").inner_text() == expected.display
    field.fill("h100-sxm-rental-replicate")
    expected = evaluate(
        "breakeven_tokens", {**_given(form), "gpu_hourly": "h100-sxm-rental-replicate"}, library
    )
    assert form.locator("output").inner_text() == expected.display
    field.fill("no-such-row")
    assert "no such row" in form.locator("output").inner_text()


def _given(form: Any) -> dict[str, str]:
    found: dict[str, str] = form.evaluate("""(f) => {
        const raw = {};
        for (const el of f.elements) {
          if (el.name && el.dataset.origin === 'given') raw[el.name] = el.value;
        }
        return raw;
    }""")
    return found


def test_forms_are_labelled_announced_and_fit_a_phone(
    browser: Browser, site: tuple[str, Path]
) -> None:
    page = _page(browser, width=390)
    _ready(page, site[0] + GUIDE)
    form = _form(page, "selfhost_cost")
    form.evaluate("(f) => f.closest('details').open = true")
    assert form.locator("output").get_attribute("aria-live") == "polite"
    for control in form.locator("input:not([type=hidden]), select").all():
        label = control.evaluate("(el) => el.labels.length ? el.labels[0].textContent.trim() : ''")
        assert label, control.get_attribute("name")
    box = form.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    # keyboard: Tab reaches the first field, typing recomputes
    form.locator("input, select").first.focus()
    page.keyboard.type("1")
    assert form.locator("output").inner_text()
    page.context.close()


def test_without_javascript_the_forms_stay_hidden(browser: Browser, site: tuple[str, Path]) -> None:
    page = _page(browser, js=False)
    page.goto(site[0] + GUIDE)
    assert page.locator("form.whatif").count() > 0
    assert page.locator("form.whatif:visible").count() == 0
    assert page.locator("a.calc-value").count() > 0  # the figures are in the page
    page.context.close()


def test_the_chart_redraws_with_the_readers_numbers(page: Page, site: tuple[str, Path]) -> None:
    _ready(page, site[0] + GUIDE)
    form = page.locator('form.whatif-chart[data-chart="chart-1"]')
    assert form.is_visible()
    path = page.locator("#chart-1 svg.chart-wide path.series.s1")
    before = path.get_attribute("d")
    field = form.locator('input[name="l1.utilisation"]')
    assert field.evaluate("(el) => el.labels[0].textContent").startswith("Self-hosted: share of")
    field.fill("0.9")
    after = path.get_attribute("d")
    assert after != before
    assert "cross" in form.locator("output").inner_text()
