#!/usr/bin/env bash
# bench/seed-procedure.sh CLUSTER ROLE NAMESPACE MANIFEST_V1
#
# The seed's manual procedure ("Configure Amazon SageMaker operator for Kubernetes"), as people run
# it: one AWS CLI or kubectl process per step, the trust policy written with printf and sed, the
# role ARN sed-ed into a copy of the installer. eksctl is not on this machine, so
# `eksctl utils associate-iam-oidc-provider` is done with its AWS CLI equivalent (list the account's
# providers, create one for the issuer unless it is there).
#
#   CLUSTER      EKS cluster name
#   ROLE         IAM role to create for the operator's service account
#   NAMESPACE    the operator's namespace (the trust policy's subject)
#   MANIFEST_V1  the installer with v1 CRDs (the v1beta1 one is refused since Kubernetes 1.22),
#                prepared beforehand with `bin/operator-setup render --manifest-out` and a
#                placeholder role ARN, arn:<partition>:iam::<account>:role/$PLACEHOLDER_ROLE
#
# Environment: ENDPOINT_URL (an emulator's URL: passed as --endpoint-url to every aws call),
# KUBECONFIG_FILE (passed as --kubeconfig to every kubectl call), AWS_REGION, PLACEHOLDER_ROLE
# (default BENCH-PLACEHOLDER-ROLE), SEED_TIMEOUT (kubectl waits, default 300s), WORK_DIR (where
# trust.json and the manifest copy go; default a new temporary directory), SEED_TIMINGS (a file:
# each step appends "<epoch seconds> <step>" when it starts, and "done" at the end; the benchmark
# reads it to show where the time goes).
#
# kubectl apply is client-side (kubectl's default, as the seed's `kubectl apply -f installer.yaml`).
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 CLUSTER ROLE NAMESPACE MANIFEST_V1" >&2
  exit 2
fi
CLUSTER=$1 ROLE=$2 NAMESPACE=$3 MANIFEST=$4
SA=sagemaker-k8s-operator-default
PLACEHOLDER_ROLE=${PLACEHOLDER_ROLE:-BENCH-PLACEHOLDER-ROLE}
TIMEOUT=${SEED_TIMEOUT:-300s}
WORK=${WORK_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
aws_() { aws ${ENDPOINT_URL:+--endpoint-url "$ENDPOINT_URL"} --region "${AWS_REGION:-us-east-1}" "$@"; }
kubectl_() { kubectl ${KUBECONFIG_FILE:+--kubeconfig "$KUBECONFIG_FILE"} "$@"; }
mark() { if [ -n "${SEED_TIMINGS:-}" ]; then printf '%s %s\n' "$EPOCHREALTIME" "$1" >>"$SEED_TIMINGS"; fi; }

# 1. The cluster's OIDC issuer, and the account.
mark 'aws eks describe-cluster'
ISSUER=$(aws_ eks describe-cluster --name "$CLUSTER" --query cluster.identity.oidc.issuer --output text)
mark 'aws sts get-caller-identity'
ACCOUNT=$(aws_ sts get-caller-identity --query Account --output text)
PROVIDER=${ISSUER#https://}
PROVIDER_ARN="arn:aws:iam::$ACCOUNT:oidc-provider/$PROVIDER"

# 2. eksctl utils associate-iam-oidc-provider --cluster $CLUSTER --approve, with the AWS CLI.
mark 'aws iam list-open-id-connect-providers'
EXISTING=$(aws_ iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[].Arn' --output text)
if ! tr '\t' '\n' <<<"$EXISTING" | grep -qxF "$PROVIDER_ARN"; then
  mark 'aws iam create-open-id-connect-provider'
  aws_ iam create-open-id-connect-provider --url "$ISSUER" --client-id-list sts.amazonaws.com >/dev/null
fi

# 3. trust.json, as the workshop has it: a template with placeholders filled in by sed.
mark 'trust.json (printf, sed)'
printf '%s\n' \
  '{' \
  '  "Version": "2012-10-17",' \
  '  "Statement": [' \
  '    {' \
  '      "Effect": "Allow",' \
  '      "Principal": {' \
  '        "Federated": "arn:aws:iam::<AWS account number>:oidc-provider/<OIDC URL>"' \
  '      },' \
  '      "Action": "sts:AssumeRoleWithWebIdentity",' \
  '      "Condition": {' \
  '        "StringEquals": {' \
  '          "<OIDC URL>:aud": "sts.amazonaws.com",' \
  '          "<OIDC URL>:sub": "system:serviceaccount:<namespace>:<service account>"' \
  '        }' \
  '      }' \
  '    }' \
  '  ]' \
  '}' >"$WORK/trust.template.json"
sed -e "s#<AWS account number>#$ACCOUNT#g" -e "s#<OIDC URL>#$PROVIDER#g" \
  -e "s#<namespace>#$NAMESPACE#g" -e "s#<service account>#$SA#g" \
  "$WORK/trust.template.json" >"$WORK/trust.json"

# 4. The role and its policy.
mark 'aws iam create-role'
ROLE_ARN=$(aws_ iam create-role --role-name "$ROLE" --assume-role-policy-document "file://$WORK/trust.json" \
  --query Role.Arn --output text)
mark 'aws iam attach-role-policy'
aws_ iam attach-role-policy --role-name "$ROLE" --policy-arn arn:aws:iam::aws:policy/AmazonSageMakerFullAccess

# 5. The role ARN into a copy of the installer (the workshop edits the ServiceAccount's annotation).
mark 'sed the role ARN into the manifest'
sed -e "s#arn:aws:iam::$ACCOUNT:role/$PLACEHOLDER_ROLE#$ROLE_ARN#g" "$MANIFEST" >"$WORK/installer.yaml"

# 6. Apply, then wait for the CRDs and the controller.
mark 'kubectl apply -f'
kubectl_ apply -f "$WORK/installer.yaml" >/dev/null
mark 'kubectl wait --for condition=established'
kubectl_ wait --for condition=established --timeout="$TIMEOUT" \
  crd/batchtransformjobs.sagemaker.aws.amazon.com crd/endpointconfigs.sagemaker.aws.amazon.com \
  crd/hostingautoscalingpolicies.sagemaker.aws.amazon.com crd/hostingdeployments.sagemaker.aws.amazon.com \
  crd/hyperparametertuningjobs.sagemaker.aws.amazon.com crd/models.sagemaker.aws.amazon.com \
  crd/processingjobs.sagemaker.aws.amazon.com crd/trainingjobs.sagemaker.aws.amazon.com >/dev/null
mark 'kubectl rollout status'
kubectl_ -n "$NAMESPACE" rollout status deployment/sagemaker-k8s-operator-controller-manager \
  --timeout="$TIMEOUT" >/dev/null
mark done
echo "$ROLE_ARN"
