import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { fullKubeConfig } from "../../src/adapters/kube/kube-access.js";
import { readPlainKubeconfig } from "../../src/adapters/kube/plain-kubeconfig.js";
import { makeTempDir } from "../support/temp.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, extra = ""): string {
  const dir = makeTempDir();
  writeFileSync(join(dir, "ca.pem"), "CA FROM FILE");
  writeFileSync(join(dir, "client.pem"), "CERT FROM FILE");
  const file = join(dir, "config");
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "other", cluster: { server: "https://other.example:443" } },
        { name: "main", cluster },
      ],
      users: [{ name: "me", user }],
      contexts: [
        { name: "ctx", context: { cluster: "main", user: "me", namespace: "team" } },
        { name: "other", context: { cluster: "other", user: "me" } },
      ],
      "current-context": "ctx",
    }) + extra,
  );
  return file;
}

/** What each applies to a request: the fields the HTTP and WebSocket clients read. */
async function applied(config: Pick<KubeConfig, "applyToHTTPSOptions">) {
  const opts: Record<string, unknown> = { headers: {} };
  await config.applyToHTTPSOptions(opts as never);
  const agent = opts.agent as { constructor: { name: string }; options: Record<string, unknown> };
  const { ca, cert, key, rejectUnauthorized, servername } = agent.options;
  return {
    headers: opts.headers,
    tls: [opts.ca, opts.cert, opts.key, opts.rejectUnauthorized, opts.servername].map(String),
    agent: [agent.constructor.name, ...[ca, cert, key, rejectUnauthorized, servername].map(String)],
  };
}

function library(file: string, context?: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(file);
  if (context) config.setCurrentContext(context);
  return config;
}

describe("a plain kubeconfig read without @kubernetes/client-node", () => {
  const plainShapes: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      "token over https with an inline CA",
      { server: "https://k.example:6443/", "certificate-authority-data": b64("CA") },
      { token: "t0k" },
    ],
    [
      "client certificate files, CA file, SNI name",
      { server: "https://k.example", "certificate-authority": "ca.pem", "tls-server-name": "api.internal" },
      { "client-certificate": "client.pem", "client-key-data": b64("KEY") },
    ],
    [
      "plain http with insecure-skip-tls-verify (the test API server)",
      { server: "http://127.0.0.1:6443", "insecure-skip-tls-verify": true },
      {},
    ],
  ];

  it.each(plainShapes)(
    "%s: same server, contexts and request options as the library",
    async (_, cluster, user) => {
      const file = kubeconfig(cluster, user);
      const plain = readPlainKubeconfig(file);
      expect(plain).toBeDefined();
      const full = library(file);
      expect(plain?.getCurrentCluster()).toEqual(JSON.parse(JSON.stringify(full.getCurrentCluster())));
      expect(plain?.getCurrentContext()).toBe("ctx");
      expect(plain?.getContexts().map((c) => c.name)).toEqual(["ctx", "other"]);
      if (plain === undefined) return;
      expect(await applied(plain)).toEqual(await applied(full));
    },
  );

  it("follows an explicit context", async () => {
    const file = kubeconfig({ server: "https://k.example" }, { token: "t" });
    expect(readPlainKubeconfig(file, "other")?.getCurrentCluster()?.server).toBe("https://other.example:443");
  });

  it.each([
    [
      "an exec plugin (EKS)",
      { server: "https://k.example" },
      { exec: { command: "aws", args: ["eks", "get-token"] } },
    ],
    ["an auth provider", { server: "https://k.example" }, { "auth-provider": { name: "oidc" } }],
    ["basic auth", { server: "https://k.example" }, { username: "u", password: "p" }],
    ["a token file", { server: "https://k.example" }, { tokenFile: "t" }],
    ["impersonation", { server: "https://k.example" }, { token: "t", as: "admin" }],
    ["a proxy", { server: "https://k.example", "proxy-url": "http://proxy:3128" }, { token: "t" }],
    ["plain http without insecure-skip-tls-verify", { server: "http://k.example" }, { token: "t" }],
  ])("leaves %s to the library", (_, cluster, user) => {
    expect(readPlainKubeconfig(kubeconfig(cluster, user))).toBeUndefined();
  });

  it("leaves an unknown context, a missing file or a broken one to the library (which says what is wrong)", () => {
    const file = kubeconfig({ server: "https://k.example" }, { token: "t" });
    expect(readPlainKubeconfig(file, "nope")).toBeUndefined();
    expect(readPlainKubeconfig(join(makeTempDir(), "absent"))).toBeUndefined();
    expect(
      readPlainKubeconfig(kubeconfig({ server: "https://k.example" }, {}, "\n: : not yaml [")),
    ).toBeUndefined();
  });

  it("gives the library's KubeConfig for the same file and context when one is needed (doctor)", async () => {
    const file = kubeconfig({ server: "https://k.example" }, { token: "t" });
    const plain = readPlainKubeconfig(file, "other");
    const full = await fullKubeConfig(plain as NonNullable<typeof plain>);
    expect(full).toBeInstanceOf(KubeConfig);
    expect(full.getCurrentContext()).toBe("other");
    const given = library(file);
    expect(await fullKubeConfig(given)).toBe(given);
  });
});
