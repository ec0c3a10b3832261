#!/usr/bin/env bash
# Creates the Secrets the local overlay (kind, minikube) needs, with random credentials, in the
# cluster kubectl points at. Secrets that exist are left alone (id-secret keys the research ids:
# keep it for the life of the dataset). Production creates the same Secrets from its own secret
# store (docs/deployment.md, "Secrets"); this script shows what they hold.
#   deploy/k8s/scripts/create-local-secrets.sh [NAMESPACE]      (default cxr)
set -euo pipefail
ns="${1:-cxr}"

# secret              key=value ... ("randomN" = N random alphanumerics; MinIO takes access keys of at
# most 20 characters and secret keys of at most 40)
SECRETS='
cxr-ingest            db-username=cxr_ingest db-password=random32 id-secret=random64 kafka-password=random32 s3-access-key=random20 s3-secret-key=random40
cxr-convert           kafka-password=random32 s3-access-key=random20 s3-secret-key=random40
cxr-label             kafka-password=random32 s3-access-key=random20 s3-secret-key=random40
cxr-catalog           db-username=cxr_catalog db-password=random32 kafka-password=random32 s3-access-key=random20 s3-secret-key=random40
cxr-oidc              auth-server-url=http://keycloak:8080/realms/cxr token-issuer=http://localhost:8180/realms/cxr dashboard-client-secret=random32
cxr-kafka-admin       username=kafka-admin password=random32
cxr-kafka-keda        sasl=scram_sha512 username=keda password=random32 tls=disable
cxr-minio-admin       root-user=random20 root-password=random40
cxr-postgres-admin    password=random32
cxr-keycloak          admin-password=random32 cli-client-secret=random32
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
      random[0-9]*) value="$(random "${value#random}")" ;;
    esac
    args+=("--from-literal=$key=$value")
  done
  kubectl -n "$ns" create secret generic "$name" "${args[@]}" >/dev/null
  echo "create-local-secrets: $name created"
done <<< "$SECRETS"
