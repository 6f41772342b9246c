import { describe, expect, it } from "vitest";
import { readPackageVersion } from "../../src/cli/version.js";
import { spawnCli } from "../support/spawn-cli.js";

// The built binary, as `npx aiplat` runs it after `npm ci` (npm test builds dist/ first).
describe("bin/aiplat.js", () => {
  it("prints help and the version", async () => {
    const help = await spawnCli(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("Usage: aiplat");
    const version = await spawnCli(["--version"]);
    expect(version.stdout.trim()).toBe(readPackageVersion());
  });

  it("exits 2 on a nonsense command, with nothing on stdout", async () => {
    const run = await spawnCli(["fly-to-the-moon"]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("unknown command");
  });
});
