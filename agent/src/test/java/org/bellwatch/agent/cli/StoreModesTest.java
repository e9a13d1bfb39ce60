package org.bellwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bellwatch.agent.testing.ForkedAgent;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 10: {@code bellwatch run} started by hand under the usual umask 022 (no systemd
 * unit to set {@code UMask=0077}) made a store 0755 with 0644 files: events, password hashes and
 * the pseudonym key readable by every local user.
 */
class StoreModesTest {
  @TempDir Path dir;

  @Test
  void anAgentStartedByHandUnderUmask022KeepsItsStoreFolderAndEveryFileInItToItsOwner()
      throws Exception {
    int port = ForkedAgent.freePort();
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        "site: {timezone: UTC}\nstore: {dir: store}\n"
            + "privacy: {pseudonymize: true}\nweb: {port: "
            + port
            + "}\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            "sh",
            "-c",
            "umask 022 && exec \"$0\" -Xmx256m -cp \"$1\" "
                + "org.bellwatch.agent.cli.BellwatchCli run --config \"$2\"",
            java,
            System.getProperty("java.class.path"),
            dir.resolve("bellwatch.yaml").toString());
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile());
    Process agent = pb.start();
    Map<String, String> modes = new TreeMap<>();
    try {
      new ForkedAgent(dir).awaitListening(port);
      // Listening comes after the store, the setup token (no admin yet) and the admin token are
      // written.
      try (Stream<Path> all = Files.walk(dir.resolve("store"))) {
        for (Path p : all.toList()) {
          // Folders (the store, the intake journal's) end in "/": they are 0700, files 0600.
          String name = dir.relativize(p) + (Files.isDirectory(p) ? "/" : "");
          modes.put(name, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
    } finally {
      agent.destroy();
      assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    }

    assertThat(modes)
        .containsEntry("store/", "rwx------")
        .containsKey("store/journal/")
        .containsKeys(
            "store/CURRENT", "store/admin.token", "store/setup.token", "store/space.reserve")
        .anySatisfy((name, mode) -> assertThat(name).startsWith("store/MANIFEST-"))
        .anySatisfy((name, mode) -> assertThat(name).matches("store/\\d+\\.log"));
    modes.forEach(
        (name, mode) ->
            assertThat(mode).as(name).isEqualTo(name.endsWith("/") ? "rwx------" : "rw-------"));
  }
}
