output "enabled" {
  description = "Whether CloudWatch Container Insights is installed."
  value       = local.enabled
}

output "log_group_names" {
  description = "Container Insights log groups."
  value       = [for g in aws_cloudwatch_log_group.container_insights : g.name]
}
