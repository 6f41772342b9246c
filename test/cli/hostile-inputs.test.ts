/**
 * Fuzz table: every command × every value-taking flag and operand × every hostile value
 * (hostile-inputs.ts) → exit 2 or 3, a message naming the flag or operand, and nothing written,
 * committed or pushed. The commands and flags are read from the CLI's own commander program, so new
 * ones join without editing this file. Runs in process (no spawn per case) against a real git clone
 * with a bare remote and an empty HOME; no cluster and no AWS credentials are reachable, so a
 * command that validates only after connecting fails with exit 4 here, which is a finding.
 */
import { copyFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { allCommandModules } from "../../src/cli/commands/index.js";
import { buildProgram } from "../../src/cli/program.js";
import { filledExampleTfvars } from "../platform/support/example-tfvars.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { BASE_ARGS, FREE_TEXT, HOSTILE_VALUES, LEGAL_PATH_LABELS, NEW_FILE_PATHS } from "./hostile-inputs.js";

interface Input {
  /** "--gpus", or "<name>" for an operand. */
  input: string;
  /** What the error message must name: the flag, or the operand's name. */
  named: RegExp;
  operand: boolean;
}

interface CommandShape {
  path: string;
  inputs: Input[];
}

const GLOBAL_FLAGS = ["--env", "--root", "--kubeconfig", "--context"];
/** The command the global flags are fuzzed with: it reads the environment, the repo and the cluster. */
const GLOBALS_WITH = "models";

async function commandShapes(): Promise<CommandShape[]> {
  const program = buildProgram(
    {
      version: "0.0.0",
      writeOut: () => {},
      writeErr: () => {},
      createContext: () => Promise.reject(new Error("not run")),
      onContext: () => {},
    },
    await allCommandModules(),
  );
  const shapes: CommandShape[] = [];
  const walk = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const path = `${prefix}${sub.name()}`;
      const operand = sub.registeredArguments[0];
      const inputs: Input[] = sub.options
        .filter((o) => o.required || o.optional)
        .map((o) => ({ input: o.long ?? "", named: new RegExp(escapeRegExp(o.long ?? "")), operand: false }));
      if (operand)
        inputs.unshift({
          input: `<${operand.name()}>`,
          named: new RegExp(`\\b${escapeRegExp(operand.name())}\\b`, "i"),
          operand: true,
        });
      if (path === GLOBALS_WITH)
        for (const flag of GLOBAL_FLAGS)
          inputs.push({ input: flag, named: new RegExp(escapeRegExp(flag)), operand: false });
      shapes.push({ path, inputs });
      walk(sub, `${path} `);
    }
  };
  walk(program, "");
  return shapes;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every file under `dir` (but .git's internals) with its size and modification time. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== ".git") walk(full);
      } else {
        const s = statSync(full);
        out.push(`${relative(dir, full)} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

const shapes = await commandShapes();

describe("hostile values at every flag of every command", () => {
  it("every command has its base arguments in hostile-inputs.ts (new commands must join)", () => {
    expect(shapes.map((s) => s.path).filter((p) => !(p in BASE_ARGS))).toEqual([]);
  });

  for (const shape of shapes) {
    const base = BASE_ARGS[shape.path];
    if (base === undefined || !Array.isArray(base)) continue;
    const inputs = shape.inputs.filter((i) => !(`${shape.path} ${i.input}` in FREE_TEXT));
    if (inputs.length === 0) continue;
    it(`${shape.path}: ${inputs.map((i) => i.input).join(" ")}`, async () => {
      const repo = makeTestRepo({
        copyFrom: repoRoot,
        copy: ["argocd", "platform", "templates", "terraform"],
      });
      // A configured environment, so a command gets as far as reading the flag under test.
      copyFileSync(filledExampleTfvars(), join(repo.dir, "terraform/00.global/vars/dev.tfvars"));
      repo.git("add", "-A");
      repo.git("commit", "--quiet", "-m", "dev environment");
      repo.git("push", "--quiet", "origin", "main");
      const home = makeTempDir("aiplat-fuzz-home-");
      const env = {
        ...gitTestEnv(home),
        PATH: process.env.PATH,
        NO_COLOR: "1",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_REGION: "eu-central-1",
      };
      // A declared endpoint, so commands that change one get as far as the flag under test.
      const declared = await runCli(["deploy-model", "gemma-1b"], { cwd: repo.dir, env });
      expect(declared.exitCode, declared.stderr).toBe(0);
      const head = repo.git("rev-parse", "HEAD");
      const remoteHead = repo.remoteGit("rev-parse", "main");
      const before = snapshot(repo.dir);
      const problems: string[] = [];
      for (const input of inputs) {
        for (const { label, value } of HOSTILE_VALUES) {
          const argv = input.operand
            ? [...shape.path.split(" "), value, ...base.slice(1)]
            : [...shape.path.split(" "), ...base, input.input, value];
          const run = await runCli(argv, { cwd: repo.dir, env });
          const what = `${shape.path} ${input.input} (${label})`;
          const legalPath =
            `${shape.path} ${input.input}` in NEW_FILE_PATHS &&
            LEGAL_PATH_LABELS.has(label) &&
            run.exitCode === 4;
          if (legalPath) continue;
          if (run.exitCode !== 2 && run.exitCode !== 3)
            problems.push(`${what}: exit ${run.exitCode}: ${run.stderr.slice(0, 300)}`);
          else if (!input.named.test(run.stderr))
            problems.push(`${what}: the message does not name ${input.input}: ${run.stderr.slice(0, 300)}`);
        }
      }
      expect(problems).toEqual([]);
      expect(snapshot(repo.dir)).toEqual(before);
      expect(readdirSync(home)).toEqual([]);
      expect(repo.git("rev-parse", "HEAD")).toBe(head);
      expect(repo.git("status", "--porcelain")).toBe("");
      expect(repo.remoteGit("rev-parse", "main")).toBe(remoteHead);
    }, 120_000);
  }
});
