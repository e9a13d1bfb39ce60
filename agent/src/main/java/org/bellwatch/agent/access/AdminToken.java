package org.bellwatch.agent.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bellwatch.agent.util.PrivateFolder;

/**
 * A secret the running agent writes into its store folder (mode 0600) at start, so that local
 * maintenance commands ({@code bellwatch backup}) can prove to its HTTP API that they may read that
 * folder, the same trust as opening the store directly when the agent is stopped.
 */
public final class AdminToken {
  public static final String FILE = "admin.token";
  public static final String HEADER = "X-Bellwatch-Admin-Token";

  private final String value;

  private AdminToken(String value) {
    this.value = value;
  }

  /**
   * Creates a new token and writes it to {@code storeDir}/admin.token, readable by the owner only.
   */
  public static AdminToken create(Path storeDir) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String value = HexFormat.of().formatHex(random);
    Path file = storeDir.resolve(FILE);
    PrivateFolder.createFile(file);
    Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    return new AdminToken(value);
  }

  /** The token a running agent wrote into {@code storeDir}. */
  public static String read(Path storeDir) throws IOException {
    return Files.readString(storeDir.resolve(FILE), StandardCharsets.US_ASCII).trim();
  }

  /** Constant-time comparison, so that response timing tells nothing about the secret. */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.US_ASCII),
            presented.getBytes(StandardCharsets.US_ASCII));
  }
}
