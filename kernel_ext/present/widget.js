// The live view of a %%verify report: obligations grouped by method, a detail panel with the
// verification condition and the counterexample stepper, and the loops. Colours are
// translucent tints over the theme's own background, so light and dark themes both read;
// every status is also a word.

const TINTS = { proved: "0,160,0", failed: "220,0,0", unknown: "230,150,0", assumed: "230,150,0" };
// A status's own colour, for borders and icons: the theme's, readable on its background in light
// and dark themes. Text keeps the theme's text colour.
const COLOURS = {
  proved: "var(--jp-success-color0, rgb(0,160,0))",
  failed: "var(--jp-error-color0, rgb(220,0,0))",
  unknown: "var(--jp-warn-color0, rgb(230,150,0))",
  assumed: "var(--jp-warn-color0, rgb(230,150,0))",
};
const ROW_BASE = "var(--jp-layout-color0, transparent)"; // opaque in JupyterLab, so tints never mix
const VERDICT_STATUS = { verified: "proved", "verified-assuming": "assumed", failed: "failed", error: "failed" };
const MONO = "var(--jp-code-font-family, monospace)";

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function box(status) {
  const tint = TINTS[status] || TINTS.unknown;
  return `border-left:3px solid rgba(${tint},.75);background:rgba(${tint},.10);` +
    "padding:.25em .6em;margin:.3em 0;border-radius:3px";
}

const ICONS = { proved: "\u2714", failed: "\u2718", unknown: "?" };

// Prose whose backticks mark code: the code shown as code.
function prose(text) {
  const pieces = String(text).split("`");
  if (pieces.length % 2 === 0) return [text];
  return pieces.map((piece, index) => (index % 2 ? h("code", {}, piece) : piece)).filter((piece) => piece !== "");
}

function icon(status) {
  return h("span", { class: "md-icon", style: `color:${COLOURS[status]}` }, ICONS[status]);
}

function header(data) {
  const state = data.state || (data.verified ? "verified" : "failed");
  return h("div", { class: "md-header", "data-verdict": state, style: box(VERDICT_STATUS[state]) },
    h("strong", {}, data.title), ": ", h("strong", { class: "md-verdict" }, data.verdict),
    data.note ? h("div", { class: "md-note" }, ...prose(data.note)) : null);
}

function sourceLine(data, number, extra = {}) {
  const text = data.source[number - 1] ?? "";
  return h("div", { class: "md-src-line", "data-line": String(number), style: "white-space:pre", ...extra },
    h("span", { style: "opacity:.6;user-select:none" }, String(number).padStart(4) + " | "), text);
}

function diagnostic(data, d, status = "failed") {
  const text = data.source[d.line - 1] ?? "";
  const start = Math.max(d.column - 1, 0);
  const end = d.end > d.column ? d.end - 1 : start + 1;
  const underlined = h("span", {
    style: "background:rgba(220,0,0,.25);text-decoration:underline wavy rgba(220,0,0,.9)",
  }, text.slice(start, end) || "\u00a0"); // past the line's end: a highlighted space
  const line = h("div", { style: "white-space:pre" },
    h("span", { style: "opacity:.6" }, String(d.line).padStart(4) + " | "),
    text.slice(0, start), underlined, text.slice(end));
  return h("div", { class: "md-diagnostic", "data-line": String(d.line), style: box(status) },
    h("div", {}, `${status === "failed" ? ICONS.failed : "\u26a0"} ${d.heading}`),
    h("div", { style: `font-family:${MONO};background:rgba(127,127,127,.10);padding:.3em .5em;overflow-x:auto` }, line),
    d.hint ? h("div", {}, "hint: ", ...prose(d.hint)) : null);
}

function obligationRow(ob, select) {
  const label = h("strong", { class: "md-status" }, icon(ob.status), ` ${ob.status}`);
  const cells = [label, " \u00b7 ", h("code", {}, ob.kind), " \u00b7 ", `line ${ob.line}`];
  if (ob.distinction) cells.push(" \u00b7 ", h("span", { class: "md-distinction" }, ...prose(ob.distinction)));
  cells.push(" \u00b7 ", h("span", { class: "md-wording" }, ob.wording ?? ob.message));
  if (ob.description) cells.push(" \u00b7 ", h("code", {}, ob.description));
  const tint = TINTS[ob.status];
  return h("button", {
    class: "md-ob", type: "button",
    "data-line": String(ob.line), "data-status": ob.status, "data-kind": ob.kind,
    title: "show the verification condition" + (ob.trace ? " and the counterexample" : ""),
    style: `display:block;width:100%;text-align:left;font:inherit;color:inherit;cursor:pointer;` +
      `margin:.2em 0 .2em 1.2em;max-width:calc(100% - 1.2em);padding:.15em .5em;border-radius:3px;` +
      `border:1px solid rgba(${tint},.5);border-left:3px solid ${COLOURS[ob.status]};` +
      `background:linear-gradient(rgba(${tint},.06),rgba(${tint},.06)),${ROW_BASE}`,
    onclick: () => select(ob),
  }, ...cells);
}

function methodGroup(method, select, remember) {
  const head = h("div", { class: "md-method-head", style: "cursor:pointer" },
    icon(method.status), " ", h("strong", {}, method.headline));
  const rowsOf = (obligations) => obligations.map((ob) => {
    const row = obligationRow(ob, select);
    remember(row, ob);
    return row;
  });
  const proved = method.obligations.filter((ob) => ob.status === "proved");
  if (method.status === "proved") {
    const rows = h("div", { class: "md-rows", style: "display:none" }, rowsOf(proved));
    // a verified method collapses to one line; a click opens it
    head.title = "show the proved obligations";
    head.addEventListener("click", () => {
      rows.style.display = rows.style.display === "none" ? "" : "none";
    });
    return h("div", {
      class: "md-method", "data-method": method.name, "data-status": method.status, style: box(method.status),
    }, head, rows);
  }
  // a failing method: its failures first, its proved obligations folded under their count
  const failing = method.obligations.filter((ob) => ob.status !== "proved");
  const rows = h("div", { class: "md-rows" }, rowsOf(failing));
  if (proved.length) {
    const folded = h("div", { class: "md-proved", style: "display:none" }, rowsOf(proved));
    const marker = h("span", { class: "md-marker" }, "\u25b6");
    const toggle = h("button", {
      class: "md-proved-toggle", type: "button", "aria-expanded": "false",
      style: "display:block;font:inherit;color:inherit;cursor:pointer;background:none;border:none;" +
        "margin:.2em 0 .2em 1.2em;padding:.1em .2em",
      onclick: () => {
        const open = folded.style.display === "none";
        folded.style.display = open ? "" : "none";
        marker.textContent = open ? "\u25bc" : "\u25b6";
        toggle.setAttribute("aria-expanded", String(open));
      },
    }, marker, " ", icon("proved"), ` ${proved.length} proved`);
    rows.append(toggle, folded);
  }
  return h("div", {
    class: "md-method", "data-method": method.name, "data-status": method.status, style: box(method.status),
  }, head, rows);
}

function vcView(data, ob) {
  const lines = ob.vc.map(([depth, role, label, formula]) => {
    const indent = `padding-left:${depth * 1.2 + (role === "fact" ? 1.2 : 0)}em`;
    if (role === "goal") {
      return h("div", { class: "md-vc-goal", style: `${indent};margin-top:.3em;font-weight:bold` },
        "prove: ", h("span", { style: `font-family:${MONO}` }, formula), h("span", { style: "opacity:.7;font-weight:normal" }, `   [${label}]`));
    }
    if (role === "fact") {
      return h("div", { class: "md-vc-fact", style: indent },
        h("span", { style: `font-family:${MONO}` }, formula),
        label ? h("span", { style: "opacity:.65" }, `   [${label}]`) : null);
    }
    return h("div", { class: `md-vc-${role}`, style: `${indent};opacity:.8;font-style:italic` }, label);
  });
  return h("div", { class: "md-vc", style: "margin:.4em 0" },
    h("div", { style: "font-weight:bold" }, "verification condition"),
    h("div", { style: "opacity:.7" }, data.legend),
    h("div", { style: "background:rgba(127,127,127,.10);padding:.3em .5em;overflow-x:auto" }, lines));
}

function traceView(data, trace) {
  const steps = trace.steps;
  const shown = new Set(steps.map((step) => step.line));
  const first = Math.max(Math.min(...shown) - 1, 1);
  const last = Math.min(Math.max(...shown) + 1, data.source.length);
  const listing = h("div", {
    class: "md-source",
    style: `font-family:${MONO};background:rgba(127,127,127,.10);padding:.3em .5em;overflow-x:auto`,
  });
  for (let number = first; number <= last; number += 1) listing.append(sourceLine(data, number));
  const position = h("span", { class: "md-position", style: "margin:0 .6em" });
  const note = h("div", { class: "md-note", style: "opacity:.8;min-height:1.2em" });
  const values = h("div", { class: "md-values", style: `font-family:${MONO}` });
  const slider = h("input", {
    class: "md-slider", type: "range", min: "0", max: String(Math.max(steps.length - 1, 0)), value: "0",
    style: "vertical-align:middle;width:12em",
  });
  let current = 0;
  const button = (cls, label, delta) => h("button", {
    class: cls, type: "button", style: "font:inherit;cursor:pointer", onclick: () => show(current + delta),
  }, label);
  const previous = button("md-prev", "\u25c0 previous", -1);
  const next = button("md-next", "next \u25b6", 1);
  const show = (index) => {
    current = Math.max(0, Math.min(index, steps.length - 1));
    const step = steps[current];
    slider.value = String(current);
    position.textContent = `step ${current + 1} of ${steps.length}`;
    previous.disabled = current === 0;  // nothing before the first step, nothing after the last
    next.disabled = current >= steps.length - 1;
    for (const line of listing.querySelectorAll(".md-src-line")) {
      const here = step && line.getAttribute("data-line") === String(step.line);
      line.classList.toggle("md-current", Boolean(here));
      line.style.background = here ? "rgba(230,150,0,.30)" : "";
      line.style.outline = here ? "1px solid rgba(230,150,0,.9)" : "";
    }
    note.textContent = step ? `line ${step.line}: ${step.text}` + (step.note ? `  [${step.note}]` : "") : "";
    values.replaceChildren(...(step ? step.values : []).map(([name, value]) =>
      h("div", { class: "md-value" }, `${name} = ${value}`)));
    announceTraceStep(listing, step ? step.line : null);
  };
  slider.addEventListener("input", () => show(Number(slider.value)));
  const replayStatus = trace.replay === "confirmed" ? "failed" : "unknown";
  const view = h("div", { class: "md-trace", style: "margin:.4em 0" },
    h("div", { style: "font-weight:bold" }, "counterexample"),
    h("div", {}, "inputs: ", h("code", {}, trace.inputs)),
    steps.length
      ? h("div", { class: "md-controls", style: "margin:.3em 0" },
        previous, position, slider, " ", next)
      : h("div", {}, "(the failure is on entry: no statement ran)"),
    listing, note, values,
    h("div", { class: "md-replay", "data-verdict": trace.replay, style: box(replayStatus) }, trace.replay_sentence));
  show(0);
  return view;
}

function detailView(data, ob) {
  const parts = [
    h("div", {}, h("strong", {}, `${ob.label} \u00b7 ${ob.kind} \u00b7 line ${ob.line}`), ": ", ob.wording ?? ob.message),
  ];
  if (ob.status !== "proved") parts.push(h("div", {}, "why: ", ...prose(ob.explanation)));
  if (ob.description) parts.push(h("div", {}, "checked: ", h("code", {}, ob.description)));
  if (ob.status === "unknown") parts.push(h("div", {}, `reason: ${ob.reason || "limit reached"}`));
  for (const [line, heading] of ob.related) parts.push(h("div", {}, `related: line ${line}: ${heading}`));
  if (ob.trace) parts.push(traceView(data, ob.trace));
  if (ob.vc.length) parts.push(vcView(data, ob));
  return parts;
}

function loopView(loop) {
  const cell = "border:1px solid rgba(127,127,127,.35);padding:.1em .45em;text-align:left";
  const head = ["where", "invariant", "initiation", "maintenance"].map((name) => h("th", { style: cell }, name));
  const rows = loop.invariants.map((cells) => h("tr", {}, cells.map((text) => h("td", { style: cell }, text))));
  return h("div", { class: "md-loop", "data-line": String(loop.line), "data-status": loop.status, style: box(loop.status) },
    h("div", {}, h("strong", {}, loop.heading)),
    h("table", { style: "border-collapse:collapse;margin:.3em 0" }, h("thead", {}, h("tr", {}, head)), h("tbody", {}, rows)),
    h("div", { class: "md-loop-use" }, loop.use),
    loop.table ? h("pre", { class: "md-loop-table", style: "background:rgba(127,127,127,.10);padding:.3em .5em;margin:.3em 0;overflow-x:auto" }, loop.table) : null);
}

function build(data) {
  const detail = h("div", { class: "md-detail", style: "display:none;margin:.4em 0;padding:.3em .6em;border:1px solid rgba(127,127,127,.45);border-radius:3px" });
  const rows = new Map();
  const select = (ob) => {
    for (const [row, shown] of rows) {
      const chosen = shown === ob;
      row.classList.toggle("md-selected", chosen);
      row.setAttribute("aria-pressed", String(chosen));
      row.style.boxShadow = chosen ? "inset 4px 0 0 rgba(127,127,127,.8)" : "";
    }
    detail.replaceChildren(...detailView(data, ob));
    detail.style.display = "";
    announceSelection(detail, ob);
  };
  const remember = (row, ob) => { rows.set(row, ob); ROW_OBLIGATION.set(row, ob); };
  const children = [header(data)];
  children.push(...(data.warnings || []).map((d) => diagnostic(data, d, "unknown")));
  children.push(...data.diagnostics.map((d) => diagnostic(data, d)));
  children.push(...data.methods.map((method) => methodGroup(method, select, remember)));
  children.push(detail);
  children.push(...data.loops.map(loopView));
  children.push(h("div", { class: "md-summary", style: "margin-top:.4em;opacity:.8" }, data.summary));
  if (data.expanded) {
    const failing = data.methods.flatMap((method) => method.obligations).find((ob) => ob.status !== "proved");
    if (failing) select(failing);
  }
  return children;
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "md-widget";
  root.style.cssText = "font-family:inherit;line-height:1.45";
  const draw = () => root.replaceChildren(...build(JSON.parse(model.get("payload"))));
  model.on("change:payload", draw);
  draw();
  listenForOpen(root);
  el.appendChild(root);
}

// ---- Event bridge with the editor (the JupyterLab extension; without it nothing listens) ----
// Out: `minidafny-select` {kind, line, column, end_line, end_column} when an obligation is
// selected, `minidafny-trace-step` {line} (null: no trace shown) as the stepper moves; both
// bubble from inside the widget. In: `minidafny-open` {kind, line, column} on the root opens
// that obligation.

const ROW_OBLIGATION = new WeakMap();
const ATTACH_TRIES = 200; // a widget built before it is shown in the page: wait for it

function dispatchFromRoot(node, name, detail) {
  (node.closest(".md-widget") || node).dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
}

function dispatchWhenAttached(node, name, detail, tries = ATTACH_TRIES) {
  if (node.isConnected) dispatchFromRoot(node, name, detail);
  else if (tries > 0) setTimeout(() => dispatchWhenAttached(node, name, detail, tries - 1), 16);
}

function announceSelection(node, ob) {
  const { kind, line, column } = ob;
  if (node.isConnected) { // a student's click; a failure opened as the widget is built (--trace) moves no editor
    dispatchFromRoot(node, "minidafny-select",
      { kind, line, column, end_line: ob.end_line ?? line, end_column: ob.end_column ?? column + 1 });
  }
  if (!ob.trace) announceTraceStep(node, null);
}

function announceTraceStep(node, line) {
  dispatchWhenAttached(node, "minidafny-trace-step", { line });
}

function listenForOpen(root) {
  root.addEventListener("minidafny-open", (event) => {
    const { kind, line, column } = event.detail || {};
    const rows = [...root.querySelectorAll(".md-ob")];
    const at = (row) => ROW_OBLIGATION.get(row) || {};
    const row = rows.find((r) => at(r).kind === kind && at(r).line === line && at(r).column === column) ||
      rows.find((r) => at(r).kind === kind && at(r).line === line);
    if (!row) return;
    const group = row.closest(".md-rows");
    if (group) group.style.display = "";
    const folded = row.closest(".md-proved");  // a failing method's proved obligations
    if (folded && folded.style.display === "none") folded.previousElementSibling.click();
    row.click();
    row.scrollIntoView({ block: "nearest" });
  });
}

export default { render };
