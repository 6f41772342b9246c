# The VPC of the environment: three AZs, private subnets for nodes (tagged for Karpenter
# discovery and internal load balancers), public subnets for internet-facing load balancers,
# intra subnets (no route out) for the EKS control-plane network interfaces.

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  azs = slice(sort(data.aws_availability_zones.available.names), 0, 3)

  # For a /16: private /20s at .0, .16, .32; public /24s at .48-.50; intra /24s at .52-.54.
  private_subnets = [for i in range(3) : cidrsubnet(var.vpc_cidr, 4, i)]
  public_subnets  = [for i in range(3) : cidrsubnet(var.vpc_cidr, 8, 48 + i)]
  intra_subnets   = [for i in range(3) : cidrsubnet(var.vpc_cidr, 8, 52 + i)]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.6.0"

  name = local.cluster_name
  cidr = var.vpc_cidr
  azs  = local.azs

  private_subnets = local.private_subnets
  public_subnets  = local.public_subnets
  intra_subnets   = local.intra_subnets

  enable_dns_hostnames = true
  enable_dns_support   = true

  # One NAT gateway keeps the bill of a development platform small; nodes in every AZ use it.
  enable_nat_gateway = true
  single_nat_gateway = true

  public_subnet_tags = {
    "kubernetes.io/role/elb" = "1"
  }

  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = "1"
    # The EC2NodeClasses of stage 30.eks/30.cluster select their subnets by this tag.
    "karpenter.sh/discovery" = local.cluster_name
  }

  tags = local.tags
}

# Gateway endpoint: image layers and model weights pulled from S3/ECR stay off the NAT gateway
# (gateway endpoints cost nothing).
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = module.vpc.vpc_id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = concat(module.vpc.private_route_table_ids, module.vpc.intra_route_table_ids)

  tags = merge(local.tags, { Name = "${local.cluster_name}-s3" })
}
