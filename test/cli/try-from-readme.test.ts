/**
 * Issue 18 point 20a: the README's "No AWS account?" lines, run as written (needs the build).
 * `npm ci` has run (this checkout); `npm run try` is the package.json script, run in a scratch
 * folder so that its `.sim/` is the test's own; the lines after it are typed into the shell it
 * opens, and the chat reads the user's message from the same input.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { hasBinary, skipNote } from "../support/tools.js";

const hasBash = hasBinary("bash", ["--version"]);

/** The shell lines of the README block that follows "**No AWS account?**", comments dropped. */
function readmeTryLines(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const from = readme.indexOf("**No AWS account?**");
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(from))?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

function run(command: string, input: string, cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}

describe.skipIf(!hasBash)(
  `trying aiplat without AWS, from the top of the README${skipNote("bash", hasBash)}`,
  () => {
    it("npm ci, npm run try, then deploy-model gemma-4b --wait and chat work in the shell it opens", async () => {
      const lines = readmeTryLines();
      expect(lines.slice(0, 2)).toEqual(["npm ci", "npm run try"]);
      const typed = lines.slice(2);
      expect(typed).toEqual(["aiplat deploy-model gemma-4b --wait", "aiplat chat gemma-4b"]);
      const script = (
        JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
          scripts: Record<string, string>;
        }
      ).scripts.try!.replace(" test/", ` ${repoRoot}/test/`); // npm runs it in the checkout
      const home = makeTempDir("aiplat-try-");
      // Nothing from the developer's environment: no KUBECONFIG, no AWS settings, no git identity.
      const env = {
        PATH: `${join(repoRoot, "node_modules", ".bin")}:${process.env.PATH}`,
        HOME: home,
        SHELL: "/bin/bash",
        NO_COLOR: "1",
        GIT_CONFIG_NOSYSTEM: "1",
      };
      const result = await run(script, `${typed.join("\n")}\nSay hello\n`, home, env);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("Next: aiplat deploy-model gemma-4b --wait");
      expect(result.output).toContain("gemma-4b answers through LiteLLM");
      expect(result.output).toContain("Hello from gemma-4b. You said: Say hello");
      // deploy-model committed and pushed from the working copy the command left behind.
      const remoteLog = await run("git --git-dir .sim/remote.git log --format=%s main", "", home, env);
      expect(remoteLog.output.split("\n")[0]).toContain("gemma-4b");
    }, 300_000);
  },
);
