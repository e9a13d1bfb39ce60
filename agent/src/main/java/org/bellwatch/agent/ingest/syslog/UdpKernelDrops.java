package org.bellwatch.agent.ingest.syslog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Datagrams the kernel dropped at this process's UDP sockets before the listener read them, mostly
 * because the socket's receive buffer was full. Linux counts them per socket ({@code sk_drops}) and
 * shows them in the last column, {@code drops}, of {@code /proc/net/udp} and {@code /proc/net/udp6}
 * (proc(5)); the system-wide {@code Udp: RcvbufErrors} cannot say which socket lost them. A socket
 * is found there by its inode, and its inode among this process's descriptors ({@code
 * /proc/self/fd/N} links to {@code socket:[INODE]}): after each bind, the one socket of this
 * process on that port not yet claimed is the new one. That works for the epoll and the NIO
 * transport alike. Where {@code /proc} is missing (not Linux) nothing is claimed and the count
 * stays 0.
 */
final class UdpKernelDrops {
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  private final Set<Long> claimed = new HashSet<>();

  /** One socket's line of a table: its local port, inode and drop count. */
  record Row(int port, long inode, long drops) {}

  /**
   * The inode of the socket just bound on {@code port}: this process's socket on that port that no
   * earlier call claimed; -1 when there is none to be found.
   */
  synchronized long claim(int port) {
    Set<Long> own = ownSockets();
    for (Row r : rows()) {
      if (r.port() == port && own.contains(r.inode()) && claimed.add(r.inode())) {
        return r.inode();
      }
    }
    return -1;
  }

  /** The drops of these sockets together, now (a socket no longer listed counts 0). */
  long drops(Set<Long> inodes) {
    long sum = 0;
    for (Row r : rows()) {
      if (inodes.contains(r.inode())) {
        sum += r.drops();
      }
    }
    return sum;
  }

  private static List<Row> rows() {
    List<Row> out = new java.util.ArrayList<>();
    for (Path t : TABLES) {
      try {
        out.addAll(parse(Files.readString(t)));
      } catch (IOException e) {
        // No IPv6, or not Linux: nothing from this table.
      }
    }
    return out;
  }

  /**
   * The rows of one table. Its header has more words than its rows have fields ({@code tx_queue
   * rx_queue} is one field), so fields are taken by position: local address second, inode fourth
   * and drops first from the end (net/ipv4/udp.c, udp4_format_sock).
   */
  static List<Row> parse(String table) {
    List<Row> out = new java.util.ArrayList<>();
    for (String line : table.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 13 || !f[0].endsWith(":")) {
        continue; // the header, or a blank line
      }
      try {
        String local = f[1];
        int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
        out.add(new Row(port, Long.parseLong(f[f.length - 4]), Long.parseLong(f[f.length - 1])));
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        // A line of another shape (a future kernel's): not one of ours to count.
      }
    }
    return out;
  }

  /** The inodes of this process's sockets. */
  private static Set<Long> ownSockets() {
    Set<Long> out = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(OWN_FDS)) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed meanwhile
        }
        if (target.startsWith("socket:[") && target.endsWith("]")) {
          out.add(Long.parseLong(target.substring(8, target.length() - 1)));
        }
      }
    } catch (IOException e) {
      // Not Linux: no sockets to claim.
    }
    return out;
  }
}
