import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { normalizeError } from "../../src/cli/normalize-error.js";
import { readPackageVersion } from "../../src/cli/version.js";
import { ConfigError } from "../../src/core/errors.js";
import { Redactor } from "../../src/core/redact.js";
import { createNonInteractivePrompter } from "../../src/ui/non-interactive-prompter.js";
import { StreamIoHost } from "../../src/ui/stream-io-host.js";
import { shouldUseColour } from "../../src/ui/style.js";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp.js";

describe("the CLI shell", () => {
  it("--help lists the global options and the registered commands", async () => {
    const run = await runCli(["--help"]);
    expect(run.exitCode).toBe(0);
    for (const option of [
      "--env",
      "--json",
      "--yes",
      "--debug",
      "--root",
      "--kubeconfig",
      "--context",
      "--version",
    ]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toMatch(/doctor\s+check prerequisites/);
  });

  it("has help on every command", async () => {
    const run = await runCli(["doctor", "--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Usage: aiplat doctor");
  });

  it("--version prints the package version", async () => {
    const run = await runCli(["--version"]);
    expect(run).toMatchObject({ exitCode: 0, stdout: `${readPackageVersion()}\n` });
  });

  it("an unknown command exits 2 with a suggestion", async () => {
    const run = await runCli(["docter"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown command 'docter'");
    expect(run.stderr).toContain("Did you mean doctor?");
    expect(run.stdout).toBe("");
  });

  it("an unknown option exits 2 and names it", async () => {
    const run = await runCli(["doctor", "--frobnicate"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--frobnicate");
  });

  it("a bad --env value exits 2 with what a valid name looks like", async () => {
    const run = await runCli(["--env", "Prod_EU", "doctor"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("Invalid environment name");
    expect(run.stderr).toContain("--env dev");
  });

  it("a --root that is not the platform repository exits 3 naming --root", async () => {
    const run = await runCli(["--root", makeTempDir(), "doctor"]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("--root");
    expect(run.stderr).toContain("terraform/, platform/, argocd/");
  });

  it("no command prints help on stderr and exits 2", async () => {
    const run = await runCli([]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("Usage: aiplat");
  });

  it("--json failures are still exactly one JSON document on stdout", async () => {
    for (const argv of [
      ["--json", "nonsense"],
      ["--json", "--env", "BAD", "doctor"],
      ["--json", "--root", makeTempDir(), "doctor"],
    ]) {
      const run = await runCli(argv);
      expect(run.exitCode).toBeGreaterThanOrEqual(2);
      const doc = run.json();
      expect(doc.ok).toBe(false);
      expect(doc.error).toMatchObject({ exitCode: run.exitCode, message: expect.any(String) });
      expect(run.stdout.trim().split("\n").at(-1)).toBe("}");
      expect(run.stderr).toBe("");
    }
  });
});

describe("error normalisation", () => {
  it("keeps aiplat errors as they are", () => {
    const error = new ConfigError("bad");
    expect(normalizeError(error, false)).toEqual({ error, internal: false });
  });
  it("turns an unexpected exception into an internal error (exit 1) that asks for a report", () => {
    const { error, internal } = normalizeError(new TypeError("x is undefined"), false);
    expect(internal).toBe(true);
    expect(error.exitCode).toBe(1);
    expect(error.hint).toContain("--debug");
  });
  it("turns Ctrl-C at a prompt or during a wait into exit 130", () => {
    expect(
      normalizeError(
        Object.assign(new Error("User force closed the prompt"), { name: "ExitPromptError" }),
        false,
      ).error.exitCode,
    ).toBe(130);
    expect(normalizeError(new Error("anything"), true).error.exitCode).toBe(130);
  });
});

describe("io host", () => {
  const capture = () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (c: Buffer) => {
      text += c.toString();
    });
    return { stream, text: () => text };
  };
  const host = (json: boolean, debug = false) => {
    const out = capture();
    const err = capture();
    const redactor = new Redactor();
    redactor.add("sk-live-master-key-123");
    const io = new StreamIoHost({
      json,
      interactive: false,
      debug,
      colour: false,
      isTTY: false,
      stdout: out.stream,
      stderr: err.stream,
      prompter: createNonInteractivePrompter("no terminal to ask on"),
      redactor,
    });
    return { io, out, err };
  };

  it("human mode: progress on stderr (redacted), the result on stdout", () => {
    const { io, out, err } = host(false, true);
    io.info("using key sk-live-master-key-123");
    io.debug("Authorization: Bearer sk-live-master-key-123");
    io.result({ a: 1 }, "the result");
    io.finishOk();
    expect(out.text()).toBe("the result\n");
    expect(err.text()).toContain("using key ***");
    expect(err.text()).not.toContain("sk-live-master-key-123");
  });

  it("--json mode: nothing but one document on stdout, errors included and redacted", () => {
    const { io, out, err } = host(true);
    io.info("progress is not printed");
    io.result({ checks: [1, 2] }, "human text");
    io.finishWithError(new ConfigError("bad key sk-live-master-key-123", { hint: "fix it" }), false);
    expect(err.text()).toBe("");
    const doc = JSON.parse(out.text());
    expect(doc).toEqual({
      ok: false,
      checks: [1, 2],
      error: { code: "config", message: "bad key ***", exitCode: 3, hint: "fix it" },
    });
  });

  it("a prompt without a terminal is an error that names the flag", async () => {
    const { io } = host(false);
    await expect(io.prompt.input({ flag: "--region", message: "AWS region?" })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("--region"),
    });
  });

  it("colour only on a TTY and never with NO_COLOR", () => {
    expect(shouldUseColour(true, {})).toBe(true);
    expect(shouldUseColour(false, {})).toBe(false);
    expect(shouldUseColour(true, { NO_COLOR: "1" })).toBe(false);
  });

  it("falls back to line progress when a TTY reports no width (no garbled live tree)", async () => {
    const err = capture();
    const io = new StreamIoHost({
      json: false,
      interactive: false,
      debug: false,
      colour: false,
      isTTY: true,
      stdout: capture().stream,
      stderr: err.stream,
      prompter: createNonInteractivePrompter("no terminal to ask on"),
      redactor: new Redactor(),
    });
    await io.runTasks([
      { title: "applying 10.networking", run: async (task) => task.setTitle("applied 10.networking") },
    ]);
    expect(err.text()).toContain("applied 10.networking");
  });

  it("runs tasks with line progress on stderr when there is no TTY", async () => {
    const { io, err } = host(false);
    await io.runTasks([
      {
        title: "first step",
        run: async (task) => {
          task.output("detail line");
          task.setTitle("first step done");
        },
      },
      { title: "second", run: async (task) => task.skip("not needed") },
    ]);
    expect(err.text()).toContain("first step done");
    expect(err.text()).toContain("not needed");
  });
});
