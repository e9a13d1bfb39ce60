package org.bellwatch.agent.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Stores written by an earlier version, kept as zipped RocksDB folders under test resources. */
public final class StoreFixtures {
  private StoreFixtures() {}

  /** Unzips the resource (a store's files, flat) into a new folder {@code into}; returns it. */
  public static Path unzip(String resource, Path into) throws Exception {
    Files.createDirectories(into);
    try (InputStream in = StoreFixtures.class.getResourceAsStream(resource);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Files.copy(zip, into.resolve(e.getName()));
      }
    }
    return into;
  }
}
