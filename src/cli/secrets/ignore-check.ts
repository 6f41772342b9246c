/** doctor: every secret file present is ignored by git (else `git add -A` commits the token). */
import type { CheckResult } from "../../core/doctor/checks.js";
import { fail, ok, skip } from "../../core/doctor/checks.js";
import type { CommandContext } from "../context.js";
import { isIgnored, ruleFor, secretFiles } from "./git-ignore.js";

export async function checkSecretsIgnored(
  ctx: CommandContext,
  root: string | undefined,
): Promise<CheckResult> {
  const title = "Secret files ignored by git";
  if (root === undefined) return skip("secrets-ignored", title, "no platform repository");
  const git = ctx.adapters.git(root);
  if (!(await git.isRepository())) return skip("secrets-ignored", title, "not a git clone");
  const files = secretFiles(root);
  if (files.length === 0) return ok("secrets-ignored", title, "no secret files");
  const exposed: string[] = [];
  for (const file of files) if (!(await isIgnored(git, file))) exposed.push(file);
  if (exposed.length === 0) return ok("secrets-ignored", title, files.join(", "));
  const rules = [...new Set(exposed.map(ruleFor))];
  return fail(
    "secrets-ignored",
    title,
    `not ignored by git (a \`git add -A\` would commit the token): ${exposed.join(", ")}`,
    `Add ${rules.map((r) => `\`${r}\``).join(" and ")} to .gitignore (\`printf '%s\\n' ${rules.map((r) => `'${r}'`).join(" ")} >> .gitignore\`); if a file was committed already, \`git rm --cached <file>\` and rotate the token.`,
  );
}
