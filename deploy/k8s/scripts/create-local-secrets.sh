#!/usr/bin/env bash
# Creates the Secrets the local overlay (kind, minikube) needs, with random credentials, in the
# cluster kubectl points at. Secrets that exist are left alone (id-secret keys the research ids:
# keep it for the life of the dataset). Production creates the same Secrets from its own secret
# store (docs/deployment.md, "Secrets"); this script shows what they hold.
#   deploy/k8s/scripts/create-local-secrets.sh [NAMESPACE]      (default cxr)
set -euo pipefail
ns="${1:-cxr}"

# secret              key=value ... ("random" = 32 random alphanumerics, "random64" = 64)
SECRETS='
cxr-ingest            db-username=cxr_ingest db-password=random id-secret=random64 kafka-password=random s3-access-key=random s3-secret-key=random
cxr-convert           kafka-password=random s3-access-key=random s3-secret-key=random
cxr-label             kafka-password=random s3-access-key=random s3-secret-key=random
cxr-catalog           db-username=cxr_catalog db-password=random kafka-password=random s3-access-key=random s3-secret-key=random
cxr-oidc              auth-server-url=http://keycloak:8080/realms/cxr token-issuer=http://localhost:8180/realms/cxr dashboard-client-secret=random
cxr-kafka-admin       username=kafka-admin password=random
cxr-kafka-keda        sasl=scram_sha512 username=keda password=random tls=disable
cxr-minio-admin       root-user=random root-password=random
cxr-postgres-admin    password=random
cxr-keycloak          admin-password=random cli-client-secret=random
'

random() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | cut -c "1-$1"; }

kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
while read -r name pairs; do
  [ -z "$name" ] && continue
  if kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then
    echo "create-local-secrets: $name exists, kept"
    continue
  fi
  args=()
  for pair in $pairs; do
    key="${pair%%=*}" value="${pair#*=}"
    case "$value" in
      random) value="$(random 32)" ;;
      random64) value="$(random 64)" ;;
    esac
    args+=("--from-literal=$key=$value")
  done
  kubectl -n "$ns" create secret generic "$name" "${args[@]}" >/dev/null
  echo "create-local-secrets: $name created"
done <<< "$SECRETS"
