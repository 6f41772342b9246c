/**
 * The one list of hostile values, and what every command needs around them, for the fuzz table
 * test (hostile-inputs.test.ts). Options and arguments are read from the CLI's own commander
 * program, so a new flag is fuzzed without being listed here; a new command must be given its
 * valid base arguments below (the test fails until it is), and a flag whose value is free text by
 * design must be listed in FREE_TEXT with the reason.
 */

/** Values a user, a script or an attacker may pass; none is a valid value of any validated flag. */
export const HOSTILE_VALUES: ReadonlyArray<{ label: string; value: string }> = [
  { label: "path traversal", value: "../../../etc/passwd" },
  { label: "shell metacharacters", value: "x; touch pwned && $(id) `id` | cat" },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the hostile value
  { label: "template / CEL expression", value: "${schema.spec.name}{{ .Values }}" },
  { label: "line break", value: "gemma-1b\ninjected: true" },
  { label: "NUL byte", value: "gemma-1b\u0000x" },
  { label: "huge value", value: "a".repeat(200_000) },
  { label: "unicode look-alike", value: "gemmа-1b" }, // the "а" is Cyrillic U+0430
  { label: "bidi override", value: "gemma\u202e1b" },
];

/**
 * Valid operands for each command (before the flag under test), so the one hostile value is the
 * only thing wrong. `null`: the command takes no fuzzable input and is skipped, with the reason.
 */
export const BASE_ARGS: Readonly<Record<string, readonly string[] | { skip: string }>> = {
  doctor: [],
  init: ["--yes"],
  up: [],
  plan: [],
  bootstrap: [],
  kubeconfig: ["--exec-credential", "--cluster", "aiplat-dev", "--region", "eu-central-1"],
  "deploy-model": ["gemma-1b", "--no-push"],
  "undeploy-model": ["gemma-1b", "--no-push"],
  scale: ["gemma-1b", "--no-push", "--max-replicas", "2"],
  models: [],
  status: [],
  logs: ["gemma-1b"],
  destroy: [],
  secret: { skip: "a command group: its subcommand is fuzzed" },
  "secret hf-token": [],
  key: [],
  forward: ["litellm"],
  chat: ["gemma-1b", "--prompt", "hi"],
  smoke: [],
  open: ["litellm"],
  bench: ["gemma-1b"],
  completion: ["bash"],
  __complete: { skip: "the hidden completion backend: it prints candidates for any words, by design" },
};

/**
 * `<command> <flag>` naming a file the command creates: a value that is a legal path (a look-alike
 * letter, a ";" in a file name) is a path, so the command goes on to its next check — here the
 * missing cluster outputs (exit 4) — still writing nothing. Unsafe text is exit 2 all the same.
 */
export const NEW_FILE_PATHS: Readonly<Record<string, string>> = {
  "kubeconfig --file": "the kubeconfig to create or update",
};

/** The hostile values that are still legal file names (the others are refused as text). */
export const LEGAL_PATH_LABELS: ReadonlySet<string> = new Set([
  "path traversal",
  "shell metacharacters",
  "unicode look-alike",
]);

/** `<command> <flag>` whose value is free text by design: what the user types to the model. */
export const FREE_TEXT: Readonly<Record<string, string>> = {
  "chat --prompt": "the message sent to the model, as typed",
  "chat --system": "the system prompt sent to the model, as typed",
};
