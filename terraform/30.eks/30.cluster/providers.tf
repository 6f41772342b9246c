provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# A short-lived token from the EKS API instead of an exec plugin: no AWS CLI needed, and as an
# ephemeral resource (Terraform >= 1.10) it is never written to the state.
ephemeral "aws_eks_cluster_auth" "this" {
  name = module.eks.cluster_name
}

provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
  token                  = ephemeral.aws_eks_cluster_auth.this.token
}

# helm provider 3.x: `kubernetes` is an attribute (an object), no longer a nested block.
provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    token                  = ephemeral.aws_eks_cluster_auth.this.token
  }
}

provider "kubectl" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
  token                  = ephemeral.aws_eks_cluster_auth.this.token
  load_config_file       = false
}
