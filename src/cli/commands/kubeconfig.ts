import type { CommandModule } from "../program.js";
import type { KubeconfigOptions } from "../up/run-kubeconfig.js";

export const kubeconfigCommand: CommandModule = {
  register(program, action) {
    program
      .command("kubeconfig")
      .description(
        "write a kubeconfig context for the environment's EKS cluster so kubectl works too (no AWS CLI)",
      )
      .option("--file <path>", "kubeconfig file to update (default: KUBECONFIG, else ~/.kube/config)")
      .option("--no-set-current", "add the context without making it the current one")
      .option(
        "--exec-credential",
        "print an ExecCredential with a fresh EKS token (what kubectl runs)",
        false,
      )
      .option(
        "--cluster <name>",
        "with --exec-credential: the EKS cluster to sign for (default: the environment's)",
      )
      .option("--region <region>", "with --exec-credential: the cluster's region (with --cluster)")
      .action(
        action<KubeconfigOptions>(async (ctx, options) =>
          (await import("../up/run-kubeconfig.js")).runKubeconfig(ctx, options),
        ),
      );
  },
};
