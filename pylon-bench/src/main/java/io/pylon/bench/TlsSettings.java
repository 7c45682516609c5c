package io.pylon.bench;

import java.nio.file.Path;

/**
 * TLS for the load tool's connections. {@code caFile == null} means the server certificate is not
 * verified (explicitly requested with {@code --insecure}); certificate and key are both present or
 * both absent.
 */
record TlsSettings(Path caFile, Path certFile, Path keyFile) {}
