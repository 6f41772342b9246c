export { crdVersionSchema, type JsonSchema, translateSchema } from "./crd-schema.js";
export { type SchemaProblem, validateAgainstCrd, validateWithSchema, versionOf } from "./validate.js";
