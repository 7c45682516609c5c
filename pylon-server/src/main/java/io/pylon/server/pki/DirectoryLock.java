package io.pylon.server.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, so that two servers never share one embedded database or
 * race to create one CA. The operating system releases it when the process dies, so a crash leaves
 * no stale lock behind; the file itself stays and only records the holder's pid for the error text.
 */
final class DirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DirectoryLock acquire(Path directory, Path lockFile) {
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new DataDirectoryException(
          "cannot open lock file "
              + lockFile
              + ": "
              + DataDirectory.reason(e)
              + "; check that the data directory is writable by the user running Pylon");
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very JVM, e.g. a second server in one test run
    } catch (IOException e) {
      closeQuietly(channel);
      throw new DataDirectoryException("cannot lock " + lockFile + ": " + DataDirectory.reason(e));
    }
    if (lock == null) {
      String holder = holder(lockFile);
      closeQuietly(channel);
      throw new DataDirectoryException(
          "data directory "
              + directory
              + " is in use by another Pylon process"
              + holder
              + "; stop that process or choose another data directory (--data-dir)");
    }
    try {
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException e) {
      // The pid is only a hint for the error message of a competing process.
    }
    return new DirectoryLock(channel, lock);
  }

  private static String holder(Path lockFile) {
    try {
      String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
      return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it as well
    }
    closeQuietly(channel);
  }
}
