import type { IncomingMessage, ServerResponse } from "node:http";
import { queryFlag } from "./http-util.js";

/**
 * `pods/<name>/log`: text a test sets per pod (and container), served plain or followed
 * (`follow=true` keeps the response open and streams what `appendPodLog` adds).
 */
type Follower = { container: string; write: (text: string) => void; end: () => void };

export class PodLogs {
  private readonly logs = new Map<string, string>();
  private readonly followers = new Map<string, Set<Follower>>();

  private key(namespace: string, pod: string): string {
    return `${namespace}/${pod}`;
  }

  private logKey(namespace: string, pod: string, container = ""): string {
    return `${this.key(namespace, pod)}/${container}`;
  }

  set(namespace: string, pod: string, text: string, container?: string): void {
    this.logs.set(this.logKey(namespace, pod, container), text);
  }

  append(namespace: string, pod: string, text: string, container?: string): void {
    const k = this.logKey(namespace, pod, container);
    this.logs.set(k, (this.logs.get(k) ?? "") + text);
    for (const f of this.followers.get(this.key(namespace, pod)) ?? []) {
      if (f.container === (container ?? "")) f.write(text);
    }
  }

  /** End followed streams of a pod (as when its container exits). */
  end(namespace: string, pod: string): void {
    for (const f of this.followers.get(this.key(namespace, pod)) ?? []) f.end();
  }

  endAll(): void {
    for (const set of this.followers.values()) for (const f of set) f.end();
  }

  serve(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    pod: string,
    query: URLSearchParams,
  ): void {
    const container = query.get("container") ?? "";
    let text =
      this.logs.get(this.logKey(namespace, pod, container)) ??
      this.logs.get(this.logKey(namespace, pod)) ??
      "";
    const tail = Number(query.get("tailLines") ?? Number.NaN);
    if (Number.isInteger(tail) && tail >= 0) {
      const lines = text.split("\n");
      const trailing = text.endsWith("\n");
      const body = trailing ? lines.slice(0, -1) : lines;
      text = body.slice(Math.max(0, body.length - tail)).join("\n") + (trailing && tail > 0 ? "\n" : "");
    }
    res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
    res.write(text);
    if (!queryFlag(query, "follow")) {
      res.end();
      return;
    }
    const k = this.key(namespace, pod);
    const set = this.followers.get(k) ?? new Set<Follower>();
    this.followers.set(k, set);
    const follower: Follower = {
      container,
      write: (chunk) => res.write(chunk),
      end: () => {
        set.delete(follower);
        res.end();
      },
    };
    set.add(follower);
    req.on("close", () => set.delete(follower));
  }
}
