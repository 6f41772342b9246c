import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { KubeObject } from "../kube/index.js";
import { startKubeServer } from "../kube/index.js";
import { repoRoot } from "../paths.js";
import { startSimulatedCluster } from "./index.js";
import { aiplatBinDir, prepareWorkingCopy, runShell } from "./try-shell.js";

/**
 * `npm run test-cluster -- [--port <p>] [--kubeconfig <file>] [--token <t>] [--simulate
 * [--time-scale <ms per simulated minute>] [--seed <n>] [--no-bootstrap] [--write-env <file>]
 * [--remote <dir>] [--work <dir> [--shell]] [--serving-model [--serving-speedup <n>]] [--json]]`
 *
 * Without --simulate: the bare test API server, as test/support/kube/launch.ts starts it. With
 * --simulate: the API server plus every simulated controller and the LiteLLM stand-in, a bare git
 * repository holding this checkout's argocd/, platform/, templates/ and terraform/ (clone it, commit an
 * InferenceEndpoint, push), and — unless --no-bootstrap — the six Applications applied with
 * their repoURL pointing at that repository. Runs until Ctrl-C.
 *
 * --write-env writes, once everything is up, a dotenv file (KUBECONFIG, AWS_ENDPOINT_URL,
 * AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY the AWS face accepts, LITELLM_URL,
 * GIT_REMOTE, SIM_CONTROL_URL). --remote keeps the bare git remote in that folder (seeded when
 * empty or absent, reused when it already is one), so clones survive a restart. --json prints one
 * JSON document of the same URLs on stdout (the human lines go to stderr). --work clones the remote
 * into a folder (kept on the next start when it already is that clone); --shell then opens the
 * user's shell there, wired to the simulator (try-shell.ts) — what `npm run try` runs.
 *
 * --serving-model makes the LiteLLM stand-in answer at the pace of a vLLM replica on the endpoint's
 * GPU (litellm/serving-model.ts), so `aiplat bench --sweep` shows a knee; --serving-speedup divides
 * every serving time (default 1).
 */
interface Args {
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument: ${arg}`);
    const eq = arg.indexOf("=");
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) flags.set(arg.slice(2), argv[++i]!);
    else flags.set(arg.slice(2), true);
  }
  return { flags };
}

function numberFlag(args: Args, name: string, fallback?: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a number, got ${String(v)}`);
  return n;
}

const stringFlag = (args: Args, name: string): string | undefined => {
  const v = args.flags.get(name);
  return typeof v === "string" ? v : undefined;
};

function servingModelOption(args: Args): { speedup: number } | undefined {
  const speedup = numberFlag(args, "serving-speedup");
  if (args.flags.get("serving-model") !== true) {
    if (args.flags.has("serving-model")) throw new Error("--serving-model takes no value");
    if (speedup !== undefined) throw new Error("--serving-speedup needs --serving-model");
    return undefined;
  }
  if (speedup === 0) throw new Error("--serving-speedup must be above 0");
  return { speedup: speedup ?? 1 };
}

/** A bare repository seeded with this checkout's platform content (what a fork's origin holds). */
function makePlatformRemote(base: string, chosen?: string): string {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "aiplat sim",
    GIT_AUTHOR_EMAIL: "sim@example.invalid",
    GIT_COMMITTER_NAME: "aiplat sim",
    GIT_COMMITTER_EMAIL: "sim@example.invalid",
  };
  const remote = chosen ?? join(base, "origin.git");
  const work = join(base, "seed");
  const git = (cwd: string, args: string[]) => execFileSync("git", args, { cwd, env, stdio: "pipe" });
  if (chosen && existsSync(chosen) && readdirSync(chosen).length > 0) {
    if (!isBareRepository(chosen))
      throw new Error(`--remote ${chosen}: the folder is not empty and is not a bare git repository`);
    return chosen; // kept from an earlier run: its history (and the user's clones) stay valid
  }
  mkdirSync(remote, { recursive: true });
  git(remote, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  mkdirSync(work);
  git(work, ["init", "--quiet", "--initial-branch=main"]);
  // The whole platform repository shape (terraform/ too), so a clone is a repository aiplat works in.
  for (const dir of ["argocd", "platform", "templates", "terraform"])
    cpSync(join(repoRoot, dir), join(work, dir), { recursive: true, verbatimSymlinks: true });
  // What `aiplat init` does in a fork: argocd/ points at this remote (the simulated ArgoCD clones
  // nothing else), so a clone of it is ready for deploy-model and bootstrap.
  pointArgocdAt(join(work, "argocd"), `file://${remote}`);
  writeFileSync(join(work, ".gitignore"), ".aiplat/\n");
  git(work, ["add", "-A"]);
  git(work, ["-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "platform content"]);
  git(work, ["push", "--quiet", remote, "main"]);
  rmSync(work, { recursive: true, force: true });
  return remote;
}

const PLACEHOLDER = "https://example.invalid/set-by-aiplat-init.git";

function pointArgocdAt(dir: string, url: string): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    writeFileSync(join(dir, file), readFileSync(join(dir, file), "utf8").replaceAll(PLACEHOLDER, url));
  }
}

function isBareRepository(dir: string): boolean {
  try {
    return (
      execFileSync("git", ["rev-parse", "--is-bare-repository"], { cwd: dir, stdio: "pipe" })
        .toString()
        .trim() === "true"
    );
  } catch {
    return false;
  }
}

/** The dotenv --write-env writes (values are URLs and paths; the AWS key pair is the face's fake one). */
export function envFileText(values: Record<string, string>): string {
  return `${Object.entries(values)
    .map(([k, v]) => `${k}=${/[\s#"'$]/.test(v) ? JSON.stringify(v) : v}`)
    .join("\n")}\n`;
}

function applications(remote: string): KubeObject[] {
  const dir = join(repoRoot, "argocd");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map(
      (f) =>
        parseYaml(
          readFileSync(join(dir, f), "utf8").replaceAll(PLACEHOLDER, `file://${remote}`),
        ) as KubeObject,
    );
}

export async function main(argv: string[]): Promise<() => Promise<void>> {
  const args = parseArgs(argv);
  const port = numberFlag(args, "port", 0);
  const token = stringFlag(args, "token") ?? process.env.AIPLAT_TEST_CLUSTER_TOKEN;
  const kubeconfig = stringFlag(args, "kubeconfig");
  if (!args.flags.has("simulate")) {
    const server = await startKubeServer({ port, token });
    if (kubeconfig) server.kubeconfig(resolve(kubeconfig));
    console.log(`test cluster API server listening on ${server.url}`);
    if (kubeconfig) console.log(`kubeconfig written to ${resolve(kubeconfig)}`);
    return () => server.stop();
  }
  const writeEnv = stringFlag(args, "write-env");
  if (args.flags.has("write-env") && !writeEnv) throw new Error("--write-env needs a file path");
  const chosenRemote = stringFlag(args, "remote");
  if (args.flags.has("remote") && !chosenRemote) throw new Error("--remote needs a folder");
  const work = stringFlag(args, "work");
  if (args.flags.has("work") && !work) throw new Error("--work needs a folder");
  const shell = args.flags.has("shell");
  if (shell && !work) throw new Error("--shell opens a shell in the --work folder: pass --work <dir>");
  const json = args.flags.has("json");
  const servingModel = servingModelOption(args);
  const base = mkdtempSync(join(tmpdir(), "aiplat-sim-launch-"));
  let remote: string;
  const workDir = work ? resolve(work) : undefined;
  let workState: string | undefined;
  try {
    remote = makePlatformRemote(base, chosenRemote ? resolve(chosenRemote) : undefined);
    workState = workDir ? prepareWorkingCopy(workDir, remote) : undefined;
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
  const sim = await startSimulatedCluster({
    port,
    token,
    gitRemote: remote,
    timeScale: numberFlag(args, "time-scale", 1000),
    seed: numberFlag(args, "seed", 1),
    servingModel,
  });
  if (kubeconfig) sim.kube.kubeconfig(resolve(kubeconfig));
  if (!args.flags.has("no-bootstrap")) {
    for (const app of applications(remote))
      sim.kube.store.apply(app, { fieldManager: "kubectl", force: true });
  }
  const config = kubeconfig ? resolve(kubeconfig) : sim.kubeconfigPath;
  const env = {
    KUBECONFIG: config,
    ...sim.aws.env,
    LITELLM_URL: sim.litellm.url,
    GIT_REMOTE: remote,
    SIM_CONTROL_URL: sim.control.url,
  };
  if (writeEnv) writeFileSync(resolve(writeEnv), envFileText(env), { mode: 0o600 });
  const say = json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  say(`simulated cluster API server: ${sim.kube.url}`);
  say(`kubeconfig: ${config}   (kubectl --kubeconfig ${config} get applications -n argocd)`);
  say(`platform git remote: ${remote}   (git clone ${remote}; commit platform/workloads/<name>.yaml; push)`);
  say(`LiteLLM: ${sim.litellm.url} (also through port-forward to the litellm pods in ai-platform)`);
  say(`AWS API: ${sim.aws.url}   (AWS_ENDPOINT_URL=${sim.aws.url} aws ec2 describe-instances)`);
  say(`control: ${sim.control.url}   (curl ${sim.control.url}/ledger)`);
  if (writeEnv) say(`environment written to ${resolve(writeEnv)}   (set -a; . ${resolve(writeEnv)}; set +a)`);
  say(`time: one simulated minute = ${numberFlag(args, "time-scale", 1000)} ms real time`);
  if (workDir) say(`working copy: ${workDir} (${workState}; a clone of the platform git remote)`);
  if (servingModel)
    say(
      `serving model: answers at the pace of a vLLM replica on the endpoint's GPU, ${servingModel.speedup} × faster (simulated numbers are not GPU numbers)`,
    );
  if (json)
    console.log(
      JSON.stringify({
        apiServer: sim.kube.url,
        kubeconfig: config,
        gitRemote: remote,
        litellmUrl: sim.litellm.url,
        awsEndpointUrl: sim.aws.url,
        controlUrl: sim.control.url,
        ...(writeEnv ? { envFile: resolve(writeEnv) } : {}),
      }),
    );
  writeFileSync(join(base, "README"), "aiplat simulated cluster scratch directory; removed on exit\n");
  const stop = async () => {
    await sim.stop();
    rmSync(base, { recursive: true, force: true });
  };
  if (shell && workDir) {
    say("");
    say(`A shell in ${workDir} is wired to the simulated platform (exit leaves it and stops the simulator).`);
    say("Next: aiplat deploy-model gemma-4b --wait");
    runShell(workDir, env, aiplatBinDir(base)).then(async (code) => {
      await stop();
      process.exit(code);
    });
  }
  return stop;
}

const invokedDirectly = (process.argv[1] ?? "").replace(/\\/g, "/").endsWith("test/support/sim/launch.ts");
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (stop) => {
      const shutdown = () => {
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      // With --shell, Ctrl-C belongs to the shell; leaving the shell stops the simulator.
      if (!process.argv.includes("--shell")) process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    },
    (error: unknown) => {
      console.error(`test-cluster: ${(error as Error).message}`);
      process.exit(2);
    },
  );
}
