package org.bellwatch.agent.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.AddressText;

/**
 * Which names a request's Host header may give (RFC 9110 section 7.2), against DNS rebinding: a
 * page on an attacker's site re-points its own name at the console's address, and the browser then
 * treats the console as part of that site, sending {@code Host: attacker.example}. Such requests
 * are refused with 421 Misdirected Request (RFC 9110 section 15.5.20) before any route runs.
 *
 * <p>Allowed: {@code localhost}; the bind address and any other IP address of this machine (a
 * browser that typed an address is not being rebound: its origin is that address); the machine's
 * host name from the kernel and its first label; the DNS names of the console's certificate ({@code
 * web.tls_cert_file}, {@code *.} names match one label); the host of {@code
 * auth.oidc.redirect_url}; and every name in {@code web.allowed_hosts} (the name users type, a DNS
 * alias, the name a reverse proxy passes on). The port is not compared: a rebinding attack cannot
 * choose a name of ours, whatever the port. A request without a Host header (HTTP/1.0; HTTP/1.1
 * requires one and Jetty answers 400 without it) names nothing and is let through.
 */
final class HostCheck {
  private final Set<String> names;

  /**
   * Addresses found on an interface of this machine: few, so they are remembered to spare the
   * lookup.
   */
  private final Set<InetAddress> local = ConcurrentHashMap.newKeySet();

  private HostCheck(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  /** The names of this console: the automatic ones and the configured ones. */
  static HostCheck of(BellwatchConfig cfg, KeyStore keyStore) {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    if (!cfg.web().bind().isAnyLocalAddress()) {
      names.add(cfg.web().bind().getHostAddress());
    }
    String kernel = kernelHostName();
    if (kernel != null) {
      names.add(kernel);
      names.add(kernel.split("\\.")[0]);
    }
    names.addAll(certificateNames(keyStore));
    if (cfg.auth().oidc() != null && cfg.auth().oidc().redirectUrl().getHost() != null) {
      names.add(cfg.auth().oidc().redirectUrl().getHost().toLowerCase(Locale.ROOT));
    }
    names.addAll(cfg.web().allowedHosts());
    return new HostCheck(names);
  }

  /**
   * The names given here, for messages and tests; addresses of this machine are allowed besides.
   */
  Set<String> names() {
    return names;
  }

  /** Whether a request with this Host header value (null: none) may be answered. */
  boolean allows(String hostHeader) {
    if (hostHeader == null) {
      return true;
    }
    String host = host(hostHeader);
    if (host.isEmpty()) {
      return false;
    }
    InetAddress address = AddressText.parseIp(host);
    if (address != null) {
      return names.contains(host) || local(address);
    }
    if (names.contains(host)) {
      return true;
    }
    int dot = host.indexOf('.');
    return dot > 0 && names.contains("*" + host.substring(dot));
  }

  /** The host of a Host header value, lower case, without the port, brackets or a trailing dot. */
  static String host(String hostHeader) {
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? "" : h.substring(1, close);
    }
    int colon = h.indexOf(':');
    h = colon >= 0 ? h.substring(0, colon) : h;
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private boolean local(InetAddress address) {
    if (address.isLoopbackAddress() || local.contains(address)) {
      return true;
    }
    try {
      if (NetworkInterface.getByInetAddress(address) != null) {
        local.add(address);
        return true;
      }
      return false;
    } catch (SocketException e) {
      return false;
    }
  }

  /** The kernel's host name (Linux), read without asking DNS; null elsewhere. */
  private static String kernelHostName() {
    try {
      String name =
          Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().toLowerCase(Locale.ROOT);
      return name.isEmpty() ? null : name;
    } catch (IOException e) {
      return null;
    }
  }

  /** The DNS and IP subject alternative names of the console's certificate. */
  private static List<String> certificateNames(KeyStore keyStore) {
    List<String> out = new ArrayList<>();
    try {
      if (keyStore != null
          && keyStore.getCertificate("console") instanceof X509Certificate cert
          && cert.getSubjectAlternativeNames() != null) {
        for (List<?> san : cert.getSubjectAlternativeNames()) {
          // RFC 5280 section 4.2.1.6: 2 is dNSName, 7 is iPAddress.
          if ((Integer.valueOf(2).equals(san.get(0)) || Integer.valueOf(7).equals(san.get(0)))
              && san.get(1) instanceof String name) {
            out.add(name.toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (KeyStoreException | CertificateParsingException e) {
      return out;
    }
    return out;
  }
}
