/**
 * What a run leaves behind: latency histograms, and per run a folder with {@code result.json}, a
 * readable {@code result.txt} table and a hand-drawn {@code plot.svg}, each recording the machine,
 * the JVM flags and the git revision the numbers came from.
 */
package dev.parley.bench.report;
