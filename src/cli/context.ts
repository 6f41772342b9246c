import type { Readable, Writable } from "node:stream";
import type { AwsClientFactory } from "../adapters/aws/clients.js";
import type { AwsProfileInfo } from "../adapters/aws/profile.js";
import type { Git } from "../adapters/git.js";
import type { KubeConnector } from "../adapters/kube/connect.js";
import type { ProcessRunner } from "../adapters/process.js";
import type { StateDir } from "../adapters/workspace.js";
import type { Clock } from "../core/clock.js";
import type { Redactor } from "../core/redact.js";
import type { IoHost, Prompter } from "../ui/io-host.js";

/** Options every command accepts (CLI.md, "Global options"). */
export interface GlobalOptions {
  env?: string | undefined;
  json: boolean;
  yes: boolean;
  debug: boolean;
  root?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/** The world as commands reach it. Tests pass real local stand-ins through MainDeps. */
export interface Adapters {
  process: ProcessRunner;
  git(cwd: string): Git;
  aws: AwsClientFactory;
  awsProfile(): Promise<AwsProfileInfo>;
  kube: KubeConnector;
}

export interface CommandContext {
  io: IoHost;
  globals: GlobalOptions;
  /** The environment name and where it came from (--env, AIPLAT_ENV, .aiplat/active-env, default). */
  env: string;
  envSource: string;
  cwd: string;
  /** The platform repository root; throws ConfigError (exit 3) naming --root when there is none. */
  root(): string;
  /** `.aiplat/` in the repository root; throws like root() when there is no repository. */
  state(): StateDir;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** Standard input, for secrets piped in (`--stdin`): never argv. */
  stdin: Readable;
  /** Where an interactive session draws its prompt (stderr): only `aiplat chat` writes to it directly. */
  terminalOutput?: Writable | undefined;
  clock: Clock;
  /** Aborted on the first Ctrl-C: long waits stop, child processes get one SIGINT. */
  signal: AbortSignal;
  redactor: Redactor;
  adapters: Adapters;
  /** Node version the CLI runs on (injectable so doctor's check can be tested). */
  nodeVersion: string;
  /** The package's own version. */
  version: string;
}

/** Everything main() needs from the outside; every field has a real default. */
export interface MainDeps {
  stdout?: Writable;
  stderr?: Writable;
  stdin?: Readable;
  /** Whether stdin and stderr are terminals (prompts, live progress, colour). */
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
  cwd?: string;
  clock?: Clock;
  /** An outside abort (tests simulate Ctrl-C with it). */
  signal?: AbortSignal;
  /** Answers prompts (tests); defaults to @inquirer/prompts on a TTY. */
  prompter?: Prompter;
  adapters?: Partial<Adapters>;
  /** Install SIGINT/SIGTERM handlers (the real binary does; in-process tests do not). */
  handleSignals?: boolean;
  nodeVersion?: string;
  /** Receives the text of a successful `--help`/`--version` (the binary keeps it: help-cache.ts). */
  keepHelpText?: (text: string) => void;
}
