import { describe, expect, it } from "vitest";
import { deployEndpoint, list, startSim } from "./support/cluster.js";
import { forwardToPod } from "./support/forward.js";
import { applyApplications, loadApplications, makePlatformRepo } from "./support/platform.js";

async function getThrough(
  sim: Awaited<ReturnType<typeof startSim>>,
  namespace: string,
  selector: string,
  port: number,
  path = "/",
) {
  const pod = list(sim, "v1", "Pod", { namespace, labelSelector: selector })[0];
  const forward = await forwardToPod(sim, namespace, pod?.metadata?.name ?? "", port);
  try {
    const res = await fetch(`${forward.url}${path}`, { headers: { connection: "close" } });
    return { status: res.status, text: await res.text() };
  } finally {
    await forward.close();
  }
}

describe("port-forwards to the platform's web UIs and LiteLLM", () => {
  it("reaches LiteLLM, Open WebUI, Langfuse and a Ray dashboard through the API server", async () => {
    const repo = makePlatformRepo();
    const sim = await startSim();
    applyApplications(sim, loadApplications(repo));
    await deployEndpoint(sim, "dash");
    await sim.settle();
    expect(
      (await getThrough(sim, "ai-platform", "app.kubernetes.io/name=litellm", 4000, "/health/liveliness"))
        .status,
    ).toBe(200);
    expect((await getThrough(sim, "ai-platform", "app.kubernetes.io/name=open-webui", 8080)).text).toContain(
      "Open WebUI",
    );
    expect(
      (await getThrough(sim, "ai-platform", "app.kubernetes.io/name=langfuse-web", 3000)).text,
    ).toContain("Langfuse");
    expect((await getThrough(sim, "inference", "ray.io/node-type=head", 8265)).text).toContain(
      "Ray Dashboard",
    );
  });
});
