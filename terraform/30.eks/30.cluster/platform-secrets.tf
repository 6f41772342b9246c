# Namespaces and the secrets the platform apps need before Argo CD syncs them. The namespaces are
# created here first and every secret references its namespace resource, so a secret can never
# be created in a namespace that does not exist yet (defect 1 of the original platform).

locals {
  platform_namespaces = toset(["ai-platform", "inference"])

  # Langfuse wants hex secrets; ENCRYPTION_KEY must be exactly 64 hex characters (256 bits).
  # s3-user / s3-password are the root credentials of the bundled MinIO (platform/apps/langfuse).
  langfuse_secret_keys = toset(["salt", "nextauth-secret", "encryption-key", "password", "clickhouse-password", "redis-password", "s3-user", "s3-password"])
}

resource "kubernetes_namespace_v1" "platform" {
  for_each = local.platform_namespaces

  metadata {
    name = each.key
    labels = {
      "app.kubernetes.io/part-of" = "ai-platform"
    }
  }

  # platform/namespaces (synced by Argo CD) also declares these namespaces and adds its tracking
  # labels and annotations; those are not drift.
  lifecycle {
    ignore_changes = [metadata[0].labels, metadata[0].annotations]
  }

  depends_on = [module.eks]
}

# LiteLLM master key: only in ai-platform (the proxy, and the CronJob that keeps the scoped keys
# below registered). LiteLLM keys start with "sk-".
resource "random_password" "litellm_master_key" {
  length  = 48
  special = false
}

# Scoped LiteLLM virtual keys (issue 17 point 12), made here so that their values are known before
# LiteLLM runs; platform/apps/litellm/virtual-keys.yaml registers them in LiteLLM's database:
#   webui-key: Open WebUI's, LLM API routes only (models, chat);
#   registration-key: the InferenceEndpoint registration Jobs', /model/new and /model/info only.
# A leaked one can be revoked and replaced on its own; neither can make keys or delete models.
resource "random_password" "litellm_scoped_key" {
  for_each = toset(["webui-key", "registration-key"])

  length  = 48
  special = false
}

# LiteLLM's PostgreSQL password, separate from the master key: rotating the key must not lock
# LiteLLM out of its database, and one leaked value must not give both. No special characters:
# it goes into DATABASE_URL unescaped.
resource "random_password" "litellm_postgres" {
  length  = 40
  special = false
}

resource "kubernetes_secret_v1" "litellm_secrets" {
  metadata {
    name      = "litellm-secrets"
    namespace = kubernetes_namespace_v1.platform["ai-platform"].metadata[0].name
  }

  data = {
    "master-key"        = "sk-${random_password.litellm_master_key.result}"
    "postgres-password" = random_password.litellm_postgres.result
    "webui-key"         = "sk-${random_password.litellm_scoped_key["webui-key"].result}"
    "registration-key"  = "sk-${random_password.litellm_scoped_key["registration-key"].result}"
  }
}

resource "kubernetes_secret_v1" "litellm_api_key" {
  metadata {
    name      = "litellm-api-key"
    namespace = kubernetes_namespace_v1.platform["inference"].metadata[0].name
  }

  # The registration Jobs' scoped key; the master key no longer leaves ai-platform.
  data = {
    "registration-key" = "sk-${random_password.litellm_scoped_key["registration-key"].result}"
  }
}

resource "random_id" "langfuse" {
  for_each = local.langfuse_secret_keys

  # 32 bytes = 64 hex characters; the MinIO user name is kept to 20 characters.
  byte_length = each.key == "s3-user" ? 10 : 32
}

resource "kubernetes_secret_v1" "langfuse_secrets" {
  metadata {
    name      = "langfuse-secrets"
    namespace = kubernetes_namespace_v1.platform["ai-platform"].metadata[0].name
  }

  data = { for key in local.langfuse_secret_keys : key => random_id.langfuse[key].hex }
}

# The managed Argo CD capability owns the argocd namespace. Apply-only so that Terraform makes
# sure it exists before the cluster secret goes in, and never deletes it.
resource "kubectl_manifest" "argocd_namespace" {
  count = local.capabilities.gitops ? 1 : 0

  yaml_body = yamlencode({
    apiVersion = "v1"
    kind       = "Namespace"
    metadata   = { name = "argocd" }
  })
  server_side_apply = true
  apply_only        = true

  depends_on = [aws_eks_capability.argocd]
}

# Registers this cluster with the managed Argo CD. The capability runs outside the cluster, so
# `server` is the cluster ARN (https://kubernetes.default.svc is not supported). Applications use
# destination.name = local-cluster.
resource "kubernetes_secret_v1" "argocd_local_cluster" {
  count = local.capabilities.gitops ? 1 : 0

  metadata {
    name      = "local-cluster"
    namespace = "argocd"
    labels = {
      "argocd.argoproj.io/secret-type" = "cluster"
    }
  }

  data = {
    name    = "local-cluster"
    server  = module.eks.cluster_arn
    project = "default"
  }

  depends_on = [kubectl_manifest.argocd_namespace, aws_eks_access_policy_association.capability_cluster_admin]
}
