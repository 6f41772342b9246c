# In-cluster add-ons that are not EKS add-ons: the AWS Load Balancer Controller
# (capabilities.loadbalancing) and metrics-server (kubectl top, HorizontalPodAutoscalers).

module "eks_blueprints_addons" {
  source  = "aws-ia/eks-blueprints-addons/aws"
  version = "1.24.3"

  cluster_name      = local.cluster.cluster_name
  cluster_endpoint  = local.cluster.cluster_endpoint
  cluster_version   = local.cluster.cluster_version
  oidc_provider_arn = local.cluster.oidc_provider_arn

  enable_aws_load_balancer_controller = var.cluster_config.capabilities.loadbalancing
  aws_load_balancer_controller = {
    # IMDS is limited to one hop on the nodes, so the controller is told its VPC and region
    # instead of discovering them.
    values = [yamlencode({
      vpcId  = data.terraform_remote_state.networking.outputs.vpc_id
      region = var.region
    })]
  }

  enable_metrics_server = true

  tags = local.tags
}
