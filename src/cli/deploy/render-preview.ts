/**
 * What a deploy declares and what KRO will make of it: the rendered InferenceEndpoint, checked
 * strictly against the CRD that KRO generates from the RGD, and the RayService and Job that the
 * RGD turns it into (src/core/kro's renderer). Used by --dry-run and before writing the file.
 */
import { parse, stringify } from "yaml";
import type { EndpointSpec } from "../../core/endpoint/endpoint-spec.js";
import { renderEndpointManifest } from "../../core/endpoint/render-manifest.js";
import { UsageError } from "../../core/errors.js";
import { generateInstanceCrd, type RenderResult, renderInstance } from "../../core/kro/render.js";

export interface Preview {
  /** The YAML text that is (or would be) committed as platform/workloads/<name>.yaml. */
  manifestText: string;
  endpoint: Record<string, unknown>;
  rendered: RenderResult;
}

/**
 * Renders and checks. renderInstance enforces the spec schema KRO generates from the RGD (types,
 * ranges, patterns, required and unknown fields, `${`). `strict` adds the full ajv validation
 * against the generated CRD (src/core/validate); it costs ~150 ms of start-up (ajv load and
 * compile), so --dry-run, which commits nothing, relies on the renderer's check alone.
 */
export async function previewEndpoint(
  templateText: string,
  rgd: unknown,
  spec: EndpointSpec,
  options: { strict: boolean },
): Promise<Preview> {
  const manifestText = renderEndpointManifest(templateText, spec);
  const endpoint = parse(manifestText) as Record<string, unknown>;
  const rendered = renderInstance(rgd, endpoint);
  if (options.strict) {
    const { validateAgainstCrd, versionOf } = await import("../../core/validate/validate.js");
    const problems = validateAgainstCrd(generateInstanceCrd(rgd), versionOf(endpoint.apiVersion), endpoint);
    if (problems.length > 0) {
      throw new UsageError(
        `The InferenceEndpoint would be refused by the cluster:\n  - ${problems.map((p) => `${p.path}: ${p.message}`).join("\n  - ")}`,
        { code: "invalid-endpoint", details: { problems } },
      );
    }
  }
  return { manifestText, endpoint, rendered };
}

/** The multi-document YAML --dry-run prints: the InferenceEndpoint, then each resource KRO creates. */
export function formatPreview(preview: Preview): string {
  // lineWidth 0: long strings (the serve config's lines, commands) stay on one line, as KRO sends them.
  const docs = preview.rendered.resources.map(
    (r) => `# KRO resource "${r.id}"\n${stringify(r.object, { lineWidth: 0 })}`,
  );
  return [`# platform/workloads file\n${preview.manifestText}`, ...docs].join("---\n");
}
