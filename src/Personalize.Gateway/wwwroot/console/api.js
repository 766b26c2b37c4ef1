// Calls to the marketer API with the key this tab holds.
export const KEY = "personalize-marketer-key";
let unauthorized = null;

/** What to do when the gateway refuses the key (401). */
export function onUnauthorized(callback) {
  unauthorized = callback;
}

/** A marketer API call; answers { ok, status, body } and never throws for HTTP errors. */
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { "X-Api-Key": sessionStorage.getItem(KEY) ?? "", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) unauthorized?.();
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** Shows problem+json `errors` next to the fields they name; answers the ones no field took. */
export function showErrors(form, errors, prefix = "") {
  for (const node of form.querySelectorAll(".error[data-field]")) node.textContent = "";
  for (const node of form.querySelectorAll(".invalid")) node.classList.remove("invalid");
  const rest = [];
  for (const [field, messages] of Object.entries(errors ?? {})) {
    const text = [].concat(messages).join("; ");
    const slot = form.querySelector(`.error[data-field="${CSS.escape(prefix + field)}"]`);
    if (slot) {
      slot.textContent = text;
      form.querySelector(`[name="${CSS.escape(prefix + field)}"], #t-${CSS.escape(field)}`)?.classList.add("invalid");
    } else {
      rest.push([field, text]);
    }
  }
  return rest;
}
