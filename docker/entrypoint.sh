#!/usr/bin/env bash
# Renders the production data source from PARLEY_DB_URL/USER/PASSWORD and runs the war on
# Payara Micro. Everything else is MicroProfile Config from the environment (PARLEY_IMNODE_NODE_ID
# for parley.imnode.node.id, and so on).
set -euo pipefail
cd /opt/parley
domain-config/render-post-boot production /tmp/post-boot.asadmin
# shellcheck disable=SC2086 # JAVA_OPTS and PAYARA_OPTS are word lists
# Hazelcast's own shutdown hook would terminate the member at SIGTERM, in the middle of the drain;
# the node leaves the cluster gracefully itself at the end of it.
exec java $JAVA_OPTS -Dhazelcast.shutdownhook.enabled=false -jar payara-micro.jar \
  --deploy app.war --contextroot / --port "$PORT" \
  --addlibs mysql-connector-j.jar \
  --postbootcommandfile /tmp/post-boot.asadmin \
  --clustername "${PARLEY_CLUSTER:-parley}" \
  --disablephonehome ${PAYARA_OPTS:-}
