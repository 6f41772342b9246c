/**
 * What the rollout follower observes, as plain objects (the JSON the API server returns). Only the
 * fields the state machine reads are typed; everything is optional because a real cluster may
 * leave any of them out.
 */
import type { ServeFailureCause } from "./serve-failure.js";

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  uid?: string;
  generation?: number;
}

export interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface ArgoApplication extends Obj {
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      syncResult?: { revision?: string };
      operation?: { sync?: { revision?: string } };
    };
    conditions?: { type?: string; message?: string }[];
  };
}

export interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
}

export interface Pod extends Obj {
  spec?: { nodeName?: string } & Record<string, unknown>;
  status?: {
    phase?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
  };
}

export interface KubeEvent extends Obj {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
}

/** LiteLLM as seen over HTTP: the model names it serves, or why it could not be asked. */
export interface LitellmView {
  models?: string[] | undefined;
  error?: string | undefined;
  /** The error cannot pass by retrying (LiteLLM refused the key): the step fails at once. */
  terminal?: boolean | undefined;
}

export interface FirstToken {
  ms?: number | undefined;
  error?: string | undefined;
  /** As LitellmView.terminal. */
  terminal?: boolean | undefined;
}

/** One step's verdict on the latest observation, before the steps are ordered. */
export interface Judgement {
  done: boolean;
  reason?: string | undefined;
  failed?: boolean;
  /** A failure whose cause has a known fix (see serve-failure.ts). */
  cause?: ServeFailureCause | undefined;
}

export type StepState = "done" | "active" | "failed" | "pending";

export interface RolloutStep {
  id: string;
  title: string;
  state: StepState;
  /** Why it is not done yet (active), what failed (failed), or what was found (done). */
  reason?: string | undefined;
  /** For a failed step: a cause with a known fix, so the hint can name it. */
  cause?: ServeFailureCause | undefined;
}

export function conditionOf(obj: Obj | undefined, type: string): Condition | undefined {
  const conditions = (obj?.status as { conditions?: Condition[] } | undefined)?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c.type === type) : undefined;
}
