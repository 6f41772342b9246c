/**
 * Issue 17 point 9 without a terminal: `--api-cidrs` (or `api-cidrs:` in the answers file) sets
 * who may reach the public Kubernetes API; a malformed list stops init before anything is written;
 * leaving it out keeps variables.tf's open default and says so. (The question on a terminal, with
 * this machine's address as the default: init-wizard.test.ts and init-tty.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import {
  FULL_FLAGS,
  makeInitRepo,
  mockDirectory,
  readIf,
  resetAws,
  runInit,
  tfvarsFile,
} from "../fixtures/init/harness.js";

afterEach(() => resetAws());

describe("aiplat init --api-cidrs", () => {
  it("writes the list to cluster_config.public_access_cidrs, and a re-run keeps it", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, [...FULL_FLAGS, "--api-cidrs", "203.0.113.7/32, 198.51.100.0/24"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("accepts connections from anywhere");
    const data = await parseTfvarsText("dev.tfvars", readIf(tfvarsFile(repo))!);
    expect(data).toMatchObject({
      cluster_config: { public_access_cidrs: ["203.0.113.7/32", "198.51.100.0/24"] },
    });

    const again = await runInit(repo, FULL_FLAGS);
    expect(again.exitCode, again.stderr).toBe(0);
    const kept = await parseTfvarsText("dev.tfvars", readIf(tfvarsFile(repo))!);
    expect(kept).toMatchObject({
      cluster_config: { public_access_cidrs: ["203.0.113.7/32", "198.51.100.0/24"] },
    });
  });

  it("refuses a malformed list (exit 2) before any question, writing nothing", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, [...FULL_FLAGS, "--api-cidrs", "203.0.113.7/32,my office"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--api-cidrs "203.0.113.7/32,my office": "my office" is not an IPv4 CIDR');
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("without it, keeps variables.tf's default (the whole internet) and warns", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("accepts connections from anywhere (0.0.0.0/0)");
    const data = await parseTfvarsText("dev.tfvars", readIf(tfvarsFile(repo))!);
    expect((data.cluster_config as Record<string, unknown>).public_access_cidrs).toBeUndefined();
  });
});
