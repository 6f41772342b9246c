# EKS managed capabilities: Argo CD, KRO and ACK run outside the cluster, each with its own IAM
# role (trusted by capabilities.eks.amazonaws.com). Creating a capability also creates an access
# entry for its role with the capability's default access policy (AmazonEKSArgoCDPolicy,
# AmazonEKSKROPolicy, AmazonEKSACKPolicy); the associations below add what this platform needs.
# https://docs.aws.amazon.com/eks/latest/userguide/capability-role.html

locals {
  capability_config = var.cluster_config.capabilities_config

  capability_types = {
    argocd = { type = "ARGOCD", enabled = local.capabilities.gitops }
    kro    = { type = "KRO", enabled = local.capabilities.kro }
    ack    = { type = "ACK", enabled = local.capabilities.ack }
  }
  enabled_capabilities = { for k, c in local.capability_types : k => c if c.enabled }

  # Argo CD deploys cluster-scoped things (CRDs, ClusterRoles of the GPU Operator and KubeRay)
  # and KRO creates RayServices and Jobs for every InferenceEndpoint while its informers watch
  # them cluster-wide: both get cluster-admin. ACK only needs its default policy in the cluster.
  capability_cluster_admin = { for k, c in local.enabled_capabilities : k => c if contains(["argocd", "kro"], k) }
}

data "aws_iam_policy_document" "capability_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["capabilities.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "capability" {
  for_each = local.enabled_capabilities

  name               = "${local.cluster_name}-${each.key}-capability"
  description        = "EKS ${each.value.type} capability of ${local.cluster_name}"
  assume_role_policy = data.aws_iam_policy_document.capability_trust.json
  tags               = local.tags
}

# ACK calls AWS APIs with its role: it may do exactly what capabilities_config.ack_iam_policy_arns
# grants (nothing by default). Argo CD (public git over HTTPS) and KRO need no IAM permissions.
resource "aws_iam_role_policy_attachment" "ack" {
  for_each = toset(local.capabilities.ack ? local.capability_config.ack_iam_policy_arns : [])

  role       = aws_iam_role.capability["ack"].name
  policy_arn = each.value
}

# IAM is eventually consistent: a capability created the instant its role exists can fail to
# assume it.
resource "time_sleep" "capability_role_propagation" {
  count = length(local.enabled_capabilities) > 0 ? 1 : 0

  create_duration = "15s"
  triggers        = { roles = join(",", [for r in aws_iam_role.capability : r.arn]) }
}

resource "aws_eks_capability" "argocd" {
  count = local.capabilities.gitops ? 1 : 0

  cluster_name              = module.eks.cluster_name
  capability_name           = "argocd"
  type                      = "ARGOCD"
  role_arn                  = aws_iam_role.capability["argocd"].arn
  delete_propagation_policy = "RETAIN"

  configuration {
    argo_cd {
      # Applications and the cluster secret live here (argocd/ in this repository).
      namespace = "argocd"

      aws_idc {
        idc_instance_arn = local.capability_config.argocd_idc_instance_arn
        idc_region       = local.capability_config.argocd_idc_region
      }

      dynamic "rbac_role_mapping" {
        for_each = local.capability_config.argocd_rbac_mappings

        content {
          role = rbac_role_mapping.value.role

          dynamic "identity" {
            for_each = rbac_role_mapping.value.identities

            content {
              id   = identity.value.id
              type = identity.value.type
            }
          }
        }
      }
    }
  }

  tags       = local.tags
  depends_on = [time_sleep.capability_role_propagation]
}

resource "aws_eks_capability" "controller" {
  for_each = { for k, c in local.enabled_capabilities : k => c if k != "argocd" }

  cluster_name              = module.eks.cluster_name
  capability_name           = each.key
  type                      = each.value.type
  role_arn                  = aws_iam_role.capability[each.key].arn
  delete_propagation_policy = "RETAIN"

  tags       = local.tags
  depends_on = [time_sleep.capability_role_propagation]
}

# The capability made the access entry of its role; this adds cluster-admin to it.
resource "aws_eks_access_policy_association" "capability_cluster_admin" {
  for_each = local.capability_cluster_admin

  cluster_name  = module.eks.cluster_name
  principal_arn = aws_iam_role.capability[each.key].arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_capability.argocd, aws_eks_capability.controller]
}
