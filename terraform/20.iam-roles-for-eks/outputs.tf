output "eks_access_role_arns" {
  description = "ARNs of the EKS access roles, keyed EKSClusterAdmin, EKSAdmin, EKSEdit, EKSView."
  value       = { for k, r in aws_iam_role.eks_access : k => r.arn }
}

output "eks_access_role_names" {
  description = "Names of the EKS access roles, keyed like eks_access_role_arns."
  value       = { for k, r in aws_iam_role.eks_access : k => r.name }
}
