import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { startKubeServer } from "../support/kube/index.js";
import { scriptedPrompter } from "../support/prompts.js";
import { makeTempDir } from "../support/temp.js";

type Kube = Awaited<ReturnType<typeof startKubeServer>>;
const TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567";
const MASTER_KEY = "sk-test-master-0123456789abcdef";

let kube: Kube;
let kubeconfig: string;

beforeEach(async () => {
  kube = await startKubeServer();
  kubeconfig = join(makeTempDir(), "kubeconfig");
  kube.kubeconfig(kubeconfig);
});
afterEach(async () => {
  await kube.stop();
});

function platformNamespaces(): void {
  for (const name of ["ai-platform", "inference"]) {
    kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }
  kube.store.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "litellm-secrets", namespace: "ai-platform" },
    data: { "master-key": Buffer.from(MASTER_KEY).toString("base64") },
  });
}

function storedToken(): string | undefined {
  let secret: { data?: Record<string, string> } | undefined;
  try {
    secret = kube.store.get({
      apiVersion: "v1",
      kind: "Secret",
      name: "hf-token",
      namespace: "inference",
    }) as {
      data?: Record<string, string>;
    };
  } catch {
    return undefined; // the store throws NotFound like the API server
  }
  const data = secret?.data?.token;
  return data === undefined ? undefined : Buffer.from(data, "base64").toString("utf8");
}

function run(argv: string[], extra: { stdin?: string; env?: Record<string, string>; tty?: string[] } = {}) {
  const repo = makeTestRepo();
  return {
    repo,
    result: runCli([...argv, "--kubeconfig", kubeconfig], {
      cwd: repo.dir,
      env: { PATH: process.env.PATH, HOME: makeTempDir(), NO_COLOR: "1", ...extra.env },
      ...(extra.stdin === undefined ? {} : { stdin: Readable.from([extra.stdin]) }),
      ...(extra.tty ? { isTTY: true, prompter: scriptedPrompter(extra.tty) } : {}),
    }),
  };
}

describe("aiplat key", () => {
  it("prints the LiteLLM master key and nothing else on stdout", async () => {
    platformNamespaces();
    const { result } = run(["key"]);
    const out = await result;
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe(`${MASTER_KEY}\n`);
  });

  it("exits 4 with the command that creates the secret when it is missing", async () => {
    kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "inference" } });
    const out = await run(["key"]).result;
    expect(out.exitCode).toBe(4);
    expect(out.stderr).toContain("aiplat up --from 30.eks/30.cluster");
  });
});

describe("aiplat secret hf-token", () => {
  it("stores a token piped on stdin, and never prints it", async () => {
    platformNamespaces();
    const out = await run(["secret", "hf-token", "--stdin", "--debug"], { stdin: `${TOKEN}\n` }).result;
    expect(out.exitCode).toBe(0);
    expect(storedToken()).toBe(TOKEN);
    expect(out.stdout + out.stderr).not.toContain(TOKEN);
    expect(out.stdout).toContain("Stored inference/hf-token (token from stdin)");
  });

  it("takes HF_TOKEN, and says so when it replaces an existing secret", async () => {
    platformNamespaces();
    await run(["secret", "hf-token"], { env: { HF_TOKEN: TOKEN } }).result;
    const again = await run(["secret", "hf-token", "--json"], { env: { HF_TOKEN: `${TOKEN}X` } }).result;
    expect(again.json()).toMatchObject({
      ok: true,
      secret: "inference/hf-token",
      source: "HF_TOKEN",
      updated: true,
    });
    expect(storedToken()).toBe(`${TOKEN}X`);
  });

  it("uses the token `aiplat init` kept in .aiplat/<env>/", async () => {
    platformNamespaces();
    const { repo, result } = (() => {
      const repo = makeTestRepo();
      mkdirSync(join(repo.dir, ".aiplat", "dev"), { recursive: true });
      writeFileSync(join(repo.dir, ".aiplat", "dev", "hf-token"), `${TOKEN}\n`, { mode: 0o600 });
      return {
        repo,
        result: runCli(["secret", "hf-token", "--kubeconfig", kubeconfig], {
          cwd: repo.dir,
          env: { PATH: process.env.PATH, HOME: makeTempDir(), NO_COLOR: "1" },
        }),
      };
    })();
    const out = await result;
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(".aiplat/dev/hf-token");
    expect(storedToken()).toBe(TOKEN);
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("asks with a hidden prompt on a terminal, asking again after a bad paste", async () => {
    platformNamespaces();
    const out = await run(["secret", "hf-token"], { tty: ["not-a-token", TOKEN] }).result;
    expect(out.exitCode).toBe(0);
    expect(storedToken()).toBe(TOKEN);
  });

  it("without a terminal and without a source, exits 2 naming --stdin and HF_TOKEN", async () => {
    platformNamespaces();
    const out = await run(["secret", "hf-token"]).result;
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain("--stdin");
    expect(out.stderr).toContain("HF_TOKEN");
  });

  it("refuses something that is not a token with exit 2, writes nothing and does not echo it", async () => {
    platformNamespaces();
    const out = await run(["secret", "hf-token", "--stdin"], { stdin: "my-password-123\n" }).result;
    expect(out.exitCode).toBe(2);
    expect(out.stderr).not.toContain("my-password-123");
    expect(storedToken()).toBeUndefined();
  });

  it("exits 4 naming aiplat up when the inference namespace does not exist yet", async () => {
    const out = await run(["secret", "hf-token", "--stdin"], { stdin: TOKEN }).result;
    expect(out.exitCode).toBe(4);
    expect(out.stderr).toContain("aiplat up");
  });
});
