package org.bellwatch.agent.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The one listening connector of a console, the site's ({@link WebServer}) or the district hub's:
 * plain HTTP, or with a certificate HTTPS only (TLS 1.3 and 1.2). Made here rather than by Javalin
 * so that the idle timeout applies: Javalin adds its default connector after every server hook has
 * run.
 *
 * @param keyStore the certificate and key ({@link PemKeyStore}), or null for plain HTTP
 */
public record ConsoleConnector(
    InetAddress bind, int port, Duration idleTimeout, KeyStore keyStore) {

  /** Connections the kernel may hold for the acceptor thread ({@link #build}). */
  static final int ACCEPT_QUEUE = 1024;

  /**
   * A connector with the PEM certificate chain and key read now (both null: plain HTTP); {@code
   * what} names the configuration section in the error of a file that cannot be used.
   */
  public static ConsoleConnector of(
      String what, InetAddress bind, int port, Duration idleTimeout, Path certFile, Path keyFile) {
    if (certFile == null) {
      return new ConsoleConnector(bind, port, idleTimeout, null);
    }
    try {
      return new ConsoleConnector(bind, port, idleTimeout, PemKeyStore.load(certFile, keyFile));
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": " + e.getMessage(), e);
    }
  }

  public boolean https() {
    return keyStore != null;
  }

  /** The connector on {@code server}, with the server's HTTP settings. */
  public ServerConnector build(Server server, HttpConfiguration http) {
    ServerConnector connector;
    if (keyStore == null) {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    } else {
      // A certificate for a name the client did not use is the operator's choice; do not refuse it.
      http.addCustomizer(new SecureRequestCustomizer(false));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(keyStore);
      ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      connector =
          new ServerConnector(
              server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    }
    connector.setHost(bind.getHostAddress());
    connector.setPort(port);
    connector.setIdleTimeout(idleTimeout.toMillis());
    // The kernel's queue of connections not yet accepted (listen backlog). The JDK's default of 50
    // overflows when a burst of connections meets a busy acceptor thread, and each dropped SYN
    // costs
    // that client a 1 s retransmission (RFC 6298 section 2); Linux caps it at net.core.somaxconn.
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    return connector;
  }
}
