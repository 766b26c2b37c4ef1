// The SDK's own promises, checked in Node against the real gateway (the SDK source, not a copy).
import { randomBytes } from "node:crypto";
import { PersonalizeClient } from "../../src/Personalize.Sdk/src/index.js";

const unique = (prefix) => `${prefix}-${randomBytes(4).toString("hex")}`;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function eventually(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function call(gateway, key, method, path, body) {
  const response = await fetch(gateway.baseUrl + path, {
    method,
    headers: { "X-Api-Key": key, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

function client(gateway, shopperId, options = {}) {
  const tokenProvider = async () =>
    (await call(gateway, gateway.storefrontKey, "POST", "/api/shopper-tokens", { shopperId })).token;
  return new PersonalizeClient({ baseUrl: gateway.baseUrl, tokenProvider, logLevel: 6 /* None */, ...options });
}

/** An offer on `search` (an event no demo trigger answers), for every shopper, at most once. */
async function searchOffer(gateway) {
  const id = unique("sdk-search");
  await call(gateway, gateway.marketerKey, "POST", "/api/triggers", {
    id, name: "SDK test offer", priority: 10, on: { event: "search" }, conditions: [], holdoutPercent: 0,
    action: { type: "offer", title: "Searching?", message: "5% off", discount: { kind: "percent", value: 5 }, code: "SDK5" },
    limits: { maxPerShopper: 1 },
  });
  return id;
}

export const sdkTests = [
  {
    name: "sdk: track generates ids, a repeated id is a duplicate, a bad event is refused without retry",
    async run({ gateway }) {
      const shopper = client(gateway, unique("sdk"));
      try {
        await shopper.start();
        const first = await shopper.track({ type: "page_view" });
        assert(first.accepted && !first.duplicate, "an event without an id is accepted");
        const event = { id: unique("e"), type: "product_view", productId: "p-1" };
        assert(!(await shopper.track(event)).duplicate, "first send");
        assert((await shopper.track(event)).duplicate, "a repeated id is reported as a duplicate");
        const started = Date.now();
        const refused = await shopper.track({ type: "add_to_cart" }).then(() => null, (error) => error);
        assert(refused && /productId/.test(refused.message), `the server's reason reaches the caller: ${refused?.message}`);
        assert(Date.now() - started < 1000, "a refusal is not retried");
      } finally {
        await shopper.stop();
      }
    },
  },
  {
    name: "sdk: a push reaches its kind's callback once and is reported shown; unshown pushes replay on the next connection",
    async run({ gateway }) {
      const triggerId = await searchOffer(gateway);
      const shopperId = unique("sdk");

      // First tab: no offer callback and no shown reports, so the push stays pending on the server.
      const quiet = client(gateway, shopperId, { reportShown: false });
      await quiet.start();
      await quiet.track({ type: "search", query: "boots" });
      await eventually(async () => (await quiet.getState()).pendingNudges.length === 1, "the pending push");
      await quiet.stop();

      // Second tab: the server replays on connect and the SDK reads pending pushes too; the
      // callback still runs once, and its shown report clears the push.
      const offers = [];
      const anyKind = [];
      const tab = client(gateway, shopperId);
      tab.on("offer", (push) => offers.push(push));
      tab.on("*", (push) => anyKind.push(push.kind));
      try {
        await tab.start();
        await tab._replayPending();
        await eventually(() => offers.length === 1, "the replayed offer");
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert(offers.length === 1, `one callback per push id, got ${offers.length}`);
        assert(offers[0].triggerId === triggerId && offers[0].code === "SDK5", "the offer's own fields arrive");
        assert(anyKind.join() === "offer", "'*' callbacks see every kind once");
        await eventually(async () => (await tab.getState()).pendingNudges.length === 0, "the shown report to clear the push");
      } finally {
        await tab.stop();
      }
    },
  },
  {
    name: "sdk: the connection comes back by itself after it drops, and track waits for it keeping the event id",
    async run({ gateway }) {
      const shopper = client(gateway, unique("sdk"));
      const states = [];
      shopper.onStateChange((state) => states.push(state));
      try {
        await shopper.start();
        // Drop the transport under the SDK, as a proxy timeout or a gateway restart would.
        const socket = shopper._connection.connection.transport?._webSocket;
        assert(socket, "the SDK talks over a WebSocket");
        socket.terminate ? socket.terminate() : socket.close();
        const event = { id: unique("e"), type: "page_view" };
        const result = await shopper.track(event);
        assert(result.accepted, "the event is accepted after the reconnect");
        assert((await shopper.track(event)).duplicate, "the retried id is the same event");
        assert(states.includes("reconnecting") && states.at(-1) === "connected", `the SDK went through reconnecting back to connected: ${states.join(",")}`);
        assert(shopper.state === "connected", "connected again");
      } finally {
        await shopper.stop();
      }
    },
  },
];
