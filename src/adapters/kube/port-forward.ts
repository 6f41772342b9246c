/**
 * A local TCP listener that relays every connection to a Ready pod behind a Service through the
 * API server's port-forward (WebSocket, @kubernetes/client-node PortForward) — no kubectl needed.
 * One listener, many connections, each its own WebSocket stream. The pod found is reused while it
 * works; when a stream cannot be opened (the pod went away) or dropped early, the Service is
 * resolved again and the connection retried once, so a replaced pod is picked up without the user
 * doing anything (connections open at that moment may fail; new ones work).
 */
import type { AddressInfo, Server, Socket } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { ExternalError, UsageError } from "../../core/errors.js";
import type { KubeClientConfig } from "./client-config.js";
import type { KubeObjects } from "./objects.js";

export interface ServiceTarget {
  namespace: string;
  service: string;
  /** The Service port (e.g. 4000 for litellm). */
  port: number;
}

export interface PortForwardHandle {
  localPort: number;
  url: string;
  /** Set when the preferred port was taken and another was used ("local port 4000 is in use; …"). */
  note: string | undefined;
  close(): Promise<void>;
}

interface ServiceShape {
  spec?: {
    selector?: Record<string, string>;
    ports?: { port?: number; targetPort?: number | string; name?: string }[];
  };
}

interface PodShape {
  metadata?: { name?: string; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
  spec?: { containers?: { ports?: { name?: string; containerPort?: number }[] }[] };
}

/** The pod and container port a Service port leads to right now (a Ready, Running pod). */
export async function resolveServiceBackend(
  objects: KubeObjects,
  target: ServiceTarget,
): Promise<{ pod: string; port: number }> {
  const where = `${target.namespace}/${target.service}`;
  const service = await objects.get<ServiceShape>("v1", "Service", target.service, target.namespace);
  if (!service) {
    throw new ExternalError(`Service ${where} does not exist.`, {
      code: "service-missing",
      hint: "Check that the platform apps are synced: `aiplat bootstrap --wait`.",
    });
  }
  const selector = Object.entries(service.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  if (selector === "") throw new ExternalError(`Service ${where} has no selector to find its pods.`);
  const pods = await objects.list<PodShape>("v1", "Pod", {
    namespace: target.namespace,
    labelSelector: selector,
  });
  // Like a Service's endpoints: only Ready pods that are not being deleted receive traffic.
  const pod = pods.find(
    (p) =>
      p.status?.phase === "Running" &&
      !p.metadata?.deletionTimestamp &&
      p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  );
  if (!pod?.metadata?.name) {
    throw new ExternalError(
      `No Ready pod behind Service ${where} (${pods.length} pod(s) match its selector ${selector}).`,
      {
        code: "no-backend-pod",
        hint: `Look at the pods: \`kubectl -n ${target.namespace} get pods -l ${selector}\`.`,
        details: { service: where, pods: pods.length },
      },
    );
  }
  const servicePort = service.spec?.ports?.find((p) => p.port === target.port) ?? service.spec?.ports?.[0];
  const targetPort = servicePort?.targetPort ?? servicePort?.port ?? target.port;
  let port: number | undefined = typeof targetPort === "number" ? targetPort : Number(targetPort);
  if (Number.isNaN(port)) {
    port = pod.spec?.containers
      ?.flatMap((c) => c.ports ?? [])
      .find((p) => p.name === targetPort)?.containerPort;
  }
  if (port === undefined)
    throw new ExternalError(`Service ${where} port ${targetPort} matches no container port.`);
  return { pod: pod.metadata.name, port };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(error);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** How long a resolved pod is reused before the Service is looked up again. */
const BACKEND_REUSE_MS = 10_000;

/** How many ports after a taken preferred one are tried before letting the system pick. */
const NEXT_PORT_TRIES = 20;

export interface PortForwardOptions {
  /** A port the user asked for (--port): taken → UsageError (exit 2), never another port. */
  localPort?: number | undefined;
  /** A port aiplat would like (e.g. 4000 for litellm): taken → the next free one, said in `note`. */
  preferredPort?: number | undefined;
  onError?: (error: Error) => void;
}

/** Listens on the explicit port, else the preferred one or the next free after it, else any. */
async function bind(
  server: Server,
  options: PortForwardOptions,
): Promise<{ port: number; note: string | undefined }> {
  const taken = (error: unknown) => (error as NodeJS.ErrnoException).code === "EADDRINUSE";
  if (options.localPort !== undefined && options.localPort !== 0) {
    try {
      return { port: await listen(server, options.localPort), note: undefined };
    } catch (error) {
      if (!taken(error)) throw error;
      throw new UsageError(`Local port ${options.localPort} is already in use.`, {
        code: "port-taken",
        hint: "Pick another with --port <n>, or leave --port out to use the next free port.",
      });
    }
  }
  const preferred = options.preferredPort;
  if (preferred !== undefined) {
    for (let port = preferred; port < preferred + NEXT_PORT_TRIES && port <= 65535; port++) {
      try {
        const bound = await listen(server, port);
        return {
          port: bound,
          note: port === preferred ? undefined : `local port ${preferred} is in use; using ${bound} instead`,
        };
      } catch (error) {
        if (!taken(error)) throw error;
      }
    }
  }
  const bound = await listen(server, 0);
  return {
    port: bound,
    note: preferred === undefined ? undefined : `local port ${preferred} is in use; using ${bound} instead`,
  };
}

/**
 * Starts forwarding 127.0.0.1:<port> to the Service; see PortForwardOptions for the port rules.
 * Fails before listening when no Ready pod is behind the Service.
 */
export async function startPortForward(
  config: KubeClientConfig,
  objects: KubeObjects,
  target: ServiceTarget,
  options: PortForwardOptions = {},
): Promise<PortForwardHandle> {
  // Loaded while the Service and its pods are looked up: the WebSocket modules take longer to
  // compile than the two local round trips take to answer.
  const modules = Promise.all([
    import("node:net"),
    // The module alone, not the package index (which compiles ~800 generated files).
    import("@kubernetes/client-node/dist/portforward.js"),
  ]);
  // Not left unhandled if the lookup below fails first.
  modules.catch(() => undefined);
  let backend: { pod: string; port: number } | undefined = await resolveServiceBackend(objects, target);
  let resolvedAt = Date.now();
  const resolve = async () => {
    backend = await resolveServiceBackend(objects, target);
    resolvedAt = Date.now();
    return backend;
  };
  const [{ createServer }, { PortForward }] = await modules;
  // Its WebSocketHandler uses only getCurrentCluster() and applyToHTTPSOptions() of the config
  // (client-node src/web-socket-handler.ts, connect), which every KubeClientConfig has.
  const forward = new PortForward(config as KubeConfig, true);
  const sockets = new Set<Socket>();
  /** The open streams, ended at once by close(): see there. */
  const streams = new Set<{ terminate(): void }>();

  /** One WebSocket stream for this socket to the current backend; resolves once it is open. */
  const open = async (socket: Socket, to: { pod: string; port: number }) => {
    const ws = await forward.portForward(target.namespace, to.pod, [to.port], socket, null, socket);
    const webSocket = typeof ws === "function" ? ws() : ws;
    if (webSocket) streams.add(webSocket);
    webSocket?.on("close", (code: number) => {
      streams.delete(webSocket);
      // Not a normal close (1000): the pod went or the stream dropped, so the next connection
      // looks the Service up again.
      if (code !== 1000 && backend === to) backend = undefined;
      socket.end();
    });
    socket.on("close", () => webSocket?.close(1000));
  };

  // No Nagle on the local side: a streamed answer is many small writes (one SSE event per token),
  // and Nagle holds each one until the previous is acknowledged — which the client's delayed ACK
  // puts off by up to 40 ms on Linux. kubectl's forward (Go) has TCP_NODELAY by default.
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    void (async () => {
      try {
        // A pod found a while ago may no longer be Ready: look again now and then.
        if (Date.now() - resolvedAt > BACKEND_REUSE_MS) backend = undefined;
        const current = backend ?? (await resolve());
        try {
          await open(socket, current);
        } catch (first) {
          // The cached pod is gone (the upgrade failed): resolve the Service again, retry once.
          options.onError?.(first as Error);
          if (backend === current) backend = undefined;
          await open(socket, await resolve());
        }
      } catch (error) {
        options.onError?.(error as Error);
        socket.destroy();
      }
    })();
  });
  const { port: localPort, note } = await bind(server, options);
  return {
    localPort,
    url: `http://127.0.0.1:${localPort}`,
    note,
    close: () =>
      new Promise<void>((resolve) => {
        // Ended without the WebSocket closing handshake: waiting for the API server's close frame
        // kept the process alive 0.1–0.4 s after `chat --prompt` had printed its answer, and the
        // forward is going away anyway (kubectl's forward also just drops its connection).
        for (const stream of streams) stream.terminate();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
