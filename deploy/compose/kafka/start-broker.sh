#!/usr/bin/env bash
# One Kafka node (broker and KRaft controller) with SASL/SCRAM for every client and the standard
# authorizer (nothing allowed without an ACL). Used by docker-compose.yml and the Kubernetes local
# overlay (ConfigMap kafka-scripts), on the apache/kafka image.
#
# It writes server.properties from the environment, formats the storage on first start with the
# admin's SCRAM credential (KRaft keeps SCRAM credentials in its metadata log, so the first one has
# to be there before anyone can log in), then runs the broker. init-kafka.sh adds the services'
# users, topics and ACLs.
#
# Environment: CLUSTER_ID (base64 UUID, fixed per data volume), CXR_KAFKA_ADVERTISED (host:port the
# clients use), CXR_KAFKA_ADMIN_PASSWORD (user kafka-admin; changing it later needs
# kafka-configs.sh, the storage is formatted once), CXR_KAFKA_DATA_DIR (/var/lib/kafka/data).
set -euo pipefail
: "${CLUSTER_ID:?}" "${CXR_KAFKA_ADVERTISED:?}" "${CXR_KAFKA_ADMIN_PASSWORD:?}"
data="${CXR_KAFKA_DATA_DIR:-/var/lib/kafka/data}"
conf=/tmp/cxr-kafka
mkdir -p "$conf"
export LOG_DIR=/tmp/cxr-kafka/logs
login="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"kafka-admin\" password=\"$CXR_KAFKA_ADMIN_PASSWORD\";"

umask 077
cat > "$conf/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
controller.listener.names=CONTROLLER
# Clients log in with SCRAM. The controller listener is bound to the loopback interface: only this
# broker (the same process) talks to it.
listeners=SASL_PLAINTEXT://:9092,CONTROLLER://localhost:9093
advertised.listeners=SASL_PLAINTEXT://$CXR_KAFKA_ADVERTISED
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$login
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
# kafka-admin: this broker's own SASL connections, init-kafka.sh and operators. ANONYMOUS: the
# broker's requests to its controller over the loopback-only PLAINTEXT CONTROLLER listener.
super.users=User:kafka-admin;User:ANONYMOUS
# Topics come from init-kafka.sh (topics.tsv) with their partition counts, never from a typo.
auto.create.topics.enable=false
log.dirs=$data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES

# The admin's client settings, for the healthcheck and for operators (docker compose exec kafka ...).
cat > "$conf/admin.properties" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$login
PROPERTIES

"${KAFKA_HOME:-/opt/kafka}"/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" \
  --config "$conf/server.properties" \
  --add-scram "SCRAM-SHA-512=[name=kafka-admin,password=$CXR_KAFKA_ADMIN_PASSWORD]"
exec "${KAFKA_HOME:-/opt/kafka}"/bin/kafka-server-start.sh "$conf/server.properties"
