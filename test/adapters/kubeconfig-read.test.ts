import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { readSimpleKubeconfig } from "../../src/adapters/kube/kubeconfig-read.js";

const dir = mkdtempSync(join(tmpdir(), "aiplat-kubeconfig-"));
writeFileSync(join(dir, "ca.pem"), "CA FROM FILE");
writeFileSync(join(dir, "client.pem"), "CERT FROM FILE");
writeFileSync(join(dir, "client.key"), "KEY FROM FILE");
const b64 = (text: string) => Buffer.from(text).toString("base64");

function kubeconfig(name: string, cluster: object, user: object, extra = ""): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: c, cluster: ${JSON.stringify(cluster)}}]`,
      `users: [{name: u, user: ${JSON.stringify(user)}}]`,
      "contexts: [{name: main, context: {cluster: c, user: u}}, {name: other, context: {cluster: c, user: u, namespace: x}}]",
      "current-context: main",
      extra,
    ].join("\n"),
  );
  return path;
}

/** What client-node's KubeConfig puts on a request for the same file and context. */
async function clientNodeOptions(path: string, context?: string) {
  const config = new KubeConfig();
  config.loadFromFile(path);
  if (context) config.setCurrentContext(context);
  const opts: Record<string, unknown> = {};
  await config.applyToHTTPSOptions(opts as never);
  return { server: config.getCurrentCluster()?.server, opts };
}

/** The agent's kind and the TLS options it was made with (what its connections use). */
function agentShape(agent: unknown) {
  const a = agent as { constructor: { name: string }; protocol: string; options: Record<string, unknown> };
  const picked = Object.fromEntries(
    ["ca", "cert", "key", "servername", "rejectUnauthorized"]
      .map((k) => [k, a.options[k]])
      .filter(([, v]) => v !== undefined),
  );
  return { kind: a.constructor.name, protocol: a.protocol, ...picked };
}

const SUPPORTED: Record<string, [object, object]> = {
  token: [{ server: "https://k8s.example:6443", "certificate-authority-data": b64("CA") }, { token: "t0k" }],
  "client certificate data": [
    { server: "https://k8s.example", "insecure-skip-tls-verify": true },
    { "client-certificate-data": b64("CERT"), "client-key-data": b64("KEY") },
  ],
  "relative files": [
    { server: "https://k8s.example", "certificate-authority": "ca.pem", "tls-server-name": "api.internal" },
    { "client-certificate": "client.pem", "client-key": join(dir, "client.key") },
  ],
  "basic auth": [
    { server: "http://127.0.0.1:8080", "insecure-skip-tls-verify": true },
    { username: "me", password: "pw" },
  ],
};

describe("reading a kubeconfig without client-node", () => {
  it("prepares every request exactly as client-node's KubeConfig does", async () => {
    for (const [name, [cluster, user]] of Object.entries(SUPPORTED)) {
      const path = kubeconfig(name.replaceAll(" ", "-"), cluster, user);
      for (const context of [undefined, "other"]) {
        const simple = await readSimpleKubeconfig(path, context);
        expect(simple, name).toBeDefined();
        expect(simple?.context).toBe(context ?? "main");
        const opts: Record<string, unknown> = {};
        await simple?.config.applyToHTTPSOptions(opts);
        const reference = await clientNodeOptions(path, context);
        expect(simple?.config.getCurrentCluster()?.server, name).toBe(reference.server);
        const { agent, ...rest } = opts;
        const { agent: referenceAgent, ...referenceRest } = reference.opts;
        expect(rest, name).toEqual(referenceRest);
        expect(agentShape(agent), name).toEqual(agentShape(referenceAgent));
      }
    }
  });

  it("refuses plain http without insecure-skip-tls-verify, as client-node does", async () => {
    const path = kubeconfig("plain-http", { server: "http://127.0.0.1:8080" }, { token: "t" });
    const simple = await readSimpleKubeconfig(path, undefined);
    const message = "HTTP protocol is not allowed when skipTLSVerify is not set or false";
    await expect(simple?.config.applyToHTTPSOptions({})).rejects.toThrow(message);
    await expect(clientNodeOptions(path)).rejects.toThrow(message);
  });

  it("leaves exec plugins, auth providers, token files, proxies and anything unexpected to client-node", async () => {
    const server = { server: "https://k8s.example" };
    const declined = [
      kubeconfig("exec", server, {
        exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws" },
      }),
      kubeconfig("provider", server, { "auth-provider": { name: "oidc" } }),
      kubeconfig("token-file", server, { "token-file": "/var/run/token" }),
      kubeconfig("impersonate", server, { token: "t", as: "admin" }),
      kubeconfig("proxy", { ...server, "proxy-url": "socks5://127.0.0.1:1080" }, { token: "t" }),
      kubeconfig("no-server", {}, { token: "t" }),
      kubeconfig("missing-file", { ...server, "certificate-authority": "nope.pem" }, { token: "t" }),
    ];
    for (const path of declined) expect(await readSimpleKubeconfig(path, undefined), path).toBeUndefined();
    const fine = kubeconfig("fine", server, { token: "t" });
    expect(await readSimpleKubeconfig(fine, "absent-context")).toBeUndefined();
    writeFileSync(join(dir, "broken.yaml"), "clusters: [unclosed");
    expect(await readSimpleKubeconfig(join(dir, "broken.yaml"), undefined)).toBeUndefined();
    expect(await readSimpleKubeconfig(join(dir, "absent.yaml"), undefined)).toBeUndefined();
  });
});
