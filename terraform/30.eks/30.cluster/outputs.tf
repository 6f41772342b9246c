# Read by aiplat with `terraform output -json` (names are a contract; see terraform/README.md).

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API server."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded CA certificate of the Kubernetes API server."
  value       = module.eks.cluster_certificate_authority_data
}

output "cluster_arn" {
  description = "ARN of the EKS cluster (also the `server` of the Argo CD cluster secret)."
  value       = module.eks.cluster_arn
}

output "cluster_version" {
  description = "Kubernetes version of the cluster."
  value       = module.eks.cluster_version
}

output "region" {
  description = "AWS region of the cluster."
  value       = var.region
}

output "vpc_id" {
  description = "ID of the cluster's VPC."
  value       = local.networking.vpc_id
}

output "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (IRSA)."
  value       = module.eks.oidc_provider_arn
}

output "node_security_group_id" {
  description = "Security group shared by the nodes."
  value       = module.eks.node_security_group_id
}

output "karpenter_node_role_name" {
  description = "IAM role of the nodes Karpenter launches (null when Karpenter is not installed)."
  value       = local.karpenter_enabled ? module.karpenter.node_iam_role_name : null
}

output "argocd_capability_name" {
  description = "Name of the managed Argo CD capability (DescribeCapability gives its URL); null when gitops is off."
  value       = local.capabilities.gitops ? aws_eks_capability.argocd[0].capability_name : null
}

output "capability_role_arns" {
  description = "IAM roles of the enabled EKS capabilities, keyed argocd, kro, ack."
  value       = { for k, r in aws_iam_role.capability : k => r.arn }
}

output "docker_hub_cache_prefix" {
  description = "Image prefix of the Docker Hub pull-through cache (null when not configured)."
  value       = local.docker_hub_cache_enabled ? "${local.account_id}.dkr.ecr.${var.region}.amazonaws.com/${aws_ecr_pull_through_cache_rule.docker_hub[0].ecr_repository_prefix}" : null
}

output "model_cache_bucket" {
  description = "S3 bucket of the model cache (cluster_config.model_cache), or null when it is off. Endpoints read a copy with modelSource: s3://<bucket>/<path>."
  value       = local.model_cache_enabled ? aws_s3_bucket.model_cache[0].bucket : null
}
