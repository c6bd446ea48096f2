/**
 * The Parley cluster under test: started with {@code bin/parley up} on the bench's own ports (or an
 * already running one), its processes found through their pid files and measured from the outside
 * ({@code /proc}, {@code jcmd}), and the machine it runs on.
 */
package dev.parley.bench.cluster;
