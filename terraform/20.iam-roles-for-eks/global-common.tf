# Canonical names and lookups every stage shares; each stage carries a byte-identical copy named
# `global-common.tf` (checked by test/platform/terraform-variables.test.ts).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # One workspace per environment: the cluster of environment "dev" with prefix "ai-platform" is
  # "ai-platform-dev". Every stage derives it the same way so the names line up across states.
  cluster_name = "${var.shared_config.resources_prefix}-${terraform.workspace}"

  # Where the other stages' state lives (the bucket `aiplat up` bootstraps), for
  # terraform_remote_state; overridable with -var state_bucket=... / -var state_region=...
  state_bucket = coalesce(var.state_bucket, "tfstate-${data.aws_caller_identity.current.account_id}")
  state_region = coalesce(var.state_region, var.region)

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # aiplat:cluster is what `aiplat destroy --sweep` looks for when it reports leftovers.
  tags = merge(var.tags, {
    "aiplat:environment" = terraform.workspace
    "aiplat:cluster"     = local.cluster_name
    "managed-by"         = "terraform"
  })
}
