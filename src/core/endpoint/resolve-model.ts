/**
 * Which model an endpoint name means: a catalog short name (`gemma-4b`), or `--model org/name`
 * for anything else (sized from the catalog when the id is in it, else from the id's "7B").
 */
import { type CatalogModel, findCatalogModel, suggestCatalogNames } from "../catalog/catalog.js";

export type ModelResolution =
  | { kind: "catalog"; model: string; entry: CatalogModel }
  | { kind: "custom"; model: string; entry: CatalogModel | undefined }
  | { kind: "unknown"; suggestions: string[] };

export function resolveModel(
  catalog: readonly CatalogModel[],
  name: string,
  modelFlag: string | undefined,
): ModelResolution {
  if (modelFlag !== undefined) {
    const byId = catalog.find((m) => m.model.toLowerCase() === modelFlag.toLowerCase());
    return { kind: "custom", model: modelFlag, entry: byId };
  }
  const entry = findCatalogModel(catalog, name);
  if (entry && entry.name === name.trim().toLowerCase())
    return { kind: "catalog", model: entry.model, entry };
  return { kind: "unknown", suggestions: suggestCatalogNames(catalog, name) };
}

/** The exit-2 message for an unknown name without --model: close matches, then how to go on. */
export function describeUnknownModel(
  name: string,
  suggestions: readonly string[],
): { message: string; hint: string } {
  const close = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(", ")}?` : "";
  return {
    message: `"${name}" is not in the model catalog (templates/models.yaml).${close}`,
    hint:
      suggestions.length > 0
        ? `Run \`aiplat deploy-model ${suggestions[0]}\`, or name any HuggingFace model: \`aiplat deploy-model ${name} --model <org/name>\`.`
        : `Name the HuggingFace model: \`aiplat deploy-model ${name} --model <org/name>\`; \`aiplat deploy-model --help\` lists the catalog.`,
  };
}
