package org.bellwatch.agent.decision;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the filter programs Debian packages (squid, dnsmasq, unbound, BIND's checkers) on files a
 * test wrote. A missing program skips the test, unless {@code -Dbellwatch.filters.required=true}
 * (scripts/test sets it, and scripts/setup-deps --test installs them), where it fails.
 */
public final class FilterPrograms {
  /** Where Debian puts the daemons' tools, often not on a user's PATH. */
  private static final List<String> SBIN = List.of("/usr/sbin", "/sbin");

  public record Result(int exit, String output) {}

  private FilterPrograms() {}

  /** The program's path; skips the test when it is missing and not required. */
  public static String require(String program) {
    String found = find(program);
    if (found == null) {
      Assumptions.assumeTrue(
          Boolean.getBoolean("bellwatch.filters.required"),
          program + " is not installed (scripts/setup-deps --test installs it)");
      throw new AssertionError(
          program + " is required (-Dbellwatch.filters.required=true) but not installed");
    }
    return found;
  }

  /** Runs the command in {@code dir}, stdout and stderr together; fails after 60 s. */
  public static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "out", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /**
   * {@code squid -k parse} of a squid.conf that listens on loopback, logs nothing, and has {@code
   * snippet} above the rule that denies {@code domain} (where the snippet says it goes).
   */
  public static Result squidParse(Path dir, String snippet, String domain)
      throws IOException, InterruptedException {
    Path conf = dir.resolve("squid.conf");
    Files.writeString(
        conf,
        """
        http_port 127.0.0.1:3128
        pid_filename none
        cache_log stdio:/dev/stderr
        access_log none
        """
            + snippet
            + "acl blocked_site dstdomain ."
            + domain
            + "\n"
            + "http_access deny blocked_site\nhttp_access deny all\n");
    return run(dir, require("squid"), "-k", "parse", "-f", conf.toString());
  }

  /** {@code dnsmasq --test} of the snippet as a whole config file. */
  public static Result dnsmasqTest(Path dir, String snippet)
      throws IOException, InterruptedException {
    Path conf = dir.resolve("dnsmasq.conf");
    Files.writeString(conf, snippet);
    return run(dir, require("dnsmasq"), "--test", "--conf-file=" + conf);
  }

  /** Settings that let unbound-checkconf run as any user on files in {@code dir}. */
  public static String unboundServer(Path dir) {
    return "server:\n    username: \"\"\n    chroot: \"\"\n    directory: \""
        + dir
        + "\"\n    pidfile: \"\"\n"
        + "    module-config: \"respip validator iterator\"\n";
  }

  private static String find(String program) {
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(SBIN);
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return Path.of(d, program).toString();
      }
    }
    return null;
  }
}
