package dev.parley.bench.scenario;

import dev.parley.bench.cluster.BenchCluster;
import dev.parley.bench.report.Report;
import java.nio.file.Path;

/**
 * One scenario run: its options, the cluster under test, the report being filled and the folder its
 * files go to (raw extras such as class histograms are written there too).
 */
public record Run(Options options, BenchCluster cluster, Report report, Path dir, String runId) {}
