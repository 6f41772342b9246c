import { describe, expect, it } from "vitest";
import { resolveEnvironment, validateEnvironmentName } from "../../src/core/environment.js";
import {
  AiplatError,
  ConfigError,
  ExitCode,
  ExternalError,
  InterruptedError,
  isAiplatError,
  PrerequisiteError,
  UsageError,
} from "../../src/core/errors.js";
import { checkHfToken, HF_TOKEN_MAX, validateHfToken } from "../../src/core/hf-token.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("the error model (CLI.md exit codes)", () => {
  it("has the exit codes of CLI.md", () => {
    expect(ExitCode).toEqual({
      ok: 0,
      internal: 1,
      usage: 2,
      config: 3,
      prerequisite: 4,
      external: 5,
      interrupted: 130,
    });
  });

  it.each([
    [() => new UsageError("bad flag"), "UsageError", "usage", 2],
    [() => new ConfigError("bad config"), "ConfigError", "config", 3],
    [() => new PrerequisiteError("no terraform"), "PrerequisiteError", "prerequisite", 4],
    [() => new ExternalError("terraform failed"), "ExternalError", "external", 5],
    [() => new InterruptedError(), "InterruptedError", "interrupted", 130],
  ])("%#: each kind has its name, default code and exit code", (make, name, code, exitCode) => {
    const error = make();
    expect(error).toBeInstanceOf(AiplatError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exitCode);
    expect(error.hint).toBeUndefined();
    expect(error.details).toBeUndefined();
    expect("cause" in error).toBe(false);
  });

  it("says Interrupted. when Ctrl-C gives no other message", () => {
    expect(new InterruptedError().message).toBe("Interrupted.");
    expect(new InterruptedError("Stopped waiting.").message).toBe("Stopped waiting.");
  });

  it.each([
    [() => new UsageError("m", { code: "bad-x", hint: "h", details: { a: 1 }, cause: "c" })],
    [() => new ConfigError("m", { code: "bad-x", hint: "h", details: { a: 1 }, cause: "c" })],
    [() => new PrerequisiteError("m", { code: "bad-x", hint: "h", details: { a: 1 }, cause: "c" })],
    [() => new ExternalError("m", { code: "bad-x", hint: "h", details: { a: 1 }, cause: "c" })],
    [() => new InterruptedError("m", { code: "bad-x", hint: "h", details: { a: 1 }, cause: "c" })],
  ])("%#: keeps the given code, hint, details and cause", (make) => {
    const error = make();
    expect(error.message).toBe("m");
    expect(error.code).toBe("bad-x");
    expect(error.hint).toBe("h");
    expect(error.details).toEqual({ a: 1 });
    expect(error.cause).toBe("c");
  });

  it("recognises its own errors only", () => {
    expect(isAiplatError(new ConfigError("x"))).toBe(true);
    expect(isAiplatError(new AiplatError("custom", "x", ExitCode.internal))).toBe(true);
    expect(isAiplatError(new Error("x"))).toBe(false);
    expect(isAiplatError({ code: "usage", exitCode: 2, message: "x" })).toBe(false);
    expect(isAiplatError(undefined)).toBe(false);
  });
});

describe("HuggingFace tokens", () => {
  const body = (n: number) => "aB3".repeat(Math.ceil(n / 3)).slice(0, n);

  it("accepts hf_ followed by 20 or more letters and digits", () => {
    expect(checkHfToken(`hf_${body(20)}`)).toBe(true);
    expect(checkHfToken(`hf_${body(34)}`)).toBe(true);
  });

  it("refuses a token with anything before or after hf_ and its letters and digits", () => {
    for (const token of [`xhf_${body(30)}`, ` hf_${body(30)}`, `hf_${body(30)}!`])
      expect(checkHfToken(token), token).toMatch(/^That is not a HuggingFace token \(\d+ characters\)/);
  });

  it("refuses a token one character short, saying how long it was but not what it was", () => {
    expect(checkHfToken(`hf_${body(19)}`)).toBe(
      "That is not a HuggingFace token (22 characters): tokens start with hf_ followed by letters and digits.",
    );
  });

  it.each([
    ["a placeholder", "<your-token>"],
    ["a stray newline", `hf_${body(30)}\n`],
    ["a quote", `"hf_${body(30)}"`],
    ["another prefix", `hx_${body(30)}`],
    ["a dash inside", `hf_${body(15)}-${body(15)}`],
  ])("refuses %s", (_name, token) => {
    expect(checkHfToken(token)).toBe(
      `That is not a HuggingFace token (${token.length} characters): tokens start with hf_ followed by letters and digits.`,
    );
  });

  it("reads a token up to 512 characters and refuses a longer one before any check", () => {
    expect(HF_TOKEN_MAX).toBe(512);
    expect(checkHfToken(`hf_${body(509)}`)).toBe(true);
    expect(checkHfToken(`hf_${body(510)}`)).toBe(
      "That is not a HuggingFace token (longer than 512 characters): tokens start with hf_ followed by letters and digits.",
    );
  });

  it("names where a bad token came from, with the fix as the hint", () => {
    const error = thrown(() => validateHfToken("hf_short", "HF_TOKEN"));
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({
      code: "bad-hf-token",
      exitCode: 2,
      message:
        "The token from HF_TOKEN is not a HuggingFace token (8 characters): tokens start with hf_ followed by letters and digits.",
      hint: "Create one at huggingface.co/settings/tokens (read access is enough) and accept the model's licence.",
    });
  });

  it("returns a good token unchanged", () => {
    const token = `hf_${body(34)}`;
    expect(validateHfToken(token, "--hf-token")).toBe(token);
  });
});

describe("environment names", () => {
  it("explains the rule and names where the bad name came from", () => {
    const error = thrown(() => validateEnvironmentName("Prod", "--env"));
    expect(error).toMatchObject({
      code: "invalid-environment",
      exitCode: 2,
      message:
        "Invalid environment name \"Prod\" (from --env): use 1-20 lowercase letters, digits or '-', starting with a letter and not ending with '-'.",
      hint: "Example: --env dev",
    });
  });

  it.each([
    ["x".repeat(20), true],
    ["x".repeat(21), false],
    ["a-b", true],
    ["-ab", false],
    ["a1", true],
    ["ab-", false],
    ["dev\n", false],
    [" dev", false],
  ])("%j is valid: %s", (name, valid) => {
    if (valid) expect(validateEnvironmentName(name, "--env")).toBe(name);
    else expect(() => validateEnvironmentName(name, "--env")).toThrow(UsageError);
  });

  it("checks AIPLAT_ENV and the recorded environment too, naming each source", () => {
    expect(resolveEnvironment({ envVar: "stage", active: "qa" })).toEqual({
      name: "stage",
      source: "AIPLAT_ENV",
    });
    expect((thrown(() => resolveEnvironment({ envVar: "Stage" })) as Error).message).toContain(
      '"Stage" (from AIPLAT_ENV)',
    );
    expect((thrown(() => resolveEnvironment({ active: "Q_A" })) as Error).message).toContain(
      '"Q_A" (from .aiplat/active-env)',
    );
  });

  it("treats an empty --env as a bad name, but an empty AIPLAT_ENV as unset", () => {
    expect((thrown(() => resolveEnvironment({ flag: "", active: "qa" })) as Error).message).toContain(
      '"" (from --env)',
    );
    expect(resolveEnvironment({ envVar: "", active: "qa" })).toEqual({
      name: "qa",
      source: ".aiplat/active-env",
    });
    expect(resolveEnvironment({ envVar: "", active: "" })).toEqual({ name: "dev", source: "default" });
  });
});
