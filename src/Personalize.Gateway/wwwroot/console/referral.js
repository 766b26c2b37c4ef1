// The referral programme settings form (GET/PUT /api/referral-program).
import { api, showErrors } from "/console/api.js";

const KINDS = ["percent", "amount", "freeShipping"];
const FIELDS = [
  { name: "enabled", label: "Programme enabled", type: "checkbox" },
  { name: "shareBaseUrl", label: "Share base URL", type: "url", wide: true },
  { name: "friendReward.kind", label: "Friend reward kind", type: "select" },
  { name: "friendReward.value", label: "Friend reward value", type: "number" },
  { name: "referrerReward.kind", label: "Referrer reward kind", type: "select" },
  { name: "referrerReward.value", label: "Referrer reward value", type: "number" },
  { name: "referrerReward.currency", label: "Referrer reward currency", type: "text" },
  { name: "minOrderTotal", label: "Minimum order total", type: "number" },
  { name: "attributionWindowDays", label: "Attribution window (days)", type: "number" },
  { name: "maxRewardsPerReferrerPerMonth", label: "Max rewards per referrer per month", type: "number" },
  { name: "confirmAfterDays", label: "Confirm rewards after (days)", type: "number" },
];

const read = (object, path) => path.split(".").reduce((o, key) => o?.[key], object);

function write(object, path, value) {
  const keys = path.split(".");
  let node = object;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys.at(-1)] = value;
}

function input(field) {
  if (field.type === "select") {
    const select = document.createElement("select");
    for (const kind of KINDS) select.append(new Option(kind, kind));
    return select;
  }
  const node = document.createElement("input");
  node.type = field.type;
  if (field.type === "number") node.step = "any";
  return node;
}

export async function renderReferralForm(form) {
  const current = await api("GET", "/api/referral-program");
  if (!current.ok) {
    form.replaceChildren(Object.assign(document.createElement("p"), { className: "na", textContent: "Referral programme not available on this gateway." }));
    return;
  }
  const grid = Object.assign(document.createElement("div"), { className: "grid2" });
  for (const field of FIELDS) {
    const label = Object.assign(document.createElement("label"), { textContent: field.label });
    const control = input(field);
    control.name = field.name;
    control.dataset.testid = `referral-${field.name}`;
    const value = read(current.body, field.name);
    if (field.type === "checkbox") control.checked = Boolean(value);
    else control.value = value ?? "";
    const error = Object.assign(document.createElement("p"), { className: "error" });
    error.dataset.field = field.name;
    label.append(control, error);
    if (field.wide) label.style.gridColumn = "1 / -1";
    grid.append(label);
  }
  const save = Object.assign(document.createElement("button"), { type: "submit", textContent: "Save programme" });
  const status = Object.assign(document.createElement("span"), { className: "ok" });
  const other = Object.assign(document.createElement("ul"), { className: "error" });
  const row = Object.assign(document.createElement("div"), { className: "row" });
  row.append(save, status);
  form.replaceChildren(grid, other, row);

  form.onsubmit = async (event) => {
    event.preventDefault();
    status.textContent = "";
    const body = {};
    for (const field of FIELDS) {
      const control = form.elements.namedItem(field.name);
      const raw = field.type === "checkbox" ? control.checked : control.value.trim();
      // An empty number is sent as null so the server names the field instead of guessing 0.
      write(body, field.name, field.type === "number" ? (raw === "" ? null : Number(raw)) : raw === "" ? null : raw);
    }
    const result = await api("PUT", "/api/referral-program", body);
    const rest = showErrors(form, result.ok ? {} : result.body?.errors ?? { "": [result.body?.detail ?? `failed: ${result.status}`] });
    other.replaceChildren(...rest.map(([field, text]) => Object.assign(document.createElement("li"), { textContent: `${field || "programme"}: ${text}` })));
    if (result.ok) status.textContent = "Saved";
  };
}
