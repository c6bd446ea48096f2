package dev.parley.bench.cluster;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to start (or find) the cluster under test.
 *
 * @param home the checkout holding {@code bin/parley}
 * @param gatewayPort the gateway's port; nodes take the next ports, H2 this + 1000, Hazelcast this
 *     − 1000
 * @param runDir {@code PARLEY_RUN_DIR} of the cluster (pid files under {@code pids/})
 * @param existing a running gateway's URL to use instead of starting one (then {@code runDir} must
 *     be that cluster's run directory for node measurements), or null
 * @param env extra environment for {@code bin/parley up} and so for every service process
 */
public record ClusterSettings(
    Path home,
    String profile,
    int nodes,
    int gatewayPort,
    String heap,
    Path runDir,
    String existing,
    Map<String, String> env) {}
