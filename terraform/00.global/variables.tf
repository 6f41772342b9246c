# Canonical declarations of every variable in terraform/00.global/vars/<env>.tfvars.
#
# The same var file is passed to every stage with -var-file, and Terraform warns about (and in a
# future version rejects) values for undeclared variables, so each stage carries a byte-identical
# copy of this file named `global-variables.tf`. test/platform/terraform-variables.test.ts fails
# when a copy drifts; edit this file, then copy it to every stage:
#   for d in $(dirname $(find terraform -name backend.tf)); do cp terraform/00.global/variables.tf $d/global-variables.tf; done

variable "region" {
  description = "AWS region of the cluster and of the Terraform state bucket (e.g. eu-central-1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9][0-9]?$", var.region))
    error_message = "region must be an AWS region name such as eu-central-1 or us-east-1."
  }
}

variable "aiplat_cli" {
  description = "How the kubernetes/helm/kubectl providers run aiplat for a fresh EKS token on every call (`aiplat kubeconfig --exec-credential`). `aiplat up` sets it (TF_VAR_aiplat_cli) to its own node and bin/aiplat.js; the default needs `aiplat` on PATH."
  type        = list(string)
  default     = ["aiplat"]

  validation {
    condition     = length(var.aiplat_cli) > 0
    error_message = "aiplat_cli is the command and its leading arguments, e.g. [\"aiplat\"] or [\"node\", \"/path/to/bin/aiplat.js\"]."
  }
}

variable "state_bucket" {
  description = "S3 bucket holding the Terraform state of every stage. null = tfstate-<account id>, the bucket `aiplat up` bootstraps."
  type        = string
  default     = null
}

variable "state_region" {
  description = "Region of the state bucket. null = var.region."
  type        = string
  default     = null

  validation {
    condition     = var.state_region == null || can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9][0-9]?$", coalesce(var.state_region, "x")))
    error_message = "state_region must be an AWS region name such as eu-central-1."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC, /16 to /18 (the stages carve private, public and intra subnets out of it)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && can(regex("^[0-9.]+/1[6-8]$", var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block with a prefix length between /16 and /18 (smaller VPCs leave the public subnets too small for load balancers), e.g. 10.4.0.0/16."
  }

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && try(cidrhost(var.vpc_cidr, 0) == split("/", var.vpc_cidr)[0], false)
    error_message = "vpc_cidr must start on its network address (10.4.0.0/16, not 10.4.1.0/16)."
  }
}

variable "tags" {
  description = "Tags added to every AWS resource the stages create."
  type        = map(string)
  default     = {}
}

variable "shared_config" {
  description = "Settings shared by all stages. The cluster is named <resources_prefix>-<workspace>."
  type = object({
    resources_prefix = string
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.shared_config.resources_prefix))
    error_message = "shared_config.resources_prefix must be 3-20 characters of lowercase letters, digits and '-', starting with a letter (it prefixes IAM role names, which are limited to 64 characters)."
  }
}

variable "cluster_config" {
  description = "EKS cluster settings: version, compute mode, add-ons (capabilities) and the managed ArgoCD configuration."
  type = object({
    kubernetes_version  = string
    eks_auto_mode       = optional(bool, false)
    private_eks_cluster = optional(bool, false)
    create_mng_system   = optional(bool, true)
    # The most GPUs the gpu-inference Karpenter NodePool may run at once (the spend cap).
    gpu_node_limit = optional(number, 16)
    # The AL2023 EKS AMI release Karpenter's nodes run (awslabs/amazon-eks-ami releases). Pinned:
    # al2023@latest would replace every node, GPU nodes serving models included, on each release.
    node_ami_alias = optional(string, "al2023@v20260930")
    # Who may reach the public Kubernetes API endpoint (ignored with private_eks_cluster). EKS's
    # own default is the whole internet; set your office/VPN ranges or your address as /32.
    public_access_cidrs = optional(list(string), ["0.0.0.0/0"])
    # An S3 bucket the Ray pods may read model weights from (endpoint field modelSource), instead
    # of downloading them from HuggingFace through the NAT gateway on every worker start.
    model_cache = optional(bool, false)
    capabilities = object({
      kube_proxy    = optional(bool, true)
      networking    = optional(bool, true)
      coredns       = optional(bool, true)
      identity      = optional(bool, true)
      autoscaling   = optional(bool, true)
      blockstorage  = optional(bool, true)
      loadbalancing = optional(bool, true)
      gitops        = optional(bool, true)
      kro           = optional(bool, true)
      ack           = optional(bool, true)
    })
    capabilities_config = optional(object({
      argocd_idc_instance_arn = optional(string, "")
      argocd_idc_region       = optional(string, "")
      argocd_rbac_mappings = optional(list(object({
        role = string
        identities = list(object({
          id   = string
          type = string
        }))
      })), [])
      ack_iam_policy_arns = optional(list(string), [])
    }), {})
  })

  validation {
    condition     = var.cluster_config.gpu_node_limit >= 1 && var.cluster_config.gpu_node_limit <= 512 && floor(var.cluster_config.gpu_node_limit) == var.cluster_config.gpu_node_limit
    error_message = "cluster_config.gpu_node_limit must be a whole number of GPUs between 1 and 512."
  }

  validation {
    condition     = length(var.cluster_config.public_access_cidrs) > 0 && alltrue([for c in var.cluster_config.public_access_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "cluster_config.public_access_cidrs must be a non-empty list of IPv4 CIDRs such as [\"203.0.113.7/32\"] (who may reach the public Kubernetes API)."
  }

  validation {
    condition     = can(regex("^al2023@v[0-9]{8}$", var.cluster_config.node_ami_alias))
    error_message = "cluster_config.node_ami_alias must be a dated AL2023 release such as \"al2023@v20260930\" (see github.com/awslabs/amazon-eks-ami/releases); al2023@latest would replace every node on each AMI release."
  }

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.cluster_config.kubernetes_version))
    error_message = "cluster_config.kubernetes_version must be <major>.<minor>, e.g. \"1.35\"."
  }

  validation {
    condition = alltrue([
      for m in var.cluster_config.capabilities_config.argocd_rbac_mappings : contains(["ADMIN", "EDITOR", "VIEWER"], m.role)
    ])
    error_message = "cluster_config.capabilities_config.argocd_rbac_mappings[*].role must be ADMIN, EDITOR or VIEWER."
  }

  validation {
    condition = alltrue(flatten([
      for m in var.cluster_config.capabilities_config.argocd_rbac_mappings : [
        for i in m.identities : contains(["SSO_USER", "SSO_GROUP"], i.type) && length(trimspace(i.id)) > 0
      ]
    ]))
    error_message = "cluster_config.capabilities_config.argocd_rbac_mappings[*].identities[*] need a non-empty id and a type of SSO_USER or SSO_GROUP."
  }

  validation {
    condition     = var.cluster_config.eks_auto_mode || !(var.cluster_config.capabilities.autoscaling || var.cluster_config.capabilities.blockstorage) || var.cluster_config.capabilities.identity
    error_message = "capabilities.autoscaling (Karpenter) and capabilities.blockstorage (EBS CSI) authenticate through EKS Pod Identity: set capabilities.identity = true."
  }

  validation {
    condition     = var.cluster_config.eks_auto_mode || !var.cluster_config.capabilities.autoscaling || var.cluster_config.create_mng_system
    error_message = "capabilities.autoscaling installs the Karpenter controller on the \"system\" managed node group: set create_mng_system = true (or eks_auto_mode = true)."
  }

  validation {
    condition = !var.cluster_config.capabilities.gitops || (
      can(regex("^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[0-9A-Za-z]+$", var.cluster_config.capabilities_config.argocd_idc_instance_arn)) &&
      can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9][0-9]?$", var.cluster_config.capabilities_config.argocd_idc_region)) &&
      length(var.cluster_config.capabilities_config.argocd_rbac_mappings) > 0
    )
    error_message = "With capabilities.gitops = true, capabilities_config needs argocd_idc_instance_arn (arn:aws:sso:::instance/ssoins-...), argocd_idc_region (e.g. us-east-1) and at least one argocd_rbac_mappings entry (see `aws sso-admin list-instances`)."
  }

  # The example's placeholders pass the shape checks above, and would otherwise fail only at
  # CreateCapability, after the cluster exists (same shapes as aiplat doctor's placeholder check).
  validation {
    condition = !var.cluster_config.capabilities.gitops || (
      !can(regex("X{6,}", var.cluster_config.capabilities_config.argocd_idc_instance_arn)) &&
      alltrue(flatten([
        for m in var.cluster_config.capabilities_config.argocd_rbac_mappings : [
          for i in m.identities : !can(regex("(?i)^your[-_]|X{6,}", i.id))
        ]
      ]))
    )
    error_message = "cluster_config.capabilities_config still holds an example placeholder (ssoins-XXXX… or your-sso-user-id): run `aiplat init`, or fill in your Identity Center instance ARN and user/group ids."
  }
}

variable "observability_configuration" {
  description = "Optional observability stages. aws_native_tooling turns on 40.observability/40.aws-native-observability, aws_oss_tooling turns on 40.observability/45.aws-oss-observability."
  type = object({
    aws_native_tooling = optional(bool, false)
    aws_oss_tooling    = optional(bool, false)
    aws_oss_tooling_config = optional(object({
      enable_managed_collector = optional(bool, true)
      enable_grafana_workspace = optional(bool, false)
    }), {})
  })
  default = {}
}

variable "docker_hub_username" {
  description = "Optional Docker Hub user name for an ECR pull-through cache; the cache exists only when it is set. Not a secret (it is stored in the plan and state), but kept beside the token in the gitignored <env>.secret.tfvars."
  type        = string
  default     = null

  validation {
    condition     = var.docker_hub_username == null || try(length(var.docker_hub_username) > 0, false)
    error_message = "docker_hub_username must be non-empty, or left unset."
  }
}

# Write-only arguments reach the provider only when their version argument changes, so a new
# token with the same version would never leave the machine. `aiplat init` writes this number beside
# the credentials and adds one each time it writes a different token.
variable "docker_hub_credentials_version" {
  description = "Version of the Docker Hub credentials: the pull-through cache's secret is rewritten only when it changes. aiplat init bumps it in <env>.secret.tfvars; bump TF_VAR_docker_hub_credentials_version yourself when the token comes from TF_VAR_docker_hub_access_token."
  type        = number
  default     = 1

  validation {
    condition     = var.docker_hub_credentials_version >= 1 && floor(var.docker_hub_credentials_version) == var.docker_hub_credentials_version
    error_message = "docker_hub_credentials_version must be a whole number of 1 or more."
  }
}

# Ephemeral (Terraform >= 1.10): the token is in no plan file and no state. It may only reach
# write-only arguments, and must be given again when a saved plan is applied (aiplat passes the
# var files to apply too).
variable "docker_hub_access_token" {
  description = "Docker Hub access token of docker_hub_username. Secret: only in a gitignored <env>.secret.tfvars or TF_VAR_docker_hub_access_token, never in <env>.tfvars."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = (var.docker_hub_username == null) == (var.docker_hub_access_token == null) && try(length(var.docker_hub_access_token) > 0, var.docker_hub_access_token == null)
    error_message = "docker_hub_username and docker_hub_access_token go together: set both (a non-empty token), or neither."
  }
}
