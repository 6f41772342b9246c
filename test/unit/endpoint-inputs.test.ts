import { describe, expect, it } from "vitest";
import {
  checkEndpointName,
  checkModelId,
  endpointOperandError,
  findUnsafeText,
  type RawDeployInputs,
  validateDeployInputs,
} from "../../src/core/endpoint/validate-inputs.js";
import { UsageError } from "../../src/core/errors.js";

/** The problems validateDeployInputs lists for `raw`, or [] when it accepts it. */
function problemsOf(raw: Omit<RawDeployInputs, "name"> & { name?: string }, contextLimit?: number): string[] {
  try {
    validateDeployInputs({ name: "ok", ...raw }, contextLimit === undefined ? {} : { contextLimit });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).details?.problems as string[];
  }
}

describe("findUnsafeText", () => {
  it("refuses a KRO expression, line breaks and control characters", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the KRO expression syntax on purpose
    expect(findUnsafeText("a${b}")).toBe('contains "${", which KRO would evaluate as an expression');
    expect(findUnsafeText("a\nb")).toBe("contains a line break");
    expect(findUnsafeText("a\rb")).toBe("contains a line break");
    for (const c of [
      "\u0000",
      "\u0009",
      "\u001f",
      "\u007f",
      "\u0085",
      "\u009f",
      "\u2028",
      "\u2029",
      "\ufeff",
      "\u202a",
      "\u202e",
      "\u2066",
      "\u2069",
    ]) {
      expect(findUnsafeText(`a${c}b`), c.codePointAt(0)?.toString(16)).toBe("contains a control character");
    }
  });

  it("lets ordinary text through", () => {
    for (const ok of [
      "a b",
      "$x",
      "{x}",
      "$ {x}",
      "é",
      "\u00a0",
      "\u2027",
      "\u202f",
      "\u2065",
      "\u206a",
      "\ufefe",
    ]) {
      expect(findUnsafeText(ok), ok).toBeUndefined();
    }
  });
});

describe("endpoint names", () => {
  it("explains each rule", () => {
    expect(checkEndpointName("")).toBe("the endpoint name is empty");
    expect(checkEndpointName("a".repeat(40))).toBeUndefined();
    expect(checkEndpointName("a".repeat(41))).toBe(
      "the endpoint name is 41 characters, at most 40 are allowed: besides <name>-serve-svc and <name>-head-svc, KubeRay and KRO derive longer names from it (the RayCluster <name>-raycluster-xxxxx with its Services and pods, the Job <name>-litellm-register), and Kubernetes allows at most 63 characters in each",
    );
    for (const good of ["a", "a1", "a-1", "qwen3-8b"]) expect(checkEndpointName(good)).toBeUndefined();
    for (const bad of ["1a", "-a", "a-", "A", "a_b", "a.b", "xa b"]) {
      expect(checkEndpointName(bad)).toBe(
        `the endpoint name ${JSON.stringify(bad)} must be a DNS label: lowercase letters, digits and "-", starting with a letter and not ending with "-"`,
      );
    }
  });

  it("turns a bad operand into a usage error that names the operand", () => {
    expect(endpointOperandError("gemma-4b")).toBeUndefined();
    const error = endpointOperandError("");
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toBe("Invalid endpoint name: the endpoint name is empty.");
    expect(error?.code).toBe("invalid-input");
    expect(endpointOperandError("a\nb", "target")?.message).toBe("Invalid target: contains a line break.");
  });
});

describe("checkModelId", () => {
  it("takes org/name ids with letters, digits and - _ . inside each part", () => {
    for (const good of [
      "Qwen/Qwen2.5-7B-Instruct",
      "a/b",
      "a_b/c.d-e",
      `${"o".repeat(96)}/${"n".repeat(96)}`,
    ]) {
      expect(checkModelId(good), good).toBeUndefined();
    }
  });

  it("refuses anything else, saying the rule", () => {
    for (const bad of [
      "x",
      "a/b/c",
      "/b",
      "a/",
      "-a/b",
      "a/b-",
      "a/.b",
      "a./b",
      "a--b/c",
      "a/b..c",
      "a b/c",
      `${"o".repeat(97)}/n`,
      `o/${"n".repeat(97)}`,
    ]) {
      expect(checkModelId(bad), bad).toBe(
        `--model ${JSON.stringify(bad)} must be a HuggingFace id org/name (letters, digits, "-", "_", "." inside each part, at most 96 each)`,
      );
    }
  });
});

describe("validateDeployInputs", () => {
  it("returns the parsed values, leaving what was not given undefined", () => {
    expect(
      validateDeployInputs({
        name: "my-model",
        model: "org/m",
        gpus: "4",
        minReplicas: "2",
        maxReplicas: "3",
        maxModelLen: "512",
        workerMemory: "96Gi",
        workerCpu: "16",
        image: "rayproject/ray-llm:2.53.0-py311-cu128",
        instanceFamily: "g6e, G5,g5",
      }),
    ).toStrictEqual({
      name: "my-model",
      model: "org/m",
      gpus: 4,
      minReplicas: 2,
      maxReplicas: 3,
      maxModelLen: 512,
      workerMemory: "96Gi",
      workerCpu: "16",
      image: "rayproject/ray-llm:2.53.0-py311-cu128",
      instanceFamilies: ["g5", "g6e"],
    });
    expect(validateDeployInputs({ name: "x" })).toStrictEqual({
      name: "x",
      model: undefined,
      gpus: undefined,
      minReplicas: undefined,
      maxReplicas: undefined,
      maxModelLen: undefined,
      workerMemory: undefined,
      workerCpu: undefined,
      image: undefined,
      instanceFamilies: undefined,
    });
  });

  it("reports one problem in a sentence, several as a list, with the hint", () => {
    let error: unknown;
    try {
      validateDeployInputs({ name: "ok", gpus: "3" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.message).toBe(
      "Invalid input: --gpus must be 1, 2, 4 or 8 (got 3): vLLM's tensor parallelism must divide the attention heads, and GPU nodes have 1, 4 or 8 GPUs.",
    );
    expect(usage.code).toBe("invalid-input");
    expect(usage.hint).toBe(
      "Fix the values above and run the command again; `aiplat deploy-model --help` lists the flags.",
    );
    try {
      validateDeployInputs({ name: "", gpus: "x" });
    } catch (e) {
      error = e;
    }
    expect((error as UsageError).message).toBe(
      'Invalid input:\n  - the endpoint name is empty\n  - --gpus must be a whole number from 1 to 8 (got "x")',
    );
  });

  it("names the flag of each unsafe value and checks it no further", () => {
    expect(
      problemsOf({
        name: "a\nb",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the KRO expression syntax on purpose
        model: "a${b}",
        gpus: "1\u0000",
        minReplicas: "1\r",
        maxReplicas: "\u2028",
        maxModelLen: "\ufeff",
        workerMemory: "\u202e",
        workerCpu: "\u0007",
        image: "a\nb",
        instanceFamily: "g5\n",
      }),
    ).toEqual([
      "<name> contains a line break",
      '--model contains "${", which KRO would evaluate as an expression',
      "--gpus contains a control character",
      "--min-replicas contains a line break",
      "--max-replicas contains a control character",
      "--max-model-len contains a control character",
      "--worker-memory contains a control character",
      "--worker-cpu contains a control character",
      "--image contains a line break",
      "--instance-family contains a line break",
    ]);
  });

  it("checks the name and the model id", () => {
    expect(problemsOf({ name: "Bad" })).toEqual([
      'the endpoint name "Bad" must be a DNS label: lowercase letters, digits and "-", starting with a letter and not ending with "-"',
    ]);
    expect(problemsOf({ model: "x" })).toEqual([
      '--model "x" must be a HuggingFace id org/name (letters, digits, "-", "_", "." inside each part, at most 96 each)',
    ]);
  });

  it("takes 1, 2, 4 or 8 GPUs", () => {
    for (const n of ["1", "2", "4", "8"]) expect(problemsOf({ gpus: n })).toEqual([]);
    expect(problemsOf({ gpus: "0" })).toEqual(["--gpus must be from 1 to 8 (got 0)"]);
    expect(problemsOf({ gpus: "9" })).toEqual(["--gpus must be from 1 to 8 (got 9)"]);
    for (const n of ["3", "5", "6", "7"]) {
      expect(problemsOf({ gpus: n })).toEqual([
        `--gpus must be 1, 2, 4 or 8 (got ${n}): vLLM's tensor parallelism must divide the attention heads, and GPU nodes have 1, 4 or 8 GPUs`,
      ]);
    }
    for (const raw of ["", "1.5", "-1", " 1", "1 ", "+1", "1e0", "x1"]) {
      expect(problemsOf({ gpus: raw })).toEqual([
        `--gpus must be a whole number from 1 to 8 (got ${JSON.stringify(raw)})`,
      ]);
    }
  });

  it("takes 1 to 16 replicas, the minimum not above the maximum", () => {
    expect(problemsOf({ minReplicas: "1", maxReplicas: "16" })).toEqual([]);
    expect(problemsOf({ minReplicas: "16", maxReplicas: "16" })).toEqual([]);
    expect(problemsOf({ minReplicas: "0" })).toEqual(["--min-replicas must be from 1 to 16 (got 0)"]);
    expect(problemsOf({ maxReplicas: "17" })).toEqual(["--max-replicas must be from 1 to 16 (got 17)"]);
    expect(problemsOf({ minReplicas: "3", maxReplicas: "2" })).toEqual([
      "--min-replicas (3) must not exceed --max-replicas (2)",
    ]);
    // Without --min-replicas the RGD's default of 1 is the minimum.
    expect(problemsOf({ maxReplicas: "1" })).toEqual([]);
    expect(problemsOf({ minReplicas: "5" })).toEqual([]);
  });

  it("bounds --max-model-len by the schema and by the model's own context", () => {
    expect(problemsOf({ maxModelLen: "512" })).toEqual([]);
    expect(problemsOf({ maxModelLen: "1048576" })).toEqual([]);
    expect(problemsOf({ maxModelLen: "511" })).toEqual([
      "--max-model-len must be from 512 to 1048576 (got 511)",
    ]);
    expect(problemsOf({ maxModelLen: "1048577" })).toEqual([
      "--max-model-len must be from 512 to 1048576 (got 1048577)",
    ]);
    expect(problemsOf({ maxModelLen: "32768" }, 32768)).toEqual([]);
    expect(problemsOf({ maxModelLen: "32769" }, 32768)).toEqual([
      "--max-model-len must be from 512 to 32768 (got 32769)",
    ]);
    expect(problemsOf({ maxModelLen: "1048577" }, 2_000_000)).toEqual([
      "--max-model-len must be from 512 to 1048576 (got 1048577)",
    ]);
  });

  it("wants worker memory and CPU as positive Kubernetes quantities", () => {
    expect(problemsOf({ workerMemory: "24Gi", workerCpu: "3500m" })).toEqual([]);
    expect(problemsOf({ workerMemory: "24GB" })).toEqual([
      '--worker-memory "24GB" is not a Kubernetes quantity of the accepted form (e.g. 24Gi)',
    ]);
    expect(problemsOf({ workerCpu: "4 cores" })).toEqual([
      '--worker-cpu "4 cores" is not a Kubernetes quantity of the accepted form (e.g. "4" or 3500m)',
    ]);
    expect(problemsOf({ workerMemory: "0Gi" })).toEqual([
      '--worker-memory must be more than zero (got "0Gi")',
    ]);
    expect(problemsOf({ workerCpu: "0m" })).toEqual(['--worker-cpu must be more than zero (got "0m")']);
    // More digits than a double holds: refused as too large, not as "more than zero".
    const endless = `1${"0".repeat(400)}`;
    expect(problemsOf({ workerCpu: endless })).toEqual([`--worker-cpu "${endless}" is too large`]);
    expect(problemsOf({ workerMemory: `${endless}Gi` })).toEqual([
      `--worker-memory "${endless}Gi" is too large`,
    ]);
  });

  it("checks the image reference", () => {
    expect(problemsOf({ image: "Ray/x:1" })).toEqual([
      '--image "Ray/x:1" is not an image reference (registry/repository:tag, lowercase start, at most 255 characters)',
    ]);
    expect(problemsOf({ image: "a/b c" })).toEqual([
      '--image "a/b c" is not an image reference (registry/repository:tag, lowercase start, at most 255 characters)',
    ]);
    const long = `r/${"a".repeat(253)}`;
    expect(problemsOf({ image: long })).toEqual([]);
    expect(problemsOf({ image: `${long}a` })).toEqual([
      `--image "${long}a" is not an image reference (registry/repository:tag, lowercase start, at most 255 characters)`,
    ]);
    expect(problemsOf({ image: "foo:" })).toEqual([
      '--image "foo:" is not an image reference: the tag after ":" is empty',
    ]);
  });

  it("takes the gpu-inference NodePool's families, in its order and without repeats", () => {
    expect(validateDeployInputs({ name: "x", instanceFamily: "g6e,g6,G6" }).instanceFamilies).toEqual([
      "g6",
      "g6e",
    ]);
    expect(problemsOf({ instanceFamily: "p5" })).toEqual([
      '--instance-family "p5": p5 is not a GPU family of the gpu-inference NodePool (g5, g6, g6e)',
    ]);
    expect(problemsOf({ instanceFamily: "p4, g5 ,p5" })).toEqual([
      '--instance-family "p4, g5 ,p5": p4, p5 is not a GPU family of the gpu-inference NodePool (g5, g6, g6e)',
    ]);
    expect(problemsOf({ instanceFamily: " , " })).toEqual([
      '--instance-family " , ": none is a GPU family of the gpu-inference NodePool (g5, g6, g6e)',
    ]);
  });
});
