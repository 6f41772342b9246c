# State: S3 backend, partial configuration. `aiplat up` supplies the rest at init time:
#   -backend-config=bucket=tfstate-<account id> -backend-config=region=<region>
#   -backend-config=key=10.networking/terraform.tfstate
# and selects the workspace named after the environment, so the object is
# env:/<env>/10.networking/terraform.tfstate. S3-native locking (Terraform >= 1.10) replaces the
# DynamoDB lock table of the original platform.
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
