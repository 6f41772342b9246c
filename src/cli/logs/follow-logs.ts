/**
 * --follow: one watch on the endpoint's pods; each container instance that has started is followed
 * once (keyed by pod uid and restart count, so a restarted container and a replacement pod are
 * picked up), and a pod that cannot start says why each time the reason changes. Lines go to
 * stdout as they arrive. Ends when the signal aborts (Ctrl-C).
 */
import type { KubeHttp } from "../../adapters/kube/http.js";
import { ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import type { KubeEvent, Pod } from "../../core/rollout/types.js";
import type { Cluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { endpointPodSelector, mainContainer, orderPods } from "./components.js";
import { followPodLog, readPodLog } from "./pod-log.js";
import type { LogsOptions } from "./run-logs.js";
import { diagnosePod } from "./why-not-started.js";

export async function followEndpoint(
  ctx: CommandContext,
  cluster: Cluster,
  http: KubeHttp,
  name: string,
  options: LogsOptions,
  prefix: (pod: string, line: string) => string,
): Promise<void> {
  const followed = new Set<string>();
  const explained = new Map<string, string>();
  const streams: Promise<void>[] = [];
  let first = true;
  const write = (pod: string, line: string) => ctx.io.write(`${prefix(pod, line)}\n`);

  const explain = async (pod: Pod) => {
    const podName = pod.metadata?.name ?? "?";
    const bare = diagnosePod(pod, []);
    const key = bare.lines.join("\n");
    if (bare.lines.length === 0 || explained.get(podName) === key) return;
    explained.set(podName, key);
    const events = await cluster.objects
      .list<KubeEvent>("v1", "Event", { namespace: ENDPOINT_NAMESPACE })
      .catch(() => [] as KubeEvent[]);
    for (const line of diagnosePod(pod, events).lines) write(podName, `! ${line}`);
    if (bare.previousTerminated) {
      const text = await readPodLog(http, ENDPOINT_NAMESPACE, podName, {
        container: mainContainer(pod),
        previous: true,
        tailLines: options.tail ?? 20,
      }).catch(() => "");
      for (const line of text.split("\n").filter((l) => l !== "")) write(podName, `(previous) ${line}`);
    }
  };

  const onPods = (pods: Pod[]) => {
    const initial = first;
    first = false;
    for (const pod of orderPods(pods, options.component)) {
      if (pod.metadata?.deletionTimestamp) continue;
      void explain(pod).catch((error: Error) =>
        ctx.io.debug(`explaining ${pod.metadata?.name}: ${error.message}`),
      );
      if (!diagnosePod(pod, []).hasLog) continue;
      const restarts = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
      const key = `${pod.metadata?.uid ?? pod.metadata?.name}/${restarts}`;
      if (followed.has(key)) continue;
      followed.add(key);
      const podName = pod.metadata?.name ?? "?";
      // --tail/--since apply to what was there when aiplat started; a pod that starts later is
      // followed from its first line.
      const limits = initial ? { tailLines: options.tail, sinceSeconds: options.since } : {};
      streams.push(
        followPodLog(
          http,
          ENDPOINT_NAMESPACE,
          podName,
          { container: mainContainer(pod), ...limits },
          ctx.signal,
          (line) => write(podName, line),
        ).catch((error: Error) => write(podName, `! log stream failed: ${error.message}`)),
      );
    }
  };

  await cluster.objects.watch<Pod>(
    "v1",
    "Pod",
    { namespace: ENDPOINT_NAMESPACE, labelSelector: endpointPodSelector(name) },
    onPods,
    ctx.signal,
  );
  await Promise.all(streams);
}
