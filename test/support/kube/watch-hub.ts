import { KubeError } from "./errors.js";
import type { Matcher } from "./selectors.js";
import type { KubeObject } from "./types.js";

/**
 * Watch fan-out and the bounded event history that watches resume from. Events are dispatched
 * synchronously at commit, so an in-process controller and an HTTP client see the same order.
 */
export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  storage: string;
  rv: number;
  object: KubeObject;
  /** The state before the write (MODIFIED/DELETED), to turn selector exits into DELETED events. */
  old?: KubeObject;
  /** JSON of `object`, computed once per event and shared by every watcher. */
  json?: string;
}

export interface WatchEvent {
  type: EventType | "ERROR" | "BOOKMARK";
  object: KubeObject;
  /** The store event behind it, whose `json` cache watchers share. */
  source?: StoreEvent;
}

export interface Watcher {
  storage: string;
  namespace?: string;
  labels: Matcher;
  fields: Matcher;
  send: (event: WatchEvent) => void;
  /** Called when the server ends the watch (resource type removed, server stopping). */
  close: () => void;
}

export class WatchHub {
  private readonly history: StoreEvent[] = [];
  private head = 0;
  private readonly watchers = new Set<Watcher>();
  /** rv of the oldest event dropped from history: watches from before it are 410 Expired. */
  private droppedUpTo = 0;

  constructor(private readonly historySize: number) {}

  get size(): number {
    return this.watchers.size;
  }

  /** True when the history no longer reaches back to `rv` (what etcd calls compacted). */
  isCompacted(rv: number): boolean {
    return rv < this.droppedUpTo;
  }

  publish(event: StoreEvent): void {
    if (this.history.length - this.head >= this.historySize) {
      const dropped = this.history[this.head];
      this.head++;
      if (dropped) this.droppedUpTo = dropped.rv;
      // Compact now and then instead of shifting on every event.
      if (this.head > 1024) {
        this.history.splice(0, this.head);
        this.head = 0;
      }
    }
    this.history.push(event);
    for (const w of this.watchers) if (w.storage === event.storage) deliver(w, event);
  }

  /** Events after `rv` for `storage`, or 410 Expired when the history no longer reaches back. */
  replaySince(rv: number, storage: string, currentRv: number): StoreEvent[] {
    if (this.isCompacted(rv)) {
      throw new KubeError(410, "Expired", `too old resource version: ${rv} (${this.droppedUpTo + 1})`);
    }
    if (rv >= currentRv) return [];
    const out: StoreEvent[] = [];
    for (let i = this.head; i < this.history.length; i++) {
      const e = this.history[i]!;
      if (e.rv > rv && e.storage === storage) out.push(e);
    }
    return out;
  }

  add(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  closeStorage(storage: string): void {
    for (const w of [...this.watchers]) {
      if (w.storage === storage) {
        this.watchers.delete(w);
        w.close();
      }
    }
  }

  closeAll(): void {
    for (const w of [...this.watchers]) w.close();
    this.watchers.clear();
  }
}

function visible(w: Watcher, obj: KubeObject | undefined): boolean {
  if (!obj) return false;
  if (w.namespace && obj.metadata?.namespace !== w.namespace) return false;
  return w.labels(obj) && w.fields(obj);
}

/**
 * Like kube-apiserver: an object that stops matching the selector arrives as DELETED, one that
 * starts matching as ADDED.
 */
export function deliver(w: Watcher, event: StoreEvent): void {
  const now = visible(w, event.object);
  const before = event.type === "ADDED" ? false : event.old ? visible(w, event.old) : now;
  if (event.type === "DELETED") {
    if (before || now) w.send({ type: "DELETED", object: event.object, source: event });
    return;
  }
  if (now && before) w.send({ type: "MODIFIED", object: event.object, source: event });
  else if (now) w.send({ type: "ADDED", object: event.object, source: event });
  else if (before) w.send({ type: "DELETED", object: event.object, source: event });
}
