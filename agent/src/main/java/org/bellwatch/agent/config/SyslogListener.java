package org.bellwatch.agent.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.parse.GenericFormat;

/**
 * One syslog listener.
 *
 * @param name bounded metric tag and log name, unique among listeners
 * @param protocol {@code udp}, {@code tcp} or {@code tls} (RFC 5426, RFC 6587, RFC 5425)
 * @param bind listen address
 * @param port listen port (0: any free port, for tests)
 * @param vendor the {@code parse.vendors.Vendor} id of every message on this listener
 * @param allow senders allowed; others are rejected and counted
 * @param timezone zone of RFC 3164 timestamps, which carry none
 * @param maxFrameBytes longest message; longer ones are skipped and counted
 * @param receiveBufferBytes SO_RCVBUF per socket (0: the system default)
 * @param sockets UDP sockets sharing the port through SO_REUSEPORT (epoll only)
 * @param tlsCertFile PEM certificate chain (tls only), else null
 * @param tlsKeyFile PEM PKCS#8 private key (tls only), else null
 * @param maxConnections TCP/TLS connections open at once
 * @param idleTimeoutSecs a TCP/TLS connection that sends nothing this long is closed (0: never)
 * @param frameTimeoutSecs a TCP/TLS frame (or TLS record) begun must be complete within this long
 * @param generic the {@code generic} vendor's mapping; null for every other vendor
 * @param perSender what one sender address may use of this listener
 */
public record SyslogListener(
    String name,
    String protocol,
    InetAddress bind,
    int port,
    String vendor,
    List<Cidr> allow,
    ZoneId timezone,
    int maxFrameBytes,
    int receiveBufferBytes,
    int sockets,
    Path tlsCertFile,
    Path tlsKeyFile,
    int maxConnections,
    int idleTimeoutSecs,
    int frameTimeoutSecs,
    GenericFormat generic,
    PerSender perSender) {
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  public static final int DEFAULT_IDLE_TIMEOUT_SECS = 900;
  public static final int DEFAULT_FRAME_TIMEOUT_SECS = 30;

  /**
   * A listener with the default connection limit, idle timeout and per-sender limits, and no
   * generic format.
   */
  public SyslogListener(
      String name,
      String protocol,
      InetAddress bind,
      int port,
      String vendor,
      List<Cidr> allow,
      ZoneId timezone,
      int maxFrameBytes,
      int receiveBufferBytes,
      int sockets,
      Path tlsCertFile,
      Path tlsKeyFile) {
    this(
        name,
        protocol,
        bind,
        port,
        vendor,
        allow,
        timezone,
        maxFrameBytes,
        receiveBufferBytes,
        sockets,
        tlsCertFile,
        tlsKeyFile,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_IDLE_TIMEOUT_SECS,
        null);
  }

  /** A listener with the default frame timeout and per-sender limits. */
  public SyslogListener(
      String name,
      String protocol,
      InetAddress bind,
      int port,
      String vendor,
      List<Cidr> allow,
      ZoneId timezone,
      int maxFrameBytes,
      int receiveBufferBytes,
      int sockets,
      Path tlsCertFile,
      Path tlsKeyFile,
      int maxConnections,
      int idleTimeoutSecs,
      GenericFormat generic) {
    this(
        name,
        protocol,
        bind,
        port,
        vendor,
        allow,
        timezone,
        maxFrameBytes,
        receiveBufferBytes,
        sockets,
        tlsCertFile,
        tlsKeyFile,
        maxConnections,
        idleTimeoutSecs,
        DEFAULT_FRAME_TIMEOUT_SECS,
        generic,
        PerSender.DEFAULTS);
  }

  /** The same listener with other per-sender limits. */
  public SyslogListener withPerSender(PerSender limits) {
    return new SyslogListener(
        name,
        protocol,
        bind,
        port,
        vendor,
        allow,
        timezone,
        maxFrameBytes,
        receiveBufferBytes,
        sockets,
        tlsCertFile,
        tlsKeyFile,
        maxConnections,
        idleTimeoutSecs,
        frameTimeoutSecs,
        generic,
        limits);
  }

  /** The same listener with another frame timeout. */
  public SyslogListener withFrameTimeoutSecs(int secs) {
    return new SyslogListener(
        name,
        protocol,
        bind,
        port,
        vendor,
        allow,
        timezone,
        maxFrameBytes,
        receiveBufferBytes,
        sockets,
        tlsCertFile,
        tlsKeyFile,
        maxConnections,
        idleTimeoutSecs,
        secs,
        generic,
        perSender);
  }
}
