package org.bellwatch.agent.util;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store folder to its owner. It holds student browsing records (FERPA), password hashes,
 * the pseudonym key and the admin and setup tokens. The systemd unit makes it so ({@code
 * StateDirectoryMode=0700}, {@code UMask=0077}); run by hand under a usual umask of 022, the folder
 * was 0755 and its files 0644. So the folder is created 0700 here, which keeps every file in it
 * from other users whatever its own mode, and a folder found open to others is closed again (it and
 * everything in it), with a warning that says what was changed. The command line also sets the
 * process umask ({@code cli/OwnerOnlyUmask}), so that RocksDB's own files are created 0600.
 */
public final class PrivateFolder {
  private static final Logger log = LoggerFactory.getLogger(PrivateFolder.class);
  static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFolder() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates {@code dir} (and missing parents) 0700, or closes an existing one and its contents to
   * others.
   */
  public static void prepare(Path dir) throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return;
    }
    if (!Files.exists(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
      // The attribute passes through the umask; say it once more without it.
      Files.setPosixFilePermissions(dir, FOLDER);
      return;
    }
    Set<PosixFilePermission> was = Files.getPosixFilePermissions(dir);
    int files = 0;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        boolean folder = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        if (!folder && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue; // a link or a socket: not ours to change
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(OTHERS::contains)) {
          Files.setPosixFilePermissions(p, folder ? FOLDER : FILE);
          files += p.equals(dir) ? 0 : 1;
        }
      }
    } catch (IOException e) {
      // Not this user's folder (the open that follows says so); worth a word only when others can
      // get in.
      if (was.stream().anyMatch(OTHERS::contains)) {
        log.warn(
            "store folder {} is open to other users ({}) and could not be closed ({}): set it to rwx------"
                + " and its files to rw------- by hand",
            dir,
            PosixFilePermissions.toString(was),
            e.getMessage());
      }
      return;
    }
    if (was.stream().anyMatch(OTHERS::contains)) {
      log.warn(
          "store folder {} was open to other users ({}, {} files or folders inside with group or other"
              + " access): set to rwx------ and rw-------, as it holds student records and secrets",
          dir,
          PosixFilePermissions.toString(was),
          files);
    } else if (files > 0) {
      // Behind a private folder nobody else could reach them: tightened without a word.
      log.debug("store folder {}: {} files or folders inside set to owner only", dir, files);
    }
  }

  /**
   * Creates {@code file} (replacing one that is there) readable and writable by its owner only,
   * before anything is written to it.
   */
  public static void createFile(Path file) throws IOException {
    Files.deleteIfExists(file);
    if (!posix()) {
      Files.createFile(file);
      return;
    }
    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
  }
}
