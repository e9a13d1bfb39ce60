package org.bellwatch.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real syslog senders from Debian that the conformance tests run: util-linux {@code logger},
 * {@code rsyslogd} (with its GnuTLS driver) and {@code syslog-ng}. Each is taken from the system
 * when installed, else from the folder where {@code scripts/setup-deps --test} unpacks their
 * packages (rsyslog and syslog-ng conflict, and installing either replaces the machine's own
 * logger): {@code -Dbellwatch.syslog_senders.root=DIR}, by default {@code
 * $XDG_CACHE_HOME/bellwatch/syslog-senders} or {@code ~/.cache/bellwatch/syslog-senders}. A missing
 * sender skips its test, unless {@code -Dbellwatch.syslog_senders.required=true} (scripts/test sets
 * it), which fails it instead.
 */
public final class SyslogSenders {
  /** A program to run: its command's first words and the environment it needs. */
  public record Program(List<String> command, Map<String, String> environment) {
    /** A process builder for this program followed by {@code args}. */
    public ProcessBuilder with(List<String> args) {
      List<String> all = new ArrayList<>(command);
      all.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(all);
      pb.environment().putAll(environment);
      return pb;
    }
  }

  private static final Path SYSTEM = Path.of("/");

  private SyslogSenders() {}

  /** util-linux {@code logger}. */
  public static Program logger() {
    Path logger =
        Stream.of("/usr/bin/logger", "/bin/logger")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    require(logger != null, "util-linux logger is not installed (apt-get install bsdutils)");
    return new Program(List.of(logger.toString()), Map.of());
  }

  /**
   * {@code rsyslogd}; with {@code tls}, only where its GnuTLS network stream driver is present. An
   * unpacked copy is told where its modules are ({@code -M}).
   */
  public static Program rsyslogd(boolean tls) {
    for (Path root : List.of(SYSTEM, unpacked())) {
      Path exe = root.resolve("usr/sbin/rsyslogd");
      Path modules = rsyslogModules(root);
      if (Files.isExecutable(exe)
          && modules != null
          && (!tls || Files.exists(modules.resolve("lmnsd_gtls.so")))) {
        return new Program(
            root.equals(SYSTEM)
                ? List.of(exe.toString())
                : List.of(exe.toString(), "-M", modules.toString()),
            Map.of());
      }
    }
    require(
        false,
        "rsyslogd"
            + (tls ? " with rsyslog-gnutls" : "")
            + " is not installed or unpacked"
            + " (scripts/setup-deps --test)");
    return null;
  }

  /**
   * {@code syslog-ng} and its configuration version ({@code @version:} must name it); an unpacked
   * copy is given its library and module folders.
   */
  public static Program syslogNg() {
    for (Path root : List.of(SYSTEM, unpacked())) {
      Path exe = root.resolve("usr/sbin/syslog-ng");
      if (Files.isExecutable(exe)) {
        if (root.equals(SYSTEM)) {
          return new Program(List.of(exe.toString()), Map.of());
        }
        Path lib = root.resolve("usr/lib/syslog-ng");
        Path modules = moduleFolder(lib);
        if (modules != null) {
          return new Program(
              List.of(exe.toString(), "--module-path=" + modules),
              Map.of("LD_LIBRARY_PATH", lib.toString()));
        }
      }
    }
    require(false, "syslog-ng is not installed or unpacked (scripts/setup-deps --test)");
    return null;
  }

  /**
   * The {@code major.minor} version a syslog-ng configuration declares, from {@code syslog-ng
   * --version}.
   */
  public static String syslogNgVersion(Program syslogNg) throws IOException, InterruptedException {
    Process p = syslogNg.with(List.of("--version")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Matcher m = Pattern.compile("(?m)^Installer-Version: (\\d+\\.\\d+)").matcher(out);
    assertThat(m.find()).as("syslog-ng --version: %s", out).isTrue();
    return m.group(1);
  }

  private static Path unpacked() {
    String configured = System.getProperty("bellwatch.syslog_senders.root");
    if (configured != null) {
      return Path.of(configured).resolve("root");
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("bellwatch/syslog-senders/root");
  }

  /** rsyslog's module folder: {@code usr/lib/<multiarch>/rsyslog} on Debian. */
  private static Path rsyslogModules(Path root) {
    Path lib = root.resolve("usr/lib");
    if (!Files.isDirectory(lib)) {
      return null;
    }
    try (Stream<Path> arches = Files.list(lib)) {
      return arches
          .map(a -> a.resolve("rsyslog"))
          .filter(m -> Files.exists(m.resolve("imuxsock.so")))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * syslog-ng's module folder, {@code usr/lib/syslog-ng/<version>}: the one holding the socket
   * drivers.
   */
  private static Path moduleFolder(Path lib) {
    if (!Files.isDirectory(lib)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(lib)) {
      return versions
          .filter(v -> Files.exists(v.resolve("libafsocket.so")))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static void require(boolean present, String message) {
    if (!present) {
      assertThat(Boolean.getBoolean("bellwatch.syslog_senders.required"))
          .as(message + ", and" + " -Dbellwatch.syslog_senders.required=true")
          .isFalse();
      Assumptions.abort(message);
    }
  }
}
