provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# A short-lived token from the EKS API (no AWS CLI needed), never written to the state.
ephemeral "aws_eks_cluster_auth" "this" {
  name = local.cluster.cluster_name
}

provider "kubernetes" {
  host                   = local.cluster.cluster_endpoint
  cluster_ca_certificate = base64decode(local.cluster.cluster_certificate_authority_data)
  token                  = ephemeral.aws_eks_cluster_auth.this.token
}
