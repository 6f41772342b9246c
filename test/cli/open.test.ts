/**
 * `aiplat open`: the browser is whatever $BROWSER names (here a script that records the URL it
 * was given), or none without a display; argocd's URL comes from EKS DescribeCapability.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeCapabilityCommand, EKSClient } from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { makeTempDir } from "../support/temp.js";
import { live, startPlatform } from "./chat-harness.js";

/** A "browser" that writes the URL it is asked to open into a file. */
function recordingBrowser(): { command: string; opened: () => string | undefined } {
  const dir = makeTempDir();
  const log = join(dir, "opened.txt");
  const command = join(dir, "browser");
  writeFileSync(command, `#!/bin/sh\nprintf '%s' "$1" > '${log}'\n`);
  chmodSync(command, 0o755);
  return { command, opened: () => (existsSync(log) ? readFileSync(log, "utf8") : undefined) };
}

describe("aiplat open", () => {
  it("forwards and opens the browser on the page, keeping the forward until Ctrl-C", async () => {
    const p = await startPlatform([]);
    const browser = recordingBrowser();
    const run = await live(p, ["open", "webui"], { BROWSER: browser.command });
    const url = run.urls.webui as string;
    await run.untilStderr("Forwarding until Ctrl-C");
    expect(browser.opened()).toBe(url);
    expect(await (await fetch(url)).text()).toContain("Open WebUI");
    const stopped = await run.stop();
    expect(stopped.exitCode).toBe(0);
  }, 90_000);

  it("without a display prints the URL (and still forwards)", async () => {
    const p = await startPlatform([]);
    const run = await live(p, ["open", "langfuse"], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    expect(run.stderr()).toContain("No display to open a browser on: open the URL yourself.");
    expect(await (await fetch(run.urls.langfuse as string)).text()).toContain("Langfuse");
    const litellm = await live(p, ["open", "litellm"]);
    expect(litellm.exited).toBe(2);
    expect(litellm.stderr()).toContain("aiplat forward litellm");
  }, 90_000);
});

describe("aiplat open argocd", () => {
  const eks = mockClient(EKSClient);
  afterEach(() => eks.reset());

  function repoWithCluster(capability: string | undefined): string {
    const dir = makeTestRepo().dir;
    mkdirSync(join(dir, ".aiplat", "dev"), { recursive: true });
    writeFileSync(
      join(dir, ".aiplat", "dev", "cluster.json"),
      JSON.stringify({
        cluster_name: "ai-platform-dev",
        region: "eu-central-1",
        ...(capability ? { argocd_capability_name: capability } : {}),
      }),
    );
    return dir;
  }

  it("opens the managed ArgoCD URL from EKS DescribeCapability, with no forward", async () => {
    eks.on(DescribeCapabilityCommand).resolves({
      capability: {
        configuration: {
          argoCd: { serverUrl: "https://abc123.eks-capabilities.eu-central-1.amazonaws.com" },
        },
      },
    } as never);
    const browser = recordingBrowser();
    const dir = repoWithCluster("ai-platform-dev-argocd");
    const out = await runCli(["open", "argocd", "--root", dir], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: makeTempDir(), BROWSER: browser.command },
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
    });
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toContain("https://abc123.eks-capabilities.eu-central-1.amazonaws.com");
    expect(browser.opened()).toBe("https://abc123.eks-capabilities.eu-central-1.amazonaws.com");
    expect(eks.commandCalls(DescribeCapabilityCommand)[0]?.args[0].input).toEqual({
      clusterName: "ai-platform-dev",
      capabilityName: "ai-platform-dev-argocd",
    });
  });

  it("exits 4 naming aiplat up when the environment has no ArgoCD capability", async () => {
    const dir = repoWithCluster(undefined);
    const out = await runCli(["open", "argocd", "--root", dir, "--json"], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: makeTempDir() },
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
    });
    expect(out.exitCode).toBe(4);
    expect(out.json()).toMatchObject({ ok: false, error: { code: "argocd-url-missing" } });
  });
});
