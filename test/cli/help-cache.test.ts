import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";

// Issue 18, performance: the binary prints --help/--version from a cache keyed to this exact build.
function aiplat(argv: string[], cacheHome: string) {
  const run = spawnSync(process.execPath, [join(repoRoot, "bin", "aiplat.js"), ...argv], {
    env: { PATH: process.env.PATH, HOME: makeTempDir(), NO_COLOR: "1", XDG_CACHE_HOME: cacheHome },
    encoding: "utf8",
  });
  return { exitCode: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("help cache (needs the build)", () => {
  it("prints exactly what the CLI prints, from the second run on out of the cache", async () => {
    const cache = makeTempDir();
    for (const argv of [["--help"], ["deploy-model", "--help"], ["--version"]]) {
      const expected = (await runCli(argv)).stdout;
      const first = aiplat(argv, cache);
      const second = aiplat(argv, cache);
      expect(first).toEqual({ exitCode: 0, stdout: expected, stderr: "" });
      expect(second).toEqual(first);
    }
    expect(readdirSync(join(cache, "aiplat", "help"))).toHaveLength(3);
  });

  it("never serves a text kept for another build or other arguments", () => {
    const cache = makeTempDir();
    const real = aiplat(["--help"], cache).stdout;
    const dir = join(cache, "aiplat", "help");
    const [file] = readdirSync(dir);
    const kept = readFileSync(join(dir, file!), "utf8");
    // Same file name, but the key inside is another build's: it is ignored and rewritten.
    writeFileSync(join(dir, file!), `${kept.slice(0, kept.indexOf("\n"))}X\n\0\nSTALE HELP\n`);
    expect(aiplat(["--help"], cache).stdout).toBe(real);
    expect(readFileSync(join(dir, file!), "utf8")).toBe(kept);
  });

  it("still prints help when the cache directory cannot be written, and caches no command", () => {
    const broken = aiplat(["--help"], "/dev/null/not-a-dir");
    expect(broken.exitCode).toBe(0);
    expect(broken.stdout).toContain("Usage: aiplat");
    const cache = makeTempDir();
    expect(aiplat(["completion", "bash"], cache).exitCode).toBe(0);
    expect(aiplat(["--json", "secret"], cache).exitCode).toBe(2);
    expect(aiplat(["deploy-model"], cache).exitCode).toBe(2);
    expect(() => readdirSync(join(cache, "aiplat", "help"))).toThrow();
  });
});
