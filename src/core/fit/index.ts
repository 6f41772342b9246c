export {
  bytesPerParameter,
  estimateMemory,
  fitsCard,
  GPU_MEMORY_UTILIZATION,
  type MemoryEstimate,
  type ModelShape,
  needPerGpuGiB,
  OVERHEAD_GIB_PER_GPU,
  parametersFromModelId,
  shapeOfCatalogModel,
  usableGiB,
} from "./estimate.js";
export {
  findInstanceType,
  GPU_CARDS,
  INSTANCE_TYPES,
  type InstanceType,
  PRICE_DATE,
  PRICE_NOTE,
  PRICE_REGION,
} from "./gpu-types.js";
export {
  type CostRange,
  describeNeed,
  type FamilyFit,
  type FitPlan,
  type FitRequest,
  planFit,
} from "./plan-fit.js";
export { CPU_PATTERN, MEMORY_PATTERN, parseCpu, parseMemoryBytes, parseMemoryGiB } from "./quantity.js";
