export {
  ENDPOINT_DEFAULTS,
  ENDPOINT_NAMESPACE,
  type EndpointOverrides,
  type EndpointSpec,
  endpointFromCatalog,
  MAX_ENDPOINT_NAME_LENGTH,
} from "./endpoint-spec.js";
export { renderEndpointManifest } from "./render-manifest.js";
