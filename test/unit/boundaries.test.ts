/**
 * The edges the other unit tests stepped around (issue 21): each case sits exactly on a limit, so
 * moving the limit by one (a wrong comparison, a changed constant) fails here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateDeployInputs } from "../../src/core/endpoint/validate-inputs.js";
import { UsageError } from "../../src/core/errors.js";
import { planFit } from "../../src/core/fit/plan-fit.js";
import { CAPABILITY_NAMES, defaultTfvarsAnswers } from "../../src/core/init/answers.js";
import { readTfvarsAnswers } from "../../src/core/init/tfvars.js";
import { Redactor } from "../../src/core/redact.js";
import { emptyJournal, hasUnfinishedRun, recordStage, resumePoint } from "../../src/core/stages/journal.js";
import { repoRoot } from "../support/paths.js";

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).details?.problems as string[];
  }
  return [];
}

describe("deploy-model replicas: --min-replicas may equal --max-replicas", () => {
  it("accepts min = max (a fixed replica count), at 1 and at the top of the range", () => {
    expect(validateDeployInputs({ name: "q", minReplicas: "3", maxReplicas: "3" })).toMatchObject({
      minReplicas: 3,
      maxReplicas: 3,
    });
    expect(validateDeployInputs({ name: "q", minReplicas: "16", maxReplicas: "16" }).maxReplicas).toBe(16);
    // The default minimum is 1: --max-replicas 1 alone is min = max too.
    expect(validateDeployInputs({ name: "q", maxReplicas: "1" }).maxReplicas).toBe(1);
  });

  it("refuses min one above max, saying both values", () => {
    expect(problemsOf(() => validateDeployInputs({ name: "q", minReplicas: "4", maxReplicas: "3" }))).toEqual(
      ["--min-replicas (4) must not exceed --max-replicas (3)"],
    );
  });
});

describe("deploy-model --model: HuggingFace id parts", () => {
  const refusal = (model: string) =>
    `--model ${JSON.stringify(model)} must be a HuggingFace id org/name (letters, digits, "-", "_", "." inside each part, at most 96 each)`;

  it.each([
    "org/a--b",
    "my--org/model",
    "org/a..b",
    "org/-model",
    "org/model-",
    "org/.model",
    "org/model.",
    "org",
    "a/b/c",
  ])("refuses %s", (model) => {
    expect(problemsOf(() => validateDeployInputs({ name: "q", model }))).toEqual([refusal(model)]);
  });

  it.each(["org/a-b", "org/a.b", "org/a_b", "o/m", "Org_1/Model.v2-Instruct", `${"a".repeat(96)}/m`])(
    "accepts %s",
    (model) => {
      expect(validateDeployInputs({ name: "q", model }).model).toBe(model);
    },
  );

  it("refuses a part of 97 characters", () => {
    const model = `org/${"a".repeat(97)}`;
    expect(problemsOf(() => validateDeployInputs({ name: "q", model }))).toEqual([refusal(model)]);
  });
});

describe("redaction of registered secrets: 4 characters is the minimum", () => {
  it("masks a registered 4-character secret and ignores a 3-character one", () => {
    const r = new Redactor();
    r.add("q7Zp");
    r.add("k9w");
    expect(r.redact("user q7Zp logged in with k9w")).toBe("user *** logged in with k9w");
  });
});

/** Terraform's own default for each capability (optional(bool, <default>) in 00.global). */
function terraformCapabilityDefaults(): Record<string, boolean> {
  const text = readFileSync(join(repoRoot, "terraform", "00.global", "variables.tf"), "utf8");
  const block = text.slice(text.indexOf("capabilities = object({"));
  const body = block.slice(0, block.indexOf("})"));
  return Object.fromEntries(
    [...body.matchAll(/^\s*(\w+)\s*=\s*optional\(bool,\s*(true|false)\)/gm)].map((m) => [
      m[1],
      m[2] === "true",
    ]),
  );
}

describe("re-reading a hand-edited tfvars", () => {
  it("reads a capability left out of the map as Terraform's default for it (true)", () => {
    const defaults = terraformCapabilityDefaults();
    expect(Object.keys(defaults).sort()).toEqual([...CAPABILITY_NAMES].sort());
    for (const missing of CAPABILITY_NAMES) {
      const caps = Object.fromEntries(CAPABILITY_NAMES.filter((n) => n !== missing).map((n) => [n, false]));
      const read = readTfvarsAnswers({ cluster_config: { capabilities: caps } });
      expect(read.capabilities?.[missing], missing).toBe(defaults[missing]);
      expect(read.capabilities?.[missing]).toBe(true);
    }
  });

  it("keeps gpu_node_limit anywhere Terraform's validation allows (1 to 512) and drops the rest", () => {
    const fallback = defaultTfvarsAnswers().gpuNodeLimit;
    const read = (value: unknown) =>
      readTfvarsAnswers({ cluster_config: { gpu_node_limit: value } }).gpuNodeLimit;
    for (const kept of [1, 64, 65, 200, 512]) expect(read(kept)).toBe(kept);
    for (const dropped of [0, 513, 1.5, "32", -4]) expect(read(dropped)).toBe(fallback);
    const rule = readFileSync(join(repoRoot, "terraform", "00.global", "variables.tf"), "utf8");
    expect(rule).toContain("var.cluster_config.gpu_node_limit <= 512");
  });
});

describe("fit: a worker must leave the node's reservations free", () => {
  // g5.xlarge and g6.xlarge have 4 vCPU and 16 GiB: 0.5 vCPU and 10 % + 1 GiB stay with the system.
  const oneGpuHosts = (workerCpu: string, workerMemory: string) =>
    planFit({ shape: undefined, bytesPerParam: 2, maxModelLen: 8192, gpuCount: 1, workerCpu, workerMemory })
      .candidates.map((t) => t.name)
      .filter((n) => n === "g5.xlarge" || n === "g6.xlarge");

  it("a 4-vCPU node takes a worker asking 3500m, not one asking 4 or 3501m", () => {
    expect(oneGpuHosts("3500m", "8Gi")).toEqual(["g5.xlarge", "g6.xlarge"]);
    expect(oneGpuHosts("4", "8Gi")).toEqual([]);
    expect(oneGpuHosts("3501m", "8Gi")).toEqual([]);
  });

  it("a 16-GiB node takes a worker asking 13.4 GiB at most", () => {
    // 16 × 0.9 − 1 = 13.4 GiB allocatable.
    expect(oneGpuHosts("2", "13720Mi")).toEqual(["g5.xlarge", "g6.xlarge"]);
    expect(oneGpuHosts("2", "13722Mi")).toEqual([]);
  });
});

describe("the up journal after a crash", () => {
  const at = new Date("2025-01-01T00:00:00Z");
  const stages = ["10.networking", "20.iam-roles-for-eks", "30.eks/30.cluster"];

  it("counts a stage left running (aiplat killed mid-stage) as unfinished, and resumes there", () => {
    let j = recordStage(emptyJournal("dev"), "10.networking", "done", at);
    j = recordStage(j, "20.iam-roles-for-eks", "running", at);
    expect(hasUnfinishedRun(j)).toBe(true);
    expect(resumePoint(j, stages)).toBe("20.iam-roles-for-eks");
  });

  it("counts failed and interrupted as unfinished; done and skipped alone are a finished run", () => {
    const base = recordStage(
      recordStage(emptyJournal("dev"), "10.networking", "done", at),
      "x",
      "skipped",
      at,
    );
    expect(hasUnfinishedRun(base)).toBe(false);
    expect(hasUnfinishedRun(recordStage(base, "y", "failed", at))).toBe(true);
    expect(hasUnfinishedRun(recordStage(base, "y", "interrupted", at))).toBe(true);
  });
});
