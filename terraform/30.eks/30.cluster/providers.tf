provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# Cluster credentials from an exec plugin that makes a fresh EKS token on every call:
# `aiplat kubeconfig --exec-credential --cluster <name> --region <region>` (no AWS CLI needed).
# A token from `ephemeral "aws_eks_cluster_auth"` is made once per run and EKS rejects it after 15
# minutes, which a cluster-stage apply (node group, add-ons, capabilities, then the in-cluster
# resources) routinely outlives: the providers failed with Unauthorized mid-apply. The exec block is
# run again whenever the client needs a token. Sources: the kubernetes provider's "exec" block and
# the helm provider 3.x `kubernetes.exec` attribute (hashicorp/terraform-provider-kubernetes
# docs/index.md "Exec plugins"; hashicorp/terraform-provider-helm docs/guides/v3-upgrade-guide.md).

provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = var.aiplat_cli[0]
    args        = concat(slice(var.aiplat_cli, 1, length(var.aiplat_cli)), ["kubeconfig", "--exec-credential", "--cluster", module.eks.cluster_name, "--region", var.region])
  }
}

# helm provider 3.x: `kubernetes` is an attribute (an object), no longer a nested block.
provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = var.aiplat_cli[0]
      args        = concat(slice(var.aiplat_cli, 1, length(var.aiplat_cli)), ["kubeconfig", "--exec-credential", "--cluster", module.eks.cluster_name, "--region", var.region])
    }
  }
}

provider "kubectl" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
  load_config_file       = false

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = var.aiplat_cli[0]
    args        = concat(slice(var.aiplat_cli, 1, length(var.aiplat_cli)), ["kubeconfig", "--exec-credential", "--cluster", module.eks.cluster_name, "--region", var.region])
  }
}
