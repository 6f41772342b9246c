output "aws_load_balancer_controller_enabled" {
  description = "Whether the AWS Load Balancer Controller is installed."
  value       = var.cluster_config.capabilities.loadbalancing
}

output "helm_releases" {
  description = "Helm releases made by this stage (chart and version), for `aiplat status`."
  value = {
    for name, r in {
      aws-load-balancer-controller = module.eks_blueprints_addons.aws_load_balancer_controller
      metrics-server               = module.eks_blueprints_addons.metrics_server
    } : name => try({ chart = r.chart, version = r.version, namespace = r.namespace }, null)
  }
}
