export {
  destroyOrder,
  discoverStages,
  isStageEnabled,
  parseStageGate,
  planStages,
  type Stage,
  sortStages,
  stateKey,
} from "./stages.js";
