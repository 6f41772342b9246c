import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FaultSettings } from "../kube/index.js";
import { type KubeServer, startKubeServer } from "../kube/index.js";
import { ArgoCdController } from "./argocd/controller.js";
import { type AwsFace, SIM_ACCESS_KEY_ID, SIM_SECRET_ACCESS_KEY, startAwsFace } from "./aws/server.js";
import { followLedger } from "./cloud/follow.js";
import { startCloudApi } from "./cloud/http.js";
import type { CloudResource } from "./cloud/ledger.js";
import { CloudLedger } from "./cloud/ledger.js";
import { SimulatedTerraform, STAGES, type Stage } from "./cloud/terraform.js";
import { findSimControls } from "./control/controls.js";
import { startControlServer } from "./control/server.js";
import { installCrds } from "./crds.js";
import { type Delays, resolveDelays } from "./delays.js";
import { KarpenterController } from "./karpenter/controller.js";
import { KroController } from "./kro/controller.js";
import { DevicePlugin } from "./kube/device-plugin.js";
import { GarbageCollector } from "./kube/garbage-collector.js";
import { Kubelet } from "./kube/kubelet.js";
import type { OperatorMode } from "./kube/operators.js";
import { PvcProtection } from "./kube/pvc-protection.js";
import { WEB_STUBS, WebStubs } from "./kube/web-stubs.js";
import { WorkloadControllers } from "./kube/workloads.js";
import { KubeRayController } from "./kuberay/controller.js";
import { storeHfToken } from "./kuberay/model-load.js";
import { LoadBalancerController } from "./lb/controller.js";
import { EbsCsiDriver } from "./lb/ebs-csi.js";
import type { ChatRequest } from "./litellm/completions.js";
import { createDatabaseLookup, createServingLookup } from "./litellm/database.js";
import { createBackendCheck, createRegistrationRunner } from "./litellm/registration.js";
import { LiteLlmServer, type RegisteredModel } from "./litellm/server.js";
import { createProfileLookup } from "./litellm/serving-lookup.js";
import { SimClock } from "./runtime/clock.js";
import { createActivity } from "./runtime/controller.js";
import { labelsOf } from "./runtime/kube.js";
import { createRandom } from "./runtime/random.js";

export type { CloudResource } from "./cloud/ledger.js";
export { STAGES, type Stage } from "./cloud/terraform.js";
export type { Delays } from "./delays.js";

/**
 * A simulated EKS cluster for tests and manual trials: the test API server plus the controllers
 * that would run on the real cluster (ArgoCD, KRO, KubeRay, Karpenter, the AWS Load Balancer
 * Controller, kube-controller-manager/scheduler/kubelet), a LiteLLM stand-in, and a cloud ledger.
 * Behaviour spec and sources: test/support/sim/README.md.
 */
export interface SimulatedClusterOptions {
  /** The bare git repository playing the fork's origin. */
  gitRemote?: string;
  /**
   * URLs (besides its path and file:// URL, which ArgoCD clones anyway) that name gitRemote, e.g.
   * the https URL `aiplat init` wrote; any other repoURL is "repository not found".
   */
  gitRemoteUrls?: readonly string[];
  /** Real milliseconds per simulated minute (default 20). */
  timeScale?: number;
  /** Seed for names, ids and answers (default 1). */
  seed?: number;
  /** Test API server faults (latency, 429/500 share, watch cuts…). */
  faults?: Partial<FaultSettings>;
  /** Simulated-minute delays of the controllers. */
  delays?: Partial<Delays>;
  clusterName?: string;
  masterKey?: string;
  /** The gpu-inference NodePool's GPU limit (cluster_config.gpu_node_limit; default 16). */
  gpuNodeLimit?: number;
  /** Create ai-platform/litellm-secrets and inference/litellm-api-key (registration-key) as Terraform does (default true). */
  createSecrets?: boolean;
  /**
   * The scene after `aiplat secret hf-token`: inference/hf-token{token} with a fake token, so gated
   * models load (default true). false: no token, and a gated model fails with HuggingFace's 401.
   */
  hfToken?: boolean;
  /**
   * "required" (default): KubeRay works only while the kuberay-operator Deployment is available and
   * GPUs appear on nodes only while the gpu-operator Deployment is — as on a real cluster, where
   * both come from ArgoCD apps. "assumed": both are taken as running (tests of one controller).
   */
  operators?: OperatorMode;
  /** Stages applied at start (default all four); [] starts with an empty account and no cluster objects. */
  applyStages?: Stage[];
  port?: number;
  token?: string;
  /**
   * Streamed answers at the pace of a vLLM replica on the endpoint's GPU (litellm/serving-model.ts)
   * instead of at once — what `aiplat bench` measures; `speedup` divides every serving time.
   */
  servingModel?: boolean | { speedup?: number } | undefined;
}

export interface SimulatedCluster {
  kube: KubeServer;
  kubeconfigPath: string;
  litellm: {
    url: string;
    masterKey: string;
    failNext(count?: number, status?: number, message?: string): void;
    slow(ms: number): void;
    dropMidStream(): void;
    /** The next streaming completion sends LiteLLM's in-stream error event after a few chunks. */
    failMidStream(message?: string): void;
    registered(): RegisteredModel[];
    /** Chat completion requests received, oldest first. */
    chats(): ChatRequest[];
  };
  ledger: {
    instances(): CloudResource[];
    loadBalancers(): CloudResource[];
    enis(): CloudResource[];
    volumes(): CloudResource[];
    running(): CloudResource[];
    /** What is billed now: what exists, less instances that are shutting down. */
    billing(): CloudResource[];
    history(): CloudResource[];
    hourlyCost(): number;
    accruedCost(): number;
    /** An IAM instance profile for `role`, as Karpenter makes one per EC2NodeClass. */
    createInstanceProfile(role: string, tags: Record<string, string>): CloudResource;
    /** A resource made outside the platform (by hand, another tool): nothing in the simulator deletes it. */
    create(input: Parameters<CloudLedger["create"]>[0]): CloudResource;
    /** Deletes it as its owner would (waited: gone now). */
    delete(id: string): void;
  };
  argocd: { setAutomated(app: string, on: boolean): void; refresh(): void };
  karpenter: { stop(): void; injectCapacityError(instanceType: string): () => void };
  /** Any pod: image pulls of matching pods fail (namespace, label subset, image substring). */
  pods: {
    injectImagePullError(
      match: { namespace?: string; labels?: Record<string, string>; image?: string },
      message?: string,
    ): () => void;
  };
  kuberay: {
    injectImagePullError(endpoint: string, message?: string): () => void;
    injectModelLoadError(endpoint: string, message: string): () => void;
  };
  /**
   * `destroy` resolves when the stage is gone and rejects with Terraform's error (DependencyViolation,
   * a NodePool that does not go, the addons stage without the cluster's outputs).
   */
  terraform: { apply(stage: Stage): void; destroy(stage: Stage): Promise<void>; applied(): Stage[] };
  /** The account over HTTP (for child processes): POST /stages/<stage>/apply|destroy, GET /resources, GET /cost. */
  cloud: { url: string };
  /**
   * The account's AWS API (STS, EC2, ELBv2, EKS, IAM, CloudWatch Logs wire protocols); `env` is what
   * a process needs for the unmodified SDK to reach it (AWS_ENDPOINT_URL, region, fake credentials).
   */
  aws: { url: string; env: Record<string, string>; calls: AwsFace["calls"] };
  /** The control URL (plain HTTP for curl and scripts): controllers stop/start, ledger, faults, terraform. */
  control: { url: string };
  /** Reconcile failures that kept failing (should stay empty). */
  failures: { controller: string; key: string; message: string }[];
  /** Waits until every controller is idle and no simulated delay is pending. */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const PULL_NOT_FOUND = "rpc error: code = NotFound desc = failed to pull and unpack image: not found";

export async function startSimulatedCluster(
  options: SimulatedClusterOptions = {},
): Promise<SimulatedCluster> {
  const clock = new SimClock(options.timeScale ?? 20);
  const random = createRandom(options.seed ?? 1);
  const delays = resolveDelays(options.delays);
  const activity = createActivity();
  clock.onError = (error) =>
    activity.failures.push({
      controller: "timer",
      key: "",
      message: error instanceof Error ? error.message : String(error),
    });
  const clusterName = options.clusterName ?? "aiplat-dev";
  const masterKey = options.masterKey ?? `sk-sim-${random.hex(24)}`;
  const kube = await startKubeServer({
    port: options.port,
    token: options.token,
    faults: options.faults,
    // The simulated kubelet finishes graceful pod deletions; the garbage collector runs below.
    gracefulPodDeletion: true,
    garbageCollector: "external",
  });
  const store = kube.store;
  const dir = mkdtempSync(join(tmpdir(), "aiplat-sim-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  kube.kubeconfig(kubeconfigPath);
  installCrds(store);
  const ledger = new CloudLedger(clock, random, {
    instanceShutdownMinutes: delays.instanceShutdownMinutes,
    lbEniReleaseMinutes: delays.lbEniReleaseMinutes,
  });

  const serving = options.servingModel === true ? {} : options.servingModel || undefined;
  const litellm = new LiteLlmServer({
    masterKey,
    random,
    backend: createBackendCheck(store),
    profileFor: serving ? createProfileLookup(store) : undefined,
    servingSpeedup: serving?.speedup,
    database: createDatabaseLookup(store),
    answering: createServingLookup(store),
  });
  await litellm.start();
  const litellmPort = Number(new URL(litellm.url).port);

  const gc = new GarbageCollector(store, clock, activity, delays.garbageCollectMinutes);
  const pvcProtection = new PvcProtection(store, clock, activity);
  const workloads = new WorkloadControllers(store, clock, activity, random, {
    jobMinutes: delays.jobMinutes,
  });
  workloads.addJobRunner(createRegistrationRunner(store, litellm));
  const kubelet = new Kubelet(store, clock, activity, random, {
    imagePullMinutes: delays.imagePullMinutes,
    largeImagePullMinutes: delays.largeImagePullMinutes,
    isLargeImage: (image) => /ray-llm|vllm/.test(image),
    readyMinutes: delays.podReadyMinutes,
  });
  const stubs = new WebStubs();
  const stubPorts = new Map<string, number>();
  for (const stub of WEB_STUBS) stubPorts.set(stub.title, await stubs.portFor(stub.title));
  kubelet.addHooks({
    onRunning: (pod) => {
      const labels = labelsOf(pod);
      const ns = pod.metadata?.namespace ?? "";
      const name = pod.metadata?.name ?? "";
      if (labels["app.kubernetes.io/name"] === "litellm") {
        kube.setPortForwardTarget(ns, name, 4000, { host: "127.0.0.1", port: litellmPort });
      }
      for (const stub of WEB_STUBS) {
        if (labels[stub.label] !== stub.value) continue;
        const port = stubPorts.get(stub.title) ?? 0;
        kube.setPortForwardTarget(ns, name, stub.port, { host: "127.0.0.1", port });
      }
    },
  });
  const kro = new KroController(store, clock, activity);
  const operators = options.operators ?? "required";
  const kuberay = new KubeRayController(store, clock, activity, random, {
    modelLoadMinutes: delays.modelLoadMinutes,
    operators,
  });
  const devicePlugin = new DevicePlugin(store, clock, activity, {
    operators,
    devicePluginMinutes: delays.devicePluginMinutes,
  });
  const argocd = new ArgoCdController(store, clock, activity, {
    pollMinutes: delays.argocdPollMinutes,
    selfHealMinutes: delays.selfHealMinutes,
    remotes: new Map(
      options.gitRemote ? (options.gitRemoteUrls ?? []).map((url) => [url, options.gitRemote!] as const) : [],
    ),
  });
  let karpenter: KarpenterController | undefined;
  let lb: LoadBalancerController | undefined;
  let ebsCsi: EbsCsiDriver | undefined;
  /** Every controller stops with the cluster stage, and all of them with the simulator. */
  const stopControllers = () => {
    for (const c of [
      karpenter,
      lb,
      kro,
      kuberay,
      argocd,
      workloads,
      kubelet,
      devicePlugin,
      gc,
      pvcProtection,
      ebsCsi,
    ])
      c?.stop();
  };
  const terraform = new SimulatedTerraform(
    store,
    ledger,
    {
      clusterName,
      masterKey,
      createSecrets: options.createSecrets ?? true,
      gpuNodeLimit: options.gpuNodeLimit ?? 16,
      random,
      clock,
      clusterDestroyWaitMinutes: delays.clusterDestroyWaitMinutes,
      networkDestroyRetryMinutes: delays.networkDestroyRetryMinutes,
    },
    {
      clusterUp: () => {
        // A re-created cluster answers again on the same address.
        if (!kube.server.listening) kube.server.listen(kube.port, "127.0.0.1");
        ebsCsi = new EbsCsiDriver(store, clock, activity, ledger, clusterName);
        karpenter = new KarpenterController(store, clock, activity, random, ledger, {
          clusterName,
          launchMinutes: delays.nodeLaunchMinutes,
          registerMinutes: delays.nodeRegisterMinutes,
          terminateMinutes: delays.nodeTerminateMinutes,
          unavailableMinutes: delays.capacityUnavailableMinutes,
        });
      },
      clusterDown: () => {
        // The API server is gone with the cluster: connection refused from now on.
        kube.server.close();
        kube.server.closeAllConnections();
        stopControllers();
      },
      addonsUp: () => {
        lb = new LoadBalancerController(store, clock, activity, ledger, {
          clusterName,
          provisionMinutes: delays.loadBalancerProvisionMinutes,
          deleteMinutes: delays.loadBalancerDeleteMinutes,
        });
      },
      addonsDown: () => lb?.stop(),
    },
  );
  for (const stage of options.applyStages ?? STAGES) terraform.apply(stage);
  if (options.hfToken ?? true) storeHfToken(store);
  const cloudApi = await startCloudApi(ledger, terraform);
  followLedger(ledger, store, terraform);
  const region = "us-east-1";
  const awsFace = await startAwsFace({
    ledger,
    region,
    accountId: "123456789012",
    clusterName,
    clusterEndpoint: () => (terraform.applied().includes("30.eks/30.cluster") ? kube.url : undefined),
  });
  const control = await startControlServer(
    findSimControls({
      activity,
      ledger,
      terraform,
      litellm,
      litellmPort,
      karpenter: () => karpenter,
      kuberay,
    }),
  );

  const settle = async ({ timeoutMs = 20_000 } = {}): Promise<void> => {
    argocd.refreshAll();
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 3) {
      await new Promise((r) => setTimeout(r, 2));
      if (activity.busy() || clock.pendingForeground() > 0) quiet = 0;
      else quiet++;
      if (Date.now() > deadline) {
        throw new Error(
          `the simulated cluster did not settle within ${timeoutMs} ms (busy: ${activity.describeBusy() || "none"}; ${clock.pendingForeground()} delays pending)`,
        );
      }
    }
  };

  let stopped = false;
  return {
    kube,
    kubeconfigPath,
    litellm: {
      url: litellm.url,
      masterKey,
      failNext: (count, status, message) => litellm.failNext(count, status, message),
      slow: (ms) => litellm.slow(ms),
      dropMidStream: () => litellm.dropMidStream(),
      failMidStream: (message) => litellm.failMidStream(message),
      registered: () => litellm.registered(),
      chats: () => litellm.chats(),
    },
    ledger: {
      instances: () => ledger.instances(),
      loadBalancers: () => ledger.loadBalancers(),
      enis: () => ledger.enis(),
      volumes: () => ledger.volumes(),
      running: () => ledger.running(),
      billing: () => ledger.billing(),
      history: () => ledger.history(),
      hourlyCost: () => ledger.hourlyCost(),
      accruedCost: () => ledger.accruedCost(),
      createInstanceProfile: (role, tags) => ledger.createInstanceProfile(role, tags),
      create: (input) => ledger.create(input),
      delete: (id) => ledger.delete(id, { waited: true }),
    },
    argocd: {
      setAutomated: (app, on) => argocd.setAutomated("argocd", app, on),
      refresh: () => argocd.refreshAll(),
    },
    karpenter: {
      stop: () => karpenter?.stop(),
      injectCapacityError: (instanceType) =>
        karpenter?.injectCapacityError(instanceType) ?? (() => undefined),
    },
    pods: {
      injectImagePullError: (match, message = PULL_NOT_FOUND) =>
        kubelet.injectImagePullError((pod) => {
          if (match.namespace && pod.metadata?.namespace !== match.namespace) return false;
          const labels = labelsOf(pod);
          if (Object.entries(match.labels ?? {}).some(([k, v]) => labels[k] !== v)) return false;
          const images = (
            (pod.spec as { containers?: { image?: string }[] } | undefined)?.containers ?? []
          ).map((c) => c.image ?? "");
          return !match.image || images.some((i) => i.includes(match.image ?? ""));
        }, message),
    },
    kuberay: {
      injectImagePullError: (
        endpoint,
        message = `rpc error: code = NotFound desc = failed to pull and unpack image: not found`,
      ) =>
        kubelet.injectImagePullError(
          (pod) => (labelsOf(pod)["ray.io/cluster"] ?? "").startsWith(`${endpoint}-raycluster-`),
          message,
        ),
      injectModelLoadError: (endpoint, message) => kuberay.injectModelLoadError(endpoint, message),
    },
    terraform: {
      apply: (stage) => terraform.apply(stage),
      destroy: (stage) => terraform.destroy(stage),
      applied: () => terraform.applied(),
    },
    cloud: { url: cloudApi.url },
    control: { url: control.url },
    aws: {
      url: awsFace.url,
      calls: awsFace.calls,
      env: {
        AWS_ENDPOINT_URL: awsFace.url,
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: SIM_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SIM_SECRET_ACCESS_KEY,
      },
    },
    failures: activity.failures,
    settle,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stopControllers();
      clock.stop();
      await litellm.stop();
      await cloudApi.stop();
      await awsFace.stop();
      await control.stop();
      await stubs.stop();
      await kube.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
