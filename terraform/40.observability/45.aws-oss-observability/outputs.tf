output "enabled" {
  description = "Whether the Amazon Managed Service for Prometheus workspace exists."
  value       = local.enabled
}

output "prometheus_workspace_arn" {
  description = "ARN of the Prometheus workspace (null when the stage is off)."
  value       = local.enabled ? aws_prometheus_workspace.this[0].arn : null
}

output "prometheus_endpoint" {
  description = "Prometheus-compatible query endpoint of the workspace (null when the stage is off)."
  value       = local.enabled ? aws_prometheus_workspace.this[0].prometheus_endpoint : null
}

output "grafana_endpoint" {
  description = "URL of the Amazon Managed Grafana workspace (null unless enable_grafana_workspace)."
  value       = local.grafana ? "https://${aws_grafana_workspace.this[0].endpoint}" : null
}
