import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { parseTfvarsText } from "../../src/adapters/tfvars.js";
import { parseLiteralTfvars } from "../../src/adapters/tfvars-literal.js";
import { allCapabilities, defaultTfvarsAnswers, type TfvarsAnswers } from "../../src/core/init/answers.js";
import { renderSecretTfvars, renderTfvars } from "../../src/core/init/tfvars.js";
import { repoRoot } from "../support/paths.js";
import { createRandom } from "../support/sim/runtime/random.js";

/** The fast path must give exactly what hcl2json gives, key order included. */
async function expectSameAsHcl2json(text: string): Promise<void> {
  const literal = parseLiteralTfvars(text);
  expect(literal, text).toBeDefined();
  const reference = await parse("x.tfvars", text);
  expect(JSON.stringify(literal), text).toBe(JSON.stringify(reference));
}

const ACCEPTED = [
  "",
  "# only a comment\n",
  'region = "eu-central-1"',
  'a = "x" # trailing\n// line\n/* block */ b = 2\n',
  "n = 3\nf = 1.5\nneg = -2\nexp = 1e3\nzero = -0\nbig = 12345678901234567890\n",
  "t = true\nf = false\nn = null\n",
  'list = ["a", "b", 1, true, null, [], {}]\ntrailing = [\n  "a",\n  "b",\n]\n',
  'obj = {\n  x = true\n  "quoted key" = "v"\n  nested = { y = 1, z = [1, 2] }\n  colon: 1\n}\n',
  'esc = "q\\" b\\\\ n\\n t\\t u\\u00e9 U\\U0001F600 plain $ and % alone"\n',
  "crlf = 1\r\nnext = { a = 1 }\r\n",
  "z = 1\na = 2\nm = 3\n",
  'tags = {\n  project = "ai-platform"\n  "cost-center" = "ml-42"\n}\n',
];

const DECLINED = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL template, not a JS one
  'interp = "${var.region}"',
  'escaped = "$${not a template}"',
  'directive = "%{if true}x%{endif}"',
  "heredoc = <<EOT\ntext\nEOT\n",
  "ref = var.region",
  'call = upper("x")',
  "sum = 1 + 2",
  "cond = true ? 1 : 2",
  "block {\n  a = 1\n}\n",
  "dup = 1\ndup = 2\n",
  "obj = { a = 1, a = 2 }",
  'bad_escape = "\\q"',
  "two = 1 other = 2",
  "nocomma = [1 2]",
  "version = 1.2.3",
  'unterminated = "x\n',
  "multiline_comment = 1 /* a\nb */\n",
];

describe("tfvars fast path for literal data", () => {
  it("gives what hcl2json gives for the example, init's own files and every literal construct", async () => {
    await expectSameAsHcl2json(
      readFileSync(join(repoRoot, "terraform/00.global/vars/example.tfvars"), "utf8"),
    );
    const answers: TfvarsAnswers = {
      ...defaultTfvarsAnswers(),
      region: "eu-west-1",
      vpcCidr: "10.8.0.0/16",
      prefix: "acme-ai",
      kubernetesVersion: "1.34",
      idcInstanceArn: "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
      idcRegion: "us-east-1",
      tags: { project: "acme", "cost-center": "ml-42" },
      rbac: { ADMIN: [{ id: "906744a8-1234", type: "SSO_USER" }], EDITOR: [], VIEWER: [] },
    };
    await expectSameAsHcl2json(renderTfvars("dev", answers));
    await expectSameAsHcl2json(
      renderTfvars("prod", { ...answers, capabilities: allCapabilities(false), tags: {} }),
    );
    await expectSameAsHcl2json(
      renderSecretTfvars("dev", { username: "me", accessToken: "dckr_pat_x-1", version: 2 }),
    );
    for (const text of ACCEPTED) await expectSameAsHcl2json(text);
  });

  it("agrees with hcl2json on randomly generated literal files", async () => {
    const rng = createRandom(16);
    const random = () => rng.next();
    const pick = <T>(items: readonly T[]): T => rng.pick(items);
    const chars = ["a", "Z", " ", '\\"', "\\\\", "\\n", "é", "-", "/", "$ ", "% ", "\\u0041", "#"];
    const str = () => `"${Array.from({ length: Math.floor(random() * 6) }, () => pick(chars)).join("")}"`;
    const key = () => pick(["a", "b_c", "d-e", "x1", '"q k"', '"01"', "Z"]);
    const value = (depth: number): string => {
      const kind = pick(depth > 2 ? ["s", "n", "b"] : ["s", "n", "b", "l", "o", "null"]);
      if (kind === "s") return str();
      if (kind === "n") return pick(["0", "7", "-3", "2.5", "1e2", "10.25E-1"]);
      if (kind === "b") return pick(["true", "false"]);
      if (kind === "null") return "null";
      const n = Math.floor(random() * 4);
      if (kind === "l") {
        const sep = pick([", ", ",\n  "]);
        return `[${Array.from({ length: n }, () => value(depth + 1)).join(sep)}${n && random() < 0.5 ? "," : ""}]`;
      }
      const keys = [...new Set(Array.from({ length: n }, key))];
      const sep = pick([", ", "\n", " # c\n"]);
      return `{${keys.map((k) => `${k} ${pick(["=", ":"])} ${value(depth + 1)}`).join(sep)}${sep.includes("\n") ? "\n" : ""}}`;
    };
    for (let i = 0; i < 150; i++) {
      const names = [
        ...new Set(
          Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(["a", "b", "c_d", "e-f", "g"])),
        ),
      ];
      await expectSameAsHcl2json(`${names.map((n) => `${n} = ${value(0)}`).join("\n")}\n`);
    }
  });

  it("leaves anything beyond literal data to hcl2json, which still reads it or reports it", async () => {
    for (const text of DECLINED) expect(parseLiteralTfvars(text), text).toBeUndefined();
    const template = "$" + "{var.region}";
    expect(await parseTfvarsText("x.tfvars", `interp = "${template}"\n`)).toEqual({ interp: template });
    await expect(parseTfvarsText("x.tfvars", "nocomma = [1 2]\n")).rejects.toMatchObject({
      code: "bad-tfvars",
    });
  });
});
