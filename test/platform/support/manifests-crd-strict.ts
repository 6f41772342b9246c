import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { sharedCrdsDir } from "../../support/paths.js";

/**
 * A stricter check than kubernetes-models: validate against the upstream CRD schema with
 * every object that lists its properties closed. The API server would silently prune an
 * unknown field (a typo such as `syncOption:` or `finalizer:` would just vanish), so this is
 * the check that catches it.
 */
export const argoApplicationCrd = join(sharedCrdsDir, "argo-cd-v3.5.1", "application-crd.yaml");

export function hasArgoApplicationCrd(): boolean {
  return existsSync(argoApplicationCrd);
}

type Schema = Record<string, unknown>;

function closeSchema(node: unknown, isRoot: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => closeSchema(n, false));
  if (node === null || typeof node !== "object") return node;
  const input = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(input)) {
    // Formats (int64, date-time) only concern status fields written by ArgoCD itself.
    if (key.startsWith("x-kubernetes-") || key === "description" || key === "format") continue;
    if (key === "properties" && value && typeof value === "object") {
      const props: Schema = {};
      for (const [name, child] of Object.entries(value as Schema)) {
        // metadata is the API server's ObjectMeta, only `type: object` in a CRD: leave it open.
        props[name] = isRoot && name === "metadata" ? { type: "object" } : closeSchema(child, false);
      }
      out.properties = props;
    } else {
      out[key] = closeSchema(value, false);
    }
  }
  if (input["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  const open = input["x-kubernetes-preserve-unknown-fields"] === true || "additionalProperties" in input;
  if (input.properties && !open) out.additionalProperties = false;
  return out;
}

function loadVersionSchema(crdFile: string, version: string): Schema {
  const crd = parse(readFileSync(crdFile, "utf8")) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const found = crd.spec.versions.find((v) => v.name === version);
  if (!found) throw new Error(`${crdFile} has no version ${version}`);
  return closeSchema(found.schema.openAPIV3Schema, true) as Schema;
}

export type StrictValidator = (object: unknown) => string[];

/** Returns a function listing `path: message` problems of an object against the CRD. */
export function makeStrictValidator(crdFile: string, version: string): StrictValidator {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(loadVersionSchema(crdFile, version));
  return (object) => {
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => {
      const extra =
        e.keyword === "additionalProperties"
          ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
          : "";
      return `${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}`;
    });
  };
}
