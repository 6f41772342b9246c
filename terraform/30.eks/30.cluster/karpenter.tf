# Karpenter (self-managed): AWS side from the eks//modules/karpenter sub-module (controller role
# with Pod Identity, node role + access entry, interruption queue), the controller from its Helm
# chart, then the NodePools and EC2NodeClasses of ./karpenter/*.yaml.tftpl. Skipped with EKS
# Auto Mode, which brings its own.

locals {
  karpenter_enabled   = local.capabilities.autoscaling && !var.cluster_config.eks_auto_mode
  karpenter_namespace = "kube-system"

  # Only simple ${name} placeholders in the templates, so they can also be validated against the
  # Karpenter CRDs with dummy values (test/platform).
  karpenter_template_vars = {
    cluster_name   = module.eks.cluster_name
    node_role_name = module.karpenter.node_iam_role_name
    gpu_node_limit = var.cluster_config.gpu_node_limit
    ami_alias      = var.cluster_config.node_ami_alias
  }
}

module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "21.19.0"

  create       = local.karpenter_enabled
  cluster_name = module.eks.cluster_name

  namespace                       = local.karpenter_namespace
  service_account                 = "karpenter"
  create_pod_identity_association = true

  # A fixed node role name: the EC2NodeClasses refer to it by name.
  node_iam_role_use_name_prefix     = false
  node_iam_role_name                = "${local.cluster_name}-karpenter-node"
  node_iam_role_additional_policies = local.node_additional_policies

  tags = local.tags
}

# The CRDs from their own chart: Helm installs a chart's crds/ directory once and never upgrades
# it, so CRDs shipped inside the main chart would stay at the first version forever (Karpenter
# docs, "Upgrade Guide": use the karpenter-crd chart to manage CRDs).
resource "helm_release" "karpenter_crd" {
  count = local.karpenter_enabled ? 1 : 0

  name       = "karpenter-crd"
  namespace  = local.karpenter_namespace
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter-crd"
  version    = "1.14.1"
  wait       = true

  depends_on = [module.eks]
}

resource "helm_release" "karpenter" {
  count = local.karpenter_enabled ? 1 : 0

  name       = "karpenter"
  namespace  = local.karpenter_namespace
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  # Matches the CRDs the NodePool templates are validated against (Karpenter v1.14.1).
  version = "1.14.1"
  wait    = true
  # The CRDs come from helm_release.karpenter_crd above.
  skip_crds = true

  values = [yamlencode({
    # On the "system" managed node group, never on a node Karpenter itself manages.
    nodeSelector = { "karpenter.sh/controller" = "true" }
    dnsPolicy    = "Default"
    serviceAccount = {
      name = "karpenter"
    }
    settings = {
      clusterName       = module.eks.cluster_name
      clusterEndpoint   = module.eks.cluster_endpoint
      interruptionQueue = module.karpenter.queue_name
    }
  })]

  depends_on = [module.eks, helm_release.karpenter_crd]
}

# Destroy order matters: these go before the controller (depends_on), so Karpenter is still
# running to terminate its instances when the NodePools are deleted.
resource "kubectl_manifest" "karpenter" {
  for_each = local.karpenter_enabled ? fileset("${path.module}/karpenter", "*.yaml.tftpl") : toset([])

  yaml_body         = templatefile("${path.module}/karpenter/${each.value}", local.karpenter_template_vars)
  server_side_apply = true
  wait              = true

  depends_on = [helm_release.karpenter]
}
