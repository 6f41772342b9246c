/**
 * One rule for every init question: a value given (flag or answers file) is validated and never
 * asked; otherwise a TTY asks with the pre-filled (existing tfvars) or default answer; without a
 * TTY the pre-filled value stands, `--yes` takes the default, and anything else is recorded as
 * missing so that one exit-2 error can name every missing flag at once.
 */
import { UsageError } from "../../core/errors.js";
import type { Verdict } from "../../core/init/validate.js";
import type { Choice, IoHost } from "../../ui/io-host.js";

export interface TextField {
  flag: string;
  message: string;
  given?: string | undefined;
  /** From the existing tfvars of this environment. */
  prefill?: string | undefined;
  /** Used with --yes and as the prompt's default when nothing is pre-filled. */
  fallback?: string | undefined;
  validate: (value: string) => Verdict;
  /** Without a default, --yes still fills it (e.g. by discovering the one Identity Center instance). */
  yesFills?: boolean | undefined;
  /** Offer these instead of free text (interactive only). */
  choices?: ReadonlyArray<Choice<string>> | undefined;
}

export class FieldResolver {
  readonly missing: string[] = [];
  readonly problems: string[] = [];
  /** Whether --yes would fill any missing value (then, and only then, the hint suggests it). */
  private yesWouldHelp = false;

  constructor(
    private readonly io: IoHost,
    private readonly yes: boolean,
  ) {}

  get interactive(): boolean {
    return this.io.interactive;
  }

  /** Records a rejected given value (`--flag value: reason`). */
  reject(flag: string, value: string, reason: string): void {
    this.problems.push(`${flag} ${JSON.stringify(value)}: ${reason}`);
  }

  /** `yesFills`: the value has a default that --yes would take. */
  markMissing(flag: string, options: { yesFills?: boolean } = {}): void {
    if (options.yesFills && !this.yes) this.yesWouldHelp = true;
    if (!this.missing.includes(flag)) this.missing.push(flag);
  }

  async text(field: TextField): Promise<string | undefined> {
    if (field.given !== undefined) {
      const verdict = field.validate(field.given);
      if (verdict !== true) {
        this.reject(field.flag, field.given, verdict);
        return undefined;
      }
      return field.given;
    }
    const prefill =
      field.prefill !== undefined && field.validate(field.prefill) === true ? field.prefill : undefined;
    const fallback = prefill ?? field.fallback;
    if (this.io.interactive) {
      if (field.choices && field.choices.length > 0) {
        const choices = [...field.choices];
        if (fallback !== undefined && !choices.some((c) => c.value === fallback)) {
          choices.push({ name: `${fallback} (current)`, value: fallback });
        }
        return this.io.prompt.select({
          flag: field.flag,
          message: field.message,
          choices,
          default: fallback,
        });
      }
      return this.io.prompt.input({
        flag: field.flag,
        message: field.message,
        default: fallback,
        validate: field.validate,
      });
    }
    if (prefill !== undefined) return prefill;
    if (this.yes && field.fallback !== undefined) return field.fallback;
    this.markMissing(field.flag, { yesFills: field.fallback !== undefined || field.yesFills === true });
    return undefined;
  }

  /** Throws the one exit-2 error naming every rejected value and every missing flag. */
  finish(): void {
    if (this.problems.length === 0 && this.missing.length === 0) return;
    const parts: string[] = [];
    if (this.problems.length > 0) parts.push(`Invalid values:\n  ${this.problems.join("\n  ")}`);
    if (this.missing.length > 0) parts.push(`Missing values for ${this.missing.join(", ")}`);
    throw new UsageError(`aiplat init: ${parts.join("\n")}`, {
      code: this.problems.length > 0 ? "invalid-answers" : "missing-value",
      hint:
        this.missing.length > 0
          ? `Pass them as flags or in --answers <file.yaml>, or run in a terminal to be asked${this.yesWouldHelp ? "; --yes takes the defaults" : ""}.`
          : "Correct the values (see `aiplat init --help`); nothing was written.",
      details: { missing: this.missing, problems: this.problems, flags: this.missing },
    });
  }
}
