import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProcessRunner } from "../../src/adapters/process.js";
import { Redactor } from "../../src/core/redact.js";
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

  it("on abort sends exactly one SIGINT and waits for the child to finish its clean-up", async () => {
    const dir = makeTempDir();
    const script = join(dir, "graceful.cjs");
    const record = join(dir, "record.txt");
    // Behaves like terraform: the first SIGINT starts a graceful stop that takes a while;
    // a second one would abandon the state (here: recorded so the test can see it).
    writeFileSync(
      script,
      `const fs = require("fs"); let n = 0;
       process.on("SIGINT", () => { n++; fs.writeFileSync(${JSON.stringify(record)}, "signals=" + n);
         if (n === 1) setTimeout(() => { fs.appendFileSync(${JSON.stringify(record)}, " saved"); process.exit(1); }, 400); });
       console.log("started"); setInterval(() => {}, 1000);`,
    );
    const runner = createProcessRunner(new Redactor());
    const controller = new AbortController();
    const running = runner.run(node, [script], {
      signal: controller.signal,
      onLine: (line) => {
        if (line === "started") {
          controller.abort();
          controller.abort(); // a second Ctrl-C must not reach the child
        }
      },
    });
    const result = await running;
    expect(result.interrupted).toBe(true);
    expect(result.exitCode).toBe(1);
    expect(readFileSync(record, "utf8")).toBe("signals=1 saved");
  });
});
