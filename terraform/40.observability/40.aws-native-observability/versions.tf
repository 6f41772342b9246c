terraform {
  # >= 1.11: S3-native state locking (use_lockfile) is generally available.
  required_version = ">= 1.11, < 2.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.28"
    }
  }
}
