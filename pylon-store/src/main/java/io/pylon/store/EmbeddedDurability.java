package io.pylon.store;

/**
 * How an embedded H2 database makes a commit durable. Only {@link #DEFAULT} is used outside
 * measurements; the others stay so that the trade-off in ADR 0002 can be measured again.
 *
 * <p>H2's MVStore keeps committed changes in memory and writes them to the file as a new chunk
 * later, by default within 500 ms ({@code WRITE_DELAY}); a process killed in between loses
 * transactions that reported success. Superseded chunks stay in the file for 45 s ({@code
 * RETENTION_TIME}) so that a crash can fall back to an older consistent state; the file therefore
 * grows with the rate of commits, since every commit that writes makes a chunk.
 */
enum EmbeddedDurability {

  /**
   * H2 writes the chunk inside every commit ({@code WRITE_DELAY=0}), on the committing thread:
   * survives a killed process, not necessarily a power loss (no fsync). H2 then runs no background
   * writer, so half-empty chunks are only compacted when the database closes.
   *
   * <p>Asking for a {@code CHECKPOINT} after each commit with H2's background writer left on looks
   * equivalent but is not: when the writer has just started storing a chunk, the checkpoint returns
   * without waiting for that chunk to reach the file.
   */
  WRITE_ON_COMMIT(";WRITE_DELAY=0", null),

  /** As {@link #WRITE_ON_COMMIT}, plus an fsync after each write: survives a power loss too. */
  SYNC_ON_COMMIT(";WRITE_DELAY=0", "CHECKPOINT SYNC"),

  /** H2's default: a killed process loses up to the last 500 ms of commits. Measurement only. */
  DELAYED("", null);

  static final EmbeddedDurability DEFAULT = WRITE_ON_COMMIT;

  private final String urlSettings;
  private final String afterWrite;

  EmbeddedDurability(String urlSettings, String afterWrite) {
    this.urlSettings = urlSettings;
    this.afterWrite = afterWrite;
  }

  /** Settings appended to the JDBC URL. */
  String urlSettings() {
    return urlSettings;
  }

  /** Statement run after each committed write, or null. */
  String afterWrite() {
    return afterWrite;
  }
}
