#!/usr/bin/env bash
# bench/ack-procedure.sh CLUSTER ROLE CHART_DIR
#
# The ACK documentation's procedure for the SageMaker controller with IRSA, as people run it: one
# AWS CLI, Helm CLI or kubectl process per step. IAM first ("Configure IAM permissions"): the
# cluster's issuer and the account, the IAM OIDC provider (`eksctl utils
# associate-iam-oidc-provider`, done here with its AWS CLI equivalent as eksctl is not on this
# machine), trust.json from a heredoc, `aws iam create-role`, `aws iam attach-role-policy` for each
# recommended policy ARN (the docs download config/iam/recommended-policy-arn with wget; it lists
# AmazonSageMakerFullAccess, passed here as POLICY_ARNS: no network). Then `helm install` of the
# chart with the region and the ServiceAccount's role annotation, `kubectl wait` for the chart's
# CRDs to be Established and `kubectl rollout status` for the controller.
#
#   CLUSTER    EKS cluster name
#   ROLE       IAM role to create for the controller's ServiceAccount
#   CHART_DIR  the ACK SageMaker chart, unpacked (read only; its crds/ names the CRDs to wait for)
#
# Environment: HELM (the Helm CLI, default `helm`), ENDPOINT_URL (an emulator's URL: --endpoint-url
# of every aws call), KUBECONFIG_FILE (--kubeconfig of every helm and kubectl call), AWS_REGION,
# POLICY_ARNS (newline-separated, default AmazonSageMakerFullAccess), ACK_TIMEOUT (kubectl waits,
# default 300s), WORK_DIR (trust.json; default a new temporary directory), STEP_TIMINGS (a file:
# each step appends "<epoch seconds> <step>" when it starts, and "done" at the end).
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 CLUSTER ROLE CHART_DIR" >&2
  exit 2
fi
CLUSTER=$1 ACK_CONTROLLER_IAM_ROLE=$2 CHART=$3
ACK_SYSTEM_NAMESPACE=ack-system
ACK_K8S_SERVICE_ACCOUNT_NAME=ack-sagemaker-controller
RELEASE=ack-sagemaker-controller
DEPLOYMENT=$RELEASE-sagemaker-chart # the chart's fullname: release-chartname
POLICY_ARNS=${POLICY_ARNS:-arn:aws:iam::aws:policy/AmazonSageMakerFullAccess}
TIMEOUT=${ACK_TIMEOUT:-300s}
WORK=${WORK_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
aws_() { aws ${ENDPOINT_URL:+--endpoint-url "$ENDPOINT_URL"} --region "${AWS_REGION:-us-east-1}" "$@"; }
helm_() { "${HELM:-helm}" ${KUBECONFIG_FILE:+--kubeconfig "$KUBECONFIG_FILE"} "$@"; }
kubectl_() { kubectl ${KUBECONFIG_FILE:+--kubeconfig "$KUBECONFIG_FILE"} "$@"; }
mark() { if [ -n "${STEP_TIMINGS:-}" ]; then printf '%s %s\n' "$EPOCHREALTIME" "$1" >>"$STEP_TIMINGS"; fi; }

# 1. The cluster's OIDC issuer, and the account.
mark 'aws eks describe-cluster'
OIDC_PROVIDER=$(aws_ eks describe-cluster --name "$CLUSTER" --query cluster.identity.oidc.issuer \
  --output text | sed -e 's#^https://##')
mark 'aws sts get-caller-identity'
AWS_ACCOUNT_ID=$(aws_ sts get-caller-identity --query Account --output text)
PROVIDER_ARN="arn:aws:iam::$AWS_ACCOUNT_ID:oidc-provider/$OIDC_PROVIDER"

# 2. eksctl utils associate-iam-oidc-provider --cluster $CLUSTER --approve, with the AWS CLI.
mark 'aws iam list-open-id-connect-providers'
EXISTING=$(aws_ iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[].Arn' --output text)
if ! tr '\t' '\n' <<<"$EXISTING" | grep -qxF "$PROVIDER_ARN"; then
  mark 'aws iam create-open-id-connect-provider'
  aws_ iam create-open-id-connect-provider --url "https://$OIDC_PROVIDER" \
    --client-id-list sts.amazonaws.com >/dev/null
fi

# 3. trust.json, as the ACK docs write it.
mark 'trust.json (heredoc)'
read -r -d '' TRUST_RELATIONSHIP <<EOF || true
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::${AWS_ACCOUNT_ID}:oidc-provider/${OIDC_PROVIDER}"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "${OIDC_PROVIDER}:sub": "system:serviceaccount:${ACK_SYSTEM_NAMESPACE}:${ACK_K8S_SERVICE_ACCOUNT_NAME}"
        }
      }
    }
  ]
}
EOF
echo "${TRUST_RELATIONSHIP}" >"$WORK/trust.json"

# 4. The role and the recommended policies.
mark 'aws iam create-role'
ACK_CONTROLLER_IAM_ROLE_ARN=$(aws_ iam create-role --role-name "$ACK_CONTROLLER_IAM_ROLE" \
  --assume-role-policy-document "file://$WORK/trust.json" \
  --description "IRSA role for ACK sagemaker controller deployment on EKS cluster using Helm charts" \
  --query Role.Arn --output text)
mark 'aws iam attach-role-policy'
while IFS= read -r POLICY_ARN; do
  aws_ iam attach-role-policy --role-name "$ACK_CONTROLLER_IAM_ROLE" --policy-arn "$POLICY_ARN"
done <<<"$POLICY_ARNS"

# 5. The chart, with the region and the role on the ServiceAccount.
mark 'helm install'
helm_ install "$RELEASE" "$CHART" -n "$ACK_SYSTEM_NAMESPACE" --create-namespace \
  --set aws.region="${AWS_REGION:-us-east-1}" \
  --set serviceAccount.annotations."eks\.amazonaws\.com/role-arn"="$ACK_CONTROLLER_IAM_ROLE_ARN" >/dev/null

# 6. Wait for the CRDs (named after the chart's crds/ files: GROUP_PLURAL.yaml) and the controller.
mark 'kubectl wait --for condition=established'
CRDS=()
for f in "$CHART"/crds/*.yaml; do
  b=${f##*/}
  b=${b%.yaml}
  CRDS+=("crd/${b#*_}.${b%%_*}")
done
kubectl_ wait --for condition=established --timeout="$TIMEOUT" "${CRDS[@]}" >/dev/null
mark 'kubectl rollout status'
kubectl_ -n "$ACK_SYSTEM_NAMESPACE" rollout status "deployment/$DEPLOYMENT" --timeout="$TIMEOUT" >/dev/null
mark done
echo "$ACK_CONTROLLER_IAM_ROLE_ARN"
