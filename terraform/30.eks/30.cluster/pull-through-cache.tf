# Optional ECR pull-through cache for Docker Hub: only when docker_hub_username is given (with
# docker_hub_access_token, from the gitignored <env>.secret.tfvars or TF_VAR_docker_hub_access_token,
# never from a committed file). Images are then pulled as
#   <account>.dkr.ecr.<region>.amazonaws.com/docker-hub/<namespace>/<image>:<tag>
# (output docker_hub_cache_prefix).
#
# Nothing rewrites image references to this prefix: the manifests in git are shared by every
# environment (each with its own account and region), so a cached reference cannot be committed
# once for all. Use it per endpoint: `rayImage: <prefix>/rayproject/ray-llm:2.53.0-py311-cu128`
# in platform/workloads/<name>.yaml (the RGD's pattern accepts it). The node roles already carry
# AmazonEC2ContainerRegistryReadOnly (eks and karpenter modules); the policy below adds the
# first-pull permissions.

locals {
  # From the user name: count cannot use the token, which is ephemeral (Terraform cannot keep a
  # count derived from it between plan and apply).
  docker_hub_cache_enabled = var.docker_hub_username != null
}

# ECR requires the credential secret's name to start with "ecr-pullthroughcache/".
resource "aws_secretsmanager_secret" "docker_hub" {
  count = local.docker_hub_cache_enabled ? 1 : 0

  name        = "ecr-pullthroughcache/${local.cluster_name}-docker-hub"
  description = "Docker Hub credentials of the ECR pull-through cache of ${local.cluster_name}"
  # Immediate deletion on destroy, so the same environment can be created again at once.
  recovery_window_in_days = 0
  tags                    = local.tags
}

# Write-only argument, the only place the ephemeral token may go: it reaches Secrets Manager and is
# in neither the plan nor the state. It is sent only when secret_string_wo_version changes: aiplat
# init bumps docker_hub_credentials_version whenever it writes a new token.
resource "aws_secretsmanager_secret_version" "docker_hub" {
  count = local.docker_hub_cache_enabled ? 1 : 0

  secret_id = aws_secretsmanager_secret.docker_hub[0].id
  secret_string_wo = jsonencode({
    username    = var.docker_hub_username
    accessToken = var.docker_hub_access_token
  })
  secret_string_wo_version = var.docker_hub_credentials_version
}

resource "aws_ecr_pull_through_cache_rule" "docker_hub" {
  count = local.docker_hub_cache_enabled ? 1 : 0

  ecr_repository_prefix = "docker-hub"
  upstream_registry_url = "registry-1.docker.io"
  credential_arn        = aws_secretsmanager_secret.docker_hub[0].arn

  depends_on = [aws_secretsmanager_secret_version.docker_hub]
}

# Nodes create the cached repository on the first pull of an image, then pull from it.
data "aws_iam_policy_document" "pull_through_cache" {
  statement {
    actions = ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"]
    resources = [
      "arn:${local.partition}:ecr:${var.region}:${local.account_id}:repository/docker-hub/*",
    ]
  }
}

resource "aws_iam_policy" "pull_through_cache" {
  count = local.docker_hub_cache_enabled ? 1 : 0

  name   = "${local.cluster_name}-docker-hub-pull-through"
  policy = data.aws_iam_policy_document.pull_through_cache.json
  tags   = local.tags
}
