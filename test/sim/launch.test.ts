import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../support/sim/launch.js";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  vi.restoreAllMocks();
});

describe("npm run test-cluster -- --simulate", () => {
  it("starts the simulated cluster with the platform's Applications and prints how to reach it", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    stop = await main(["--simulate", "--time-scale", "5", "--seed", "2"]);
    const output = lines.join("\n");
    expect(output).toMatch(/simulated cluster API server: http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/platform git remote: .*origin\.git/);
    const url = /API server: (\S+)/.exec(output)?.[1];
    const res = await fetch(`${url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`);
    const body = (await res.json()) as { items: { metadata: { name: string } }[] };
    expect(body.items.map((a) => a.metadata.name).sort()).toEqual([
      "gpu-operator",
      "kuberay-operator",
      "langfuse",
      "litellm",
      "open-webui",
      "workloads",
    ]);
  });

  it("starts only the API server without --simulate", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    stop = await main([]);
    const url = /listening on (\S+)/.exec(lines.join("\n"))?.[1];
    const res = await fetch(`${url}/apis`);
    const groups = ((await res.json()) as { groups: { name: string }[] }).groups.map((g) => g.name);
    expect(groups).not.toContain("argoproj.io");
  });
});
