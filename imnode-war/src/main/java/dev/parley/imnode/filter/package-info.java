/**
 * The sensitive-word filter: blocked words from configuration and from a file that is re-read when
 * it changes, matched case-insensitively with an Aho-Corasick automaton. A message that contains
 * one is either masked with {@code *} or rejected with {@code MESSAGE_REJECTED}, as configured.
 * This package imports no other feature; message sending calls {@link
 * dev.parley.imnode.filter.WordFilter#apply(String)}.
 */
package dev.parley.imnode.filter;
