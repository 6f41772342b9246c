import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProcessRunner } from "../../src/adapters/process.js";
import { Redactor } from "../../src/core/redact.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

const node = process.execPath;

describe("process runner", () => {
  it("runs without a shell: metacharacters reach the program as plain text", async () => {
    const runner = createProcessRunner(new Redactor());
    const result = await runner.run(node, ["-e", "console.log(process.argv[1])", "$(echo hi); rm -rf /"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe("$(echo hi); rm -rf /");
  });

  it("returns non-zero exits as results, with both streams", async () => {
    const runner = createProcessRunner(new Redactor());
    const result = await runner.run(node, [
      "-e",
      "console.log('out'); console.error('err'); process.exit(3)",
    ]);
    expect(result).toMatchObject({ exitCode: 3, interrupted: false });
    expect(result.stdout).toContain("out");
    expect(result.stderr).toContain("err");
  });

  it("streams lines as they come and writes a redacted log", async () => {
    const redactor = new Redactor();
    redactor.add("the-master-key-value");
    const runner = createProcessRunner(redactor);
    const log = join(makeTempDir(), "logs", "stage.log");
    const lines: string[] = [];
    await runner.run(
      node,
      ["-e", "console.log('one'); console.log('key the-master-key-value'); console.error('two')"],
      {
        logFile: log,
        onLine: (line) => lines.push(line),
      },
    );
    expect(lines).toEqual(expect.arrayContaining(["one", "key the-master-key-value", "two"]));
    const text = readFileSync(log, "utf8");
    expect(text).toContain("one");
    expect(text).not.toContain("the-master-key-value");
  });

  it("passes secrets through the environment, not argv", async () => {
    const runner = createProcessRunner(new Redactor());
    const result = await runner.run(node, ["-e", "console.log(process.env.SECRET_X)"], {
      env: { SECRET_X: "abc123" },
    });
    expect(result.stdout.trim()).toBe("abc123");
  });

  it("reports a missing program as a prerequisite (exit 4) naming it", async () => {
    const runner = createProcessRunner(new Redactor());
    await expect(runner.run("definitely-not-a-real-binary-aiplat", [])).rejects.toMatchObject({
      exitCode: 4,
      code: "missing-binary",
      message: expect.stringContaining("definitely-not-a-real-binary-aiplat"),
    });
  });

  it("writes the input to the child's stdin and closes it; a child that ignores it is not an error", async () => {
    const runner = createProcessRunner(new Redactor());
    const echoed = await runner.run(node, ["-e", "process.stdin.pipe(process.stdout)"], { input: "tok\nen" });
    expect(echoed).toMatchObject({ exitCode: 0, stdout: "tok\nen" });
    // Exits before reading a large input: the pipe breaks under the writer, which must not throw.
    const ignored = await runner.run(node, ["-e", "process.exit(0)"], { input: "x".repeat(1 << 20) });
    expect(ignored.exitCode).toBe(0);
  });

  it("keeps the output exactly: a character split across chunks, no trailing newline stripped", async () => {
    const runner = createProcessRunner(new Redactor());
    // "é" is two bytes; written one byte at a time, it must still decode as one character.
    const script =
      "process.stdout.write(Buffer.from([0xc3])); setTimeout(() => process.stdout.write(Buffer.from([0xa9, 0x0a])), 20)";
    const result = await runner.run(node, ["-e", script]);
    expect(result.stdout).toBe("é\n");
  });

  it("sees exactly the base environment plus the call's, nothing of the parent's", async () => {
    const runner = createProcessRunner(new Redactor(), { PATH: process.env.PATH, ONLY_BASE: "1" });
    const result = await runner.run(node, ["-e", "console.log(Object.keys(process.env).sort().join(','))"], {
      env: { EXTRA: "2" },
    });
    expect(result.stdout.trim()).toBe("EXTRA,ONLY_BASE,PATH");
  });

  it("a program that cannot be started for another reason is an external failure (exit 5) naming it", async () => {
    const notExecutable = join(makeTempDir(), "not-executable");
    writeFileSync(notExecutable, "#!/bin/sh\necho hi\n", { mode: 0o644 });
    const runner = createProcessRunner(new Redactor());
    await expect(runner.run(notExecutable, [])).rejects.toMatchObject({
      exitCode: 5,
      message: expect.stringMatching(/^Could not run .*not-executable: spawn .*EACCES/),
    });
  });

  it("a child ended by a signal reports exit 130", async () => {
    const runner = createProcessRunner(new Redactor());
    const result = await runner.run(node, ["-e", "process.kill(process.pid, 'SIGTERM')"]);
    expect(result).toMatchObject({ exitCode: 130, interrupted: false });
  });

  it("on abort sends exactly one SIGINT and waits for the child to finish its clean-up", async () => {
    const { script, record } = gracefulChild();
    const runner = createProcessRunner(new Redactor());
    const controller = new AbortController();
    const result = await runner.run(node, [script, record], {
      signal: controller.signal,
      onLine: (line) => {
        if (line === "started") controller.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    expect(result.exitCode).toBe(1);
    expect(readFileSync(record, "utf8")).toBe("signals=1 saved");
  });

  // A terminal's Ctrl-C goes to the whole foreground process group, not to one pid. The harness
  // plays aiplat (each SIGINT aborts the run) as a group leader, and the test signals the group
  // twice, as two presses would. Only a child in a group of its own sees just the one SIGINT the
  // runner forwards; in the harness's group it would get both presses (and terraform, on two
  // interrupts, exits at once without saving its state).
  it("a terminal's Ctrl-C, pressed twice, reaches the child once: the runner's SIGINT only", async () => {
    const { script, record } = gracefulChild();
    const harness = spawn(
      node,
      [
        "--import",
        "tsx",
        join(repoRoot, "test", "fixtures", "process", "interrupt-harness.ts"),
        script,
        record,
      ],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"], detached: true },
    );
    let out = "";
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) resolve();
          else if (harness.exitCode !== null) reject(new Error(`harness exited before "${text}": ${out}`));
          else setTimeout(check, 10);
        };
        check();
      });
    harness.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const closed = new Promise<void>((resolve) => harness.on("close", () => resolve()));
    const group = harness.pid as number;
    await seen("started");
    process.kill(-group, "SIGINT");
    await seen("harness got SIGINT 1");
    process.kill(-group, "SIGINT");
    await seen("harness got SIGINT 2");
    await closed;
    expect(out).toContain("exit 1 interrupted=true");
    expect(readFileSync(record, "utf8")).toBe("signals=1 saved");
  });
});

/**
 * Behaves like terraform: the first SIGINT starts a graceful stop that takes a while; every
 * SIGINT is counted in the record file, so a second one is visible.
 */
function gracefulChild(): { script: string; record: string } {
  const dir = makeTempDir();
  const script = join(dir, "graceful.cjs");
  const record = join(dir, "record.txt");
  writeFileSync(
    script,
    `const fs = require("fs"); const record = process.argv[2]; let n = 0;
     process.on("SIGINT", () => { n++; fs.writeFileSync(record, "signals=" + n);
       if (n === 1) setTimeout(() => { fs.appendFileSync(record, " saved"); process.exit(1); }, 1500); });
     console.log("started"); setInterval(() => {}, 1000);`,
  );
  return { script, record };
}
