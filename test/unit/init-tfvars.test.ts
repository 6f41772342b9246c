import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import { allCapabilities, defaultTfvarsAnswers, type TfvarsAnswers } from "../../src/core/init/answers.js";
import {
  readTfvarsAnswers,
  renderSecretTfvars,
  renderTfvars,
  toTfvarsData,
} from "../../src/core/init/tfvars.js";
import { repoRoot } from "../support/paths.js";

const ANSWERS: TfvarsAnswers = {
  ...defaultTfvarsAnswers(),
  region: "eu-west-1",
  vpcCidr: "10.8.0.0/16",
  tags: { project: "acme", "cost-center": "ml-42" },
  prefix: "acme-ai",
  kubernetesVersion: "1.34",
  capabilities: { ...allCapabilities(true), ack: false, kro: false },
  idcInstanceArn: "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
  idcRegion: "us-east-1",
  rbac: {
    ADMIN: [
      { id: "906744a8-1234-5678-9abc-def012345678", type: "SSO_USER" },
      { id: "c1b2c3d4-aaaa-bbbb-cccc-ddddeeeeffff", type: "SSO_GROUP" },
    ],
    EDITOR: [],
    VIEWER: [{ id: "a1b2c3d4-1111-2222-3333-444455556666", type: "SSO_USER" }],
  },
  ackIamPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
  eksAutoMode: true,
  observability: {
    awsNativeTooling: true,
    awsOssTooling: false,
    enableManagedCollector: false,
    enableGrafanaWorkspace: true,
  },
};

describe("the tfvars init writes", () => {
  it("parses back (HCL parser) to exactly the answers, and reads back into the same answers", async () => {
    const text = renderTfvars("dev", ANSWERS);
    const parsed = await parseTfvarsText("dev.tfvars", text);
    expect(parsed).toEqual(toTfvarsData(ANSWERS));
    expect(readTfvarsAnswers(parsed)).toEqual(ANSWERS);
    expect(renderTfvars("dev", readTfvarsAnswers(parsed) as TfvarsAnswers)).toBe(text);
  });

  it("starts with a comment header naming the environment and the command that changes it", () => {
    const text = renderTfvars("prod", ANSWERS);
    const header = text.split("\n").filter((l) => l.startsWith("#"));
    expect(header[0]).toContain('Environment "prod", written by `aiplat init`');
    expect(text).toContain("aiplat init --env prod");
    expect(text).not.toMatch(/docker_hub_/);
  });

  it("renders an empty mapping list and no tags as valid HCL", async () => {
    const bare = { ...ANSWERS, tags: {}, rbac: { ADMIN: [], EDITOR: [], VIEWER: [] }, ackIamPolicyArns: [] };
    const parsed = await parseTfvarsText("x.tfvars", renderTfvars("dev", bare));
    expect(parsed).toEqual(toTfvarsData(bare));
  });

  it("keeps the Docker Hub secret in its own file only", async () => {
    const text = renderSecretTfvars("dev", { username: "me", accessToken: "dckr_pat_abcdef", version: 3 });
    expect(await parseTfvarsText("dev.secret.tfvars", text)).toEqual({
      docker_hub_username: "me",
      docker_hub_access_token: "dckr_pat_abcdef",
      docker_hub_credentials_version: 3,
    });
  });

  it("reads example.tfvars (the shape the Terraform stages document) into answers", async () => {
    const text = readFileSync(join(repoRoot, "terraform/00.global/vars/example.tfvars"), "utf8");
    const answers = readTfvarsAnswers(await parseTfvarsText("example.tfvars", text));
    expect(answers).toMatchObject({
      region: "eu-central-1",
      prefix: "ai-platform",
      vpcCidr: "10.4.0.0/16",
      kubernetesVersion: "1.35",
      capabilities: allCapabilities(true),
      idcRegion: "us-east-1",
      createMngSystem: true,
    });
    expect(answers.rbac?.ADMIN).toEqual([{ id: "your-sso-user-id", type: "SSO_USER" }]);
  });
});

/** Every key init writes must be a variable (and attribute) that every stage declares. */
describe("the tfvars keys against the stages' variables.tf", () => {
  const files = findVariableFiles();
  const written = toTfvarsData(ANSWERS);

  it("finds a variable file in every stage", () => {
    expect(files.map((f) => relative(repoRoot, f))).toContain("terraform/00.global/variables.tf");
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files.map((f) => [relative(repoRoot, f), f]))(
    "%s declares every key and attribute init writes",
    async (_, file) => {
      const { parse } = await import("@cdktf/hcl2json");
      const hcl = (await parse(file, readFileSync(file, "utf8"))) as {
        variable: Record<string, Array<{ type?: string }>>;
      };
      for (const [key, value] of Object.entries(written)) {
        expect(hcl.variable, `variable ${key}`).toHaveProperty(key);
        // tags is map(string): its keys are free.
        if (key === "tags") continue;
        const type = String(hcl.variable[key]![0]!.type ?? "");
        for (const name of nestedKeys(value)) {
          // hcl2json keeps a type expression as text: each attribute written must be named in it.
          expect(type, `${key}: attribute ${name}`).toMatch(new RegExp(`\\b${name}\\s*=`));
        }
      }
    },
  );
});

function findVariableFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== ".terraform") walk(path);
      } else if (/variables\.tf$/.test(name)) out.push(path);
    }
  };
  walk(join(repoRoot, "terraform"));
  return out.sort();
}

function nestedKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => nestedKeys(v));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [k, ...nestedKeys(v)]);
  }
  return [];
}
