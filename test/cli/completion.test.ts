import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

// Issue 18, point 18: `aiplat completion bash|zsh|fish`, with endpoint and catalog names.
const CODER = `apiVersion: kro.run/v1alpha1
kind: InferenceEndpoint
metadata:
  name: coder
  namespace: inference
spec:
  model: Qwen/Qwen2.5-Coder-7B-Instruct
`;

function platformRepo() {
  return makeTestRepo({
    copyFrom: repoRoot,
    copy: ["templates", "platform"],
    files: {
      "platform/workloads/coder.yaml": CODER,
      "terraform/00.global/vars/dev.tfvars": 'region = "eu-central-1"\n',
      "terraform/00.global/vars/staging.tfvars": 'region = "eu-central-1"\n',
      "terraform/00.global/vars/example.tfvars": "",
    },
  });
}

async function candidates(dir: string, words: string[]): Promise<string[]> {
  const run = await runCli(["__complete", "--", ...words], { cwd: dir });
  expect(run.exitCode).toBe(0);
  return run.stdout.split("\n").filter((l) => l !== "");
}

describe("completion candidates", () => {
  it("offers commands, subcommands, options and option values, never the hidden helper", async () => {
    const repo = platformRepo();
    const commands = await candidates(repo.dir, [""]);
    expect(commands).toEqual(
      expect.arrayContaining(["deploy-model", "undeploy-model", "models", "completion"]),
    );
    expect(commands).not.toContain("__complete");
    expect(commands).not.toContain("help");
    expect(await candidates(repo.dir, ["dep"])).toEqual(["deploy-model"]);
    expect(await candidates(repo.dir, ["secret", ""])).toEqual(["hf-token"]);
    expect(await candidates(repo.dir, ["deploy-model", "--max-"])).toEqual([
      "--max-model-len",
      "--max-replicas",
    ]);
    // Global options are offered after a command too.
    expect(await candidates(repo.dir, ["models", "--kube"])).toEqual(["--kubeconfig"]);
    expect(await candidates(repo.dir, ["deploy-model", "x", "--gpus", ""])).toEqual(["1", "2", "4", "8"]);
    expect(await candidates(repo.dir, ["--env", ""])).toEqual(["dev", "staging"]);
    expect(await candidates(repo.dir, ["completion", ""])).toEqual(["bash", "fish", "zsh"]);
  });

  it("offers catalog and declared names to deploy-model, and declared endpoints to undeploy-model", async () => {
    const repo = platformRepo();
    const deploy = await candidates(repo.dir, ["deploy-model", ""]);
    expect(deploy).toEqual(expect.arrayContaining(["gemma-4b", "llama33-70b", "coder"]));
    expect(await candidates(repo.dir, ["deploy-model", "gemma-"])).toEqual([
      "gemma-12b",
      "gemma-1b",
      "gemma-27b",
      "gemma-4b",
    ]);
    // After an option with a value, the name is still the first operand.
    expect(await candidates(repo.dir, ["--env", "dev", "undeploy-model", ""])).toEqual(["coder"]);
    // The name is given: nothing more to offer for operands.
    expect(await candidates(repo.dir, ["undeploy-model", "coder", ""])).toEqual([]);
  });

  it("offers commands but no names outside a platform repository, without an error", async () => {
    const run = await runCli(["__complete", "--", "undeploy-model", ""], { cwd: makeTempDir() });
    expect(run).toMatchObject({ exitCode: 0, stderr: "" });
    expect(run.stdout.trim()).toBe("");
  });
});

describe("aiplat completion <shell>", () => {
  it("prints a script for bash, zsh and fish that asks aiplat for candidates", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const run = await runCli(["completion", shell]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain("aiplat __complete --");
    }
    expect((await runCli(["completion", "zsh"])).stdout).toContain("compdef _aiplat aiplat");
    expect((await runCli(["completion", "fish"])).stdout).toContain("complete -c aiplat");
  });

  it("refuses an unknown shell with the ones it knows", async () => {
    const run = await runCli(["completion", "powershell"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('No completion for shell "powershell": choose bash, zsh or fish.');
  });

  it("works in a real bash, loaded exactly as the README says (needs the build)", () => {
    const repo = platformRepo();
    const bin = makeTempDir();
    writeFileSync(
      join(bin, "aiplat"),
      `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, "bin", "aiplat.js")}" "$@"\n`,
    );
    chmodSync(join(bin, "aiplat"), 0o755);
    const tab = (line: string) => {
      const script = `source <(aiplat completion bash)
read -ra COMP_WORDS <<< "${line}"
${line.endsWith(" ") ? 'COMP_WORDS+=("")' : ":"}
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_aiplat_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
      return execFileSync("bash", ["-c", script], {
        cwd: repo.dir,
        env: { PATH: `${bin}:${process.env.PATH}`, HOME: makeTempDir(), NO_COLOR: "1" },
        encoding: "utf8",
      })
        .split("\n")
        .filter((l) => l !== "");
    };
    expect(tab("aiplat undeploy-model ")).toEqual(["coder"]);
    expect(tab("aiplat deploy-model gemma-4")).toEqual(["gemma-4b"]);
    expect(tab("aiplat mod")).toEqual(["models"]);
  });
});
