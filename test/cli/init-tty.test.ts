/**
 * The real prompts on a real terminal: bin/aiplat.js (the built dist/) on a pseudo-terminal, typed
 * at like a user would, with AWS unreachable (an endpoint that refuses connections), so init offers
 * the built-in Kubernetes versions and falls back to a typed Identity Center ARN and ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import { INSTANCE_ARN, JANE_ID, makeInitRepo, readIf, tfvarsFile } from "../fixtures/init/harness.js";
import { backspaces, ENTER, hasScript, runInPty } from "../fixtures/init/pty.js";
import { startCheckipStandin } from "../support/checkip-standin.js";
import { skipNote } from "../support/tools.js";

let checkip: Awaited<ReturnType<typeof startCheckipStandin>>;
beforeAll(async () => {
  checkip = await startCheckipStandin("198.51.100.23");
});
afterAll(() => checkip.close());

describe.skipIf(!hasScript())(`aiplat init on a pseudo-terminal${skipNote("script", hasScript())}`, () => {
  it("asks with the real prompts, re-asks an invalid answer, and writes what was typed", async () => {
    const repo = makeInitRepo();
    const run = await runInPty(["init"], {
      cwd: repo.dir,
      env: {
        PATH: process.env.PATH,
        HOME: repo.dir,
        TERM: "xterm",
        NO_COLOR: "1",
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "not-a-secret",
        AWS_CONFIG_FILE: "/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
        AWS_EC2_METADATA_DISABLED: "true",
        // Port 9 (discard) refuses connections: every AWS call fails at once, offline.
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
        // This machine's public address, as AWS's checkip service would answer it.
        AIPLAT_CHECKIP_URL: checkip.url,
      },
      steps: [
        { waitFor: "? Environment name", keys: ENTER },
        { waitFor: "? AWS region of the cluster", keys: `Frankfurt${ENTER}` },
        { waitFor: "> must be an AWS region name", keys: `${backspaces(9)}eu-west-1${ENTER}` },
        { waitFor: "? Resource name prefix", keys: `acme-ai${ENTER}` },
        { waitFor: "? VPC CIDR", keys: `11.0.0.0/16${ENTER}` },
        { waitFor: "RFC 1918", keys: `${backspaces(11)}10.20.0.0/16${ENTER}` },
        { waitFor: "? Kubernetes version", keys: ENTER },
        { waitFor: "? Capabilities", keys: ENTER },
        { waitFor: "? Region of your IAM Identity Center instance", keys: ENTER },
        { waitFor: "? Identity Center instance ARN", keys: `${INSTANCE_ARN}${ENTER}` },
        { waitFor: "? ArgoCD ADMIN", keys: `${JANE_ID}${ENTER}` },
        { waitFor: "? ArgoCD EDITOR", keys: ENTER },
        { waitFor: "? ArgoCD VIEWER", keys: ENTER },
        { waitFor: "? Add Docker Hub credentials", keys: `n${ENTER}` },
        { waitFor: "? HuggingFace token", keys: ENTER },
        // Issue 17 point 9: Enter takes the offered default, this machine's address as /32.
        { waitFor: "? Who may reach the public Kubernetes API", keys: ENTER },
      ],
    });
    expect(run.stuckAt, run.screen).toBeUndefined();
    expect(run.exitCode, run.screen).toBe(0);
    expect(run.screen).toContain("built-in list of Kubernetes versions");
    expect(run.screen).toContain("Identity Center discovery is not possible");
    expect(run.screen).toContain("Next: aiplat up");
    expect(run.screen).toContain("198.51.100.23/32");

    const data = await parseTfvarsText("dev.tfvars", readIf(tfvarsFile(repo))!);
    expect(data).toMatchObject({
      region: "eu-west-1",
      vpc_cidr: "10.20.0.0/16",
      shared_config: { resources_prefix: "acme-ai" },
      cluster_config: {
        kubernetes_version: "1.35",
        public_access_cidrs: ["198.51.100.23/32"],
        capabilities: { gitops: true, ack: true },
        capabilities_config: {
          argocd_idc_instance_arn: INSTANCE_ARN,
          argocd_idc_region: "eu-west-1",
          argocd_rbac_mappings: [{ role: "ADMIN", identities: [{ id: JANE_ID, type: "SSO_USER" }] }],
        },
      },
    });
    expect(readIf(`${repo.dir}/.aiplat/active-env`)).toBe("dev\n");
  }, 90_000);
});
