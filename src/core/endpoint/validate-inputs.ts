/**
 * Validation of every deploy-model input before anything is rendered, written or committed. All
 * problems are reported at once (one UsageError, exit 2), each naming its flag and the rule.
 * Values reach a YAML file that KRO evaluates, so besides ranges this refuses `${` (KRO would run
 * it as an expression), newlines and control characters (they could forge YAML structure).
 */
import { GPU_FAMILIES, type GpuFamily } from "../catalog/catalog.js";
import { UsageError } from "../errors.js";
import { CPU_PATTERN, MEMORY_PATTERN, parseCpu, parseMemoryBytes } from "../fit/quantity.js";
import { ENDPOINT_DEFAULTS, MAX_ENDPOINT_NAME_LENGTH } from "./endpoint-spec.js";
import { imageProblem } from "./validate-image.js";

/** What the user typed, as strings (flags) — numbers are parsed here so every problem is listed. */
export interface RawDeployInputs {
  name: string;
  model?: string | undefined;
  gpus?: string | undefined;
  minReplicas?: string | undefined;
  maxReplicas?: string | undefined;
  maxModelLen?: string | undefined;
  workerMemory?: string | undefined;
  workerCpu?: string | undefined;
  image?: string | undefined;
  /** --instance-family, repeatable and comma-separated, joined with ",". */
  instanceFamily?: string | undefined;
}

export interface DeployInputs {
  name: string;
  model?: string | undefined;
  gpus?: number | undefined;
  minReplicas?: number | undefined;
  maxReplicas?: number | undefined;
  maxModelLen?: number | undefined;
  workerMemory?: string | undefined;
  workerCpu?: string | undefined;
  image?: string | undefined;
  instanceFamilies?: GpuFamily[] | undefined;
}

export const ENDPOINT_NAME_PATTERN = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
/** HuggingFace repo ids: `org/name`, letters, digits, `-`, `_`, `.`; no leading/trailing `-`/`.`, no `--`/`..`. */
const HF_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const HF_PART_MAX = 96;

const IMAGE_PATTERN = /^[a-z0-9][A-Za-z0-9._/:@-]*$/;
const IMAGE_MAX = 255;
export const REPLICAS_MAX = 16;
export const MAX_MODEL_LEN_MIN = 512;
export const MAX_MODEL_LEN_MAX = 1_048_576;
// C0 and C1 controls, DEL, line/paragraph separators and the BOM: none belongs in a flag value;
// nor do bidirectional overrides and isolates, which make text read differently from what it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]/;

const FLAG_OF: Record<keyof RawDeployInputs, string> = {
  name: "<name>",
  model: "--model",
  gpus: "--gpus",
  minReplicas: "--min-replicas",
  maxReplicas: "--max-replicas",
  maxModelLen: "--max-model-len",
  workerMemory: "--worker-memory",
  workerCpu: "--worker-cpu",
  image: "--image",
  instanceFamily: "--instance-family",
};

/** Reasons a raw value is unsafe whatever the field: `${`, newlines, control characters. */
export function findUnsafeText(value: string): string | undefined {
  if (value.includes("${")) return 'contains "${", which KRO would evaluate as an expression';
  if (/[\r\n]/.test(value)) return "contains a line break";
  if (CONTROL.test(value)) return "contains a control character";
  return undefined;
}

/**
 * An endpoint name given as a command's operand (undeploy-model, logs, chat, smoke, bench), checked
 * before anything is read or reached, in a message that names the operand.
 */
export function endpointOperandError(name: string, operand = "endpoint name"): UsageError | undefined {
  const problem = findUnsafeText(name) ?? checkEndpointName(name);
  return problem === undefined
    ? undefined
    : new UsageError(`Invalid ${operand}: ${problem}.`, { code: "invalid-input" });
}

export function checkEndpointName(name: string): string | undefined {
  if (name === "") return "the endpoint name is empty";
  if (name.length > MAX_ENDPOINT_NAME_LENGTH) {
    return `the endpoint name is ${name.length} characters, at most ${MAX_ENDPOINT_NAME_LENGTH} are allowed: besides <name>-serve-svc and <name>-head-svc, KubeRay and KRO derive longer names from it (the RayCluster <name>-raycluster-xxxxx with its Services and pods, the Job <name>-litellm-register), and Kubernetes allows at most 63 characters in each`;
  }
  if (!ENDPOINT_NAME_PATTERN.test(name)) {
    return `the endpoint name ${JSON.stringify(name)} must be a DNS label: lowercase letters, digits and "-", starting with a letter and not ending with "-"`;
  }
  return undefined;
}

export function checkModelId(model: string): string | undefined {
  const parts = model.split("/");
  const ok =
    parts.length === 2 &&
    parts.every((p) => HF_PART.test(p) && p.length <= HF_PART_MAX && !p.includes("--") && !p.includes(".."));
  return ok
    ? undefined
    : `--model ${JSON.stringify(model)} must be a HuggingFace id org/name (letters, digits, "-", "_", "." inside each part, at most ${HF_PART_MAX} each)`;
}

function parseIntIn(
  raw: string | undefined,
  flag: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw)) {
    problems.push(`${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    return undefined;
  }
  const value = Number(raw);
  if (value < min || value > max) {
    problems.push(`${flag} must be from ${min} to ${max} (got ${value})`);
    return undefined;
  }
  return value;
}

function checkQuantity(
  raw: string | undefined,
  flag: string,
  pattern: RegExp,
  amount: (s: string) => number,
  example: string,
  problems: string[],
): void {
  if (raw === undefined) return;
  if (!pattern.test(raw)) {
    problems.push(
      `${flag} ${JSON.stringify(raw)} is not a Kubernetes quantity of the accepted form (e.g. ${example})`,
    );
  } else if (!(amount(raw) > 0)) {
    problems.push(`${flag} must be more than zero (got ${JSON.stringify(raw)})`);
  } else if (!Number.isFinite(amount(raw))) {
    problems.push(`${flag} ${JSON.stringify(raw)} is too large`);
  }
}

/**
 * Validates the raw inputs. `contextLimit` is the model's own maximum context when known (catalog);
 * otherwise --max-model-len is bounded by the InferenceEndpoint schema only.
 */
export function validateDeployInputs(
  raw: RawDeployInputs,
  limits: { contextLimit?: number } = {},
): DeployInputs {
  const problems: string[] = [];
  const unsafe = new Set<string>();
  for (const key of Object.keys(FLAG_OF) as (keyof RawDeployInputs)[]) {
    const value = raw[key];
    if (value === undefined) continue;
    const reason = findUnsafeText(value);
    if (reason) {
      problems.push(`${FLAG_OF[key]} ${reason}`);
      unsafe.add(key);
    }
  }
  const safe = (key: keyof RawDeployInputs) => (unsafe.has(key) ? undefined : raw[key]);

  const nameValue = safe("name");
  if (nameValue !== undefined) {
    const problem = checkEndpointName(nameValue);
    if (problem) problems.push(problem);
  }
  const model = safe("model");
  if (model !== undefined) {
    const problem = checkModelId(model);
    if (problem) problems.push(problem);
  }
  const gpus = parseIntIn(safe("gpus"), "--gpus", 1, 8, problems);
  if (gpus !== undefined && ![1, 2, 4, 8].includes(gpus)) {
    problems.push(
      `--gpus must be 1, 2, 4 or 8 (got ${gpus}): vLLM's tensor parallelism must divide the attention heads, and GPU nodes have 1, 4 or 8 GPUs`,
    );
  }
  const minReplicas = parseIntIn(safe("minReplicas"), "--min-replicas", 1, REPLICAS_MAX, problems);
  const maxReplicas = parseIntIn(safe("maxReplicas"), "--max-replicas", 1, REPLICAS_MAX, problems);
  const effectiveMin = minReplicas ?? ENDPOINT_DEFAULTS.minReplicas;
  // Without --max-replicas there is no maximum to exceed (planEndpoint raises the default).
  if (effectiveMin > (maxReplicas ?? Number.POSITIVE_INFINITY)) {
    problems.push(`--min-replicas (${effectiveMin}) must not exceed --max-replicas (${maxReplicas})`);
  }
  // The model's own context limit when the catalog knows it: vLLM refuses a longer max_model_len.
  const lenMax = Math.min(limits.contextLimit ?? MAX_MODEL_LEN_MAX, MAX_MODEL_LEN_MAX);
  const maxModelLen = parseIntIn(safe("maxModelLen"), "--max-model-len", MAX_MODEL_LEN_MIN, lenMax, problems);
  checkQuantity(safe("workerMemory"), "--worker-memory", MEMORY_PATTERN, parseMemoryBytes, "24Gi", problems);
  checkQuantity(safe("workerCpu"), "--worker-cpu", CPU_PATTERN, parseCpu, '"4" or 3500m', problems);
  const image = safe("image");
  if (image !== undefined && (!IMAGE_PATTERN.test(image) || image.length > IMAGE_MAX)) {
    problems.push(
      `--image ${JSON.stringify(image)} is not an image reference (registry/repository:tag, lowercase start, at most ${IMAGE_MAX} characters)`,
    );
  } else if (image !== undefined) {
    const problem = imageProblem(image);
    if (problem) problems.push(`--image ${JSON.stringify(image)} is not an image reference: ${problem}`);
  }

  const instanceFamilies = parseFamilies(safe("instanceFamily"), problems);

  if (problems.length > 0) {
    throw new UsageError(
      problems.length === 1
        ? `Invalid input: ${problems[0]}.`
        : `Invalid input:\n  - ${problems.join("\n  - ")}`,
      {
        code: "invalid-input",
        hint: "Fix the values above and run the command again; `aiplat deploy-model --help` lists the flags.",
        details: { problems },
      },
    );
  }
  return {
    name: raw.name,
    model,
    gpus,
    minReplicas,
    maxReplicas,
    maxModelLen,
    workerMemory: raw.workerMemory,
    workerCpu: raw.workerCpu,
    image,
    instanceFamilies,
  };
}

/**
 * `g6e`, `g5,g6`: families of the gpu-inference NodePool (its requirement on
 * karpenter.k8s.aws/instance-family). Another family could never be launched for the endpoint.
 */
function parseFamilies(raw: string | undefined, problems: string[]): GpuFamily[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== "");
  const unknown = names.filter((n) => !GPU_FAMILIES.includes(n as GpuFamily));
  if (names.length === 0 || unknown.length > 0) {
    problems.push(
      `--instance-family ${JSON.stringify(raw)}: ${unknown.length > 0 ? `${unknown.join(", ")} is not` : "none is"} a GPU family of the gpu-inference NodePool (${GPU_FAMILIES.join(", ")})`,
    );
    return undefined;
  }
  // The NodePool's order, without repeats: the same choice always renders the same file.
  return GPU_FAMILIES.filter((f) => names.includes(f));
}
