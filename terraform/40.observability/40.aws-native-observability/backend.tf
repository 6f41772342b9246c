# State: S3 backend, partial configuration. `aiplat up` supplies the rest at init time:
#   -backend-config=bucket=tfstate-<account id> -backend-config=region=<region>
#   -backend-config=key=40.observability/40.aws-native-observability/terraform.tfstate
# and selects the workspace named after the environment, so the object is
# env:/<env>/40.observability/40.aws-native-observability/terraform.tfstate. S3-native locking (Terraform >= 1.10) replaces the
# DynamoDB lock table of the original platform.
# Optional stage. aiplat:enabled-when observability_configuration.aws_native_tooling
# (the stage runs only when that tfvars value is true; its resources are also count-gated on it).
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
