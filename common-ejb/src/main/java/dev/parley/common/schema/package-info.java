/**
 * The database schema: versioned Flyway migrations under {@code db/migration}, the same on H2 and
 * MySQL, applied by {@link dev.parley.common.schema.SchemaMigration} when a process starts.
 */
package dev.parley.common.schema;
