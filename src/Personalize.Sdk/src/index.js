// Personalize storefront SDK: events in, nudges out, over the shopper hub (CONTRACT.md §2).
import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { newEventId, PushIds } from "./ids.js";

export const HUB_PATH = "/hubs/shopper";
export const PUSH_KINDS = ["offer", "referralPrompt", "recommendations", "survey", "reward"];

// Reconnect forever with a capped back-off: a storefront tab may stay open for hours and must come
// back by itself after a deploy or a silo loss; the server replays pending pushes on every connect.
const RECONNECT_DELAYS_MS = [0, 1000, 2000, 5000, 10000];
const reconnectPolicy = {
  nextRetryDelayInMilliseconds: ({ previousRetryCount }) =>
    RECONNECT_DELAYS_MS[Math.min(previousRetryCount, RECONNECT_DELAYS_MS.length - 1)],
};

/** A refusal by the server (bad event, unknown shopper): retrying the same call cannot help. */
function isRefusal(error) {
  return typeof error?.message === "string" && error.message.includes("HubException");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class PersonalizeClient {
  /**
   * @param {import("./personalize").PersonalizeOptions} options
   */
  constructor(options) {
    if (!options || typeof options.tokenProvider !== "function") {
      throw new TypeError("Personalize: options.tokenProvider (a function returning a shopper token) is required");
    }
    this._options = {
      baseUrl: "",
      reportShown: true,
      maxTrackAttempts: 4,
      trackRetryDelayMs: 250,
      maxBufferedPushes: 50,
      logLevel: LogLevel.Warning,
      ...options,
    };
    this._handlers = new Map(); // kind ("*" for any) -> Set of callbacks
    this._stateHandlers = new Set();
    this._errorHandlers = new Set();
    this._seen = new PushIds(this._options.dedupCapacity ?? 1000);
    // Pushes of a kind nobody listens to yet wait here (unreported, so still pending on the server)
    // until a handler is added: a page that subscribes after start() still gets its first offer.
    this._unclaimed = [];
    this._started = false;
    this._starting = null;

    const base = this._options.baseUrl.replace(/\/+$/, "");
    this._connection = new HubConnectionBuilder()
      .withUrl(base + HUB_PATH, { accessTokenFactory: () => this._options.tokenProvider() })
      .withAutomaticReconnect(reconnectPolicy)
      .configureLogging(this._options.logLevel)
      .build();

    for (const kind of PUSH_KINDS) {
      this._connection.on(kind, (push) => this._receive(kind, push));
    }
    this._connection.onreconnecting((error) => this._emitState("reconnecting", error));
    this._connection.onreconnected(() => {
      this._emitState("connected");
      this._replayPending();
    });
    this._connection.onclose((error) => {
      this._emitState("disconnected", error);
      // The built-in policy only covers drops after a successful start; a failed first reconnect
      // attempt chain or a server restart mid-handshake ends here, so keep trying while started.
      if (this._started) this._restartLater();
    });
  }

  /** "connected" | "connecting" | "reconnecting" | "disconnected" */
  get state() {
    switch (this._connection.state) {
      case HubConnectionState.Connected: return "connected";
      case HubConnectionState.Reconnecting: return "reconnecting";
      case HubConnectionState.Connecting: return "connecting";
      default: return "disconnected";
    }
  }

  /** Connects (once; later calls wait for the same attempt). */
  async start() {
    this._started = true;
    await this._ensureConnected();
  }

  async stop() {
    this._started = false;
    await this._connection.stop();
  }

  /**
   * Registers a callback for one push kind, or "*" for every kind. Returns a function that removes it.
   * Callbacks run once per push id, however often the server delivers it.
   */
  on(kind, callback) {
    if (kind !== "*" && !PUSH_KINDS.includes(kind)) throw new TypeError(`Personalize: unknown push kind '${kind}'`);
    if (!this._handlers.has(kind)) this._handlers.set(kind, new Set());
    this._handlers.get(kind).add(callback);
    const waiting = this._unclaimed.filter((p) => kind === "*" || p.kind === kind);
    this._unclaimed = this._unclaimed.filter((p) => !waiting.includes(p));
    for (const push of waiting) this._deliver(push);
    return () => this._handlers.get(kind)?.delete(callback);
  }

  /** Connection state changes: callback(state, error?). */
  onStateChange(callback) {
    this._stateHandlers.add(callback);
    return () => this._stateHandlers.delete(callback);
  }

  /** Failures of work the SDK did on its own (shown reports, callbacks that threw). */
  onError(callback) {
    this._errorHandlers.add(callback);
    return () => this._errorHandlers.delete(callback);
  }

  /**
   * Sends one event. The id is generated before the first attempt, so a retry after a dropped
   * connection carries the same id and the server ignores it if the first attempt did land.
   * @returns {Promise<{accepted: boolean, duplicate: boolean}>}
   */
  async track(event) {
    if (!event || typeof event.type !== "string") throw new TypeError("Personalize: track(event) needs event.type");
    const withId = event.id ? event : { ...event, id: newEventId() };
    let delay = this._options.trackRetryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this._ensureConnected();
        return await this._connection.invoke("Track", withId);
      } catch (error) {
        if (isRefusal(error) || attempt >= this._options.maxTrackAttempts) throw error;
        await sleep(delay);
        delay *= 2;
      }
    }
  }

  /** Reports that the shopper clicked a nudge (stops its replay, counts a click). */
  clicked(push) {
    return this.track({ type: "nudge_clicked", nudgeId: typeof push === "string" ? push : push.id });
  }

  /** Reports that the shopper dismissed a nudge. */
  dismissed(push) {
    return this.track({ type: "nudge_dismissed", nudgeId: typeof push === "string" ? push : push.id });
  }

  async getState() {
    await this._ensureConnected();
    return this._connection.invoke("GetState");
  }

  /** The shopper's one stable referral code and share link: `{ code, shareUrl }`. */
  async getReferralLink() {
    await this._ensureConnected();
    return this._connection.invoke("GetReferralLink");
  }

  async _ensureConnected() {
    if (this._connection.state === HubConnectionState.Connected) return;
    if (this._connection.state === HubConnectionState.Disconnected) {
      if (!this._starting) {
        this._emitState("connecting");
        this._starting = this._connection.start().then(
          () => { this._starting = null; this._emitState("connected"); },
          (error) => { this._starting = null; throw error; });
      }
      await this._starting;
      return;
    }
    if (this._starting) {
      await this._starting;
      return;
    }
    // Connecting or reconnecting under the automatic policy: wait for it to settle.
    await new Promise((resolve, reject) => {
      const off = this.onStateChange((state, error) => {
        if (state === "connected") { off(); resolve(); }
        else if (state === "disconnected") { off(); reject(error ?? new Error("Personalize: connection closed")); }
      });
    });
  }

  _restartLater() {
    if (this._restartTimer) return;
    this._restartTimer = setTimeout(async () => {
      this._restartTimer = null;
      if (!this._started || this._connection.state !== HubConnectionState.Disconnected) return;
      try {
        await this._ensureConnected();
        this._replayPending();
      } catch (error) {
        this._restartLater();
      }
    }, RECONNECT_DELAYS_MS[RECONNECT_DELAYS_MS.length - 1] / 2);
  }

  /**
   * The server sends pending pushes again when a connection opens; reading the view as well covers a
   * push whose first delivery raced the drop. Known ids are dropped by the same de-duplication.
   */
  async _replayPending() {
    try {
      const view = await this._connection.invoke("GetState");
      for (const push of view?.pendingNudges ?? []) {
        if (push?.kind && PUSH_KINDS.includes(push.kind)) this._receive(push.kind, push);
      }
    } catch (error) {
      this._emitError(error);
    }
  }

  _receive(kind, push) {
    if (!push || typeof push !== "object") return;
    const withKind = push.kind ? push : { ...push, kind };
    if (withKind.id && !this._seen.add(withKind.id)) return;
    if (!this._handlers.get(kind)?.size && !this._handlers.get("*")?.size) {
      this._unclaimed.push(withKind);
      if (this._unclaimed.length > this._options.maxBufferedPushes) this._unclaimed.shift();
      return;
    }
    this._deliver(withKind);
  }

  _deliver(push) {
    for (const callback of [...(this._handlers.get("*") ?? []), ...(this._handlers.get(push.kind) ?? [])]) {
      try {
        callback(push);
      } catch (error) {
        // A storefront callback must not stop the others nor the shown report.
        this._emitError(error);
      }
    }
    if (this._options.reportShown && push.id) {
      this.track({ type: "nudge_shown", nudgeId: push.id }).catch((error) => this._emitError(error));
    }
  }

  _emitState(state, error) {
    for (const callback of [...this._stateHandlers]) {
      try { callback(state, error); } catch (e) { this._emitError(e); }
    }
  }

  _emitError(error) {
    if (this._errorHandlers.size === 0) {
      console.warn("Personalize:", error);
      return;
    }
    for (const callback of this._errorHandlers) callback(error);
  }
}

/** Creates a client and starts it. */
export async function connect(options) {
  const client = new PersonalizeClient(options);
  await client.start();
  return client;
}

export { newEventId };
