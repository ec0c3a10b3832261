#!/usr/bin/env bash
# Creates the platform's topics (topics.tsv), the services' SCRAM users and their ACLs
# (principals.tsv) as kafka-admin. Idempotent: run it again after changing either table (it adds;
# remove a withdrawn ACL with kafka-acls.sh --remove). Used by docker-compose.yml (service
# kafka-init) and Kubernetes (Job kafka-init), on the apache/kafka image.
#
# Environment:
#   CXR_KAFKA_BOOTSTRAP                 the brokers
#   CXR_KAFKA_ADMIN_USER (kafka-admin), CXR_KAFKA_ADMIN_PASSWORD
#   CXR_KAFKA_SECURITY_PROTOCOL         SASL_PLAINTEXT (compose, local overlay) or SASL_SSL
#   CXR_KAFKA_TRUSTSTORE                PEM file with the broker's CA (SASL_SSL with a private CA)
#   CXR_KAFKA_REPLICATION_FACTOR (1), CXR_KAFKA_MIN_INSYNC_REPLICAS (1): 3 and 2 in production
#   CXR_KAFKA_CREATE_USERS (true)       set each principal's SCRAM password from
#                                       CXR_KAFKA_PASSWORD_<PRINCIPAL> (CXR_KAFKA_PASSWORD_CONVERT_SERVICE, ...;
#                                       a principal without one gets no login);
#                                       false where the users are managed elsewhere
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${KAFKA_HOME:-/opt/kafka}/bin"
# The tools' launcher creates its log directory; the image's is read-only in Kubernetes.
export LOG_DIR="${LOG_DIR:-/tmp/kafka-logs}"
: "${CXR_KAFKA_BOOTSTRAP:?}" "${CXR_KAFKA_ADMIN_PASSWORD:?}"
rf="${CXR_KAFKA_REPLICATION_FACTOR:-1}"
isr="${CXR_KAFKA_MIN_INSYNC_REPLICAS:-1}"

umask 077
client="$(mktemp)"
trap 'rm -f "$client"' EXIT
cat > "$client" <<PROPERTIES
security.protocol=${CXR_KAFKA_SECURITY_PROTOCOL:-SASL_PLAINTEXT}
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${CXR_KAFKA_ADMIN_USER:-kafka-admin}" password="$CXR_KAFKA_ADMIN_PASSWORD";
PROPERTIES
if [ -n "${CXR_KAFKA_TRUSTSTORE:-}" ]; then
  printf 'ssl.truststore.type=PEM\nssl.truststore.location=%s\n' "$CXR_KAFKA_TRUSTSTORE" >> "$client"
fi

kafka() { "$bin/$1" --bootstrap-server "$CXR_KAFKA_BOOTSTRAP" --command-config "$client" "${@:2}"; }
# "a,b" -> --flag a --flag b ("-" -> nothing)
repeat() { [ "$2" = "-" ] && return 0; local IFS=,; for v in $2; do printf '%s\n%s\n' "$1" "$v"; done; }
rows() { grep -v -e '^#' -e '^[[:space:]]*$' "$here/$1"; }

for attempt in $(seq 1 60); do
  if kafka kafka-topics.sh --list >/dev/null 2>&1; then break; fi
  [ "$attempt" = 60 ] && { echo "init-kafka: $CXR_KAFKA_BOOTSTRAP not reachable as ${CXR_KAFKA_ADMIN_USER:-kafka-admin}" >&2; exit 1; }
  sleep 3
done

rows topics.tsv | while read -r topic partitions retention settings; do
  config=(--config "min.insync.replicas=$isr")
  [ "$retention" = "-" ] || config+=(--config "retention.ms=$retention")
  mapfile -t more < <(repeat --config "$settings")
  config+=("${more[@]}")
  kafka kafka-topics.sh --create --if-not-exists --topic "$topic" --partitions "$partitions" \
    --replication-factor "$rf" "${config[@]}"
done

rows principals.tsv | while read -r principal group reads writes dgroups dtopics; do
  if [ "${CXR_KAFKA_CREATE_USERS:-true}" = true ]; then
    var="CXR_KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<< "$principal")"
    if [ -n "${!var:-}" ]; then
      kafka kafka-configs.sh --alter --entity-type users --entity-name "$principal" \
        --add-config "SCRAM-SHA-512=[password=${!var}]"
    else
      # e.g. keda under docker-compose: the ACLs are there, but nobody can log in as it.
      echo "init-kafka: $var not set: no login for $principal"
    fi
  fi
  allow=(--add --allow-principal "User:$principal")
  mapfile -t consume < <(repeat --topic "$reads"; repeat --group "$group")
  [ ${#consume[@]} -eq 0 ] || kafka kafka-acls.sh "${allow[@]}" --operation Read --operation Describe "${consume[@]}"
  mapfile -t produce < <(repeat --topic "$writes")
  [ ${#produce[@]} -eq 0 ] || kafka kafka-acls.sh "${allow[@]}" --operation Write --operation Describe "${produce[@]}"
  mapfile -t look < <(repeat --group "$dgroups"; repeat --topic "$dtopics")
  [ ${#look[@]} -eq 0 ] || kafka kafka-acls.sh "${allow[@]}" --operation Describe "${look[@]}"
done
echo "init-kafka: topics, users and ACLs in place on $CXR_KAFKA_BOOTSTRAP"
