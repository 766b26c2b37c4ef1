// Event ids and the memory of push ids already handled.

/** A client-unique event id (≤ 64 chars, as the hub requires). */
export function newEventId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  // Pages served over plain http on a LAN address have no randomUUID (not a secure context).
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Push ids seen lately, oldest forgotten first. Bounded because a tab may stay open for days; the
 * server replays only pending pushes, so a few hundred recent ids are enough to drop every repeat.
 */
export class PushIds {
  constructor(capacity) {
    this._capacity = Math.max(1, capacity);
    this._ids = new Set();
  }

  /** True if the id is new (and now remembered), false for a repeat. */
  add(id) {
    if (this._ids.has(id)) return false;
    this._ids.add(id);
    if (this._ids.size > this._capacity) this._ids.delete(this._ids.values().next().value);
    return true;
  }

  get size() {
    return this._ids.size;
  }
}
