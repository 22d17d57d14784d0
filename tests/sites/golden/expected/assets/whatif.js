// "Try your own numbers": recompute a figure, its steps and its chart in the page.
//
// The build publishes every model as an expression tree (site/whatif.json, the same trees
// as the JSON twin's `models`); this script evaluates them with exact fractions (BigInt),
// never eval, following docs/twin.md "Recomputing a figure", and writes the result with
// the same rules and locale data as citeguide's Python (costcore/format.py), so the page
// shows what `citeguide calc` prints for the same inputs. Without JavaScript the forms stay
// hidden and the page is whole. A classic script in its own scope, like site.js.
(function () {
"use strict";

// ---------------------------------------------------------------- exact fractions
const big = (x) => BigInt(x);
function gcd(a, b) {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}
class Q {
  constructor(n, d = 1n) {
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n, d) || 1n;
    this.n = n / g;
    this.d = d / g;
  }
  static of(text) {
    text = String(text).trim();
    if (text.includes("/")) {
      const [a, b] = text.split("/");
      return new Q(big(a), big(b));
    }
    const m = /^(-?)(\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!m) throw new Error(`not a number: ${text}`);
    const frac = m[3] || "";
    let n = big((m[2] || "0") + frac);
    let d = 10n ** big(frac.length);
    const e = Number(m[4] || 0);
    if (e > 0) n *= 10n ** big(e);
    if (e < 0) d *= 10n ** big(-e);
    return new Q(m[1] ? -n : n, d);
  }
  add(o) { return new Q(this.n * o.d + o.n * this.d, this.d * o.d); }
  sub(o) { return new Q(this.n * o.d - o.n * this.d, this.d * o.d); }
  mul(o) { return new Q(this.n * o.n, this.d * o.d); }
  div(o) {
    if (o.n === 0n) throw new Refused("a division by zero");
    return new Q(this.n * o.d, this.d * o.n);
  }
  neg() { return new Q(-this.n, this.d); }
  abs() { return new Q(this.n < 0n ? -this.n : this.n, this.d); }
  cmp(o) { const x = this.n * o.d - o.n * this.d; return x < 0n ? -1 : x > 0n ? 1 : 0; }
  isZero() { return this.n === 0n; }
  floor() { let q = this.n / this.d; if (this.n < 0n && q * this.d !== this.n) q -= 1n; return new Q(q); }
  ceil() { return this.neg().floor().neg(); }
  // Half up, away from zero at a tie, as Python's ROUND_HALF_UP.
  round(places) {
    if (places < 0) {
      const s = 10n ** big(-places);
      const r = this.abs().div(new Q(s)).add(new Q(1n, 2n)).floor();
      return new Q((this.n < 0n ? -r.n : r.n) * s);
    }
    const s = 10n ** big(places);
    const x = this.abs().mul(new Q(s));
    const r = x.add(new Q(1n, 2n)).floor();
    return new Q(this.n < 0n ? -r.n : r.n, s);
  }
  pow(k) {
    let out = new Q(1n);
    const base = k < 0 ? new Q(this.d, this.n) : this;
    for (let i = 0; i < Math.abs(k); i++) out = out.mul(base);
    return out;
  }
  toNumber() { return Number(this.n) / Number(this.d); }
  // Significant digits and the decimal exponent, when the expansion ends within 40 digits.
  digits() {
    let d = this.d, twos = 0, fives = 0;
    while (d % 2n === 0n) { d /= 2n; twos++; }
    while (d % 5n === 0n) { d /= 5n; fives++; }
    if (d !== 1n) return null;
    const places = Math.max(twos, fives);
    const scaled = this.abs().mul(new Q(10n ** big(places))).n;
    let text = scaled.toString();
    let exp = -places;
    while (text.length > 1 && text.endsWith("0")) { text = text.slice(0, -1); exp++; }
    return text === "0" ? { text: "0", exp: 0 } : { text, exp };
  }
}
const ZERO = new Q(0n);
const ONE = new Q(1n);

class Refused extends Error {
  constructor(message, param) { super(message); this.param = param; }
}

// ---------------------------------------------------------------- formats (costcore/format.py)
function group(digits, sep) {
  const out = [];
  while (digits.length > 3) { out.unshift(digits.slice(-3)); digits = digits.slice(0, -3); }
  out.unshift(digits);
  return out.join(sep);
}
function decimalText(q) {
  // Every digit of a terminating fraction (`0.2635`), or null.
  const d = q.digits();
  if (!d) return null;
  let { text, exp } = d;
  if (exp >= 0) return text + "0".repeat(exp);
  const point = text.length + exp;
  return point > 0 ? text.slice(0, point) + "." + text.slice(point) : "0." + "0".repeat(-point) + text;
}
function plain(q, L, minPlaces = 0) {
  const neg = q.n < 0n;
  let text = decimalText(q.abs());
  if (text === null) text = decimalText(q.abs().round(34));
  let [whole, frac = ""] = text.split(".");
  frac = frac.padEnd(minPlaces, "0");
  return (neg ? "-" : "") + group(whole, L.group) + (frac ? L.decimal + frac : "");
}
function fixed(q, places, L) {
  const r = q.round(places);
  const neg = r.n < 0n;
  const s = decimalText(r.abs());
  let [whole, frac = ""] = s.split(".");
  frac = frac.padEnd(places, "0");
  return (neg ? "-" : "") + group(whole, L.group) + (places ? L.decimal + frac : "");
}
function withSymbol(number, code, L) {
  const symbol = (L.symbols && L.symbols[code]) || code;
  const neg = number.startsWith("-");
  number = number.replace(/^-/, "");
  const text = L.currency_after ? `${number}\u00a0${symbol}` : `${symbol}${L.currency_space}${number}`;
  return neg ? "-" + text : text;
}
function money(q, code, L, whole = false) {
  if (q.n < 0n) return "-" + money(q.neg(), code, L, whole);
  if (whole || q.cmp(new Q(100n)) >= 0) return withSymbol(fixed(q, 0, L), code, L);
  if (q.isZero() || q.cmp(new Q(1n, 100n)) >= 0) return withSymbol(fixed(q, 2, L), code, L);
  return withSymbol(plain(q.round(4), L, 2), code, L);
}
// As costcore/format.py's whole_range: a range of amounts in whole units at both ends.
function wholeRange(low, high) {
  const [a, b] = [low.abs(), high.abs()];
  const [small, big] = a.cmp(b) <= 0 ? [a, b] : [b, a];
  return big.cmp(new Q(100n)) >= 0 && small.cmp(new Q(10n)) >= 0;
}
function adjusted(q) {
  // The exponent of the leading digit (Decimal.adjusted()).
  const a = q.abs();
  if (a.isZero()) return 0;
  let e = a.n.toString().length - a.d.toString().length;
  const p = (k) => (k >= 0 ? new Q(10n ** big(k)) : new Q(1n, 10n ** big(-k)));
  if (a.cmp(p(e)) < 0) e -= 1;
  if (a.cmp(p(e + 1)) >= 0) e += 1;
  return e;
}
function count(q, L) {
  if (q.abs().cmp(new Q(100000n)) < 0) return fixed(q, 0, L);
  const magnitude = q.abs().floor().n.toString().length - 1;
  const patterns = (L.compact && L.compact.other) || {};
  let pattern = patterns[String(magnitude)];
  const zeros = pattern ? (pattern.match(/0/g) || []).length : 0;
  if (!pattern || zeros === 0 || pattern.trim() === "0".repeat(zeros)) return fixed(q, 0, L);
  const scaled = q.div(new Q(10n ** big(magnitude - zeros + 1)));
  const digits = Math.max(0, 3 - scaled.abs().floor().n.toString().length);
  const rounded = scaled.round(digits);
  const form = rounded.cmp(ONE) === 0 && L.compact.one ? "one" : "other";
  pattern = (L.compact[form] || {})[String(magnitude)] || pattern;
  return pattern.replace(/0+/, plain(rounded, L)).trim();
}
function share(q, L) { return plain(q.mul(new Q(100n)).round(1), L) + "%"; }
function gigabytes(q, L) {
  const places = q.cmp(new Q(100n)) >= 0 ? 0 : q.cmp(new Q(10n)) >= 0 ? 1 : 2;
  return `${plain(q.round(places), L)} GB`;
}
function roundSignificant(q, digits) {
  if (q.abs().cmp(new Q(10n ** big(digits))) >= 0) return q.round(0);
  return q.round(digits - 1 - adjusted(q));
}
function significant(q, digits, L, places = 0) {
  if (q.isZero()) return "0";
  return plain(roundSignificant(q, digits), L, places);
}
// As costcore/format.py's significant_places: the decimals written, and those held.
function significantPlaces(q, digits) {
  if (q.isZero()) return [0, 0];
  const r = roundSignificant(q, digits);
  const d = r.digits();
  const shown = d ? Math.max(0, -d.exp) : 0;
  if (r.abs().cmp(new Q(10n ** big(digits))) >= 0) return [shown, 0];
  return [shown, Math.max(0, digits - 1 - adjusted(r))];
}
const FIGURE = /^(\D*?)(-?[0-9][0-9.,\u00a0\u202f]*[0-9]|-?[0-9])(.*)$/;
const NEGATIVE = /^[^0-9]*[-\u2212]/;
function joinRange(a, b) {
  // As costcore/format.py's join_range: a negative end is written out, not dashed.
  if (NEGATIVE.test(a) || NEGATIVE.test(b)) return `${a} to ${b}`;
  const x = FIGURE.exec(a), y = FIGURE.exec(b);
  if (x && y && x[1] === y[1] && x[3] === y[3]) return `${x[1]}${x[2]}–${y[2]}${x[3]}`;
  return `${a}–${b}`;
}
function exactNumber(q, L) {
  let d = q.digits();
  let prefix = "";
  if (!d || d.text.length > 12) {
    prefix = "≈";
    q = q.round(5 - adjusted(q));
  }
  return prefix + plain(q, L);
}
function moneyText(q, code, L) {
  const d = q.digits();
  if (!d || d.exp < -4) {
    const places = q.abs().cmp(new Q(1n, 100n)) >= 0 ? 4 : Math.max(4, 3 - adjusted(q));
    const r = q.round(places);
    if (r.cmp(q) !== 0) return "≈" + withSymbol(plain(r, L, 2), code, L);
  }
  return withSymbol(plain(q, L, 2), code, L);
}

// ---------------------------------------------------------------- the evaluator
const NOT_GIVEN = { notGiven: true };
const isRow = (v) => v && v.row !== undefined;
const isVal = (v) => v && v.q !== undefined;
const PREC = { or: 1, and: 2, not: 3, cmp: 4, "+": 5, "-": 5, "*": 6, "/": 6, neg: 7, "^": 8 };
const SYMBOL = { "+": "+", "-": "−", "*": "×", "/": "÷", "^": "^", "<": "<", "<=": "≤", ">": ">",
  ">=": "≥", "==": "=", "!=": "≠", and: "and", or: "or" };
// `signed` (a right operand, a power's base): also around a leading minus, `1 + (-5%)`.
const wrap = (t, p, need, signed = false) => (p < need || (signed && /^[-−]/.test(t)) ? `(${t})` : t);

class Engine {
  constructor(data, locale) {
    this.models = data.models;
    this.tables = data.tables;
    this.currency = data.currency;
    this.L = locale || data.locale;
  }
  table(name) { return this.tables[name]; }
  rowValue(row, column) { return this.tables[row.table].rows[row.row].values[column]; }

  fxRate(from, to) {
    const fx = this.tables.fx;
    for (const id of Object.keys(fx ? fx.rows : {}).sort()) {
      const v = fx.rows[id].values;
      const rate = Q.of(v.rate);
      if (v.base === from && v.quote === to) return { id, rate, mul: true, row: fx.rows[id], base: v.base, quote: v.quote };
      if (v.base === to && v.quote === from) return { id, rate, mul: false, row: fx.rows[id], base: v.base, quote: v.quote };
    }
    throw new Refused(`no exchange rate between ${from} and ${to} in fx.yaml`, "currency");
  }

  // Evaluate model `name` with `raw` texts (as a marker or the form gives them).
  evaluate(name, raw, opts = {}) {
    const model = this.models[name];
    const trace = { steps: [], quiet: !!opts.quiet, ranges: {}, choice: opts.choice || {} };
    const values = {};
    for (const [key, text] of Object.entries(raw)) {
      const param = model.params[key];
      if (!param) throw new Refused(`${name} has no parameter ${JSON.stringify(key)}`, key);
      values[key] = this.parse(param, key, String(text), trace);
    }
    for (const [key, param] of Object.entries(model.params)) {
      if (key in values) continue;
      if (param.default !== undefined) values[key] = this.parse(param, key, param.default, null);
      else if (param.kind === "currency") values[key] = this.currency;
      else if (param.optional) values[key] = NOT_GIVEN;
      else throw new Refused(`missing ${key}=...: ${param.label || key}`, key);
    }
    const given = new Set(Object.keys(raw));
    const result = this.run(model, name, values, given, trace, "");
    if (Object.keys(trace.ranges).length && !opts.quiet) this.ranges(name, model, raw, result, trace);
    return result;
  }

  parse(param, key, text, trace) {
    // As evaluate.py's as_typed: a share may carry its `%` (`4.2%`, `1.5%..3.5%`); and
    // a range may have spaces around its dots (`1.5 .. 3.5`), as `calc` reads it.
    text = text.trim();
    if (param.kind === "number" && param.unit === "%") text = text.replace(/\s*%\s*(?=\.\.|$)/g, "");
    if (param.kind === "number") text = text.replace(/\s*\.\.\s*/, "..");
    if (param.kind === "bool") {
      const t = text.toLowerCase();
      if (["true", "yes", "1"].includes(t)) return true;
      if (["false", "no", "0"].includes(t)) return false;
      throw new Refused(`${key}=${text} is not true or false`, key);
    }
    if (param.kind === "currency") return text.toUpperCase();
    // A number as `parse_number` reads one: a comma only groups thousands (`12,000`), so
    // `3,5` is refused rather than read as 35; `200.` or `200..` while typing is no number.
    const NUM = "-?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?|[0-9][0-9_]*(?:\\.[0-9]+)?|\\.[0-9]+)[kMB]?";
    if (param.kind === "number" && new RegExp(`^${NUM}(\\.\\.${NUM})?$`).test(text)) {
      const num = (t) => {
        const m = /^(-?[0-9.,_]+)([kMB]?)$/.exec(t);
        const scale = { "": 1n, k: 1000n, M: 1000000n, B: 1000000000n }[m[2]];
        return Q.of(m[1].replace(/[,_]/g, "")).mul(new Q(scale));
      };
      const bounds = param.bounds ? `: ${param.bounds.replace(/\bmoney\b/, this.currency)}` : "";
      const outside = `${key}=${text} is out of range${bounds}`;
      const inRange = (v) => (param.min === undefined || v.cmp(Q.of(param.min)) >= 0)
        && (param.max === undefined || v.cmp(Q.of(param.max)) <= 0);
      if (text.includes("..")) {
        const [a, b] = text.split("..").map(num);
        if (a.cmp(b) > 0) throw new Refused(`${key}=${text}: a range is written low..high`, key);
        if (!inRange(a) || !inRange(b)) throw new Refused(outside, key);
        if (trace && a.cmp(b) !== 0) trace.ranges[`param:${key}`] = [a, b];
        return { q: a.add(b).div(new Q(2n)), cur: null };
      }
      const v = num(text);
      if (!inRange(v)) throw new Refused(outside, key);
      return { q: v, cur: null };
    }
    if (!param.table) {
      const comma = /^-?[0-9]+,[0-9]+$/.test(text) ? ` (a comma groups thousands, as in 12,000: write ${text.replace(",", ".")} for a decimal)` : "";
      throw new Refused(`${key}=${text} is not a number${comma}`, key);
    }
    const table = this.tables[param.table];
    if (!table || !(text in table.rows)) throw new Refused(`${key}=${text}: no such row in ${param.table}.yaml`, key);
    return { row: text, table: param.table };
  }

  // The currency the arithmetic ends in, and why (as frame.py's _evaluation_currency).
  evaluationCurrency(model, values) {
    const code = model.currency;
    if (code && code !== "money") return [code, `the currency of its unit, ${model.unit}`];
    for (const [key, param] of Object.entries(model.params)) {
      if (param.kind === "currency" && typeof values[key] === "string") return [values[key], `its ${key}=${values[key]}`];
    }
    return [this.currency, `the site's currency (its unit, ${model.unit}, names none; set \`currency\` in citeguide.toml)`];
  }

  run(model, name, values, given, trace, prefix) {
    const frame = { model, name, values, given, trace, prefix, lets: {}, read: [] };
    [frame.currency, frame.currencyWhy] = this.evaluationCurrency(model, values);
    for (const [key, v] of Object.entries(values)) {
      const param = model.params[key];
      if (isVal(v) && param.currency) values[key] = { q: v.q, cur: param.currency === "money" ? frame.currency : param.currency };
    }
    for (const req of model.require || []) {
      if (this.ev(req.test, frame)[0] === true) throw new Refused(this.message(req, frame), this.blame(req.blame, frame));
    }
    const body = model.formula;
    const top = body.op === "conv" ? body.args[0] : body;
    const [value, text, prec] = this.e(top, frame);
    let result = { q: value.q, cur: value.cur };
    if (body.op === "conv") result = { q: value.q.mul(Q.of(body.factor)), cur: value.cur };
    // The arithmetic in the currency it was done in, then its conversion, if any.
    const line = this.resultLine(top, value, text, prec, body, result, frame);
    if (line) this.step(frame, line);
    result = this.toCurrency(result, model, frame);
    const flags = {};
    for (const flag of model.flags || []) {
      if (flag.when && this.ev(flag.when, frame)[0] !== true) continue;
      const [held, ftext] = this.ev(flag.test, frame);
      flags[flag.name] = !!held;
      this.step(frame, `${flag.label || flag.name}: ${ftext} → ${held ? "yes" : "no"}`);
    }
    return { value: result.q, cur: result.cur, flags, read: frame.read, steps: trace.steps, model, name };
  }

  step(frame, line) {
    // Once: a model called again with the same inputs writes the lines already shown.
    const text = frame.prefix + line;
    if (!frame.trace.quiet && !frame.trace.steps.includes(text)) frame.trace.steps.push(text);
  }

  blame(names, frame) {
    for (const n of names || []) if (frame.given.has(n)) return n;
    return names && names.length ? names[0] : null;
  }

  message(req, frame) {
    let text = req.error;
    for (const [hole, node] of Object.entries(req.holes || {})) {
      let shown;
      try {
        let [v] = this.ev(node, { ...frame, trace: { ...frame.trace, quiet: false, steps: [] } });
        if (node.op === "param" && isRow(frame.values[node.name])) v = frame.values[node.name];
        shown = isVal(v) ? this.messageQ(v, this.spec(frame.model, node.unit), frame.currency) : this.word(v);
      } catch (e) { continue; }
      text = text.split(`{${hole}}`).join(shown);
    }
    return text;
  }

  // A value in a require message as costcore/display.py's message_quantity writes it:
  // an amount as the page writes one, any other number with at most four decimals.
  messageQ(v, spec, currency) {
    const L = this.L;
    let q = v.q;
    if (spec.fold && spec.fold !== "1") q = q.mul(Q.of(spec.fold));
    if (spec.kind === "money") {
      return money(q, v.cur || (spec.currency === "money" ? currency : spec.currency), L) + (spec.tail || "");
    }
    const number = plain(q.round(4), L);
    if (spec.kind === "plain") return number + (spec.tail || "");
    return `${number} ${q.cmp(ONE) !== 0 ? spec.many : spec.one}`;
  }

  word(v) { return isRow(v) ? v.row : v === true ? "true" : v === false ? "false" : String(v); }

  // How a quantity is written in the steps (`show_spec`, shared with Python).
  show(v, unit, frame) {
    if (frame.trace.quiet) return "";
    return this.showQ(v.q, v.cur, this.spec(frame.model, unit), frame.currency);
  }
  spec(model, unit) {
    const s = model.units && model.units[unit];
    if (s) return s;
    for (const m of Object.values(this.models)) if (m.units && m.units[unit]) return m.units[unit];
    return { fold: "1", kind: "number", one: unit, many: unit };
  }
  showQ(q, cur, spec, currency) {
    const L = this.L;
    if (spec.fold && spec.fold !== "1") q = q.mul(Q.of(spec.fold));
    if (spec.kind === "money") {
      const code = cur || (spec.currency === "money" ? currency : spec.currency);
      return moneyText(q, code, L) + (spec.tail || "");
    }
    const number = exactNumber(q, L);
    if (spec.kind === "plain") return number + (spec.tail || "");
    return `${number} ${q.cmp(ONE) !== 0 ? spec.many : spec.one}`;
  }

  resultLine(top, value, text, prec, body, result, frame) {
    if (frame.trace.quiet) return "";
    const shownValue = this.show(value, top.unit, frame);
    const final = this.show({ q: result.q, cur: result.cur }, frame.model.unit, frame);
    if (body.op === "conv" && body.factor !== "1" && body.text) return `${wrap(text, prec, 6)} ${body.text} = ${final}`;
    if (text === shownValue || text === final) return "";
    return `${text} = ${final}`;
  }

  rateText(use, from, to) {
    const op = use.base === from && use.quote === to ? "×" : "÷";
    return `${op} ${exactNumber(use.rate, this.L)} ${use.quote}/${use.base}`;
  }

  // `why`: what the conversion is for, said when fx.yaml has no rate (currency.py's _fx).
  fx(v, node, target, frame, why = "") {
    let use;
    try {
      use = this.fxRate(v.cur, target);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      if (why) throw new Refused(`${error.message}: ${why}`, error.param);
      if (target !== frame.currency) throw error;
      throw new Refused(`${error.message}: ${frame.name} is worked out in ${target}, ${frame.currencyWhy}`, error.param);
    }
    const power = node.money || 1;
    const factor = use.mul ? use.rate.pow(power) : use.rate.pow(-power);
    return [{ q: v.q.mul(factor), cur: target }, use];
  }

  toCurrency(v, model, frame) {
    if (!model.currency || !v.cur || v.cur === frame.currency) return v;
    const [converted, use] = this.fx(v, { money: 1 }, frame.currency, frame);
    if (!frame.trace.quiet) {
      const before = this.showQ(v.q, v.cur, this.spec(model, model.unit), v.cur);
      const after = this.showQ(converted.q, converted.cur, this.spec(model, model.unit), frame.currency);
      this.step(frame, `${before} ${this.rateText(use, v.cur, frame.currency)} (${use.id}, ${use.row.date}) = ${after}`);
    }
    return converted;
  }

  meet(a, b, frame) {
    let [va, ta, pa, na] = a;
    let [vb, tb, pb, nb] = b;
    if (va.cur && vb.cur && va.cur !== vb.cur) {
      const target = frame.currency;
      if (va.cur !== target) {
        const from = va.cur;
        const [c, use] = this.fx(va, na, target, frame);
        va = c; ta = `${wrap(ta, pa, 6)} ${this.rateText(use, from, target)}`; pa = 6;
      }
      if (vb.cur !== target) {
        const from = vb.cur;
        const [c, use] = this.fx(vb, nb, target, frame);
        vb = c; tb = `${wrap(tb, pb, 6)} ${this.rateText(use, from, target)}`; pb = 6;
      }
    }
    return [[va, ta, pa], [vb, tb, pb]];
  }

  ev(node, frame) {
    const r = this.e(node, frame);
    return [r[0], r[1]];
  }

  cell(row, column, frame) {
    const table = this.tables[row.table];
    const values = table.rows[row.row].values;
    if (!(column in values)) {
      const why = (table.rows[row.row].absent || {})[column] || `has no ${column} in ${row.table}.yaml`;
      throw new Refused(`${row.row} ${why}`);
    }
    const col = table.columns[column];
    const raw = String(values[column]);
    let q;
    if (raw.includes("..")) {
      const [a, b] = raw.split("..").map(Q.of);
      const key = `row:${row.table}:${row.row}:${column}`;
      if (!(key in frame.trace.ranges)) frame.trace.ranges[key] = [a, b];
      q = frame.trace.choice[key] || a.add(b).div(new Q(2n));
    } else q = Q.of(raw);
    let cur = null;
    const unit = col.unit || "";
    const head = unit.split("/")[0].split(" ");
    if (head.includes("money")) cur = values[table.currency_column];
    else cur = head.find((w) => /^[A-Z]{3}$/.test(w)) || null;
    return { q, cur };
  }

  rowOf(node, frame) {
    if (node.op === "param") {
      const v = frame.values[node.name];
      if (v === NOT_GIVEN) throw new Refused(`missing ${node.name}=...`, node.name);
      return v;
    }
    return this.e(node, frame)[0];
  }

  e(node, frame) {
    const op = node.op;
    const quiet = frame.trace.quiet;
    if (op === "num") {
      const cur = node.currency ? (node.currency === "money" ? frame.currency : node.currency) : null;
      const v = { q: Q.of(node.value), cur };
      let text = "";
      if (!quiet) text = node.unit && node.unit !== "1" ? this.show(v, node.unit, frame) : this.literal(node);
      return [v, text, 9];
    }
    if (op === "str") return [node.value, `'${node.value}'`, 9];
    if (op === "bool") return [node.value, String(node.value), 9];
    if (op === "param") return this.param(node, frame);
    if (op === "let") return this.let(node.name, frame);
    if (op === "col") {
      let row = this.rowOf(node.args[0], frame);
      const path = node.path;
      for (let i = 0; i < path.length; i++) {
        const col = this.tables[row.table].columns[path[i]];
        const values = this.tables[row.table].rows[row.row].values;
        if (!(path[i] in values)) {
          const why = (this.tables[row.table].rows[row.row].absent || {})[path[i]] || `has no ${path[i]} in ${row.table}.yaml`;
          throw new Refused(`${row.row} ${why}`);
        }
        if (col.kind === "ref") { row = { row: values[path[i]], table: col.ref }; if (i === path.length - 1) return [row, row.row, 9]; continue; }
        if (col.kind === "quantity") { const v = this.cell(row, path[i], frame); return [v, this.show(v, node.unit, frame), 9]; }
        return [values[path[i]], String(values[path[i]]), 9];
      }
    }
    if (op === "conv") {
      const [v, t, p] = this.e(node.args[0], frame);
      const c = { q: v.q.mul(Q.of(node.factor)), cur: v.cur };
      if (node.factor === "1" || !node.text || node.same) return [c, t, p];
      return [c, `${wrap(t, p, 6)} ${node.text}`, 6];
    }
    if (op === "and" || op === "or") {
      const [l, lt, lp] = this.e(node.args[0], frame);
      if ((op === "and" && l === false) || (op === "or" && l === true)) return [l, lt, lp];
      const [r, rt, rp] = this.e(node.args[1], frame);
      const p = PREC[op];
      return [!!r, `${wrap(lt, lp, p)} ${op} ${wrap(rt, rp, p + 1)}`, p];
    }
    if (op === "not") { const [v, t, p] = this.e(node.args[0], frame); return [!v, `not ${wrap(t, p, 3)}`, 3]; }
    if (op === "given") {
      const n = node.args[0].name;
      return [frame.given.has(n) && frame.values[n] !== NOT_GIVEN, "", 9];
    }
    if (op === "is_row") return [isRow(frame.values[node.args[0].name]), "", 9];
    if (op === "has") {
      const col = node.args[0];
      let row = this.rowOf(col.args[0], frame);
      for (const c of col.path.slice(0, -1)) row = { row: this.rowValue(row, c), table: this.tables[row.table].columns[c].ref };
      return [isRow(row) && col.path[col.path.length - 1] in this.tables[row.table].rows[row.row].values, "", 9];
    }
    if (op === "if") {
      const [c] = this.e(node.args[0], frame);
      return this.e(c === true ? node.args[1] : node.args[2], frame);
    }
    if (op === "neg") { const [v, t, p] = this.e(node.args[0], frame); return [{ q: v.q.neg(), cur: v.cur }, `−${wrap(t, p, 7)}`, 7]; }
    if (["min", "max", "ceil", "floor", "abs", "round"].includes(op)) return this.fn(node, frame);
    if (op === "find") return this.find(node, frame);
    if (op === "call") return this.call(node, frame);
    let [l, lt, lp] = this.e(node.args[0], frame);
    let [r, rt, rp] = this.e(node.args[1], frame);
    if ((op === "==" || op === "!=") && !isVal(l)) {
      const a = isRow(l) ? l.row : l, b = isRow(r) ? r.row : r;
      return [(a === b) === (op === "=="), `${lt} ${SYMBOL[op]} ${rt}`, 4];
    }
    [[l, lt, lp], [r, rt, rp]] = this.meet([l, lt, lp, node.args[0]], [r, rt, rp, node.args[1]], frame);
    const p = PREC[op] || 4;
    let text = `${wrap(lt, lp, p)} ${SYMBOL[op]} ${wrap(rt, rp, p + 1, true)}`;
    let prec = p;
    const relabel = (n) => n.op === "num" && n.relabel === true;
    if (op === "*" && relabel(node.args[1])) [text, prec] = [lt, lp];
    else if (op === "*" && relabel(node.args[0])) [text, prec] = [rt, rp];
    const cur = l.cur || r.cur;
    const keep = node.money ? cur : null;
    if (op === "+") return [{ q: l.q.add(r.q), cur }, text, prec];
    if (op === "-") return [{ q: l.q.sub(r.q), cur }, text, prec];
    if (op === "*") return [{ q: l.q.mul(r.q), cur: keep }, text, prec];
    if (op === "/") return [{ q: l.q.div(r.q), cur: keep }, text, prec];
    if (op === "^") {
      if (r.q.d !== 1n) return [{ q: Q.of(String(Math.pow(l.q.toNumber(), r.q.toNumber()))), cur: null }, `${wrap(lt, lp, 9, true)}^${wrap(rt, rp, 8)}`, 8];
      return [{ q: l.q.pow(Number(r.q.n)), cur: null }, `${wrap(lt, lp, 9, true)}^${wrap(rt, rp, 8)}`, 8];
    }
    const c = l.q.cmp(r.q);
    const result = { "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "==": c === 0, "!=": c !== 0 }[op];
    return [result, text, 4];
  }

  literal(node) { return node.text || node.value; }

  param(node, frame) {
    const name = node.name;
    const v = frame.values[name];
    if (!frame.read.includes(name)) frame.read.push(name);
    const param = frame.model.params[name];
    if (v === NOT_GIVEN || v === undefined) throw new Refused(`missing ${name}=...: ${param.label || name}`, name);
    if (param.kind === "number") {
      if (isRow(v)) {
        if (!param.column) throw new Refused(`${name}=${v.row} is a row; here a number is needed`, name);
        const cell = this.cell(v, param.column, frame);
        const val = { q: cell.q.mul(Q.of(param.column_factor || "1")), cur: cell.cur };
        return [val, this.show(val, param.unit, frame), 9];
      }
      let val = v;
      const key = `param:${name}`;
      if (frame.prefix === "" && key in frame.trace.ranges && frame.trace.choice[key]) val = { q: frame.trace.choice[key], cur: v.cur };
      return [val, this.show(val, param.unit, frame), 9];
    }
    if (isRow(v)) return [v, v.row, 9];
    return [v, this.word(v), 9];
  }

  let(name, frame) {
    if (name in frame.lets) { const [v, shown] = frame.lets[name]; return [v, shown, 9]; }
    const let_ = frame.model.lets.find((x) => x.name === name);
    const [v, text] = this.e(let_.expr, frame);
    let shown = text;
    let value = v;
    if (isVal(v)) {
      shown = this.show(v, let_.expr.unit, frame);
      const label = let_.label || name.replace(/_/g, " ");
      if (text !== shown && !frame.trace.quiet) {
        const head = label === frame.model.label ? "" : `${label} = `;
        this.step(frame, `${head}${text} = ${shown}`);
      }
      const converted = this.toDeclared(v, let_, label, frame);
      if (converted !== v) [value, shown] = [converted, this.show(converted, let_.expr.unit, frame)];
    }
    frame.lets[name] = [value, shown];
    return [value, shown, 9];
  }

  // As costcore/currency.py's to_declared: a let declared in one currency (its `currency`)
  // holding another, converted through fx.yaml, with the conversion in the steps.
  toDeclared(v, let_, label, frame) {
    const code = let_.currency;
    if (!code || !v.cur || v.cur === code) return v;
    const [converted, use] = this.fx(v, let_.expr, code, frame, `${label} is declared in ${code}`);
    if (!frame.trace.quiet) {
      const head = label === frame.model.label ? "" : `${label} = `;
      const [before, after] = [v, converted].map((x) => this.show(x, let_.expr.unit, frame));
      this.step(frame, `${head}${before} ${this.rateText(use, v.cur, code)} (${use.id}, ${use.row.date}) = ${after}`);
    }
    return converted;
  }

  fn(node, frame) {
    const op = node.op;
    const items = node.args.map((a) => [...this.e(a, frame), a]);
    if (op === "min" || op === "max") {
      const first = items[0];
      const met = [first.slice(0, 3)];
      for (const other of items.slice(1)) {
        const [a, b] = this.meet(first, other, frame);
        met[0] = a;
        met.push(b);
      }
      let chosen = met[0];
      for (const m of met) if (op === "min" ? m[0].q.cmp(chosen[0].q) < 0 : m[0].q.cmp(chosen[0].q) > 0) chosen = m;
      return [chosen[0], `${op}(${met.map((m) => m[1]).join(", ")})`, 9];
    }
    const [v, t] = items[0];
    if (op === "abs") return [{ q: v.q.abs(), cur: v.cur }, `|${t}|`, 9];
    if (op === "ceil") return [{ q: v.q.ceil(), cur: v.cur }, `ceil(${t})`, 9];
    if (op === "floor") return [{ q: v.q.floor(), cur: v.cur }, `floor(${t})`, 9];
    const places = items.length > 1 ? Number(items[1][0].q.n) : 0;
    return [{ q: v.q.round(places), cur: v.cur }, `round(${items.map((i) => i[1]).join(", ")})`, 9];
  }

  find(node, frame) {
    const table = this.tables[node.name];
    const wanted = Object.entries(node.kwargs).map(([c, n]) => {
      const v = this.e(n, frame)[0];
      return [c, isRow(v) ? v.row : v];
    });
    const found = Object.keys(table.rows).filter((id) => wanted.every(([c, w]) => {
      const have = table.rows[id].values[c];
      if (isVal(w)) return have !== undefined && Q.of(have).cmp(w.q) === 0;
      return have === w;
    }));
    if (found.length !== 1) throw new Refused(`find: ${found.length} rows of ${node.name}.yaml match`);
    return [{ row: found[0], table: node.name }, found[0], 9];
  }

  call(node, frame) {
    const callee = this.models[node.name];
    const values = {};
    const given = new Set();
    const worked = []; // arguments with arithmetic of their own (interpreter.py's _call)
    for (const [key, arg] of Object.entries(node.kwargs)) {
      const held = arg.op === "param" ? frame.values[arg.name] : undefined;
      if (arg.op === "param" && held === NOT_GIVEN) continue;
      const param = callee.params[key];
      if (isRow(held) && param.table) values[key] = held;
      else if (arg.op === "str" && param.table) values[key] = { row: arg.value, table: param.table };
      else if (arg.op === "param" && isVal(held)) {
        const rk = `param:${arg.name}`;
        values[key] = frame.prefix === "" && frame.trace.choice[rk] ? { q: frame.trace.choice[rk], cur: held.cur } : held;
      } else {
        const [value, text] = this.e(arg, frame);
        values[key] = value;
        worked.push([key, text, arg]);
      }
      if (!(arg.op === "param" && !frame.given.has(arg.name))) given.add(key);
    }
    for (const [key, param] of Object.entries(callee.params)) {
      if (key in values) {
        const v = values[key];
        if (isVal(v) && ((param.min !== undefined && v.q.cmp(Q.of(param.min)) < 0) || (param.max !== undefined && v.q.cmp(Q.of(param.max)) > 0))) {
          // As values.check_bounds: the value as the called model's steps write it.
          const shown = this.showQ(v.q, v.cur, this.spec(callee, param.unit), frame.currency);
          const bounds = (param.bounds || "").replace(/\bmoney\b/, frame.currency);
          throw new Refused(`${node.name}: ${key}=${shown} is out of range: ${bounds}`);
        }
        continue;
      }
      if (param.default !== undefined) values[key] = this.parse(param, key, param.default, null);
      else if (param.kind === "currency") values[key] = frame.currency;
      else if (param.optional) values[key] = NOT_GIVEN;
      else throw new Refused(`${node.name} needs ${key}=...`);
    }
    // The rows and flags the call names as written (frame.py's call_prefix).
    const named = Object.entries(node.kwargs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([, a]) => a.op === "bool" || a.op === "str")
      .map(([k, a]) => `${callee.params[k].label || k}: ${a.op === "bool" ? String(a.value) : a.value}`);
    const prefix = named.length ? `${callee.label} (${named.join(", ")}): ` : `${callee.label}: `;
    for (const [key, text, arg] of worked) {
      if (!isVal(values[key])) continue;
      const shown = this.show(values[key], arg.unit, frame);
      if (text !== shown) this.step(frame, `${prefix}${callee.params[key].label || key} = ${text} = ${shown}`);
    }
    const result = this.run(callee, node.name, values, given, frame.trace, prefix);
    for (const [key, arg] of Object.entries(node.kwargs)) {
      if (arg.op === "param" && result.read.includes(key) && !frame.read.includes(arg.name)) frame.read.push(arg.name);
    }
    const v = { q: result.value, cur: result.cur };
    return [v, this.show(v, node.unit, frame), 9];
  }

  // The figure as the page shows it (`display` in costcore/display.py).
  display(q, cur, model, places = 0, whole = false) {
    const L = this.L;
    const d = model.display || {};
    const code = cur || (d.currency === "money" ? this.currency : d.currency);
    if (model.style === "money" && code) return money(q, code, L, whole);
    if (model.style === "count") return `${count(q, L)} ${q.cmp(ONE) !== 0 ? d.noun_many || "" : d.noun_one || ""}`.trim();
    if (model.style === "gigabytes") return gigabytes(q, L);
    if (model.style === "percent") return share(q, L);
    // What follows the number is Python's (`units.after_number`): `5%`, `12/year`, `3 kWh`.
    const after = (q.cmp(ONE) !== 0 ? d.after_many : d.after_one) || "";
    return significant(q, model.digits, L, places) + after.replace(/\bmoney\b/, code || "money");
  }

  // As costcore/display.py's written_alike: numbers read side by side (a range's ends, a
  // column of a chart's data table) with as many decimals as any shows, as far as each
  // one's digits go, and amounts in whole units at all or at none.
  alike(qs, cur, model) {
    const held = qs.map((q) => significantPlaces(q, model.digits));
    const most = Math.max(...held.map(([shown]) => shown));
    const sizes = qs.map((q) => q.abs()).sort((a, b) => a.cmp(b));
    const whole = wholeRange(sizes[0], sizes[sizes.length - 1]);
    return qs.map((q, k) => this.display(q, cur, model, Math.min(most, held[k][1]), whole));
  }

  // Low, high and drivers of a figure with ranged inputs (the same corners as Python).
  ranges(name, model, raw, result, trace) {
    const keys = Object.keys(trace.ranges).sort();
    const at = (choice) => this.evaluate(name, raw, { quiet: true, choice }).value;
    const end = (k, i) => trace.ranges[k][i];
    const mid = (k) => trace.ranges[k][0].add(trace.ranges[k][1]).div(new Q(2n));
    const corners = [];
    for (let mask = 0; mask < 2 ** keys.length; mask++) {
      const choice = {};
      keys.forEach((k, i) => { choice[k] = end(k, (mask >> i) & 1); });
      corners.push(at(choice));
    }
    let low = corners.reduce((a, b) => (a.cmp(b) <= 0 ? a : b));
    let high = corners.reduce((a, b) => (a.cmp(b) >= 0 ? a : b));
    for (const key of keys) {
      const others = keys.filter((k) => k !== key);
      const masks = others.length <= 4 ? [...Array(2 ** others.length).keys()] : [0, 2 ** others.length - 1];
      for (const mask of masks) {
        const choice = {};
        others.forEach((k, i) => { choice[k] = end(k, (mask >> i) & 1); });
        choice[key] = mid(key);
        const v = at(choice);
        if (v.cmp(low) < 0) low = v;
        if (v.cmp(high) > 0) high = v;
      }
    }
    result.low = low;
    result.high = high;
    result.steps.unshift("With every range at its midpoint:");
  }

  // What the page shows for model `name` with these inputs.
  figure(name, raw) {
    const model = this.models[name];
    const result = this.evaluate(name, raw);
    const display = result.low !== undefined
      ? (() => {
          const [a, b] = this.alike([result.low, result.high], result.cur, model);
          return a === b ? a : joinRange(a, b);
        })()
      : this.display(result.value, result.cur, model);
    return { display, value: result.value.toNumber(), steps: result.steps, flags: result.flags };
  }
}

// ---------------------------------------------------------------- the page
function unchanged(el) {
  if (el.tagName === "SELECT") return [...el.options].every((o) => o.selected === o.defaultSelected);
  if (el.type === "checkbox") return el.checked === el.defaultChecked;
  return el.value === el.defaultValue;
}
// What a field says, as a marker would write it (a checkbox: `true` or `false`).
const fieldText = (el) => (el.type === "checkbox" ? String(el.checked) : el.value);
// A refusal as the form's reader reads it: the field's own label where `calc`'s message
// begins with the marker's `key=` (`yearly price rise: 60 is out of range: ...`), and an
// emptied field asked for what it takes. A chart's fields are named for their line
// (`prefix`: `l1.`), its label too (`Graz: return on savings: 60 is out of range: ...`).
function asRead(err, form, prefix = "") {
  const field = err.param && form.elements.namedItem(prefix + err.param);
  const label = field && field.labels && field.labels[0] && field.labels[0].querySelector("span");
  if (!label) return err.message;
  const name = label.textContent.trim();
  if (field.tagName === "INPUT" && field.type === "text" && field.value.trim() === "") {
    return `${name}: enter ${field.hasAttribute("list") ? "a row or a number" : "a number"}`;
  }
  const key = `${err.param}=`;
  return err.message.startsWith(key) ? `${name}: ${err.message.slice(key.length)}` : err.message;
}
// The inputs as a marker gives them: what the guide gave, and what the reader changed (a
// default left alone stays a default, as a model's `given()` tells them apart).
function formValues(form) {
  const raw = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.tagName === "OUTPUT" || el.type === "button" || el.type === "reset") continue;
    if (el.dataset.origin === "default" && unchanged(el)) continue;
    raw[el.name] = fieldText(el);
  }
  return raw;
}

function readHash() {
  const out = {};
  const hash = location.hash.replace(/^#/, "");
  for (const part of hash.split("&")) {
    // `w.<calculation>.<param>=...`, or for a chart `w.<chart>.l<line>.<param>=...`
    const m = /^w\.([a-z0-9-]+)\.((?:l[0-9]+\.)?[A-Za-z0-9_]+)=(.*)$/.exec(part);
    if (m) (out[m[1]] ||= {})[m[2]] = decodeURIComponent(m[3]);
  }
  return out;
}

function writeHash(forms) {
  const parts = [];
  for (const form of forms) {
    const id = form.dataset.calc || form.dataset.chart;
    for (const el of form.elements) {
      if (!el.name || el.type === "hidden" || el.type === "button" || el.tagName === "OUTPUT") continue;
      if (!unchanged(el)) parts.push(`w.${id}.${el.name}=${encodeURIComponent(fieldText(el))}`);
    }
  }
  const url = location.pathname + location.search + (parts.length ? "#" + parts.join("&") : "");
  history.replaceState(null, "", url);
}

// As guide.html writes them: a first line ending in a colon introduces the steps, is not
// numbered, and the steps after it count from 1.
function renderSteps(list, steps) {
  if (!list) return;
  const lead = steps.length > 0 && steps[0].endsWith(":");
  list.replaceChildren(...steps.map((s, i) => {
    const li = document.createElement("li");
    li.textContent = s;
    if (lead && i === 0) li.className = "calc-steps-lead";
    else if (lead && i === 1) li.value = 1;
    return li;
  }));
}

function setup(data) {
  const engine = new Engine(data, data.locale);
  window.citeguideWhatif = { Engine, Q, data, engine, format: { money, wholeRange, count, share, gigabytes, significant, significantPlaces, joinRange, exactNumber, moneyText, compactMoney, tickLabel } };
  const forms = [...document.querySelectorAll("form.whatif")];
  const charts = [...document.querySelectorAll("form.whatif-chart")];
  const all = [...forms, ...charts]; // every form's changed fields go into the link
  const saved = readHash();
  const restored = []; // what a shared link recomputed: shown open, the first scrolled to
  for (const form of forms) {
    const name = form.dataset.model;
    if (!engine.models[name]) continue;
    const output = form.querySelector("output");
    const id = form.dataset.calc;
    const entry = form.closest("li");
    const steps = entry ? entry.querySelector("ol.calc-steps") : null;
    const authorSteps = steps ? [...steps.children].map((li) => li.textContent) : [];
    const figures = id ? document.querySelectorAll(`a.calc-value[href="#${id}"]`) : [];
    const authorDisplay = output.textContent;
    // Each figure's tooltip: the author's lines, kept to restore them.
    const tips = [...figures].map((a) => a.parentElement.querySelector(".calc-tip"))
      .filter(Boolean).map((tip) => [tip, [...tip.querySelectorAll(".calc-tip-line")]]);
    // The figure in the text, its tooltip and its steps: the reader's (`fig`), or the
    // author's when nothing is changed or the reader's inputs are refused, so that the
    // text never shows a figure the form's inputs do not give.
    const show = (fig) => {
      renderSteps(steps, fig ? fig.steps : authorSteps);
      for (const a of figures) {
        a.textContent = fig ? fig.display : authorDisplay;
        a.classList.toggle("whatif-changed", !!fig);
      }
      for (const [tip, lines] of tips) {
        const link = tip.querySelector(".tip-link");
        for (const line of tip.querySelectorAll(".calc-tip-line")) line.remove();
        const mine = fig ? [...fig.steps, "From your own numbers in the form under \u201cHow the numbers were computed\u201d."]
          .map((text) => { const el = document.createElement("span"); el.className = "calc-tip-line"; el.textContent = text; return el; }) : lines;
        for (const el of mine) tip.insertBefore(el, link);
      }
    };
    const update = () => {
      const raw = formValues(form);
      const changed = [...form.elements].some((el) => el.name && el.tagName !== "OUTPUT" && el.type !== "hidden" && !unchanged(el));
      // The field a refusal blames is marked invalid and described by the message.
      for (const el of form.elements) {
        if (el.getAttribute("aria-invalid")) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-errormessage"); }
      }
      try {
        const fig = engine.figure(name, raw);
        output.textContent = fig.display;
        form.classList.remove("whatif-error");
        show(changed ? fig : null);
      } catch (err) {
        if (!(err instanceof Refused)) throw err;
        output.textContent = asRead(err, form);
        form.classList.add("whatif-error");
        show(null);
        const field = err.param && form.elements.namedItem(err.param);
        if (field && field.setAttribute && field.type !== "hidden") {
          if (!output.id) output.id = `${id}-result`;
          field.setAttribute("aria-invalid", "true");
          field.setAttribute("aria-errormessage", output.id);
        }
      }
      writeHash(all);
    };
    const mine = saved[id] || {};
    for (const el of form.elements) {
      if (!(el.name in mine)) continue;
      if (el.type === "checkbox") el.checked = mine[el.name] === "true";
      else el.value = mine[el.name];
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", (event) => { event.preventDefault(); update(); });
    const reset = form.querySelector(".whatif-reset");
    if (reset) reset.addEventListener("click", () => {
      for (const el of form.elements) {
        if (!el.name || el.tagName === "OUTPUT") continue;
        if (el.type === "checkbox") el.checked = el.defaultChecked;
        else el.value = el.defaultValue;
      }
      for (const el of form.querySelectorAll("select")) for (const o of el.options) o.selected = o.defaultSelected;
      update();
      output.textContent = authorDisplay;
    });
    form.querySelector("fieldset").disabled = false;
    if (Object.keys(mine).length) { update(); restored.push(entry || form); }
  }
  for (const chart of charts) {
    const mine = saved[chart.dataset.chart] || {};
    setupChart(chart, engine, mine, () => writeHash(all));
    if (Object.keys(mine).length) restored.push(document.getElementById(chart.dataset.chart) || chart);
  }
  document.documentElement.classList.add("whatif-ready");
  // A shared link's figures are the point of opening it: "How the numbers were computed"
  // (a closed <details>) is opened where it holds one, and the first is scrolled to.
  for (const el of restored) for (let d = el.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  if (restored.length) restored.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0].scrollIntoView({ block: "start" });
}

// ---------------------------------------------------------------- charts
// `mine`: the fields a shared link gives; `remember`: puts the changed fields in the link.
function setupChart(form, engine, mine, remember) {
  const figure = document.getElementById(form.dataset.chart);
  const spec = JSON.parse(form.querySelector("script[type='application/json']").textContent);
  const output = form.querySelector("output");
  // The guide's drawing, data table and caption, put back by Reset.
  const drawn = "svg.chart-svg, tbody, figcaption";
  const authors = [...figure.querySelectorAll(drawn)].map((el) => el.cloneNode(true));
  const redraw = () => {
    const raw = formValues(form);
    for (const el of form.elements) {
      if (el.getAttribute("aria-invalid")) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-errormessage"); }
    }
    let at = 0; // the line being computed: a refusal blames its field
    try {
      const lines = spec.lines.map((line, i) => {
        const params = { ...line.params };
        for (const key of Object.keys(params)) if (`l${i}.${key}` in raw) params[key] = raw[`l${i}.${key}`];
        return { ...line, params };
      });
      let cur = null; // the lines' currency, as the first evaluation gives it
      const yAt = (i, x) => {
        at = i;
        const r = engine.evaluate(lines[i].model, { ...lines[i].params, [spec.x]: x }, { quiet: true });
        cur = cur || r.cur;
        return r.value;
      };
      const points = lines.map((line, i) => spec.xs.map((x) => yAt(i, x)));
      // The data table's rows, each line at the row's x, so the table says what the lines show.
      const model = engine.models[spec.lines[0].model];
      let rowCur = null;
      const trs = [...figure.querySelectorAll("tr[data-x]")];
      const values = lines.map((line) => trs.map((tr) => {
        const r = engine.evaluate(line.model, { ...line.params, [spec.x]: tr.dataset.x }, { quiet: true });
        rowCur = rowCur || r.cur;
        return r.value;
      }));
      // Each line's column written alike, as the build writes it (`written_alike`).
      const columns = values.map((column) => (column.length ? engine.alike(column, rowCur, model) : []));
      const rows = trs.map((tr, k) => [tr, columns.map((column) => column[k])]);
      const crossings = findCrossings(spec, points, yAt);
      const showY = (q) => engine.display(q, cur, model);
      const showX = (q) => engine.display(q, null, spec.x_shown);
      const text = describeChart(spec, points, crossings, showX, showY);
      drawChart(figure, spec, points, engine.L);
      for (const [tr, texts] of rows) texts.forEach((text, i) => { const td = tr.cells[i + 1]; if (td) td.textContent = text; });
      for (const desc of figure.querySelectorAll("svg.chart-svg > desc")) desc.textContent = text;
      const caption = figure.querySelector("figcaption");
      const title = caption && caption.querySelector("strong");
      if (title) caption.replaceChildren(title, ` ${text}`);
      const first = crossings[0];
      output.textContent = first
        ? `${spec.labels[first.lower]} and ${spec.labels[first.upper]} cross at ${showX(first.x)} (${showY(first.y)})`
        : points.length > 1 ? "The lines do not cross in this range." : "";
      form.classList.remove("whatif-error");
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      output.textContent = asRead(err, form, `l${at}.`);
      form.classList.add("whatif-error");
      // The field at fault is marked invalid and described by the message, as in a figure's form.
      const field = err.param && form.elements.namedItem(`l${at}.${err.param}`);
      if (field && field.setAttribute) {
        if (!output.id) output.id = `${form.dataset.chart}-result`;
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-errormessage", output.id);
      }
    }
  };
  const changed = () => { redraw(); remember(); };
  for (const el of form.elements) if (el.name in mine) el.value = mine[el.name];
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (e) => { e.preventDefault(); changed(); });
  const reset = form.querySelector(".whatif-reset");
  if (reset) reset.addEventListener("click", () => {
    for (const el of form.elements) if (el.name && el.tagName === "INPUT") el.value = el.defaultValue;
    for (const el of form.querySelectorAll("[aria-invalid]")) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-errormessage"); }
    [...figure.querySelectorAll(drawn)].forEach((el, i) => el.replaceWith(authors[i].cloneNode(true)));
    form.classList.remove("whatif-error");
    output.textContent = "";
    remember();
  });
  form.querySelector("fieldset").disabled = false;
  if (Object.keys(mine).length) redraw();
}

// As content/charts.py's `describe`: each line from the first x to the last, and where
// the lines cross (`showX`, `showY`: how the page writes an x and a y).
function describeChart(spec, points, crossings, showX, showY) {
  const [low, high] = spec.x_ends;
  const labels = spec.labels;
  let text = points.map((line, i) => {
    const first = line[0], last = line[line.length - 1];
    return first.cmp(last) === 0 ? `${labels[i]}: ${showY(first)} throughout.`
      : `${labels[i]}: ${showY(first)} at ${low}, ${showY(last)} at ${high}.`;
  }).join(" ");
  if (points.length > 1 && !crossings.length) {
    const order = points.map((_, i) => i).sort((a, b) => points[a][0].cmp(points[b][0]));
    text += ` The lines never cross in this range: ${labels[order[0]]} stays lowest.`;
  }
  for (let i = 0; i < crossings.length; i++) {
    const c = crossings[i], where = showX(c.x), at = showY(c.y);
    if (spec.kind === "breakeven" && i === 0) {
      text += ` They cross at ${where} (${at}): above it, self-hosting costs less than the API`;
      if (crossings.length > 1) text += ", except just after each extra set of GPUs is added, when the step up briefly puts it above the API";
      text += ".";
      break;
    }
    const [a, b] = [labels[c.lower], labels[c.upper]];
    text += ` ${a} and ${b} cross at ${where} (${at}): ${a} is lower below it, ${b} above.`;
    if (i === 2 && crossings.length > 3) { text += ` (${crossings.length - 3} more crossings in the data table.)`; break; }
  }
  return text;
}

// As costcore/series.py's _crossings and _bisect: where two lines swap order, found
// between samples to one unit of x (or 10^-9 of it), `yAt(line, xText)` a line's value.
function findCrossings(spec, points, yAt) {
  const xs = spec.xs.map((x) => Q.of(x));
  const text = (q) => (q.n < 0n ? "-" : "") + decimalText(q.abs());
  const roundX = (q) => (q.abs().cmp(new Q(1000n)) >= 0 ? q.round(0) : q.round(6));
  const bisect = (a, b, lo, hi, aBelow) => {
    for (let k = 0; k < 200; k++) {
      const floor = lo.cmp(new Q(1000n)) >= 0 ? ONE : new Q(1n, 1000000n);
      const share = hi.abs().div(new Q(1000000000n));
      if (hi.sub(lo).cmp(floor.cmp(share) >= 0 ? floor : share) <= 0) break;
      const mid = roundX(lo.add(hi).div(new Q(2n)));
      if (mid.cmp(lo) === 0 || mid.cmp(hi) === 0) break;
      const diff = yAt(a, text(mid)).sub(yAt(b, text(mid)));
      const swapped = aBelow ? diff.cmp(ZERO) >= 0 : diff.cmp(ZERO) <= 0;
      if (swapped) hi = mid; else lo = mid;
    }
    return hi;
  };
  const found = [];
  for (let a = 0; a < points.length; a++) {
    for (let b = a + 1; b < points.length; b++) {
      for (let i = 1; i < xs.length; i++) {
        const before = points[a][i - 1].sub(points[b][i - 1]).cmp(ZERO);
        const after = points[a][i].sub(points[b][i]).cmp(ZERO);
        if (before === 0 && i > 1) continue;
        if ((before < 0 && after >= 0) || (before > 0 && after <= 0) || before === 0) {
          const x = before === 0 && i === 1 ? xs[0] : bisect(a, b, xs[i - 1], xs[i], before < 0);
          const [lower, upper] = before < 0 ? [a, b] : [b, a];
          found.push({ lower, upper, x, y: yAt(a, text(x)) });
        }
      }
    }
  }
  return found.sort((p, q) => p.x.cmp(q.x));
}

// ---------------------------------------------------------------- axes (render/chart.py)
const pow10 = (k) => Number(`1e${k}`); // as Python's 10.0 ** k, correctly rounded
function niceStep(low, high) {
  const raw = Math.max(high - Math.min(low, 0), 1e-12) / 5;
  const magnitude = pow10(Math.floor(Math.log10(raw)));
  for (const nice of [1, 2, 2.5, 5, 10]) if (nice * magnitude >= raw) return nice * magnitude;
  return 10 * magnitude;
}
// As render/chart.py's _Scale: whole decades (log) or nice steps from zero (linear).
class Scale {
  constructor(low, high, start, end, log) {
    Object.assign(this, { log, start, end });
    if (log) {
      low = Math.max(low, 1e-12);
      this.low = pow10(Math.floor(Math.log10(low)));
      this.high = pow10(Math.ceil(Math.log10(Math.max(high, low))));
      if (this.high <= this.low) this.high = this.low * 10;
    } else {
      const step = niceStep(low, high);
      this.low = Math.floor(Math.min(low, 0) / step) * step;
      this.high = Math.ceil(high / step) * step;
      if (this.high <= this.low) this.high = this.low + step;
      this.step = step;
    }
  }
  at(v) {
    const share = this.log
      ? (Math.log10(Math.max(v, this.low)) - Math.log10(this.low)) / (Math.log10(this.high) - Math.log10(this.low))
      : (v - this.low) / (this.high - this.low);
    return this.start + share * (this.end - this.start);
  }
  ticks() {
    if (this.log) {
      const out = [];
      for (let e = Math.round(Math.log10(this.low)); e <= Math.round(Math.log10(this.high)); e++) out.push(pow10(e));
      return out;
    }
    const count = Math.round((this.high - this.low) / this.step);
    return [...Array(count + 1).keys()].map((i) => this.low + i * this.step);
  }
}
// Half to even, as Python's round() and Decimal.quantize's default.
function halfEven(q, places) {
  const s = new Q(10n ** big(places));
  const x = q.mul(s), f = x.floor(), rest = x.sub(f).cmp(new Q(1n, 2n));
  const up = rest > 0 || (rest === 0 && f.n % 2n !== 0n);
  return (up ? f.add(ONE) : f).div(s);
}
// An amount as babel's format_compact_currency writes it (`spec`: render/chart.py's
// _compact_spec), `digits` decimals at most.
function compactMoney(q, spec, digits, L) {
  const bare = (v) => decimalText(v).replace(".", L.decimal);
  const neg = q.n < 0n;
  const steps = spec.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (q.abs().cmp(Q.of(step.m)) < 0) continue;
    if (!step.div) break; // written whole, as below every magnitude
    const r = halfEven(q.div(Q.of(step.div)), digits);
    // Rounded up into the next magnitude (999.9K at no decimals): written as that one.
    if (i > 0 && r.abs().mul(Q.of(step.div)).cmp(Q.of(steps[i - 1].m)) >= 0) {
      const next = Q.of(steps[i - 1].m);
      return compactMoney(neg ? next.neg() : next, spec, digits, L);
    }
    const [before, after] = neg ? step.neg : r.abs().cmp(ONE) === 0 && step.one ? step.one : step.other;
    return before + bare(r.abs()) + after;
  }
  const [before, after] = neg ? spec.neg : spec.plain;
  return before + bare(q.abs()) + after;
}
// A y tick's label as render/chart.py's _tick writes it (`digits`: a money axis's decimals).
function tickLabel(v, y, digits, L) {
  const q = Q.of(String(v));
  if (y.compact) return compactMoney(q, y.compact, digits, L);
  if (y.style === "count") return count(halfEven(q, 0), L).replace(" thousand", "k");
  return significant(q, 3, L);
}
// As _compact_digits: the fewest decimals that write every tick of a money axis exactly.
function tickDigits(ticks, y, L) {
  if (!y.compact) return 0;
  const labels = (d) => ticks.map((t) => tickLabel(t, y, d, L)).join("\n");
  const exact = labels(3);
  return [0, 1, 2].find((d) => labels(d) === exact) ?? 3;
}

// Each layout redrawn as render/chart.py draws it: the lines on the same scales, and the
// y axis's grid and numbers for the reader's values (the x axis is the guide's).
function drawChart(figure, spec, points, L) {
  const SVG = "http://www.w3.org/2000/svg";
  const values = points.flat().map((q) => q.toNumber());
  for (const svg of figure.querySelectorAll("svg.chart-svg")) {
    const box = svg.viewBox.baseVal;
    const f = JSON.parse(svg.dataset.frame);
    const every = svg.classList.contains("chart-narrow") ? 2 : 1;
    const x = new Scale(Number(spec.xs[0]), Number(spec.xs[spec.xs.length - 1]), f.left, box.width - f.right, spec.log);
    const ylog = spec.log && Math.min(...values) > 0;
    const y = new Scale(Math.min(...values), Math.max(...values), box.height - f.bottom, f.top, ylog);
    points.forEach((line, i) => {
      const path = svg.querySelector(`path.series.s${i}`);
      if (path) path.setAttribute("d", "M" + line.map((q, j) => `${x.at(Number(spec.xs[j])).toFixed(1)} ${y.at(q.toNumber()).toFixed(1)}`).join(" L"));
    });
    for (const el of svg.querySelectorAll(".grid-y, .tick-y")) el.remove();
    const ticks = y.ticks();
    const digits = tickDigits(ticks, spec.y_ticks, L);
    const before = svg.querySelector("text.axis");
    ticks.forEach((tick, i) => {
      const py = y.at(tick).toFixed(1);
      const grid = document.createElementNS(SVG, "line");
      for (const [k, v] of [["class", "grid grid-y"], ["x1", f.left], ["y1", py], ["x2", box.width - f.right], ["y2", py]]) grid.setAttribute(k, v);
      svg.insertBefore(grid, before);
      if (i % every !== 0) return;
      const label = document.createElementNS(SVG, "text");
      for (const [k, v] of [["class", "tick tick-y"], ["x", f.left - 6], ["y", py], ["text-anchor", "end"], ["dominant-baseline", "middle"]]) label.setAttribute(k, v);
      label.textContent = tickLabel(tick, spec.y_ticks, digits, L);
      svg.insertBefore(label, before);
    });
    // The crossing's mark is the guide's: the caption and the result say where these cross.
    for (const el of svg.querySelectorAll(".crossover, .crossover-label")) el.setAttribute("visibility", "hidden");
  }
}

const script = document.querySelector("script[data-whatif]");
const source = script && script.dataset.whatif;
// From disk (file://) a browser refuses the fetch: the forms are not shown (html.from-disk).
if (source && location.protocol !== "file:" && document.querySelector("form.whatif, form.whatif-chart")) {
  fetch(source).then((r) => r.json()).then(setup).catch(() => {
    // No data: the forms stay disabled where they stand, the page stays whole.
  });
}
})();
