// The demo shop: a storefront as a developer would build it on /sdk/personalize.js.
import { PersonalizeClient, newEventId } from "/sdk/personalize.js";

const PRODUCTS = [
  { id: "trail-runner", name: "Trail runner shoes", category: "shoes", price: 89, color: "#e3ecff" },
  { id: "city-sneaker", name: "City sneakers", category: "shoes", price: 64, color: "#f3e6ff" },
  { id: "rain-jacket", name: "Rain jacket", category: "outerwear", price: 79, color: "#e0f5ee" },
  { id: "wool-beanie", name: "Wool beanie", category: "accessories", price: 19, color: "#fff1dc" },
  { id: "day-pack", name: "Day pack 20 l", category: "bags", price: 45, color: "#ffe3e3" },
  { id: "thermo-bottle", name: "Thermo bottle", category: "accessories", price: 24, color: "#e6f3ff" },
  { id: "hiking-socks", name: "Hiking socks (3)", category: "accessories", price: 15, color: "#f0f0f0" },
  { id: "sun-glasses", name: "Sun glasses", category: "accessories", price: 39, color: "#fff8d6" },
];
const byId = new Map(PRODUCTS.map((p) => [p.id, p]));
const $ = (id) => document.getElementById(id);

// One shopper per window (sessionStorage), so two windows of one browser are two shoppers and a
// share link pasted into a second window plays the referral loop; ?shopper=… picks one explicitly.
const SHOPPER_KEY = "personalize-demo-shopper";
const params = new URLSearchParams(location.search);
const shopperId = params.get("shopper") || sessionStorage.getItem(SHOPPER_KEY) || `shopper-${newEventId().slice(0, 8)}`;
sessionStorage.setItem(SHOPPER_KEY, shopperId);
$("shopper-id").textContent = shopperId;

// The demo's stand-in for a storefront backend: /demo/token exists only while the demo is enabled.
let cachedToken = null;
async function tokenProvider() {
  if (cachedToken && Date.parse(cachedToken.expiresAt) - Date.now() > 60_000) return cachedToken.token;
  const response = await fetch("/demo/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ shopperId }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  cachedToken = await response.json();
  return cachedToken.token;
}

const client = new PersonalizeClient({ tokenProvider });
client.onStateChange((state) => {
  $("state").textContent = state;
  $("state").className = `state ${state}`;
});

function money(value) {
  return Number(value).toFixed(2);
}

function describeReward(reward) {
  if (!reward) return "";
  if (reward.kind === "percent") return `${reward.value}% off`;
  if (reward.kind === "freeShipping") return "free shipping";
  return `${money(reward.value)} ${reward.currency ?? "€"}`;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
}

function toast(push, body, testId) {
  const node = el("div", { className: "toast" }, el("h3", { textContent: push.title }), el("p", { textContent: push.message }));
  node.dataset.testid = testId;
  node.dataset.pushId = push.id;
  if (body) node.append(body);
  const use = el("button", { type: "button", textContent: "Use it" });
  const close = el("button", { type: "button", textContent: "Dismiss" });
  use.onclick = () => { client.clicked(push); node.remove(); };
  close.onclick = () => { client.dismissed(push); node.remove(); };
  node.append(el("div", { className: "actions" }, use, close));
  $("toasts").append(node);
}

client.on("offer", (push) => {
  const line = el("p", {}, `${describeReward(push.discount)} with code `, el("code", { textContent: push.code ?? "" }));
  toast(push, line, "offer-toast");
});

client.on("referralPrompt", (push) => {
  toast(push, el("p", { textContent: `Friends get ${describeReward(push.friendReward)}, you get ${describeReward(push.referrerReward)}.` }), "referral-toast");
  showShareBox();
});

client.on("recommendations", (push) => {
  const box = $("recommendations");
  box.replaceChildren(el("h3", { textContent: push.title || "You may also like" }));
  const grid = el("div", { className: "grid" });
  for (const id of push.productIds ?? []) if (byId.has(id)) grid.append(productCard(byId.get(id)));
  box.append(grid);
  box.hidden = grid.childElementCount === 0;
});

client.on("survey", (push) => {
  $("nps-title").textContent = push.title || "Quick question";
  $("nps-question").textContent = push.question || push.message;
  $("nps-thanks").hidden = true;
  $("nps-scores").hidden = false;
  $("nps").hidden = false;
});

client.on("reward", (push) => {
  const banner = $("reward-banner");
  banner.textContent = `${push.title}: ${money(push.amount)} ${push.currency} (${push.status}). ${push.message}`;
  banner.hidden = false;
});

// Initials rather than emoji: minimal systems (and headless CI) have no colour emoji font.
function initials(name) {
  return name.split(/\s+/).slice(0, 2).map((word) => word[0].toUpperCase()).join("");
}

function productCard(product) {
  const add = el("button", { type: "button", textContent: "Add to basket" });
  add.dataset.testid = `add-${product.id}`;
  add.onclick = () => addToBasket(product);
  const art = el("div", { className: "art", textContent: initials(product.name) });
  art.style.background = product.color;
  art.onclick = () => client.track({ type: "product_view", productId: product.id, categoryId: product.category, price: product.price });
  const card = el("div", { className: "product" }, art, el("b", { textContent: product.name }),
    el("span", { className: "price", textContent: `${money(product.price)} €` }), add);
  card.dataset.testid = `product-${product.id}`;
  return card;
}

let basket = { lines: [], count: 0, total: 0 };

function renderBasket(view) {
  basket = view.basket;
  $("basket-count").textContent = String(basket.count);
  $("basket-total").textContent = money(basket.total);
  $("basket-lines").replaceChildren(...basket.lines.map((line) =>
    el("li", { textContent: `${line.quantity} × ${byId.get(line.productId)?.name ?? line.productId}` })));
  $("checkout").disabled = basket.count === 0;
  if (view.orders > 0) showShareBox();
}

async function refresh() {
  renderBasket(await client.getState());
}

async function addToBasket(product) {
  await client.track({ type: "product_view", productId: product.id, categoryId: product.category, price: product.price });
  await client.track({ type: "add_to_cart", productId: product.id, categoryId: product.category, price: product.price, quantity: 1 });
  await refresh();
}

async function checkout() {
  $("checkout").disabled = true;
  const lines = basket.lines.map((l) => ({ productId: l.productId, categoryId: l.categoryId, quantity: l.quantity, price: l.price }));
  const orderId = `order-${newEventId().slice(0, 12)}`;
  await client.track({ type: "checkout_started" });
  await client.track({ type: "purchase", orderId, orderTotal: basket.total, lines });
  $("order-done").textContent = `Thank you! Order ${orderId} is on its way.`;
  $("order-done").hidden = false;
  await refresh();
}

async function showShareBox() {
  if (!$("share-box").hidden) return;
  const link = await client.getReferralLink();
  // The programme's shareBaseUrl points at the real shop; in the demo the friend lands here.
  $("share-link").value = `${location.origin}/demo?ref=${encodeURIComponent(link.code)}`;
  $("share-link").dataset.code = link.code;
  $("share-box").hidden = false;
}

$("share-copy").onclick = async () => {
  $("share-link").select();
  await navigator.clipboard?.writeText($("share-link").value).catch(() => {});
  await client.track({ type: "share", referralCode: $("share-link").dataset.code });
};

for (let score = 0; score <= 10; score++) {
  const button = el("button", { type: "button", textContent: String(score) });
  button.dataset.testid = `nps-${score}`;
  button.onclick = async () => {
    await client.track({ type: "nps_response", score });
    $("nps-scores").hidden = true;
    $("nps-thanks").hidden = false;
  };
  $("nps-scores").append(button);
}

$("new-shopper").onclick = () => {
  sessionStorage.removeItem(SHOPPER_KEY);
  location.href = "/demo";
};
$("checkout").onclick = checkout;
$("products").replaceChildren(...PRODUCTS.map(productCard));

async function main() {
  await client.start();
  await client.track({ type: "page_view" });
  const code = params.get("ref");
  // A landing counts once per shopper and code; reloading the page must not land again.
  if (code && !sessionStorage.getItem(`landed:${shopperId}:${code}`)) {
    await client.track({ type: "referral_landing", referralCode: code });
    sessionStorage.setItem(`landed:${shopperId}:${code}`, "1");
    $("referral-notice").textContent = "Welcome! A friend invited you: your welcome offer is on its way.";
    $("referral-notice").hidden = false;
  }
  await refresh();
}

main().catch((error) => {
  $("state").textContent = "error";
  console.error(error);
});
