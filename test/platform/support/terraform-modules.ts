import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatVersion, isExactVersion, lowestCommonVersion } from "./terraform-constraints.js";
import { moduleOutputReferences, type StageConfig } from "./terraform-load.js";

/** One file of ../shared/terraform-modules: a module's declared interface at one tag. */
export interface ModuleInterface {
  module: string;
  tag: string;
  inputs: Record<string, { type: string; required: boolean; description?: string }>;
  outputs: string[];
  required_providers: Record<string, { source: string; version: string }>;
  required_version: string;
}

export type FindingKind =
  | "unpinned-module"
  | "no-interface-data"
  | "unknown-input"
  | "missing-input"
  | "unknown-output"
  | "provider-not-declared"
  | "provider-conflict"
  | "terraform-version";

export interface Finding {
  stage: string;
  file: string;
  module: string;
  kind: FindingKind;
  name: string;
  message: string;
}

/** Arguments every module block may take whatever the module declares. */
const META_ARGUMENTS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

/** The oldest Terraform the stages may run on: S3-native locking needs 1.10. */
export const MIN_TERRAFORM = ">= 1.10";

export function loadModuleInterfaces(dir: string): ModuleInterface[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ModuleInterface);
}

function normalizeTag(tag: string): string {
  return tag.trim().replace(/^=\s*/, "").replace(/^v/, "");
}

/** Every mismatch between a stage's module calls and the modules' declared interfaces. */
export function checkStageModules(stage: StageConfig, interfaces: readonly ModuleInterface[]): Finding[] {
  const findings: Finding[] = [];
  const found = new Map<string, ModuleInterface>();
  const add = (file: string, module: string, kind: FindingKind, name: string, message: string): void => {
    findings.push({ stage: stage.stage, file, module, kind, name, message });
  };

  for (const call of stage.modules) {
    const source = String(call.body.source ?? "");
    const version = typeof call.body.version === "string" ? call.body.version : "";
    if (source.startsWith("./") || source.startsWith("../")) continue; // local modules: no registry data
    if (!isExactVersion(version)) {
      add(
        call.file,
        call.name,
        "unpinned-module",
        version || "(none)",
        `module "${call.name}" (${source}) must pin an exact version, not "${version}"`,
      );
      continue;
    }
    const iface = interfaces.find(
      (i) => i.module === source && normalizeTag(i.tag) === normalizeTag(version),
    );
    if (!iface) {
      add(
        call.file,
        call.name,
        "no-interface-data",
        `${source}@${version}`,
        `no interface data for ${source} ${version}: its arguments are not checked`,
      );
      continue;
    }
    found.set(call.name, iface);
    for (const arg of Object.keys(call.body)) {
      if (META_ARGUMENTS.has(arg) || arg in iface.inputs) continue;
      add(
        call.file,
        call.name,
        "unknown-input",
        arg,
        `module "${call.name}" (${source} ${iface.tag}) has no input "${arg}"`,
      );
    }
    for (const [input, spec] of Object.entries(iface.inputs)) {
      if (spec.required && !(input in call.body)) {
        add(
          call.file,
          call.name,
          "missing-input",
          input,
          `module "${call.name}" (${source} ${iface.tag}) needs input "${input}"`,
        );
      }
    }
  }

  for (const ref of moduleOutputReferences(stage)) {
    const [module = "", output = ""] = ref.parts;
    const iface = found.get(module);
    if (iface && !iface.outputs.includes(output)) {
      add(
        ref.file,
        module,
        "unknown-output",
        output,
        `module "${module}" (${iface.module} ${iface.tag}) has no output "${output}"`,
      );
    }
  }

  findings.push(...checkProviders(stage, found));
  return findings;
}

/** Stage pins and module requirements must leave at least one version of each provider. */
function checkProviders(stage: StageConfig, modules: Map<string, ModuleInterface>): Finding[] {
  const findings: Finding[] = [];
  const fileOf = (name: string): string => stage.modules.find((m) => m.name === name)?.file ?? "";
  const stageBySource = new Map<string, string | undefined>();
  for (const spec of stage.requiredProviders.values()) {
    if (spec.source) stageBySource.set(spec.source.toLowerCase(), spec.version);
  }

  for (const [name, iface] of modules) {
    for (const [local, req] of Object.entries(iface.required_providers)) {
      const source = req.source.toLowerCase();
      if (!stageBySource.has(source)) {
        findings.push({
          stage: stage.stage,
          file: fileOf(name),
          module: name,
          kind: "provider-not-declared",
          name: req.source,
          message: `module "${name}" uses provider ${req.source} (${local}) but the stage does not pin it in required_providers`,
        });
        continue;
      }
      const pinned = stageBySource.get(source);
      const constraints = [pinned, req.version].filter((c): c is string => Boolean(c));
      if (!lowestCommonVersion(constraints)) {
        findings.push({
          stage: stage.stage,
          file: fileOf(name),
          module: name,
          kind: "provider-conflict",
          name: req.source,
          message: `provider ${req.source}: the stage pins "${pinned}" but module "${name}" (${iface.tag}) needs "${req.version}"`,
        });
      }
    }
  }

  const versions = [
    stage.requiredVersion ?? ">= 0.0.0",
    MIN_TERRAFORM,
    ...[...modules.values()].map((m) => m.required_version),
  ];
  const lowest = lowestCommonVersion(versions);
  const stageLowest = lowestCommonVersion([stage.requiredVersion ?? ">= 0.0.0"]);
  if (
    !lowest ||
    !stageLowest ||
    lowestCommonVersion([">= 0.0.0", "< 1.10"].concat(stage.requiredVersion ?? []))
  ) {
    findings.push({
      stage: stage.stage,
      file: "versions.tf",
      module: "",
      kind: "terraform-version",
      name: stage.requiredVersion ?? "(none)",
      message: `required_version "${stage.requiredVersion ?? ""}" must require Terraform ${MIN_TERRAFORM} and fit every module (${versions.join(" / ")})${stageLowest ? `; it allows ${formatVersion(stageLowest)}` : ""}`,
    });
  }
  return findings;
}

/**
 * Attribute names of the first object type inside a Terraform type string, e.g. the element of
 * `map(object({ name = optional(string) ... }))`. A value with an attribute the type lacks is
 * silently dropped by Terraform's type conversion, so typos there never fail a plan.
 */
export function objectTypeAttributes(type: string): string[] {
  const text = type.replace(/#[^\n]*/g, "");
  const start = text.indexOf("object({");
  if (start === -1) return [];
  const names: string[] = [];
  let depth = 0;
  let token = "";
  for (let i = start + "object(".length; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === "(" || c === "{" || c === "[") {
      depth++;
      token = "";
    } else if (c === ")" || c === "}" || c === "]") {
      depth--;
      if (depth === 0) break;
      token = "";
    } else if (c === "=" && depth === 1) {
      const name = token.trim();
      if (/^[A-Za-z_][\w-]*$/.test(name)) names.push(name);
      token = "";
    } else if (c === "\n" || c === ",") {
      token = "";
    } else {
      token += c;
    }
  }
  return names;
}
