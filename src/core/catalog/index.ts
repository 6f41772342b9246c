export {
  CATALOG_NAME_PATTERN,
  type CatalogModel,
  findCatalogModel,
  GPU_FAMILIES,
  type GpuFamily,
  parseCatalog,
  suggestCatalogNames,
} from "./catalog.js";
