/**
 * The Docker Hub token never enters a plan file or the state: `docker_hub_access_token` is an
 * ephemeral variable that only reaches a write-only argument, so `up` must hand the var files to
 * the apply of the saved plan again. The real terraform runs the fixture stages, with the repo's
 * own two Docker Hub variable declarations in the cluster stage and a stand-in for the write-only
 * use (a provisioner, which may also take ephemeral values) that records a hash of what arrived,
 * re-run, like a write-only argument, only when docker_hub_credentials_version changes.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { renderSecretTfvars } from "../../src/core/init/tfvars.js";
import { makeStagesRepo } from "../fixtures/stages/harness.js";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/paths.js";
import { scriptedPrompter } from "../support/prompts.js";
import { hasTerraform, skipNote } from "../support/tools.js";

vi.setConfig({ testTimeout: 180_000 }); // real terraform, six stages, on a busy 2-core machine

const TOKEN = "dckr_pat_ephemeral0123456789abcdef";
const CLUSTER = "30.eks/30.cluster";

/** The Docker Hub variable blocks (user name, credentials version, token) exactly as terraform/00.global/variables.tf declares them. */
function dockerHubDeclarations(): string {
  const text = readFileSync(join(repoRoot, "terraform/00.global/variables.tf"), "utf8");
  const start = text.indexOf('variable "docker_hub_username"');
  const tokenStart = text.indexOf('variable "docker_hub_access_token"');
  const end = text.indexOf("\n}\n", tokenStart) + 3;
  if (start < 0 || tokenStart < 0) throw new Error("variables.tf lacks the Docker Hub variables");
  return text.slice(start, end);
}

const STAND_IN = `
resource "terraform_data" "docker_hub" {
  count = var.docker_hub_username != null ? 1 : 0
  input = var.docker_hub_username
  # As secret_string_wo_version does for the real secret: the write-only value is sent again only
  # when the version changes.
  triggers_replace = var.docker_hub_credentials_version
  provisioner "local-exec" {
    command     = "printf %s \\"$TOKEN\\" | sha256sum | cut -c1-64 > \${path.module}/token-received"
    environment = { TOKEN = var.docker_hub_access_token }
  }
}
`;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe.skipIf(!hasTerraform())(
  `the Docker Hub token is ephemeral${skipNote("terraform", hasTerraform())}`,
  () => {
    it("up: no plan file holds it, the apply still receives it, the state and logs never hold it", async () => {
      const repo = makeStagesRepo();
      const stageDir = repo.stageDir(CLUSTER);
      writeFileSync(join(stageDir, "docker-hub.tf"), `${dockerHubDeclarations()}\n${STAND_IN}`);
      writeFileSync(
        join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars"),
        `docker_hub_username = "me"\ndocker_hub_access_token = "${TOKEN}"\n`,
        { mode: 0o600 },
      );
      const inspected: string[] = [];
      const prompter = {
        ...scriptedPrompter([]),
        confirm: async () => {
          // The prompt is open: the stage's saved plan exists now.
          const plans = files(join(repo.dir, ".aiplat")).filter((f) => f.endsWith(".tfplan"));
          for (const plan of plans) {
            const stage = plan.endsWith("30.eks_30.cluster.tfplan") ? stageDir : undefined;
            if (!stage) continue;
            const shown = spawnSync("terraform", ["show", "-json", plan], {
              cwd: stage,
              env: { ...process.env, ...repo.env },
              encoding: "utf8",
            });
            expect(shown.status, shown.stderr).toBe(0);
            expect(shown.stdout).toContain('"docker_hub_username":{"value":"me"}');
            expect(shown.stdout).not.toContain(TOKEN);
            expect(readFileSync(plan).includes(TOKEN)).toBe(false);
            inspected.push(plan);
          }
          return true;
        },
      };
      const run = await runCli(["--env", "dev", "up"], {
        cwd: repo.dir,
        env: repo.env,
        isTTY: true,
        prompter,
      });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(inspected).toHaveLength(1);
      const received = readFileSync(join(stageDir, "token-received"), "utf8").trim();
      expect(received).toBe(createHash("sha256").update(TOKEN).digest("hex"));
      const kept = [...files(stageDir), ...files(join(repo.dir, ".aiplat"))].filter(
        (f) => !f.includes(`${join(".terraform", "providers")}`) && !f.endsWith("docker-hub.tf"),
      );
      for (const file of kept) expect(readFileSync(file).includes(TOKEN), file).toBe(false);
      expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    });

    it("a rotated token reaches the write-only use only with a new docker_hub_credentials_version", async () => {
      const repo = makeStagesRepo();
      const stageDir = repo.stageDir(CLUSTER);
      writeFileSync(join(stageDir, "docker-hub.tf"), `${dockerHubDeclarations()}\n${STAND_IN}`);
      const secret = join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars");
      const sha = (token: string) => createHash("sha256").update(token).digest("hex");
      let applied = false;
      const upWith = async (accessToken: string, version: number) => {
        // The file as `aiplat init` writes it.
        writeFileSync(secret, renderSecretTfvars("dev", { username: "me", accessToken, version }), {
          mode: 0o600,
        });
        // The whole platform the first time (the cluster stage reads the earlier stages' state).
        const only = applied ? ["--only", CLUSTER] : [];
        applied = true;
        const run = await runCli(["--env", "dev", "--yes", "up", ...only], { cwd: repo.dir, env: repo.env });
        expect(run.exitCode, run.stderr).toBe(0);
        return readFileSync(join(stageDir, "token-received"), "utf8").trim();
      };
      const rotated = "dckr_pat_rotated9876543210fedcba";
      expect(await upWith(TOKEN, 1)).toBe(sha(TOKEN));
      // Same version: Terraform does not send the new token (why init bumps the number).
      expect(await upWith(rotated, 1)).toBe(sha(TOKEN));
      expect(await upWith(rotated, 2)).toBe(sha(rotated));
    }, 400_000);

    it("an old docker_hub_credentials setting is refused before any plan (exit 3), naming the two new variables", async () => {
      const repo = makeStagesRepo();
      writeFileSync(
        join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars"),
        `docker_hub_credentials = { username = "me", access_token = "${TOKEN}" }\n`,
        { mode: 0o600 },
      );
      const run = await repo.run(["plan"]);
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toContain(
        "docker_hub_credentials is no longer read (found in terraform/00.global/vars/dev.secret.tfvars)",
      );
      expect(run.stderr).toContain("docker_hub_access_token");
      expect(run.stderr).not.toContain(TOKEN);
      expect(repo.exists(".aiplat/logs")).toBe(false);
    });
  },
);
