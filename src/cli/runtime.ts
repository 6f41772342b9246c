import type { Readable, Writable } from "node:stream";
import { createAwsClientFactory } from "../adapters/aws/clients.js";
import { readAwsProfile } from "../adapters/aws/profile.js";
import { createGit } from "../adapters/git.js";
import { createProcessRunner } from "../adapters/process.js";
import { findRepositoryRoot, StateDir, securePrivateState } from "../adapters/workspace.js";
import { systemClock } from "../core/clock.js";
import { resolveEnvironment } from "../core/environment.js";
import { Redactor } from "../core/redact.js";
import { createInquirerPrompter } from "../ui/inquirer-prompter.js";
import { createNonInteractivePrompter } from "../ui/non-interactive-prompter.js";
import { StreamIoHost } from "../ui/stream-io-host.js";
import { shouldUseColour } from "../ui/style.js";
import type { Adapters, CommandContext, GlobalOptions, MainDeps } from "./context.js";
import { createClusterConnector } from "./up/cluster-connector.js";

export interface ResolvedDeps {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  deps: MainDeps;
  redactor: Redactor;
}

export function resolveDeps(deps: MainDeps): ResolvedDeps {
  return {
    stdout: deps.stdout ?? process.stdout,
    stderr: deps.stderr ?? process.stderr,
    stdin: deps.stdin ?? process.stdin,
    isTTY: deps.isTTY ?? Boolean(process.stdin.isTTY && process.stderr.isTTY),
    env: deps.env ?? process.env,
    cwd: deps.cwd ?? process.cwd(),
    deps,
    redactor: new Redactor(),
  };
}

export function createHost(resolved: ResolvedDeps, globals: Pick<GlobalOptions, "json" | "yes" | "debug">) {
  const interactive = resolved.isTTY && !globals.json && !globals.yes;
  const reason = globals.json
    ? "prompts are off with --json"
    : globals.yes
      ? "prompts are off with --yes"
      : "no terminal to ask on";
  const prompter = !interactive
    ? createNonInteractivePrompter(reason)
    : (resolved.deps.prompter ?? createInquirerPrompter({ input: resolved.stdin, output: resolved.stderr }));
  return new StreamIoHost({
    json: globals.json,
    interactive,
    debug: globals.debug,
    colour: shouldUseColour(resolved.isTTY, resolved.env),
    isTTY: resolved.isTTY,
    stdout: resolved.stdout,
    stderr: resolved.stderr,
    prompter,
    redactor: resolved.redactor,
  });
}

function createAdapters(
  resolved: ResolvedDeps,
  globals: GlobalOptions,
  root: string | undefined,
  env: string,
): Adapters {
  const overrides = resolved.deps.adapters ?? {};
  const processRunner = overrides.process ?? createProcessRunner(resolved.redactor, resolved.env);
  const aws = overrides.aws ?? createAwsClientFactory({ profile: resolved.env.AWS_PROFILE });
  return {
    process: processRunner,
    git: overrides.git ?? ((cwd: string) => createGit(processRunner, cwd)),
    aws,
    awsProfile: overrides.awsProfile ?? (() => readAwsProfile(resolved.env)),
    kube:
      overrides.kube ??
      createClusterConnector({
        kubeconfig: globals.kubeconfig,
        context: globals.context,
        processEnv: resolved.env,
        aws,
        root,
        env,
        redactor: resolved.redactor,
      }),
  };
}

export async function createContext(
  resolved: ResolvedDeps,
  globals: GlobalOptions,
  host: StreamIoHost,
  signal: AbortSignal,
  version: string,
): Promise<CommandContext> {
  let root: string | undefined;
  let rootError: unknown;
  try {
    root = findRepositoryRoot(resolved.cwd, globals.root);
  } catch (error) {
    // An explicit --root that is wrong is bad configuration for every command; a failed walk-up
    // only matters to the commands that need the repository (doctor reports it as a check).
    if (globals.root !== undefined) throw error;
    rootError = error;
  }
  if (root !== undefined) securePrivateState(root);
  const active = root === undefined ? undefined : await new StateDir(root).activeEnvironment();
  const env = resolveEnvironment({ flag: globals.env, envVar: resolved.env.AIPLAT_ENV, active });
  const requireRoot = (): string => {
    if (root === undefined) throw rootError;
    return root;
  };
  return {
    io: host,
    globals,
    env: env.name,
    envSource: env.source,
    cwd: resolved.cwd,
    root: requireRoot,
    state: () => new StateDir(requireRoot()),
    processEnv: resolved.env,
    stdin: resolved.stdin,
    terminalOutput: resolved.stderr,
    clock: resolved.deps.clock ?? systemClock,
    signal,
    redactor: resolved.redactor,
    adapters: createAdapters(resolved, globals, root, env.name),
    nodeVersion: resolved.deps.nodeVersion ?? process.versions.node,
    version,
  };
}
