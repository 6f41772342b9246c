# The EKS cluster (terraform-aws-modules/eks v21: input names differ from v20, e.g. `name`,
# `kubernetes_version`, `addons`, `endpoint_public_access`; checked against the module's declared
# interface by test/platform/terraform-modules.test.ts).

locals {
  capabilities = var.cluster_config.capabilities
  networking   = data.terraform_remote_state.networking.outputs

  # Access policy of each role made by stage 20.iam-roles-for-eks.
  access_policy_by_role = {
    EKSClusterAdmin = "AmazonEKSClusterAdminPolicy"
    EKSAdmin        = "AmazonEKSAdminPolicy"
    EKSEdit         = "AmazonEKSEditPolicy"
    EKSView         = "AmazonEKSViewPolicy"
  }

  # EKS add-ons, each switched by a tfvars capability. Networking and Pod Identity must exist
  # before nodes join (before_compute), the others install once nodes are there.
  addon_switches = {
    # enableNetworkPolicy: the VPC CNI's node agent enforces Kubernetes NetworkPolicies (off by
    # default, so the policies of platform/namespaces would be accepted and ignored). The add-on's
    # configuration schema takes it as the string "true".
    vpc-cni                = { enabled = local.capabilities.networking, before_compute = true, pod_identity = null, configuration = jsonencode({ enableNetworkPolicy = "true" }) }
    eks-pod-identity-agent = { enabled = local.capabilities.identity, before_compute = true, pod_identity = null, configuration = null }
    kube-proxy             = { enabled = local.capabilities.kube_proxy, before_compute = false, pod_identity = null, configuration = null }
    coredns                = { enabled = local.capabilities.coredns, before_compute = false, pod_identity = null, configuration = null }
    aws-ebs-csi-driver = {
      enabled        = local.capabilities.blockstorage
      before_compute = false
      pod_identity   = [{ role_arn = aws_iam_role.ebs_csi.arn, service_account = "ebs-csi-controller-sa" }]
      configuration  = null
    }
  }

  # EKS Auto Mode brings its own networking, DNS, storage and node autoscaling. (Filters instead
  # of `cond ? {} : {...}`, whose two object types Terraform cannot always unify.)
  eks_addons = {
    for name, a in local.addon_switches : name => {
      before_compute           = a.before_compute
      pod_identity_association = a.pod_identity
      configuration_values     = a.configuration
    } if a.enabled && !var.cluster_config.eks_auto_mode
  }

  system_node_group = {
    ami_type       = "AL2023_x86_64_STANDARD"
    instance_types = ["m7i.large", "m6i.large", "m5.large"]
    min_size       = 2
    max_size       = 3
    desired_size   = 2
    labels = {
      # Karpenter's controller must not run on nodes it manages (karpenter.tf selects this).
      "karpenter.sh/controller" = "true"
      "workload-type"           = "system"
    }
    iam_role_additional_policies = local.node_additional_policies
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.19.0"

  name               = local.cluster_name
  kubernetes_version = var.cluster_config.kubernetes_version

  # The private endpoint is always on (nodes use it); the public one only for a public cluster.
  endpoint_public_access  = !var.cluster_config.private_eks_cluster
  endpoint_private_access = true
  # Only these ranges reach the public endpoint (EKS's default would be 0.0.0.0/0).
  endpoint_public_access_cidrs = var.cluster_config.private_eks_cluster ? null : var.cluster_config.public_access_cidrs

  vpc_id                   = local.networking.vpc_id
  subnet_ids               = local.networking.private_subnets
  control_plane_subnet_ids = local.networking.intra_subnets

  # Access entries only (no aws-auth ConfigMap). The identity running Terraform stays admin so
  # that the namespaces, secrets and Karpenter below can be created in the same apply.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = true

  compute_config = var.cluster_config.eks_auto_mode ? {
    enabled    = true
    node_pools = ["general-purpose", "system"]
  } : null

  addons = local.eks_addons

  eks_managed_node_groups = {
    for name, group in { system = local.system_node_group } : name => group if var.cluster_config.create_mng_system
  }

  access_entries = {
    for role, arn in data.terraform_remote_state.iam.outputs.eks_access_role_arns : role => {
      principal_arn = arn
      policy_associations = {
        (local.access_policy_by_role[role]) = {
          policy_arn   = "arn:${local.partition}:eks::aws:cluster-access-policy/${local.access_policy_by_role[role]}"
          access_scope = { type = "cluster" }
        }
      }
    }
  }

  # The EC2NodeClasses select the node security group by this tag.
  node_security_group_tags = {
    "karpenter.sh/discovery" = local.cluster_name
  }

  tags = local.tags
}

# EBS CSI driver controller role, assumed through EKS Pod Identity.
data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ebs_csi" {
  name               = "${local.cluster_name}-ebs-csi"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.ebs_csi.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

# Nodes may reach Systems Manager (shell access without SSH keys); with the Docker Hub cache they
# may also create the cached repositories on first pull.
locals {
  node_additional_policies = merge(
    { AmazonSSMManagedInstanceCore = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" },
    local.docker_hub_cache_enabled ? { DockerHubPullThroughCache = aws_iam_policy.pull_through_cache[0].arn } : {},
  )
}
