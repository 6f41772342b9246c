import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { launchTestCluster, parseLaunchArgs } from "../support/kube/launch.js";
import { makeTempDir } from "../support/temp.js";

describe("test-cluster launcher", () => {
  it("parses --port, --kubeconfig and --token, and keeps unknown flags for later options", () => {
    const args = parseLaunchArgs(["--port", "6443", "--kubeconfig=/tmp/kc", "--token", "t", "--simulate"]);
    expect(args).toMatchObject({ port: 6443, kubeconfig: "/tmp/kc", token: "t" });
    expect(args.flags.get("simulate")).toBe(true);
    expect(() => parseLaunchArgs(["--port", "http"])).toThrow("--port must be a port number");
    expect(() => parseLaunchArgs(["serve"])).toThrow("unexpected argument: serve");
  });

  it("starts a server and writes a private kubeconfig with its URL and token", async () => {
    const dir = makeTempDir();
    const path = join(dir, "nested", "kubeconfig");
    const { url, stop } = await launchTestCluster(parseLaunchArgs(["--kubeconfig", path, "--token", "abc"]));
    try {
      const config = parse(readFileSync(path, "utf8")) as {
        clusters: { cluster: { server: string } }[];
        users: { user: { token: string } }[];
      };
      expect(config.clusters[0]?.cluster.server).toBe(url);
      expect(config.users[0]?.user.token).toBe("abc");
      expect((await fetch(`${url}/api`, { headers: { Authorization: "Bearer abc" } })).status).toBe(200);
    } finally {
      await stop();
    }
  });
});
