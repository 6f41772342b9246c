import type { CommandModule } from "../program.js";
import { benchCommand } from "./bench.js";
import { bootstrapCommand } from "./bootstrap.js";
import { chatCommand } from "./chat.js";
import { completionCommand } from "./completion.js";
import { deployModelCommand } from "./deploy-model.js";
import { destroyCommand } from "./destroy.js";
import { doctorCommand } from "./doctor.js";
import { forwardCommand } from "./forward.js";
import { initCommand } from "./init.js";
import { kubeconfigCommand } from "./kubeconfig.js";
import { logsCommand } from "./logs.js";
import { modelsCommand } from "./models.js";
import { openCommand } from "./open.js";
import { planCommand } from "./plan.js";
import { scaleCommand } from "./scale.js";
import { keyCommand, secretCommand } from "./secret.js";
import { smokeCommand } from "./smoke.js";
import { statusCommand } from "./status.js";
import { undeployModelCommand } from "./undeploy-model.js";
import { upCommand } from "./up.js";

/** Every registered command. Register only commands that work. */
export const commandModules: readonly CommandModule[] = [
  doctorCommand,
  initCommand,
  upCommand,
  planCommand,
  bootstrapCommand,
  kubeconfigCommand,
  deployModelCommand,
  undeployModelCommand,
  scaleCommand,
  modelsCommand,
  statusCommand,
  logsCommand,
  destroyCommand,
  secretCommand,
  keyCommand,
  forwardCommand,
  chatCommand,
  smokeCommand,
  openCommand,
  benchCommand,
  completionCommand,
];
