package org.bellwatch.agent.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the process's file mode creation mask to keep group and others out ({@code umask 077}, added
 * to whatever it was), as the systemd unit's {@code UMask=0077} does for the service. Run by hand,
 * the usual mask 022 made RocksDB create the store's files 0644 (RocksDB opens them with mode 0644
 * and offers no option), and a backup folder 0755. The store folder itself is kept 0700 by {@code
 * store/PrivateFolder} in any case, so where the C library cannot be called this only costs the
 * files' own modes.
 */
final class OwnerOnlyUmask {
  private static final Logger log = LoggerFactory.getLogger(OwnerOnlyUmask.class);
  private static final int GROUP_AND_OTHERS = 0077;

  /** umask(2) of the C library. */
  interface CLibrary extends Library {
    int umask(int mask);
  }

  private OwnerOnlyUmask() {}

  static void apply() {
    try {
      CLibrary c = Native.load("c", CLibrary.class);
      int was = c.umask(GROUP_AND_OTHERS);
      c.umask(was | GROUP_AND_OTHERS);
    } catch (LinkageError e) {
      log.debug(
          "cannot set the umask ({}): the store folder stays 0700, its files take the inherited mask",
          e.getMessage());
    }
  }
}
