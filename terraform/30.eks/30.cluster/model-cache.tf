# Optional S3 model cache (cluster_config.model_cache). Without it every Ray worker start downloads
# the weights from HuggingFace through the NAT gateway, paying NAT data processing per GB (up to
# ~140 GB for a 70B model, on every scale-up and every node replacement). With it, the weights are
# copied once into this bucket and an endpoint reads them with `modelSource: s3://<bucket>/<path>`
# (Ray Serve LLM model_loading_config.model_source.bucket_uri), through the VPC's S3 gateway
# endpoint (stage 10.networking), which has no data charge.

locals {
  model_cache_enabled = var.cluster_config.model_cache
  # Ray pods of every InferenceEndpoint run as this service account (platform/kro-definitions).
  inference_service_account = "inference-endpoint"
}

# Created whether or not the cache is on: the RGD's pods always name it.
resource "kubernetes_service_account_v1" "inference_endpoint" {
  metadata {
    name      = local.inference_service_account
    namespace = kubernetes_namespace_v1.platform["inference"].metadata[0].name
  }
}

resource "aws_s3_bucket" "model_cache" {
  count = local.model_cache_enabled ? 1 : 0

  # Bucket names are global: the account id keeps two accounts' caches apart.
  bucket = "${local.cluster_name}-models-${local.account_id}"
  # `aiplat destroy` removes the cluster's stages; cached weights are a copy, never the only one.
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "model_cache" {
  count = local.model_cache_enabled ? 1 : 0

  bucket                  = aws_s3_bucket.model_cache[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "model_cache" {
  count = local.model_cache_enabled ? 1 : 0

  bucket = aws_s3_bucket.model_cache[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

data "aws_iam_policy_document" "model_cache_tls_only" {
  count = local.model_cache_enabled ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.model_cache[0].arn, "${aws_s3_bucket.model_cache[0].arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "model_cache" {
  count = local.model_cache_enabled ? 1 : 0

  bucket = aws_s3_bucket.model_cache[0].id
  policy = data.aws_iam_policy_document.model_cache_tls_only[0].json

  depends_on = [aws_s3_bucket_public_access_block.model_cache]
}

# Read-only access for the Ray pods, through EKS Pod Identity (Karpenter's nodes keep IMDS to one
# hop, so pods cannot use the node role).
resource "aws_iam_role" "model_cache_reader" {
  count = local.model_cache_enabled ? 1 : 0

  name               = "${local.cluster_name}-model-cache-reader"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
  tags               = local.tags
}

data "aws_iam_policy_document" "model_cache_read" {
  count = local.model_cache_enabled ? 1 : 0

  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.model_cache[0].arn]
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.model_cache[0].arn}/*"]
  }
}

resource "aws_iam_role_policy" "model_cache_read" {
  count = local.model_cache_enabled ? 1 : 0

  name   = "model-cache-read"
  role   = aws_iam_role.model_cache_reader[0].id
  policy = data.aws_iam_policy_document.model_cache_read[0].json
}

resource "aws_eks_pod_identity_association" "model_cache_reader" {
  count = local.model_cache_enabled ? 1 : 0

  cluster_name    = module.eks.cluster_name
  namespace       = kubernetes_service_account_v1.inference_endpoint.metadata[0].namespace
  service_account = kubernetes_service_account_v1.inference_endpoint.metadata[0].name
  role_arn        = aws_iam_role.model_cache_reader[0].arn
  tags            = local.tags
}
