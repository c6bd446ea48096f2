/**
 * The command line of the load generator: {@code bench <scenario> [--option value …]} starts (or
 * finds) the cluster, runs the scenario and writes its results folder; {@code idle-worker} is one
 * generator process of the {@code idle} scenario.
 */
package dev.parley.bench.command;
