/**
 * `aiplat chat` against the simulated platform (npm run test-cluster's launcher in a process of its
 * own, with the LiteLLM stand-in's serving model, and gemma-4b deployed by `aiplat deploy-model
 * --wait`):
 *
 * 1. time to first token of `aiplat chat gemma-4b --prompt` (as chat measures it: from the
 *    request to the first streamed token, through the port-forward) against the same completion
 *    sent straight to the stand-in's URL by bench/chat/direct.mjs — the forward's cost;
 * 2. whole-process start to the first byte on stdout of `aiplat chat --prompt`, against `node -e 0`
 *    plus the model's own time to first token (the direct median);
 * 3. peak RSS of a 30-turn session on a pseudo-terminal (util-linux `script`, GNU time's %M),
 *    against `node -e 0`'s.
 * Cases are interleaved, two warm-up rounds discarded, medians reported.
 * Usage: npm run build && npx tsx bench/chat/run.ts [runs] [serving speed-up]
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const runs = Number(process.argv[2] ?? 21);
const speedup = Number(process.argv[3] ?? 10);
const TURNS = 30;
const root = join(import.meta.dirname, "..", "..");
const aiplat = join(root, "bin", "aiplat.js");
const scratch = mkdtempSync(join(tmpdir(), "aiplat-bench-chat-"));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

interface Spawned {
  ms: number;
  firstByteMs: number | undefined;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - start) / 1e6;
    const child = spawn(process.execPath, args, { env, cwd: scratch, stdio: ["ignore", "pipe", "pipe"] });
    let firstByteMs: number | undefined;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      firstByteMs ??= since();
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("exit", (status) => {
      if (status !== 0) reject(new Error(`${args.join(" ")} exited ${status}: ${stderr}`));
      else resolve({ ms: since(), firstByteMs, stdout, stderr });
    });
  });
}

/** Drives `aiplat chat` on a pseudo-terminal for TURNS questions; returns its peak RSS in KiB. */
function chatSession(env: NodeJS.ProcessEnv, maxTokens: number): Promise<number> {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols 200 rows 50; exec /usr/bin/time -f 'peak-rss %M' ${q(process.execPath)} ${q(aiplat)} chat gemma-4b --max-tokens ${maxTokens}`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], { env, cwd: scratch, stdio: "pipe" });
  let screen = "";
  let from = 0;
  let turns = 0;
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      screen += c.toString();
      const at = screen.indexOf("you> ", from);
      if (at < 0) return;
      from = at + 5;
      if (turns === TURNS) {
        child.stdin.write("/exit\r");
        return;
      }
      turns += 1;
      // A question of a few hundred characters; the history (and what is sent) grows every turn.
      child.stdin.write(
        `Question ${turns}: ${"how would you explain continuous batching on a GPU to a new colleague, briefly? ".repeat(4)}\r`,
      );
    });
    child.on("exit", (status) => {
      const rss = /peak-rss (\d+)/.exec(screen)?.[1];
      if (status !== 0 || rss === undefined || turns < TURNS)
        reject(new Error(`chat session ended (${status}) after ${turns} turns:\n${screen.slice(-2000)}`));
      else resolve(Number(rss));
    });
  });
}

/** GNU time's peak resident set (KiB) of one process; time reports on stderr. */
function peakRss(args: string[]): number {
  const result = spawnSync("/usr/bin/time", ["-f", "peak-rss %M", ...args], { encoding: "utf8" });
  return Number(/peak-rss (\d+)/.exec(result.stderr)?.[1] ?? Number.NaN);
}

/** The simulated platform as a user starts it (npm run test-cluster), in a process of its own. */
async function startLauncher(envFile: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "test", "support", "sim", "launch.ts"),
      "--simulate",
      "--time-scale",
      "100",
      "--serving-model",
      "--serving-speedup",
      String(speedup),
      "--write-env",
      envFile,
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("environment written to")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`the launcher exited ${code}:\n${out}`)));
  });
  return child;
}

/**
 * The forward's own cost per request, apart from process start-up: one process, a warm forward
 * (the compiled modules chat uses) and a warm direct connection, streamed completions alternating
 * between the two; time to first token measured on a sub-millisecond clock.
 */
async function warmForwardCost(kubeconfig: string, litellmUrl: string, apiKey: string, count: number) {
  const dist = (path: string) => join(root, "dist", path);
  const { createKubeconfigConnector } = await import(dist("adapters/kube/connect.js"));
  const { createKubeObjects } = await import(dist("adapters/kube/objects.js"));
  const { startPortForward } = await import(dist("adapters/kube/port-forward.js"));
  const { streamChat } = await import(dist("adapters/llm/chat-stream.js"));
  const target = await createKubeconfigConnector({ kubeconfig, env: {} }).connect();
  const objects = createKubeObjects(target.config);
  const forward = await startPortForward(target.config, objects, {
    namespace: "ai-platform",
    service: "litellm",
    port: 4000,
  });
  const clock = { now: () => performance.now(), sleep: async () => {} };
  const ttft = async (baseUrl: string) =>
    (
      await streamChat({
        baseUrl,
        apiKey,
        clock,
        model: "gemma-4b",
        messages: [{ role: "user", content: "What is the platform for?" }],
      })
    ).timeToFirstTokenMs as number;
  const direct: number[] = [];
  const forwarded: number[] = [];
  try {
    for (let i = 0; i < count + 2; i++) {
      const d = await ttft(litellmUrl);
      const f = await ttft(forward.url);
      if (i < 2) continue;
      direct.push(d);
      forwarded.push(f);
    }
  } finally {
    await forward.close();
  }
  return { direct: median(direct), forwarded: median(forwarded) };
}

let launcher: ChildProcess | undefined;
try {
  const envFile = join(scratch, "sim.env");
  launcher = await startLauncher(envFile);
  const sim = Object.fromEntries(
    readFileSync(envFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  ) as Record<string, string>;
  const repo = join(scratch, "platform");
  execFileSync("git", ["clone", "--quiet", sim.GIT_REMOTE ?? "", repo]);
  const gitEnv = {
    PATH: process.env.PATH,
    HOME: scratch,
    NO_COLOR: "1",
    KUBECONFIG: sim.KUBECONFIG,
    GIT_AUTHOR_NAME: "aiplat bench",
    GIT_AUTHOR_EMAIL: "bench@example.invalid",
    GIT_COMMITTER_NAME: "aiplat bench",
    GIT_COMMITTER_EMAIL: "bench@example.invalid",
    GIT_CONFIG_NOSYSTEM: "1",
  };
  execFileSync(process.execPath, [aiplat, "deploy-model", "gemma-4b", "--wait"], {
    cwd: repo,
    env: gitEnv,
    stdio: "pipe",
  });
  const key = execFileSync("kubectl", [
    "--kubeconfig",
    sim.KUBECONFIG ?? "",
    "get",
    "secret",
    "-n",
    "ai-platform",
    "litellm-secrets",
    "-o",
    "jsonpath={.data.master-key}",
  ]).toString();
  const env = { PATH: process.env.PATH, HOME: scratch, NO_COLOR: "1", KUBECONFIG: sim.KUBECONFIG };
  const directEnv = { ...env, LITELLM_KEY: Buffer.from(key, "base64").toString() };
  const prompt = "What is the platform for?";

  const samples = {
    nodeE0: [] as number[],
    chatTtft: [] as number[],
    directTtft: [] as number[],
    chatFirstByte: [] as number[],
    floor: [] as number[],
  };
  for (let i = 0; i < runs + 2; i++) {
    const base = await run(["-e", "0"], env);
    const chat = await run([aiplat, "chat", "gemma-4b", "--prompt", prompt], env);
    const direct = await run(
      [join(root, "bench", "chat", "direct.mjs"), sim.LITELLM_URL ?? "", "gemma-4b", prompt],
      directEnv,
    );
    // The packages chat cannot do without (the official openai client; ws under client-node's
    // PortForward; yaml for the kubeconfig and the platform's manifests; commander), imported
    // and nothing else: how much of the start-up target is spent before aiplat's own code runs.
    const floor = await run(
      [join(root, "bench", "lib", "floor.mjs"), "openai", "ws", "yaml", "commander"],
      env,
    );
    if (i < 2) continue;
    samples.nodeE0.push(base.ms);
    samples.floor.push(floor.ms);
    samples.chatFirstByte.push(chat.firstByteMs ?? Number.NaN);
    samples.chatTtft.push(Number(/first token (\d+) ms/.exec(chat.stderr)?.[1] ?? Number.NaN));
    samples.directTtft.push((JSON.parse(direct.stdout) as { timeToFirstTokenMs: number }).timeToFirstTokenMs);
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof samples,
    number
  >;
  const budget = 3 * m.nodeE0 + m.directTtft;
  console.log("| measure | median (ms) | target |\n|---|---:|---|");
  console.log(`| \`node -e 0\` whole process | ${m.nodeE0.toFixed(1)} | baseline |`);
  console.log(
    `| TTFT, direct to the stand-in | ${m.directTtft.toFixed(1)} | baseline (the model's own TTFT) |`,
  );
  console.log(
    `| TTFT, \`aiplat chat --prompt\` through the forward | ${m.chatTtft.toFixed(1)} | ≤ direct + 2 ms: ${m.chatTtft - m.directTtft <= 2 ? "met" : "MISSED"} (+${(m.chatTtft - m.directTtft).toFixed(1)}) |`,
  );
  console.log(
    `| \`aiplat chat --prompt\` start to first byte | ${m.chatFirstByte.toFixed(1)} | ≤ 3 × node -e 0 + TTFT = ${budget.toFixed(1)}: ${m.chatFirstByte <= budget ? "met" : "MISSED"} (${(m.chatFirstByte / m.nodeE0).toFixed(2)} × node -e 0) |`,
  );

  console.log(
    `| floor: a process importing only openai, ws, yaml and commander | ${m.floor.toFixed(1)} | (${(m.floor / m.nodeE0).toFixed(2)} × node -e 0, before any request or any of aiplat's code) |`,
  );

  const nodeRss = peakRss([process.execPath, "-e", "0"]);
  const sessionRss = await chatSession(env, 200);
  console.log(
    `| peak RSS, ${TURNS}-turn session (200-token answers) | ${(sessionRss / 1024).toFixed(1)} MiB | ≤ 120 MB: ${sessionRss * 1024 <= 120e6 ? "met" : "MISSED"} (node -e 0: ${(nodeRss / 1024).toFixed(1)} MiB) |`,
  );
  const warm = await warmForwardCost(sim.KUBECONFIG ?? "", sim.LITELLM_URL ?? "", directEnv.LITELLM_KEY, 40);
  console.log(
    `| TTFT in one warm process, 40 alternating requests: direct / through the forward | ${warm.direct.toFixed(2)} / ${warm.forwarded.toFixed(2)} | the forward adds ${(warm.forwarded - warm.direct).toFixed(2)} ms |`,
  );
  console.log(
    `\n${runs} runs each, interleaved, after 2 warm-up rounds; serving model ${speedup} × faster than an L4; node ${process.version}; load average ${loadavg()[0]?.toFixed(1)}.`,
  );
} finally {
  launcher?.kill("SIGINT");
  if (launcher) await once(launcher, "exit");
  rmSync(scratch, { recursive: true, force: true });
}
