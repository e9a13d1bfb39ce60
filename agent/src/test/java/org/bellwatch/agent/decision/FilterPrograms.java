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

  public record Result(int exit, String output) {
  }

  private FilterPrograms() {
  }

  /** The program's path; skips the test when it is missing and not required. */
  public static String require(String program) {
    String found = find(program);
    if (found == null) {
      Assumptions.assumeTrue(Boolean.getBoolean("bellwatch.filters.required"),
          program + " is not installed (scripts/setup-deps --test installs it)");
      throw new AssertionError(program + " is required (-Dbellwatch.filters.required=true) but not installed");
    }
    return found;
  }

  /** Runs the command in {@code dir}, stdout and stderr together; fails after 60 s. */
  public static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "out", ".log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static String find(String program) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(SBIN);
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return Path.of(d, program).toString();
      }
    }
    return null;
  }
}
