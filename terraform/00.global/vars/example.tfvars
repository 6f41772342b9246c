# Example environment configuration. `aiplat init` writes terraform/00.global/vars/<env>.tfvars from
# your answers; to do it by hand, copy this file to <env>.tfvars and replace every placeholder.
# The same file is passed to every stage (-var-file); every key is declared in every stage
# (terraform/00.global/variables.tf holds the types and validation rules).

# AWS region of the cluster and of the Terraform state bucket (tfstate-<account id>).
region = "eu-central-1"

# IPv4 CIDR of the VPC, /16 to /18. Private subnets (/20 of a /16) host the nodes, public subnets
# the internet-facing load balancers, intra subnets the EKS control-plane network interfaces.
vpc_cidr = "10.4.0.0/16"

# Tags added to every AWS resource.
tags = {
  project = "ai-platform"
}

shared_config = {
  # Prefix of every resource name; the cluster is named <resources_prefix>-<env> (<env> is the
  # Terraform workspace). 3-20 characters: lowercase letters, digits, '-'.
  resources_prefix = "ai-platform"
}

cluster_config = {
  # EKS Kubernetes version, <major>.<minor>.
  kubernetes_version = "1.35"
  # EKS Auto Mode manages nodes itself; the self-managed Karpenter below (and its gpu-inference
  # NodePool) is only installed when this is false.
  eks_auto_mode = false
  # true: the Kubernetes API is reachable only from inside the VPC (aiplat and kubectl must then
  # run from inside the VPC or through a VPN).
  private_eks_cluster = false
  # A small managed node group ("system") for Karpenter, CoreDNS and other controllers.
  create_mng_system = true
  # The most GPUs the gpu-inference NodePool may run at once: the cap on GPU spend. An 8-GPU model
  # (llama33-70b on g5/g6) needs 16 to be upgraded without downtime (KubeRay starts the new Ray
  # cluster beside the old one). Default 16.
  gpu_node_limit = 16
  # The AL2023 EKS AMI release every Karpenter node runs (github.com/awslabs/amazon-eks-ami/releases).
  # Pinned on purpose: bump it to roll nodes onto a new AMI, one node at a time.
  node_ami_alias = "al2023@v20260930"
  # Who may reach the public Kubernetes API endpoint: your office/VPN ranges, or your own address
  # as /32 (aiplat and kubectl run from there). ["0.0.0.0/0"] is the whole internet (init warns).
  public_access_cidrs = ["203.0.113.7/32"]
  # An S3 bucket (output model_cache_bucket) the Ray pods may read model weights from: copy a
  # model there once and set `modelSource: s3://<bucket>/<path>` in its endpoint, instead of
  # downloading it from HuggingFace through the NAT gateway on every worker start.
  model_cache = false

  capabilities = {
    kube_proxy    = true # kube-proxy EKS add-on
    networking    = true # Amazon VPC CNI EKS add-on
    coredns       = true # CoreDNS EKS add-on
    identity      = true # EKS Pod Identity agent add-on
    autoscaling   = true # Karpenter (self-managed): default and gpu-inference NodePools
    blockstorage  = true # Amazon EBS CSI driver add-on
    loadbalancing = true # AWS Load Balancer Controller (stage 30.eks/35.addons)
    gitops        = true # Argo CD (EKS managed capability)
    kro           = true # KRO (EKS managed capability)
    ack           = true # AWS Controllers for Kubernetes (EKS managed capability)
  }

  # Required when capabilities.gitops = true: the managed Argo CD signs users in through IAM
  # Identity Center. Instance ARN: `aws sso-admin list-instances`; user and group ids: the
  # identitystore API (`aiplat init` looks them up by name).
  capabilities_config = {
    argocd_idc_instance_arn = "arn:aws:sso:::instance/ssoins-XXXXXXXXXXXXXXXX"
    argocd_idc_region       = "us-east-1"
    # role: ADMIN, EDITOR or VIEWER; identities[].type: SSO_USER or SSO_GROUP.
    argocd_rbac_mappings = [
      {
        role = "ADMIN"
        identities = [
          { id = "your-sso-user-id", type = "SSO_USER" }
        ]
      }
    ]
    # IAM policies for the ACK capability role (ACK calls AWS APIs with it). Empty: ACK can
    # manage nothing until you grant it something, e.g. "arn:aws:iam::aws:policy/AmazonS3FullAccess".
    ack_iam_policy_arns = []
  }
}

# Optional stages under terraform/40.observability (skipped unless turned on here).
observability_configuration = {
  aws_native_tooling = false # 40.aws-native-observability: CloudWatch Container Insights add-on
  aws_oss_tooling    = false # 45.aws-oss-observability: Amazon Managed Service for Prometheus
  aws_oss_tooling_config = {
    enable_managed_collector = true  # AMP managed scraper for the cluster's metrics
    enable_grafana_workspace = false # Amazon Managed Grafana workspace (Identity Center sign-in)
  }
}

# OPTIONAL: ECR pull-through cache for Docker Hub images (needs a free Docker Hub account).
# The token is a secret: never put it in this file. `aiplat init` writes both to the gitignored
# <env>.secret.tfvars; or export TF_VAR_docker_hub_username=... TF_VAR_docker_hub_access_token=....
# The token is an ephemeral variable: it is in no plan file and no state.
# docker_hub_username     = "your-dockerhub-username"
# docker_hub_access_token = "dckr_pat_..."
# A new token reaches Secrets Manager only with a new version (write-only arguments are sent when
# their version changes); `aiplat init` bumps it when it writes a new token.
# docker_hub_credentials_version = 1
