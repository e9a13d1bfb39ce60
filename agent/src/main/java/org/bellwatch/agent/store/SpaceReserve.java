package org.bellwatch.agent.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

/**
 * Room to keep working on a full disk. Opening RocksDB writes a few files (a new MANIFEST, CURRENT,
 * OPTIONS, an empty write-ahead log), and the console writes sessions and audit entries; on a file
 * system with no free byte all of that fails and the agent could not even start to say so. So the
 * store folder keeps a file of {@link #BYTES} written while there is room; when opening fails for
 * lack of space it is deleted and the open tried again. Block events are never written into that
 * room: {@link #MIN_FREE_BYTES} is larger, so the pipeline holds its batches (and their file
 * offsets) until space comes back.
 */
public final class SpaceReserve {
  static final String FILE = "space.reserve";
  public static final long BYTES = 2L << 20;

  /**
   * Below this much usable space the pipeline does not write events (RocksDB would fail mid-write).
   */
  public static final long MIN_FREE_BYTES = 4L << 20;

  private SpaceReserve() {}

  /** Deletes the reserve; true when there was one to free. */
  static boolean release(Path dir) {
    try {
      return Files.deleteIfExists(dir.resolve(FILE));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes the reserve again when it is missing and the disk has room for it and for events; real
   * bytes, not a sparse file, so that the blocks are taken now. Best effort: without room it waits
   * for the next call.
   */
  public static void ensure(Path dir) {
    Path f = dir.resolve(FILE);
    if (Files.exists(f) || usableBytes(dir) < BYTES + MIN_FREE_BYTES) {
      return;
    }
    Path tmp = dir.resolve(FILE + ".tmp");
    try (OutputStream out =
        Files.newOutputStream(
            tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] zeros = new byte[64 * 1024];
      for (long n = 0; n < BYTES; n += zeros.length) {
        out.write(zeros);
      }
      out.close();
      Files.move(tmp, f);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp); // the disk filled meanwhile: the next call tries again
      } catch (IOException ignored) {
        // nothing more to free
      }
    }
  }

  /**
   * {@link #usableBytes} as a supplier for a caller that asks at every write: the file system is
   * looked up once (finding it reads the mount table), and asked for its free space at each call.
   */
  public static LongSupplier usableBytesOf(Path dir) {
    try {
      FileStore fs = Files.getFileStore(dir);
      return () -> {
        try {
          return fs.getUsableSpace();
        } catch (IOException e) {
          return 0;
        }
      };
    } catch (IOException e) {
      return () -> usableBytes(dir);
    }
  }

  /** Usable bytes on the store's file system (for this user); 0 when it cannot be read. */
  public static long usableBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }
}
