#!/usr/bin/env bash
# LOCAL ONLY (docker-compose.yml, service keycloak-local-users): adds the test users of
# local-only-test-users.json (test-uploader, test-researcher, test-operator, test-admin, password
# CXR_KEYCLOAK_TEST_USER_PASSWORD from .env) and the password-grant client cxr-local-test to realm
# cxr, through Keycloak's admin API (partial import; existing users are kept). Never run it against
# a shared Keycloak: the production realm (cxr-realm.json) has no users and no password grant.
set -euo pipefail
: "${CXR_KEYCLOAK_TEST_USER_PASSWORD:?}" "${KC_BOOTSTRAP_ADMIN_USERNAME:?}" "${KC_BOOTSTRAP_ADMIN_PASSWORD:?}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kcadm() { "${KEYCLOAK_HOME:-/opt/keycloak}"/bin/kcadm.sh "$@" --config /tmp/kcadm.config; }
for attempt in $(seq 1 60); do
  if kcadm config credentials --server "${KEYCLOAK_URL:-http://keycloak:8080}" --realm master \
      --user "$KC_BOOTSTRAP_ADMIN_USERNAME" --password "$KC_BOOTSTRAP_ADMIN_PASSWORD" 2>/dev/null \
      && kcadm get realms/cxr >/dev/null 2>&1; then
    break
  fi
  [ "$attempt" = 60 ] && { echo "load-local-test-users: Keycloak or realm cxr not ready" >&2; exit 1; }
  sleep 3
done
umask 077
sed "s/__CXR_KEYCLOAK_TEST_USER_PASSWORD__/$CXR_KEYCLOAK_TEST_USER_PASSWORD/" \
  "$here/local-only-test-users.json" > /tmp/local-only-test-users.json
kcadm create partialImport -r cxr -f /tmp/local-only-test-users.json
rm -f /tmp/local-only-test-users.json
