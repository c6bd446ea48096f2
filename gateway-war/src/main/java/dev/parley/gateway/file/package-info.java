/**
 * File uploads and downloads at {@code /api/files}: an upload is spooled with a hard size cap, its
 * type sniffed from its bytes (never taken from the client), checked against the allowed types, its
 * name sanitised and an image's dimensions read from its header, then kept by the common {@link
 * dev.parley.common.file.FileStore}. Downloads need a signed, expiring URL.
 */
package dev.parley.gateway.file;
