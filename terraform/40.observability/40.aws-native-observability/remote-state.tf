# Outputs of the cluster stage, read from its S3 state in the same workspace (environment).

data "terraform_remote_state" "cluster" {
  backend   = "s3"
  workspace = terraform.workspace

  config = {
    bucket = local.state_bucket
    region = local.state_region
    key    = "30.eks/30.cluster/terraform.tfstate"
  }
}
