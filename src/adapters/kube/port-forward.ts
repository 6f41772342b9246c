/**
 * A local TCP listener that relays every connection to a pod behind a Service through the API
 * server's port-forward (WebSocket, @kubernetes/client-node PortForward) — no kubectl needed.
 * The pod is looked up per connection, so a restarted pod behind the Service is picked up by the
 * next connection. A taken port is an error that says so (never a retry loop); without a wanted
 * port the system picks a free one.
 */
import type { AddressInfo, Server, Socket } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { ExternalError, UsageError } from "../../core/errors.js";
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
  const running = pods.filter((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp);
  const pod =
    running.find((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) ??
    running[0];
  if (!pod?.metadata?.name) {
    throw new ExternalError(`No running pod behind Service ${where} (${pods.length} pod(s) found).`, {
      code: "no-backend-pod",
      hint: `Look at the pods: \`kubectl -n ${target.namespace} get pods -l ${selector}\`.`,
    });
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

/**
 * Starts forwarding 127.0.0.1:<localPort> to the Service. `localPort` undefined or 0: a free
 * port. A wanted port that is taken is a UsageError naming it and the alternative.
 */
export async function startPortForward(
  config: KubeConfig,
  objects: KubeObjects,
  target: ServiceTarget,
  options: { localPort?: number | undefined; onError?: (error: Error) => void } = {},
): Promise<PortForwardHandle> {
  // Fail before listening when there is nothing to forward to.
  await resolveServiceBackend(objects, target);
  const [{ createServer }, { PortForward }] = await Promise.all([
    import("node:net"),
    import("@kubernetes/client-node"),
  ]);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    void (async () => {
      try {
        const backend = await resolveServiceBackend(objects, target);
        const forward = new PortForward(config, true);
        const ws = await forward.portForward(
          target.namespace,
          backend.pod,
          [backend.port],
          socket,
          null,
          socket,
        );
        const webSocket = typeof ws === "function" ? ws() : ws;
        webSocket?.on("close", () => socket.end());
        socket.on("close", () => webSocket?.close());
      } catch (error) {
        options.onError?.(error as Error);
        socket.destroy();
      }
    })();
  });
  let localPort: number;
  try {
    localPort = await listen(server, options.localPort ?? 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new UsageError(`Local port ${options.localPort} is already in use.`, {
        code: "port-taken",
        hint: "Pick another with --port <n>, or leave --port out to use a free port.",
      });
    }
    throw error;
  }
  return {
    localPort,
    url: `http://127.0.0.1:${localPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
