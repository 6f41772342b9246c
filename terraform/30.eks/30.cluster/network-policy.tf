# Kubernetes NetworkPolicies (platform/namespaces/inference-network-policies.yaml) are only
# enforced when the VPC CNI's network policy agent is on. With self-managed nodes the vpc-cni
# add-on turns it on (eks.tf, enableNetworkPolicy); EKS Auto Mode has no such add-on and reads
# this ConfigMap instead (docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html). Pods no
# policy selects stay reachable (the Auto Mode NodeClass default, DefaultAllow).
resource "kubectl_manifest" "auto_mode_network_policy" {
  count = var.cluster_config.eks_auto_mode ? 1 : 0

  yaml_body = yamlencode({
    apiVersion = "v1"
    kind       = "ConfigMap"
    metadata   = { name = "amazon-vpc-cni", namespace = "kube-system" }
    data       = { "enable-network-policy-controller" = "true" }
  })
  server_side_apply = true

  depends_on = [module.eks]
}
