/**
 * `.aiplat/` holds plans (which carry every Terraform variable value, the Docker Hub token
 * included), logs and caches: it is private to its owner (0700) and every file aiplat writes in
 * it is 0600 — also when an older `.aiplat/` was created with the default 0755.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";
import { scriptedPrompter } from "../support/prompts.js";
import { hasTerraform, skipNote } from "../support/tools.js";

vi.setConfig({ testTimeout: 120_000 }); // real terraform on a busy 2-core machine

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe(".aiplat/ is private", () => {
  it("an existing 0755 .aiplat/ is tightened to 0700; the caches aiplat writes are 0600", async () => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["templates", "platform"] });
    const env = { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" };
    const state = join(repo.dir, ".aiplat");
    mkdirSync(state, { mode: 0o755 });
    chmodSync(state, 0o755);
    const run = await runCli(["deploy-model", "gemma-1b", "--dry-run"], { cwd: repo.dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(mode(state)).toBe(0o700);
    const written = files(state);
    expect(written.length).toBeGreaterThan(0);
    for (const file of written) expect(mode(file), file).toBe(0o600);
  });

  it.skipIf(!hasTerraform())(
    `while \`up\` waits at its prompt, the plan (and every other file) is 0600 in a 0700 .aiplat/${skipNote("terraform", hasTerraform())}`,
    async () => {
      const repo = makeStagesRepo();
      const state = join(repo.dir, ".aiplat");
      const seen: string[] = [];
      const scripted = scriptedPrompter([false]);
      const prompter = {
        ...scripted,
        confirm: async (q: Parameters<typeof scripted.confirm>[0]) => {
          // Looked at while the prompt is open: the plan file exists now.
          expect(mode(state)).toBe(0o700);
          for (const file of files(state)) {
            seen.push(file);
            expect(mode(file) & 0o077, file).toBe(0);
          }
          return scripted.confirm(q);
        },
      };
      const run = await runCli(["--env", "dev", "up"], {
        cwd: repo.dir,
        env: repo.env,
        isTTY: true,
        prompter,
      });
      expect(run.exitCode).toBe(130); // declined
      expect(seen.some((f) => f.endsWith(".tfplan"))).toBe(true);
    },
  );
});
