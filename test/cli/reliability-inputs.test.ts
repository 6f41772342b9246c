/**
 * Inputs that used to be accepted or crash: image references outside the distribution grammar,
 * `kubeconfig --file` on a file that is not a kubeconfig, a huge HuggingFace token, contradictory
 * `up` flags, and an API server that answers 500 to everything.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { writeKubeconfig } from "../support/kube/kubeconfig.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
  const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
  return { repo, env };
}

const DIGEST = "a".repeat(64);

describe("--image follows the distribution reference grammar", () => {
  it.each([
    ["rayproject/ray-llm@sha256:zz", "a sha256 digest is 64 lowercase hex characters"],
    [`rayproject/ray-llm@sha256:${"a".repeat(63)}`, "a sha256 digest is 64 lowercase hex characters"],
    [`rayproject/ray-llm@md5:${DIGEST}`, "not one registries accept"],
    ["rayproject/ray-llm:", 'the tag after ":" is empty'],
    ["a::::b", "not valid"],
    ["a//b", "empty path component"],
    ["rayproject/ray-llm/", "empty path component"],
    ["ray--llm_/x", "not valid"],
  ])("%s is refused (exit 2), nothing written", async (image, why) => {
    const { repo, env } = platformRepo();
    const run = await runCli(["deploy-model", "gemma-1b", "--image", image], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`--image ${JSON.stringify(image)} is not an image reference`);
    expect(run.stderr).toContain(why);
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it.each([
    "rayproject/ray-llm:2.53.0-py311-cu128",
    `rayproject/ray-llm:2.53.0-py311-cu128@sha256:${DIGEST}`,
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/rayproject/ray-llm:2.53.0-py311-cu128",
    "localhost:5000/ray-llm:2.53.0",
  ])("%s is accepted", async (image) => {
    const { repo, env } = platformRepo();
    const run = await runCli(["deploy-model", "gemma-1b", "--image", image, "--dry-run"], {
      cwd: repo.dir,
      env,
    });
    expect(run.stderr).not.toContain("is not an image reference");
  });
});

describe("--kubeconfig on a file that is not a kubeconfig", () => {
  it.each([
    [
      "invalid YAML",
      "root:x:0:0:secret-line:/root:/bin/bash\n  bad: [unclosed secret-two\n",
      "not valid YAML",
    ],
    ["a passwd copy (no contexts)", "root:x:0:0:secret-line:/root:/bin/bash\n", "has no contexts"],
  ])(
    "%s: exit 3 naming the flag and what is wrong, never the file's content (even with --debug)",
    async (_t, text, what) => {
      const { repo, env } = platformRepo();
      const file = join(makeTempDir(), "not-a-kubeconfig");
      writeFileSync(file, text);
      const run = await runCli(["models", "--kubeconfig", file, "--debug"], { cwd: repo.dir, env });
      expect(run.exitCode, run.stderr).toBe(3);
      expect(run.stderr).toContain(`--kubeconfig ${file} cannot be used`);
      expect(run.stderr).toContain(what);
      for (const secret of ["secret-line", "secret-two", "/bin/bash"])
        expect(run.stdout + run.stderr).not.toContain(secret);
    },
  );
});

describe("kubeconfig --file on a file that is not a kubeconfig", () => {
  it.each([
    [
      "a passwd copy (a YAML string)",
      "root:x:0:0:root:/root:/bin/bash\nsecretuser:x:1000:1000::/home/s:/bin/sh\n",
      "holds a YAML string",
    ],
    ["a YAML list", "- secret-one\n- secret-two\n", "holds a YAML list"],
    ["invalid YAML", "key: [unclosed secret-three\n", "not valid YAML"],
    ["another kind", "kind: Secret\ndata: {token: c2VjcmV0LWZvdXI=}\n", "its kind is not Config"],
    ["clusters not a list", "clusters: secret-five\n", "its clusters is not a list"],
  ])("%s: exit 3 naming the file and what is wrong, never its content", async (_title, text, what) => {
    const repo = makeTestRepo();
    mkdirSync(join(repo.dir, ".aiplat", "dev"), { recursive: true });
    writeFileSync(
      join(repo.dir, ".aiplat", "dev", "cluster.json"),
      JSON.stringify({
        cluster_name: "c",
        cluster_endpoint: "https://x.example",
        cluster_certificate_authority_data: "Y2E=",
        region: "eu-central-1",
      }),
    );
    const file = join(makeTempDir(), "not-a-kubeconfig");
    writeFileSync(file, text);
    const run = await runCli(["--env", "dev", "kubeconfig", "--file", file, "--debug"], { cwd: repo.dir });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.stderr).toContain(`${file} is not a kubeconfig: `);
    expect(run.stderr).toContain(what);
    for (const secret of [
      "secretuser",
      "secret-one",
      "secret-three",
      "c2VjcmV0LWZvdXI",
      "secret-five",
      "/bin/bash",
    ]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });
});

describe("secret hf-token bounds its input", () => {
  it.each([
    ["5 MB", 5 * 1024 * 1024],
    ["100 MB", 100 * 1024 * 1024],
  ])("a %s stdin is refused at once (exit 2), nothing stored", async (_title, size) => {
    // Produced lazily: the CLI must stop reading long before the end.
    let sent = 0;
    const stdin = new Readable({
      read() {
        if (sent >= size) return this.push(null);
        sent += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024, "a"));
      },
    });
    const run = await runCli(["secret", "hf-token", "--stdin"], { stdin });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain("more than 4096 bytes: that is not a HuggingFace token");
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it("a huge HF_TOKEN is refused by length before the format check", async () => {
    const run = await runCli(["secret", "hf-token"], {
      env: { PATH: process.env.PATH, NO_COLOR: "1", HF_TOKEN: `hf_${"a".repeat(10 * 1024 * 1024)}` },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("longer than 512 characters");
  });
});

describe("up refuses contradictory flags", () => {
  it("--from with --only: exit 2 naming both, before anything runs", async () => {
    const repo = makeTestRepo();
    const run = await runCli(
      ["--env", "dev", "up", "--from", "20.iam-roles-for-eks", "--only", "10.networking"],
      {
        cwd: repo.dir,
      },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--from and --only contradict each other");
  });
});

describe("an API server that answers 500 to everything", () => {
  it("is an API failure (exit 5) with the status and message, not 'cluster unreachable'", async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 500;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          kind: "Status",
          status: "Failure",
          message: "etcdserver: request timed out",
          code: 500,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { repo, env } = platformRepo();
      const kubeconfig = join(repo.dir, "..", "kubeconfig");
      writeKubeconfig(kubeconfig, `http://127.0.0.1:${(server.address() as { port: number }).port}`, "t");
      const head = repo.git("rev-parse", "HEAD");
      const run = await runCli(["deploy-model", "gemma-1b", "--wait", "--kubeconfig", kubeconfig], {
        cwd: repo.dir,
        env,
      });
      expect(run.exitCode, run.stderr).toBe(5);
      expect(run.stderr).toContain("(500): etcdserver: request timed out");
      expect(run.stderr).not.toContain("cluster unreachable");
      expect(repo.git("rev-parse", "HEAD")).toBe(head);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
