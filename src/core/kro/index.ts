export {
  containsExpression,
  evaluateExpression,
  type Segment,
  splitExpressions,
  substituteString,
} from "./expressions.js";
export { findInjections } from "./instance.js";
export {
  generateInstanceCrd,
  instanceApiVersion,
  instanceSpecSchema,
  type RenderedResource,
  type RenderResult,
  type ResourceGraphDefinition,
  type RgdResource,
  renderInstance,
} from "./render.js";
export { convertSimpleSchema, type OpenApiSchema, parseSimpleField } from "./simple-schema.js";
