import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { KubeConfig } from "@kubernetes/client-node";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from "./discovery.js";
import { KubeError } from "./errors.js";
import { type FaultSettings, Faults } from "./faults.js";
import { sendError, sendJson, sendRaw } from "./http-util.js";
import { toKubeConfig, writeKubeconfig } from "./kubeconfig.js";
import { ObjectStore } from "./object-store.js";
import { openApiGroupVersion, openApiRoot } from "./openapi.js";
import { PodLogs } from "./pod-logs.js";
import { checkForwardProtocol, type ForwardTarget, PortForwarder } from "./portforward.js";
import { TypeRegistry } from "./registry.js";
import { type RestContext, serveResource } from "./rest.js";
import { routePath } from "./router.js";
import { Store, startWatch } from "./store.js";
import type { ResourceType, ResourceTypeInput } from "./types.js";
import { createObject } from "./writes.js";

export interface KubeServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** When set, every request needs `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  faults?: FaultSettings;
  /** Store events kept for watch resume; older resourceVersions get 410 Expired. */
  historySize?: number;
  /** Interval of BOOKMARK events on watches that allow them. */
  bookmarkIntervalMs?: number;
  /** Extra resource types to serve from the start. */
  types?: ResourceTypeInput[];
  /**
   * Pods bound to a node are deleted gracefully (deletionTimestamp + grace period) and stay until
   * something — a simulated kubelet — deletes them with grace 0. Default false: no kubelet runs.
   */
  gracefulPodDeletion?: boolean;
  /** "external": dependents are left to runGarbageCollection() (a simulated garbage collector). */
  garbageCollector?: "inline" | "external";
}

export interface KubeServer {
  url: string;
  port: number;
  server: Server;
  store: Store;
  registry: TypeRegistry;
  faults: Faults;
  /** A KubeConfig for @kubernetes/client-node; also written to `path` when given. */
  kubeconfig(path?: string): KubeConfig;
  registerType(input: ResourceTypeInput): ResourceType;
  setPortForwardTarget(namespace: string, pod: string, port: number, target: ForwardTarget): void;
  setPodLog(namespace: string, pod: string, text: string, container?: string): void;
  appendPodLog(namespace: string, pod: string, text: string, container?: string): void;
  /** The log a crashed container's previous instance left (served for `previous=true`). */
  setPreviousPodLog(namespace: string, pod: string, text: string, container?: string): void;
  stop(): Promise<void>;
}

const INITIAL_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export async function startKubeServer(options: KubeServerOptions = {}): Promise<KubeServer> {
  const registry = new TypeRegistry();
  for (const t of options.types ?? []) registry.register(t);
  const objects = new ObjectStore(registry, options.historySize ?? 10_000);
  objects.cleanup.gracefulPodDeletion = options.gracefulPodDeletion ?? false;
  objects.cleanup.garbageCollector = options.garbageCollector ?? "inline";
  const nsType = registry.find("", "v1", "namespaces")!;
  for (const name of INITIAL_NAMESPACES) {
    createObject(objects, nsType, undefined, { metadata: { name } }, { fieldManager: "kube-apiserver" });
  }
  const faults = new Faults();
  if (options.faults) faults.set(options.faults);
  const logs = new PodLogs();
  const forwarder = new PortForwarder(faults);
  const openStreams = new Set<() => void>();
  let address = "127.0.0.1:0";
  let openApiCache: Map<string, string> = new Map();
  registry.onChange(() => {
    openApiCache = new Map();
  });

  const ctx: RestContext = {
    objects,
    faults,
    logs,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    track: (end) => {
      openStreams.add(end);
      return () => openStreams.delete(end);
    },
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (!options.token) return true;
    const given = Buffer.from(req.headers.authorization ?? "");
    const wanted = Buffer.from(`Bearer ${options.token}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  };

  const cachedOpenApi = (key: string, build: () => unknown): string => {
    let json = openApiCache.get(key);
    if (json === undefined) {
      json = JSON.stringify(build());
      openApiCache.set(key, json);
    }
    return json;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      sendRaw(res, 200, "ok", "text/plain");
      return;
    }
    if (!authorized(req)) throw new KubeError(401, "Unauthorized", "Unauthorized");
    await faults.before(req.method ?? "GET", path);
    if (path === "/version") return sendJson(res, 200, SERVER_VERSION);
    if (path === "/api") return sendJson(res, 200, apiVersions(address));
    if (path === "/apis") return sendJson(res, 200, apiGroupList(registry));
    if (path === "/openapi/v3")
      return sendRaw(
        res,
        200,
        cachedOpenApi("", () => openApiRoot(registry)),
      );
    if (path.startsWith("/openapi/v3/")) {
      const parts = path.slice("/openapi/v3/".length).split("/");
      const [group, version] = parts[0] === "api" ? ["", parts[1] ?? ""] : [parts[1] ?? "", parts[2] ?? ""];
      return sendRaw(
        res,
        200,
        cachedOpenApi(path, () => openApiGroupVersion(registry, group, version)),
      );
    }
    const route = routePath(registry, path);
    if (route.kind === "groupVersion")
      return sendJson(res, 200, apiResourceList(registry, route.group, route.version));
    if (route.kind === "group") return sendJson(res, 200, apiGroup(registry, route.group));
    if (route.kind === "resource") return serveResource(ctx, req, res, route.route, url.searchParams);
    throw new KubeError(404, "NotFound", "the server could not find the requested resource");
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error));
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      upgrade(req, socket, head);
    } catch (error) {
      const e = error instanceof KubeError ? error : new KubeError(500, "InternalError", String(error));
      const body = JSON.stringify(e.toStatus());
      socket.end(
        `HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  });

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!authorized(req)) throw new KubeError(401, "Unauthorized", "Unauthorized");
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = routePath(registry, url.pathname);
    if (
      route.kind !== "resource" ||
      route.route.subresource !== "portforward" ||
      !route.route.type.subresources.includes("portforward")
    ) {
      throw new KubeError(
        400,
        "BadRequest",
        "only pods/portforward accepts WebSocket upgrades on this server",
      );
    }
    const { type, namespace, name } = route.route;
    objects.require(type, namespace, name ?? "");
    checkForwardProtocol(req);
    const ports = url.searchParams
      .getAll("ports")
      .flatMap((p) => p.split(","))
      .map((p) => Number(p.trim()));
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      throw new KubeError(400, "BadRequest", "at least one valid port is required (ports=<number>)");
    }
    forwarder.upgrade(req, socket, head, namespace ?? "", name ?? "", ports);
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const info = server.address() as AddressInfo;
  address = `${info.address}:${info.port}`;
  const url = `http://${info.address}:${info.port}`;
  const store = new Store(objects);
  // When a pod goes, its followed logs end and its port-forwards drop, as on a real node.
  const podType = registry.find("", "v1", "pods")!;
  const stopPodWatch = startWatch(
    objects,
    podType,
    { resourceVersion: String(objects.resourceVersion) },
    (event) => {
      if (event.type !== "DELETED") return;
      const meta = event.object.metadata ?? {};
      logs.end(meta.namespace ?? "", meta.name ?? "");
      forwarder.dropPod(meta.namespace ?? "", meta.name ?? "");
    },
    () => undefined,
  );

  return {
    url,
    port: info.port,
    server,
    store,
    registry,
    faults,
    kubeconfig(path?: string): KubeConfig {
      if (path) writeKubeconfig(path, url, options.token);
      return toKubeConfig(url, options.token);
    },
    registerType: (input) => registry.register(input),
    setPortForwardTarget: (namespace, pod, port, target) => forwarder.setTarget(namespace, pod, port, target),
    setPodLog: (namespace, pod, text, container) => logs.set(namespace, pod, text, container),
    appendPodLog: (namespace, pod, text, container) => logs.append(namespace, pod, text, container),
    setPreviousPodLog: (namespace, pod, text, container) => logs.setPrevious(namespace, pod, text, container),
    async stop(): Promise<void> {
      stopPodWatch();
      for (const end of [...openStreams]) end();
      logs.endAll();
      forwarder.close();
      objects.hub.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
