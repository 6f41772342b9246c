output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = module.vpc.vpc_cidr_block
}

output "azs" {
  description = "Availability zones of the subnets."
  value       = module.vpc.azs
}

output "private_subnets" {
  description = "IDs of the private subnets (nodes, internal load balancers)."
  value       = module.vpc.private_subnets
}

output "public_subnets" {
  description = "IDs of the public subnets (internet-facing load balancers)."
  value       = module.vpc.public_subnets
}

output "intra_subnets" {
  description = "IDs of the intra subnets (EKS control-plane network interfaces)."
  value       = module.vpc.intra_subnets
}

output "cluster_name" {
  description = "Name of the cluster these subnets are tagged for."
  value       = local.cluster_name
}
