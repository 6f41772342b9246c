import type { IncomingMessage, ServerResponse } from "node:http";
import { queryFlag } from "./http-util.js";

/**
 * `pods/<name>/log`: text a test sets per pod (and container), served plain or followed
 * (`follow=true` keeps the response open and streams what `appendPodLog` adds); `previous=true`
 * serves what `setPreviousPodLog` set, or 400 like the kubelet when there is no earlier instance.
 */
type Follower = { container: string; write: (text: string) => void; end: () => void };

export class PodLogs {
  private readonly logs = new Map<string, string>();
  private readonly followers = new Map<string, Set<Follower>>();
  private readonly previous = new Map<string, string>();

  private key(namespace: string, pod: string): string {
    return `${namespace}/${pod}`;
  }

  private logKey(namespace: string, pod: string, container = ""): string {
    return `${this.key(namespace, pod)}/${container}`;
  }

  set(namespace: string, pod: string, text: string, container?: string): void {
    this.logs.set(this.logKey(namespace, pod, container), text);
  }

  /** The log of the container's previous instance (what `previous=true` reads after a crash). */
  setPrevious(namespace: string, pod: string, text: string, container?: string): void {
    this.previous.set(this.logKey(namespace, pod, container), text);
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
    const previous = queryFlag(query, "previous");
    const source = previous ? this.previous : this.logs;
    const found =
      source.get(this.logKey(namespace, pod, container)) ?? source.get(this.logKey(namespace, pod));
    if (previous && found === undefined) {
      // The kubelet's answer when no earlier instance of the container exists.
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          kind: "Status",
          apiVersion: "v1",
          status: "Failure",
          message: `previous terminated container "${container}" in pod "${pod}" not found`,
          reason: "BadRequest",
          code: 400,
        }),
      );
      return;
    }
    let text = found ?? "";
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
