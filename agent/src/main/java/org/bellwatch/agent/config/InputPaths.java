package org.bellwatch.agent.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What is wrong with a configured input (a capture file, a log file or the folder of a log glob)
 * for the user this process runs as, or null when it can be read. {@code check-config} runs as the
 * service's user (the unit's {@code ExecStartPre}), so a log that only its writer's group may read
 * is caught before the agent starts rather than logged once it runs.
 */
final class InputPaths {
  private InputPaths() {}

  /** A file that must exist, be a regular file and be readable. */
  static String fileProblem(Path file) {
    if (!Files.exists(file)) {
      return "'" + file + "' does not exist";
    }
    if (!Files.isRegularFile(file)) {
      return "'"
          + file
          + "' is not a regular file"
          + (Files.isDirectory(file) ? " (it is a folder)" : "");
    }
    return Files.isReadable(file) ? null : "'" + file + "' cannot be read by user " + user();
  }

  /**
   * A glob in the last element of {@code pattern} ({@code /var/log/squid/access.log*}): its folder
   * must exist and be readable; it may match nothing yet (the files come later), and each file it
   * matches now must be readable.
   */
  static String globProblem(Path pattern) {
    Path dir = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
    if (!Files.isDirectory(dir)) {
      return "folder '"
          + dir
          + "' of '"
          + pattern.getFileName()
          + "' does not exist"
          + (Files.exists(dir) ? " as a folder" : "");
    }
    if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
      return "folder '" + dir + "' cannot be read by user " + user();
    }
    try (DirectoryStream<Path> matches =
        Files.newDirectoryStream(dir, pattern.getFileName().toString())) {
      for (Path p : matches) {
        if (Files.isRegularFile(p) && !Files.isReadable(p)) {
          return "'"
              + p
              + "' (matched by '"
              + pattern.getFileName()
              + "') cannot be read by user "
              + user();
        }
      }
    } catch (IOException e) {
      return "folder '" + dir + "' cannot be listed: " + e.getMessage();
    } catch (IllegalArgumentException e) {
      return "'" + pattern.getFileName() + "' is not a valid glob: " + e.getMessage();
    }
    return null;
  }

  private static String user() {
    return System.getProperty("user.name");
  }
}
