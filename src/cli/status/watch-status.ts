/**
 * `aiplat status --watch`: the same screen, redrawn when the cluster changes. Driven by five watches
 * (Applications, InferenceEndpoints, RayServices, Pods in `inference`, Nodes), not polling; LiteLLM,
 * which has no watch, is read again only when an endpoint or RayService changed (registrations
 * follow those), after the change itself is on screen. Terraform and EKS are read once. On a terminal the screen is redrawn in place;
 * otherwise each changed screen is printed after a separator. Ctrl-C ends it (exit 0).
 */
import { ENDPOINT_API, ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import type { Obj, Pod } from "../../core/rollout/types.js";
import { formatStatus } from "../../core/status/format.js";
import type { PlatformStatus } from "../../core/status/types.js";
import { tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { readCluster } from "./read-cluster.js";
import { readInfrastructure, reasonOf } from "./read-infrastructure.js";
import {
  assembleClusterSections,
  type ClusterLists,
  type LitellmRead,
  type Outcome,
  readClusterSections,
  readLitellm,
} from "./read-platform.js";
import { readRemoteHeads } from "./remote-heads.js";

/** Changes arriving together (a rollout step touches several objects) make one redraw. */
const COALESCE_MS = 50;
const CLEAR = "\u001b[H\u001b[2J";

export async function watchStatus(ctx: CommandContext): Promise<void> {
  const [infrastructure, clusterInfo, access, heads] = await Promise.all([
    readInfrastructure(ctx),
    readCluster(ctx),
    tryConnect(ctx, { reportUnreachable: true }),
    readRemoteHeads(ctx),
  ]);
  let last = "";
  const draw = (status: PlatformStatus) => {
    const screen = formatStatus(status, ctx.clock.now(), ctx.io.style);
    if (screen === last) return;
    last = screen;
    const header = ctx.io.style.bold(
      `aiplat status — ${new Date(ctx.clock.now()).toISOString()} (watching; Ctrl-C to stop)`,
    );
    ctx.io.write(ctx.io.isTTY ? `${CLEAR}${header}\n\n${screen}\n` : `${header}\n\n${screen}\n\n`);
  };
  const cluster = access.cluster;
  if (!cluster) {
    // Nothing to watch: show why once and wait for Ctrl-C, like any other watch would.
    draw({
      infrastructure,
      cluster: clusterInfo,
      ...(await readClusterSections(ctx, undefined, access.reason)),
    });
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    return;
  }

  const pending: Outcome<never[]> = { ok: true, value: [] };
  const lists: ClusterLists = {
    apps: pending,
    endpoints: pending,
    rayServices: pending,
    pods: pending,
    nodes: pending,
  };
  let litellm: Outcome<LitellmRead> = { ok: false, reason: "not read yet" };
  let litellmRead = false;
  let litellmStale = true;
  let litellmReading: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const drawNow = () => {
    if (ctx.signal.aborted) return;
    draw({
      infrastructure,
      cluster: clusterInfo,
      ...assembleClusterSections(ctx, lists, heads, litellm),
    });
  };
  /**
   * LiteLLM (three requests over the port-forward) is read beside the watches, never in their way:
   * a cluster change is drawn at once and the screen drawn again when LiteLLM has answered. Changes
   * that arrive meanwhile make one more read after this one.
   */
  const refreshLitellm = () => {
    if (litellmReading) return;
    litellmStale = false;
    litellmReading = (async () => {
      try {
        litellm = { ok: true, value: await readLitellm(ctx, cluster) };
      } catch (error) {
        litellm = { ok: false, reason: reasonOf(error) };
      }
      litellmRead = true;
      drawNow();
    })()
      .catch((error: Error) => ctx.io.debug(`LiteLLM read: ${error.message}`))
      .finally(() => {
        litellmReading = undefined;
        if (litellmStale && !ctx.signal.aborted) refreshLitellm();
      });
  };
  // The first screen waits for LiteLLM, so it never shows LiteLLM as unread.
  const redraw = () => {
    if (litellmRead) drawNow();
    if (litellmStale) refreshLitellm();
  };
  const schedule = () => {
    if (timer || ctx.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      redraw();
    }, COALESCE_MS);
  };

  const watch = <T>(
    key: keyof ClusterLists,
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    affectsLitellm: boolean,
  ) =>
    cluster.objects
      .watch<T>(
        apiVersion,
        kind,
        namespace ? { namespace } : {},
        (items) => {
          (lists[key] as Outcome<T[]>) = { ok: true, value: items };
          if (affectsLitellm) litellmStale = true;
          schedule();
        },
        ctx.signal,
      )
      .catch((error: unknown) => {
        // An unserved kind (KRO or KubeRay not installed yet) means none; anything else is shown.
        const unknown = (error as { code?: string }).code === "kube-unknown-kind";
        (lists[key] as Outcome<T[]>) = unknown
          ? { ok: true, value: [] }
          : { ok: false, reason: reasonOf(error) };
        schedule();
      });

  await Promise.all([
    watch<Obj>("apps", "argoproj.io/v1alpha1", "Application", "argocd", false),
    watch<Obj>("endpoints", ENDPOINT_API, "InferenceEndpoint", ENDPOINT_NAMESPACE, true),
    watch<Obj>("rayServices", "ray.io/v1", "RayService", ENDPOINT_NAMESPACE, true),
    watch<Pod>("pods", "v1", "Pod", ENDPOINT_NAMESPACE, false),
    watch<Obj>("nodes", "v1", "Node", undefined, false),
  ]);
  if (timer) clearTimeout(timer);
  await litellmReading;
}
