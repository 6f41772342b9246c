# A default StorageClass. EKS clusters of Kubernetes 1.30 and later no longer mark any class as
# the default, so the PersistentVolumeClaims of LiteLLM's PostgreSQL, Open WebUI and Langfuse
# (none of which name a class) would stay Pending on a fresh cluster. gp3 through the EBS CSI
# driver, encrypted; the provisioner of EKS Auto Mode's built-in block storage differs.
resource "kubernetes_storage_class_v1" "gp3" {
  count = var.cluster_config.eks_auto_mode || local.capabilities.blockstorage ? 1 : 0

  metadata {
    name = "gp3"
    annotations = {
      "storageclass.kubernetes.io/is-default-class" = "true"
    }
  }

  storage_provisioner    = var.cluster_config.eks_auto_mode ? "ebs.csi.eks.amazonaws.com" : "ebs.csi.aws.com"
  volume_binding_mode    = "WaitForFirstConsumer"
  reclaim_policy         = "Delete"
  allow_volume_expansion = true
  parameters = {
    type      = "gp3"
    encrypted = "true"
  }

  depends_on = [module.eks]
}
