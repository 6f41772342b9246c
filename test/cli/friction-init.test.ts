import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  FULL_FLAGS,
  makeInitRepo,
  mockDirectory,
  readIf,
  resetAws,
  runInit,
} from "../fixtures/init/harness.js";

// Issue 18, point 15: init for a throwaway environment says that it switched the active one.
afterEach(() => resetAws());

const flagsFor = (env: string) => FULL_FLAGS.map((f, i) => (FULL_FLAGS[i - 1] === "--env" ? env : f));

describe("init and the active environment", () => {
  it("says when it switches the active environment, and --no-activate leaves it alone", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const activeEnv = () => readIf(join(repo.dir, ".aiplat", "active-env"));

    const first = await runInit(repo, flagsFor("dev"));
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).not.toContain("Active environment");
    expect(activeEnv()).toBe("dev\n");

    const throwaway = await runInit(repo, flagsFor("scratch"));
    expect(throwaway.exitCode, throwaway.stderr).toBe(0);
    expect(throwaway.stdout).toContain(
      "Active environment: switched from dev to scratch: commands without --env now act on scratch",
    );
    expect(throwaway.stdout).toContain("Next: aiplat up\n");
    expect(activeEnv()).toBe("scratch\n");

    const kept = await runInit(repo, ["--no-activate", "--json", ...flagsFor("trial")]);
    expect(kept.exitCode, kept.stderr).toBe(0);
    expect(kept.json()).toMatchObject({
      environment: "trial",
      activeEnvironment: { previous: "scratch", current: "scratch", switched: false },
      next: "aiplat up --env trial",
    });
    expect(activeEnv()).toBe("scratch\n");
    expect(readIf(join(repo.dir, "terraform", "00.global", "vars", "trial.tfvars"))).toBeDefined();

    const human = await runInit(repo, ["--no-activate", ...flagsFor("trial")]);
    expect(human.stdout).toContain("Active environment: still scratch (--no-activate); pass --env trial");
    expect(human.stdout).toContain("Next: aiplat up --env trial");
  });
});
