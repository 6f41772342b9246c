# Optional stage, on when observability_configuration.aws_oss_tooling = true: an Amazon Managed
# Service for Prometheus workspace, fed by an agentless AMP managed collector (scraper) in the
# cluster's VPC, and optionally an Amazon Managed Grafana workspace (Identity Center sign-in).
# Every resource is also count-gated, so applying the stage with the switch off creates nothing.

locals {
  enabled          = var.observability_configuration.aws_oss_tooling
  oss              = var.observability_configuration.aws_oss_tooling_config
  collector        = local.enabled && local.oss.enable_managed_collector
  grafana          = local.enabled && local.oss.enable_grafana_workspace
  scraper_username = "aps-collector-user"
}

resource "aws_prometheus_workspace" "this" {
  count = local.enabled ? 1 : 0

  alias = local.cluster.cluster_name
  tags  = local.tags
}

data "aws_prometheus_default_scraper_configuration" "this" {
  count = local.collector ? 1 : 0
}

resource "aws_prometheus_scraper" "this" {
  count = local.collector ? 1 : 0

  alias                = local.cluster.cluster_name
  scrape_configuration = data.aws_prometheus_default_scraper_configuration.this[0].configuration

  source {
    eks {
      cluster_arn        = local.cluster.cluster_arn
      subnet_ids         = data.terraform_remote_state.networking.outputs.private_subnets
      security_group_ids = [local.cluster.node_security_group_id]
    }
  }

  destination {
    amp {
      workspace_arn = aws_prometheus_workspace.this[0].arn
    }
  }

  tags = local.tags
}

# The collector reads the cluster as user aps-collector-user: an access entry for its
# service-linked role plus a read-only ClusterRole (AMP user guide, "managed collectors").
# The access entry takes the role ARN without its /aws-service-role/... path.
resource "aws_eks_access_entry" "scraper" {
  count = local.collector ? 1 : 0

  cluster_name  = local.cluster.cluster_name
  principal_arn = replace(aws_prometheus_scraper.this[0].role_arn, "/:role\\/.*\\//", ":role/")
  user_name     = local.scraper_username
  tags          = local.tags
}

resource "kubernetes_cluster_role_v1" "scraper" {
  count = local.collector ? 1 : 0

  metadata {
    name = "aps-collector-role"
  }

  rule {
    api_groups = [""]
    resources  = ["nodes", "nodes/proxy", "nodes/metrics", "services", "endpoints", "pods", "ingresses", "configmaps"]
    verbs      = ["describe", "get", "list", "watch"]
  }

  rule {
    api_groups = ["extensions", "networking.k8s.io"]
    resources  = ["ingresses/status", "ingresses"]
    verbs      = ["describe", "get", "list", "watch"]
  }

  rule {
    api_groups = ["discovery.k8s.io"]
    resources  = ["endpointslices"]
    verbs      = ["get", "list", "watch"]
  }

  rule {
    non_resource_urls = ["/metrics"]
    verbs             = ["get"]
  }
}

resource "kubernetes_cluster_role_binding_v1" "scraper" {
  count = local.collector ? 1 : 0

  metadata {
    name = "aps-collector-user-role-binding"
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.scraper[0].metadata[0].name
  }

  subject {
    kind      = "User"
    name      = local.scraper_username
    api_group = "rbac.authorization.k8s.io"
  }
}

# Amazon Managed Grafana, reading the Prometheus workspace and CloudWatch.
data "aws_iam_policy_document" "grafana_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["grafana.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "grafana" {
  count = local.grafana ? 1 : 0

  name               = "${local.cluster.cluster_name}-grafana"
  assume_role_policy = data.aws_iam_policy_document.grafana_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "grafana" {
  for_each = local.grafana ? toset(["AmazonPrometheusQueryAccess", "CloudWatchReadOnlyAccess"]) : toset([])

  role       = aws_iam_role.grafana[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

resource "aws_grafana_workspace" "this" {
  count = local.grafana ? 1 : 0

  name                     = local.cluster.cluster_name
  account_access_type      = "CURRENT_ACCOUNT"
  authentication_providers = ["AWS_SSO"]
  permission_type          = "CUSTOMER_MANAGED"
  role_arn                 = aws_iam_role.grafana[0].arn
  data_sources             = ["PROMETHEUS", "CLOUDWATCH"]
  tags                     = local.tags
}
