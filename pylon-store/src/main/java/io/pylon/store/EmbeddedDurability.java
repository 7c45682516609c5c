package io.pylon.store;

/**
 * How an embedded H2 database makes a commit durable. Only {@link #DEFAULT} is used outside
 * measurements; the others stay so that the trade-off in ADR 0002 can be measured again.
 *
 * <p>H2's MVStore keeps committed changes in memory and writes them to the file as a new chunk
 * later (by default within 500 ms, {@code WRITE_DELAY}). A process killed in between loses
 * transactions that reported success. Old chunks are kept for 45 s, so the file itself survives
 * any crash, but recent commits may not.
 */
enum EmbeddedDurability {

  /**
   * H2 writes the chunk inside every commit ({@code WRITE_DELAY=0}): survives a killed process,
   * not a power loss (no fsync per commit). H2 then runs no background writer, so housekeeping of
   * half-empty chunks waits for close; the file grows accordingly between restarts.
   */
  WRITE_ON_COMMIT(";WRITE_DELAY=0", null),

  /**
   * H2's background writer stays, and {@code CHECKPOINT} after each committed write stores the
   * pending chunk before the write returns: the same guarantee as {@link #WRITE_ON_COMMIT} while
   * keeping H2's background housekeeping.
   */
  CHECKPOINT_AFTER_WRITE("", "CHECKPOINT"),

  /** As {@link #CHECKPOINT_AFTER_WRITE}, plus an fsync: survives a power loss too. */
  SYNC_AFTER_WRITE("", "CHECKPOINT SYNC"),

  /** H2's default: a killed process loses up to the last 500 ms of commits. Measurement only. */
  DELAYED("", null);

  static final EmbeddedDurability DEFAULT = CHECKPOINT_AFTER_WRITE;

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
