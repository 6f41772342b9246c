# The four IAM roles people assume to reach the cluster. Stage 30.eks/30.cluster gives each an
# EKS access entry with the matching access policy:
#   EKSClusterAdmin -> AmazonEKSClusterAdminPolicy, EKSAdmin -> AmazonEKSAdminPolicy,
#   EKSEdit -> AmazonEKSEditPolicy, EKSView -> AmazonEKSViewPolicy (all cluster-wide).
# Anyone in this account whose own IAM permissions allow sts:AssumeRole on a role can use it.

locals {
  eks_access_roles = {
    EKSClusterAdmin = "Full administrator of the ${local.cluster_name} EKS cluster"
    EKSAdmin        = "Administrator of the workloads on the ${local.cluster_name} EKS cluster"
    EKSEdit         = "Edits workloads on the ${local.cluster_name} EKS cluster"
    EKSView         = "Read-only access to the ${local.cluster_name} EKS cluster"
  }
}

data "aws_iam_policy_document" "assume_from_account" {
  statement {
    sid     = "AssumeFromThisAccount"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_iam_role" "eks_access" {
  for_each = local.eks_access_roles

  name                 = "${local.cluster_name}-${each.key}"
  description          = each.value
  assume_role_policy   = data.aws_iam_policy_document.assume_from_account.json
  max_session_duration = 43200

  tags = local.tags
}

# Enough IAM to find the cluster and write a kubeconfig (`aiplat kubeconfig`); what the role may
# do inside Kubernetes comes from its access entry.
data "aws_iam_policy_document" "describe_cluster" {
  statement {
    sid       = "DescribeThisCluster"
    actions   = ["eks:DescribeCluster"]
    resources = ["arn:${local.partition}:eks:${var.region}:${local.account_id}:cluster/${local.cluster_name}"]
  }

  statement {
    sid = "ListClustersAndCapabilities"
    # Capability ARNs carry a generated suffix, so they cannot be named here in advance.
    actions   = ["eks:ListClusters", "eks:ListCapabilities", "eks:DescribeCapability"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "describe_cluster" {
  for_each = aws_iam_role.eks_access

  name   = "describe-${local.cluster_name}"
  role   = each.value.id
  policy = data.aws_iam_policy_document.describe_cluster.json
}
