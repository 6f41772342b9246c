import { KubeError } from "./errors.js";

/**
 * Faults a test switches on to see how a client copes: added latency, a share of requests answered
 * 429 or 500, watch streams cut after N events, port-forward connections dropped. The error share
 * is deterministic (every 1/rate-th matching request fails) so a test that relies on it is not
 * flaky; `failNext` fails an exact number of requests.
 */
export interface FaultSettings {
  /** Milliseconds added before every matching request is handled. */
  latencyMs?: number;
  /** Share (0..1) of matching requests answered with `errorCode`. */
  errorRate?: number;
  errorCode?: 429 | 500;
  /** Retry-After for 429 answers (seconds; default 1). */
  retryAfterSeconds?: number;
  /** Only requests whose path matches (default: resource requests, not discovery or OpenAPI). */
  pathPattern?: RegExp;
  /** Only these methods (default: all). */
  methods?: string[];
  /** Watch streams end (cleanly, as if a proxy timed them out) after this many events. */
  watchCutAfterEvents?: number;
  /** Port-forward connections are dropped after relaying this many bytes from the pod. */
  portForwardDropAfterBytes?: number;
}

const resourcePath = /^\/apis?\/[^/]+\/[^/]+\/.+|^\/api\/v1\/.+/;

export class Faults {
  private settings: FaultSettings = {};
  private accumulated = 0;
  private forced: { remaining: number; code: 429 | 500 } | undefined;
  private readonly dropListeners = new Set<() => void>();

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  /** Replace the active faults (an empty object switches everything off). */
  set(settings: FaultSettings): void {
    this.settings = { ...settings };
    this.accumulated = 0;
  }

  clear(): void {
    this.set({});
    this.forced = undefined;
  }

  /** Answer the next `count` matching requests with `code`. */
  failNext(count: number, code: 429 | 500 = 500): void {
    this.forced = { remaining: count, code };
  }

  /** Drop every open port-forward connection now. */
  dropPortForwards(): void {
    for (const drop of this.dropListeners) drop();
  }

  onDropPortForwards(listener: () => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  matches(method: string, path: string): boolean {
    const s = this.settings;
    if (s.methods && !s.methods.includes(method)) return false;
    return (s.pathPattern ?? resourcePath).test(path);
  }

  /** Wait the added latency, then throw the injected error when this request is one to fail. */
  async before(method: string, path: string): Promise<void> {
    if (!this.matches(method, path)) return;
    const { latencyMs } = this.settings;
    if (latencyMs && latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const code = this.nextFailure();
    if (code === 429) {
      const retryAfterSeconds = this.settings.retryAfterSeconds ?? 1;
      throw new KubeError(
        429,
        "TooManyRequests",
        "the server has received too many requests and has asked us to try again later",
        {
          retryAfterSeconds,
          causes: [{ type: "ServerTimeout", message: "the server has received too many requests" }],
        },
      );
    }
    if (code === 500) throw new KubeError(500, "InternalError", "Internal error occurred: injected fault");
  }

  private nextFailure(): 429 | 500 | undefined {
    if (this.forced && this.forced.remaining > 0) {
      this.forced.remaining--;
      return this.forced.code;
    }
    const rate = this.settings.errorRate ?? 0;
    if (rate <= 0) return undefined;
    this.accumulated += rate;
    if (this.accumulated >= 1 - 1e-9) {
      this.accumulated -= 1;
      return this.settings.errorCode ?? 500;
    }
    return undefined;
  }
}
