// The marketer console: triggers, the referral programme and live charts over the marketer API.
import { TEMPLATES } from "/console/templates.js";
import { bars, groupedBars, line, stacked } from "/console/charts.js";
import { renderReferralForm } from "/console/referral.js";
import { KEY, api, onUnauthorized, showErrors } from "/console/api.js";

const POLL_MS = 2000;
const HISTORY = 60; // 2 minutes of 2-second samples
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  clearInterval(pollTimer);
  $("app").hidden = true;
  $("sign-out").hidden = true;
  $("key-form").hidden = false;
  $("key-error").textContent = message ?? "";
}

// ---- triggers ----------------------------------------------------------------------------------

let triggers = [];
let stats = new Map();
let editing = null; // id of the trigger in the editor, null for a new one

function describeOn(on) {
  return on?.event ?? (on?.idleSeconds ? `idle ${on.idleSeconds}s` : "?");
}

function renderTriggers() {
  $("triggers").replaceChildren(...triggers.map((t) => {
    const s = stats.get(t.id);
    const active = t.enabled && !t.paused;
    const row = el("tr", {},
      el("td", {}, el("code", { textContent: t.id })), el("td", { textContent: t.name }),
      el("td", { textContent: describeOn(t.on) }), el("td", { textContent: t.action?.type ?? "" }),
      el("td", { className: active ? "status-active" : "status-paused", textContent: t.paused ? "paused" : t.enabled ? "active" : "disabled" }),
      el("td", { textContent: s ? String(s.fired) : "–" }), el("td", { textContent: s ? String(s.shown) : "–" }),
      el("td", { textContent: s ? String(s.converted) : "–" }));
    const edit = el("button", { type: "button", textContent: "Edit", onclick: () => loadEditor(t) });
    const toggle = el("button", { type: "button", className: "secondary", textContent: t.paused ? "Resume" : "Pause",
      onclick: () => act(`/api/triggers/${encodeURIComponent(t.id)}/${t.paused ? "resume" : "pause"}`, "POST") });
    const remove = el("button", { type: "button", className: "danger", textContent: "Delete",
      onclick: () => confirm(`Delete trigger ${t.id}?`) && act(`/api/triggers/${encodeURIComponent(t.id)}`, "DELETE") });
    toggle.dataset.testid = `toggle-${t.id}`;
    row.dataset.testid = `trigger-${t.id}`;
    row.append(el("td", {}, edit, toggle, remove));
    return row;
  }));
}

async function act(path, method) {
  const result = await api(method, path);
  if (!result.ok) alert(result.body?.detail ?? `failed: ${result.status}`);
  await poll();
}

function definitionOf(trigger) {
  // Id and name have their own inputs; the catalog's bookkeeping is not part of a definition.
  const { id, name, version, paused, createdAt, updatedAt, ...rest } = trigger;
  return rest;
}

function loadEditor(trigger, fromTemplate = false) {
  editing = fromTemplate ? null : trigger.id;
  $("editor-title").textContent = editing ? `Edit ${trigger.id}` : "New trigger";
  $("t-id").value = trigger.id;
  $("t-id").readOnly = Boolean(editing);
  $("t-name").value = trigger.name;
  $("t-json").value = JSON.stringify(definitionOf(trigger), null, 2);
  $("editor-status").textContent = "";
  showErrors($("editor"), {});
  $("t-errors").replaceChildren();
}

async function saveTrigger(event) {
  event.preventDefault();
  $("editor-status").textContent = "";
  let definition;
  try {
    definition = JSON.parse($("t-json").value || "{}");
  } catch (error) {
    $("t-errors").replaceChildren(el("li", { textContent: `definition: not valid JSON (${error.message})` }));
    return;
  }
  const body = { ...definition, id: $("t-id").value.trim(), name: $("t-name").value.trim() };
  const result = editing
    ? await api("PUT", `/api/triggers/${encodeURIComponent(editing)}`, body)
    : await api("POST", "/api/triggers", body);
  if (result.ok) {
    showErrors($("editor"), {});
    $("t-errors").replaceChildren();
    $("editor-status").textContent = editing ? `Saved version ${result.body.version}` : `Created ${result.body.id}`;
    editing = result.body.id;
    $("t-id").readOnly = true;
    $("editor-title").textContent = `Edit ${result.body.id}`;
    await poll();
    return;
  }
  const errors = result.status === 409 ? { id: [result.body?.detail ?? "exists already"] } : result.body?.errors;
  const rest = showErrors($("editor"), errors ?? { "": [result.body?.detail ?? `failed: ${result.status}`] });
  $("t-errors").replaceChildren(...rest.map(([field, text]) => el("li", { textContent: `${field || "definition"}: ${text}` })));
}

// ---- live charts ------------------------------------------------------------------------------

const firedHistory = [];
let pollTimer = null;

async function poll() {
  const list = await api("GET", "/api/triggers");
  if (!list.ok) return;
  triggers = list.body;
  const answers = await Promise.all(triggers.map((t) => api("GET", `/api/triggers/${encodeURIComponent(t.id)}/stats`)));
  stats = new Map(triggers.map((t, i) => [t.id, answers[i].ok ? answers[i].body : null]));
  renderTriggers();
  renderTriggerChart();
  const [referrals, nps] = await Promise.all([api("GET", "/api/stats/referrals"), api("GET", "/api/stats/nps")]);
  renderReferralChart(referrals);
  renderNps(nps);
  $("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
}

function renderTriggerChart() {
  const withStats = triggers.filter((t) => stats.get(t.id));
  const names = ["fired", "shown", "clicked", "converted"];
  $("chart-triggers").replaceChildren(withStats.length === 0
    ? el("p", { className: "na", textContent: "No trigger statistics yet." })
    : groupedBars(withStats.map((t) => ({ label: t.id, values: names.map((n) => ({ name: n, value: stats.get(t.id)[n] ?? 0 })) })), names));
  const fired = withStats.reduce((sum, t) => sum + (stats.get(t.id).fired ?? 0), 0);
  firedHistory.push(fired);
  if (firedHistory.length > HISTORY) firedHistory.shift();
  // Per-interval increments, so the line shows traffic now rather than a running total.
  const increments = firedHistory.slice(1).map((v, i) => Math.max(0, v - firedHistory[i]));
  $("chart-fired").replaceChildren(line(increments.length ? increments : [0]));
}

function renderReferralChart(result) {
  if (!result.ok) {
    $("chart-referrals").replaceChildren(el("p", { className: "na", textContent: "Referral statistics not available." }));
    return;
  }
  const r = result.body;
  $("chart-referrals").replaceChildren(bars([
    { label: "prompts", value: r.prompts }, { label: "shares", value: r.shares }, { label: "landings", value: r.landings },
    { label: "attributed", value: r.attributed }, { label: "qualified", value: r.qualified },
    { label: "rewards pending", value: r.rewardsPending, color: "#e0a100" },
    { label: "rewards confirmed", value: r.rewardsConfirmed, color: "#27a17a" },
    { label: "rewards reversed", value: r.rewardsReversed, color: "#c0392b" },
  ]));
}

function renderNps(result) {
  if (!result.ok) {
    // The NPS route ships with the recommendations work; until then the console says so.
    $("chart-nps").replaceChildren(el("p", { className: "na", textContent: "NPS not available on this gateway." }));
    return;
  }
  const n = result.body;
  $("chart-nps").replaceChildren(
    el("p", {}, el("b", { textContent: `Score ${n.responses ? n.score : "–"}` }), ` from ${n.responses} responses`),
    stacked([
      { label: "promoters", value: n.promoters, color: "#27a17a" },
      { label: "passives", value: n.passives, color: "#bbb" },
      { label: "detractors", value: n.detractors, color: "#c0392b" },
    ]));
}

// ---- start ------------------------------------------------------------------------------------

async function open() {
  const probe = await api("GET", "/api/triggers");
  if (!probe.ok) return;
  $("key-form").hidden = true;
  $("app").hidden = false;
  $("sign-out").hidden = false;
  await renderReferralForm($("referral"));
  await poll();
  clearInterval(pollTimer);
  pollTimer = setInterval(() => poll().catch((error) => console.warn(error)), POLL_MS);
}

$("template").replaceChildren(...TEMPLATES.map((t) => el("option", { value: t.key, textContent: t.label })));
$("template").onchange = () => loadEditor(TEMPLATES.find((t) => t.key === $("template").value).trigger, true);
$("editor-reset").onclick = () => loadEditor(TEMPLATES.find((t) => t.key === $("template").value).trigger, true);
$("editor").onsubmit = saveTrigger;
$("sign-out").onclick = () => signOut();
$("key-form").onsubmit = (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $("key").value.trim());
  $("key").value = "";
  open();
};
loadEditor(TEMPLATES[0].trigger, true);
onUnauthorized(() => signOut("The key was refused. Enter a marketer key."));

if (sessionStorage.getItem(KEY)) open();
else signOut();
