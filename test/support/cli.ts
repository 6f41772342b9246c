import { PassThrough } from "node:stream";
import type { MainDeps } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document of --json mode (throws if it is not exactly one). */
  json(): Record<string, unknown>;
}

/**
 * Runs the CLI in process, exactly as bin/aiplat.js does, with captured streams. Pass real local
 * stand-ins through deps (a temp repo as cwd, a test API server kubeconfig, mocked AWS clients).
 */
export async function runCli(argv: readonly string[], deps: MainDeps = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  const exitCode = await main(argv, {
    isTTY: false,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
    handleSignals: false,
    ...deps,
    stdout,
    stderr,
  });
  const stdoutText = Buffer.concat(out).toString("utf8");
  return {
    exitCode,
    stdout: stdoutText,
    stderr: Buffer.concat(err).toString("utf8"),
    json: () => JSON.parse(stdoutText) as Record<string, unknown>,
  };
}
