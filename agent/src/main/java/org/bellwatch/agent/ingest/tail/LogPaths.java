package org.bellwatch.agent.ingest.tail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.bellwatch.agent.util.InputFiles;

/**
 * What a configured log path names: one file, or every file matching a glob in its last element
 * ({@code access.log*}). Shared by {@code replay} (read once) and {@link FileTailer} (followed).
 */
public final class LogPaths {
  private static final Pattern GLOB = Pattern.compile("[*?\\[{]");

  private LogPaths() {}

  public static boolean isGlob(Path pattern) {
    Path name = pattern.getFileName();
    return name != null && GLOB.matcher(name.toString()).find();
  }

  public static boolean isGzip(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().endsWith(".gz");
  }

  /**
   * The regular files {@code pattern} names now, oldest modification first (then by name), so that
   * rotated files are read before the file still being written. A plain path that does not exist
   * yet names nothing.
   */
  public static List<Path> expand(Path pattern) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!isGlob(pattern)) {
      if (Files.isRegularFile(pattern)) {
        out.add(pattern);
      }
      return out;
    }
    Path dir = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(dir, pattern.getFileName().toString())) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    }
    List<Object[]> keyed = new ArrayList<>();
    for (Path p : out) {
      try {
        keyed.add(
            new Object[] {
              p, Files.readAttributes(p, BasicFileAttributes.class).lastModifiedTime()
            });
      } catch (NoSuchFileException e) {
        // Rotated away between the listing and now: the next look finds it under its new name.
      }
    }
    keyed.sort(
        Comparator.comparing((Object[] k) -> (FileTime) k[1]).thenComparing(k -> k[0].toString()));
    return keyed.stream().map(k -> (Path) k[0]).toList();
  }

  /** The file's content: decompressed when its name ends in {@code .gz}. */
  public static InputStream open(Path p) throws IOException {
    InputFiles.requireRegular(p);
    InputStream in = Files.newInputStream(p);
    if (!isGzip(p)) {
      return in;
    }
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }
}
