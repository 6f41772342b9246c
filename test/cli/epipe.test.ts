import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.js";

/** Runs the built CLI with its stdout read by nobody: the reader closed before the first write. */
function runIntoClosedPipe(argv: string[]): Promise<{ exitCode: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "aiplat.js"), ...argv], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // As `aiplat --help | head -0` does: the read end is gone before aiplat writes anything.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, stderr }));
  });
}

// Issue 18, point 15a (needs the build: npm test builds first).
describe("output into a closed pipe", () => {
  it("stops quietly, with no EPIPE stack trace", async () => {
    for (const argv of [["--help"], ["deploy-model", "--help"], ["--version"], ["models", "--catalog"]]) {
      const run = await runIntoClosedPipe(argv);
      expect(run.stderr).toBe("");
      expect(run.exitCode).toBe(0);
    }
  });

  it("a failing command whose --json document cannot be written still exits with its own code", async () => {
    const run = await runIntoClosedPipe(["--json", "secret"]);
    expect(run.stderr).not.toContain("EPIPE");
    expect(run.exitCode).toBe(2);
  });
});
