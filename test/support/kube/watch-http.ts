import type { IncomingMessage, ServerResponse } from "node:http";
import { KubeError } from "./errors.js";
import type { Faults } from "./faults.js";
import { queryFlag, wantsTable } from "./http-util.js";
import { asVersion, type ObjectStore } from "./object-store.js";
import type { ResourceRoute } from "./router.js";
import { startWatch } from "./store.js";
import { toTable } from "./table.js";
import { apiVersionOf, type KubeObject } from "./types.js";
import type { WatchEvent } from "./watch-hub.js";

/**
 * `?watch=true`: newline-delimited JSON events on a chunked 200 response. Resuming from a
 * resourceVersion older than the kept history yields an ERROR event with a 410 Expired Status
 * (what kube-apiserver's watch cache sends), then the stream ends.
 */
export interface WatchContext {
  objects: ObjectStore;
  faults: Faults;
  bookmarkIntervalMs: number;
  /** Registers the response so stop() can end it. */
  track: (end: () => void) => () => void;
}

export function serveWatch(
  ctx: WatchContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
  query: URLSearchParams,
): void {
  const { type } = route;
  const table = wantsTable(req);
  const includeObject = query.get("includeObject");
  let fieldSelector = query.get("fieldSelector") ?? undefined;
  if (route.name) fieldSelector = [`metadata.name=${route.name}`, fieldSelector].filter(Boolean).join(",");
  const bookmarks = queryFlag(query, "allowWatchBookmarks");
  const cutAfter = ctx.faults.current.watchCutAfterEvents;
  let sent = 0;
  let ended = false;
  let firstTable = true;
  const timers: NodeJS.Timeout[] = [];
  let stop: (() => void) | undefined;
  let untrack: () => void = () => undefined;

  const end = () => {
    if (ended) return;
    ended = true;
    for (const t of timers) clearTimeout(t);
    stop?.();
    untrack();
    res.end();
  };

  const write = (event: WatchEvent) => {
    if (ended) return;
    let objectJson: string;
    if (table && (event.type === "ADDED" || event.type === "MODIFIED" || event.type === "DELETED")) {
      const obj = asVersion(event.object, type);
      objectJson = JSON.stringify(
        toTable(type, [obj], { resourceVersion: obj.metadata?.resourceVersion }, includeObject, firstTable),
      );
      firstTable = false;
    } else if (event.source && event.object.apiVersion === apiVersionOf(type.group, type.version)) {
      event.source.json ??= JSON.stringify(event.source.object);
      objectJson = event.source.json;
    } else {
      objectJson = JSON.stringify(
        event.type === "ERROR" || event.type === "BOOKMARK" ? event.object : asVersion(event.object, type),
      );
    }
    res.write(`{"type":"${event.type}","object":${objectJson}}\n`);
    if (event.type !== "BOOKMARK") sent++;
    if (cutAfter !== undefined && sent >= cutAfter) end();
  };

  const bookmark = (extra?: Record<string, string>) =>
    write({
      type: "BOOKMARK",
      object: {
        kind: type.kind,
        apiVersion: apiVersionOf(type.group, type.version),
        metadata: {
          resourceVersion: String(ctx.objects.resourceVersion),
          ...(extra ? { annotations: extra } : {}),
        },
      } as KubeObject,
    });

  res.writeHead(200, {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache",
  });
  res.flushHeaders();
  untrack = ctx.track(end);
  try {
    stop = startWatch(
      ctx.objects,
      type,
      {
        namespace: route.namespace,
        labelSelector: query.get("labelSelector") ?? undefined,
        fieldSelector,
        resourceVersion: query.get("resourceVersion") ?? undefined,
      },
      write,
      end,
    );
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    write({ type: "ERROR", object: error.toStatus() as unknown as KubeObject });
    end();
    return;
  }
  if (ended) {
    stop();
    return;
  }
  if (bookmarks && queryFlag(query, "sendInitialEvents")) bookmark({ "k8s.io/initial-events-end": "true" });
  if (bookmarks) {
    const tick = () => {
      bookmark();
      timers[0] = setTimeout(tick, ctx.bookmarkIntervalMs);
    };
    timers[0] = setTimeout(tick, ctx.bookmarkIntervalMs);
  }
  const timeout = Number(query.get("timeoutSeconds") ?? 0);
  if (timeout > 0) timers.push(setTimeout(end, timeout * 1000));
  req.on("close", end);
  res.on("close", end);
}
