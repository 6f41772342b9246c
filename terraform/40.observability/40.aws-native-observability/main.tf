# Optional stage, on when observability_configuration.aws_native_tooling = true: CloudWatch
# Container Insights (with GPU metrics from the NVIDIA DCGM exporter) and application logs,
# through the amazon-cloudwatch-observability EKS add-on. Every resource is also count-gated, so
# applying the stage with the switch off creates nothing.

locals {
  enabled = var.observability_configuration.aws_native_tooling
  # The cluster of this stage's state (local.cluster_name, global-common.tf, names the same one).
  cluster = data.terraform_remote_state.cluster.outputs

  # Created here with a retention period (the agent would otherwise create them without one, and
  # they would outlive the cluster).
  container_insights_log_groups = toset(["application", "dataplane", "host", "performance"])
}

resource "aws_cloudwatch_log_group" "container_insights" {
  for_each = local.enabled ? local.container_insights_log_groups : toset([])

  name              = "/aws/containerinsights/${local.cluster.cluster_name}/${each.key}"
  retention_in_days = 30
  tags              = local.tags
}

data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cloudwatch_agent" {
  count = local.enabled ? 1 : 0

  name               = "${local.cluster.cluster_name}-cloudwatch-agent"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "cloudwatch_agent" {
  for_each = local.enabled ? toset(["CloudWatchAgentServerPolicy", "AWSXrayWriteOnlyAccess"]) : toset([])

  role       = aws_iam_role.cloudwatch_agent[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

resource "aws_eks_addon" "cloudwatch_observability" {
  count = local.enabled ? 1 : 0

  cluster_name = local.cluster.cluster_name
  addon_name   = "amazon-cloudwatch-observability"

  pod_identity_association {
    role_arn        = aws_iam_role.cloudwatch_agent[0].arn
    service_account = "cloudwatch-agent"
  }

  tags       = local.tags
  depends_on = [aws_cloudwatch_log_group.container_insights, aws_iam_role_policy_attachment.cloudwatch_agent]
}
