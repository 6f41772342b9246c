/**
 * The io host: the only way commands talk to the user. Human progress and diagnostics go to
 * stderr, results to stdout; in --json mode stdout carries exactly one JSON document at the end.
 * Prompts are requests through the host so that tests (and --json/--yes/no-TTY runs) answer them.
 */

export interface Choice<T> {
  name: string;
  value: T;
  description?: string | undefined;
}

interface QuestionBase {
  /** The flag that supplies this value non-interactively, named in errors (e.g. "--region"). */
  flag: string;
  message: string;
}

export interface InputQuestion extends QuestionBase {
  default?: string | undefined;
  /** true when valid; otherwise the message to show before asking again. */
  validate?: ((value: string) => true | string) | undefined;
}
export interface ConfirmQuestion extends QuestionBase {
  default?: boolean | undefined;
}
export interface SelectQuestion<T> extends QuestionBase {
  choices: ReadonlyArray<Choice<T>>;
  default?: T | undefined;
}
export interface CheckboxQuestion<T> extends QuestionBase {
  choices: ReadonlyArray<Choice<T> & { checked?: boolean }>;
}
export interface PasswordQuestion extends QuestionBase {
  validate?: ((value: string) => true | string) | undefined;
}

export interface Prompter {
  input(question: InputQuestion): Promise<string>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
  select<T>(question: SelectQuestion<T>): Promise<T>;
  checkbox<T>(question: CheckboxQuestion<T>): Promise<T[]>;
  password(question: PasswordQuestion): Promise<string>;
}

export interface TaskHandle {
  /** Replace the task's title (e.g. with elapsed time or the resource being created). */
  setTitle(title: string): void;
  /** A detail line under the task: the reason it is not done yet, the current resource. */
  output(line: string): void;
  /** Mark the task skipped with a reason instead of done. */
  skip(reason: string): void;
}

export interface TaskSpec {
  title: string;
  run(task: TaskHandle): Promise<void>;
}

export interface IoHost {
  /** --json: one JSON document on stdout, no prompts, no human progress. */
  readonly json: boolean;
  /** Prompts may be shown: a TTY, not --json, not --yes. */
  readonly interactive: boolean;
  readonly prompt: Prompter;
  /** Progress and diagnostics (stderr in human mode; dropped in --json mode). */
  info(message: string): void;
  warn(message: string): void;
  success(message: string): void;
  /** Only with --debug, always redacted. */
  debug(message: string): void;
  /** Run tasks with live progress (listr2 in human mode, JSON lines on stderr in --json). Rejects with the first failure. */
  runTasks(tasks: readonly TaskSpec[]): Promise<void>;
  /**
   * The command's result: `human` is printed to stdout in human mode; `data` is merged into the
   * final JSON document in --json mode. Call once per command.
   */
  result(data: Record<string, unknown>, human: string): void;
  /**
   * Result text written to stdout as it arrives (a streamed chat answer, a URL for a command that
   * keeps running); nothing in --json mode, where result() carries it. Not redacted, like result().
   */
  write(text: string): void;
  /** Whether stdout/stderr is a terminal (`status --watch` redraws in place only there). */
  readonly isTTY: boolean;
  /** Colour helpers that are no-ops without a TTY or with NO_COLOR. */
  readonly style: Style;
}

export interface Style {
  ok(text: string): string;
  warn(text: string): string;
  fail(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}
