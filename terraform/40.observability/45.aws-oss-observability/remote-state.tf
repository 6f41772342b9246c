# Outputs of the earlier stages, read from their S3 state in the same workspace (environment).

data "terraform_remote_state" "networking" {
  backend   = "s3"
  workspace = terraform.workspace

  config = {
    bucket = local.state_bucket
    region = local.state_region
    key    = "10.networking/terraform.tfstate"
  }
}

data "terraform_remote_state" "cluster" {
  backend   = "s3"
  workspace = terraform.workspace

  config = {
    bucket = local.state_bucket
    region = local.state_region
    key    = "30.eks/30.cluster/terraform.tfstate"
  }
}

locals {
  cluster = data.terraform_remote_state.cluster.outputs
}
