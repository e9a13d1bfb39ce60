package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bellwatch.agent.access.AdminToken;
import org.bellwatch.agent.util.PrivateFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 17, finding 10: run by hand, the store was 0755 with 0644 files (events, hashes, the
 * pseudonym key).
 */
class PrivateFolderTest {
  @TempDir Path dir;

  /** The mode of the folder and of everything in it, by path relative to {@code root}. */
  static Map<String, String> modes(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        out.put(
            root.relativize(p).toString(),
            PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
      }
    }
    return out;
  }

  @Test
  void aNewStoreFolderIsForItsOwnerOnlyAndSoIsTheAdminToken() throws Exception {
    Path store = dir.resolve("var/store");
    try (EventStore s = EventStore.open(store, ZoneOffset.UTC, false)) {
      AdminToken.create(store);
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(store.resolve(AdminToken.FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void aStoreFolderOpenToOthersIsClosedWithEverythingInItAndAWarningSaysWhatChanged()
      throws Exception {
    Path store = dir.resolve("store");
    try (EventStore s = EventStore.open(store, ZoneOffset.UTC, false)) {
      s.console().secrets();
    }
    // As a store made by hand under umask 022 was left: folder 0755, files 0644.
    java.util.List<Path> files;
    try (Stream<Path> all = Files.list(store)) {
      files = all.toList();
    }
    for (Path p : files) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(PrivateFolder.class);
    warnings.start();
    logger.addAppender(warnings);
    try {
      // What EventStore.open does first (RocksDB then replaces some files, under the process's
      // umask,
      // which BellwatchCli sets: see cli/StoreModesTest).
      PrivateFolder.prepare(store);
    } finally {
      logger.detachAppender(warnings);
    }

    Map<String, String> modes = modes(store);
    assertThat(modes).hasSize(files.size() + 1).containsEntry("", "rwx------");
    modes.forEach(
        (name, mode) ->
            assertThat(mode).as(name).isEqualTo(name.isEmpty() ? "rwx------" : "rw-------"));
    assertThat(warnings.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "store folder "
                + store
                + " was open to other users (rwxr-xr-x, "
                + files.size()
                + " files or folders inside with group or other access):"
                + " set to rwx------ and rw-------, as it holds student records and secrets");
  }
}
