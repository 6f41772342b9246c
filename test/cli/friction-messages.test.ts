import { describe, expect, it } from "vitest";
import { plannedCommands } from "../../src/cli/normalize-error.js";
import { runCli } from "../support/cli.js";

// Issue 18, points 11, 13 and 14: what the shell itself says.
describe("shell messages", () => {
  it("a command group without its subcommand names the subcommands, never commander's internals", async () => {
    const run = await runCli(["secret"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("`aiplat secret` needs a subcommand: hf-token.");
    expect(run.stderr).toContain("Run `aiplat secret --help`");
    expect(run.stderr).not.toContain("outputHelp");

    const json = await runCli(["--json", "secret"]);
    expect(json.exitCode).toBe(2);
    expect(json.json()).toMatchObject({
      ok: false,
      error: { code: "missing-subcommand", message: "`aiplat secret` needs a subcommand: hf-token." },
    });
    expect(json.stdout).not.toContain("outputHelp");
  });

  it("subcommand help lists the global options", async () => {
    for (const argv of [
      ["deploy-model", "--help"],
      ["secret", "hf-token", "--help"],
    ]) {
      const run = await runCli(argv);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain("Global Options:");
      for (const option of ["--json", "--env", "--kubeconfig", "--context", "--root", "--yes", "--debug"]) {
        expect(run.stdout).toContain(option);
      }
    }
  });

  it("a planned command that is not built yet says so and lists what exists", async () => {
    // Only the planned names no module registers yet (the list shrinks as commands land).
    const help = (await runCli(["--help"])).stdout;
    const notBuilt = plannedCommands.filter((name) => !new RegExp(`^  ${name}\\b`, "m").test(help));
    if (notBuilt.length === 0) return;
    for (const name of notBuilt) {
      const run = await runCli([name]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`\`aiplat ${name}\` is planned but not in this version of aiplat yet.`);
      expect(run.stderr).toContain("This version has: doctor, init");
    }
    const json = await runCli(["--json", notBuilt[0] as string, "--dry-run"]);
    expect(json.exitCode).toBe(2);
    expect(json.json()).toMatchObject({ error: { code: "not-yet-available" } });
  });

  it("a mistyped command is still an unknown command with a suggestion", async () => {
    const run = await runCli(["statsu"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown command 'statsu'");
  });
});
