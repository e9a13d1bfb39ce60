package org.bellwatch.agent.identity;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DHCP lease history: for each IP, the devices that held it over time, so that a block at instant t is
 * attributed to the device that held the address at t, not to whoever holds it now.
 *
 * <p>Observations follow RFC 2131: a DHCPACK binds (section 3.1 step 5; a renewal ACK from the same client
 * extends the binding, section 4.4.5); a DHCPRELEASE (section 4.4.6) or a DHCPDECLINE ends it; an ACK of
 * the same address to another client ends the previous binding at that moment. Not thread-safe: owned by
 * the pipeline thread.
 */
public final class LeaseTable {
  private final Map<InetAddress, List<Lease>> history = new HashMap<>();
  private final Map<String, String> hostnameByMac = new HashMap<>();
  private final Map<String, String> circuitByMac = new HashMap<>();
  /**
   * One string instance per MAC: every observation brings a new copy, and a history of a million
   * bindings would otherwise hold a million copies of ten thousand addresses.
   */
  private final Map<String, String> canonicalMacs = new HashMap<>();

  /** Remembers the host name a client announced (option 12 of DISCOVER/REQUEST), which ACKs often omit. */
  public void observeHostname(String mac, String hostname) {
    if (mac != null && hostname != null && !hostname.isBlank() && !hostname.equals(hostnameByMac.get(mac))) {
      hostnameByMac.put(canonicalMac(mac), hostname);
    }
  }

  /** Remembers the switch port a relay agent reported for a client (option 82 circuit id, RFC 3046). */
  public void observeCircuit(String mac, String circuitId) {
    if (mac != null && circuitId != null && !circuitId.isBlank()) {
      circuitByMac.put(mac, circuitId);
    }
  }

  /** A DHCPACK of {@code ip} to {@code mac} at {@code at} for {@code leaseSecs}. */
  public void acknowledge(InetAddress ip, String mac, String hostname, Instant at, long leaseSecs, String evidence) {
    mac = canonicalMac(mac);
    String known = hostnameByMac.get(mac);
    String name = hostname == null || hostname.equals(known) ? known : hostname;
    String circuit = circuitByMac.get(mac);
    Instant end = at.plusSeconds(leaseSecs);
    List<Lease> leases = history.computeIfAbsent(ip, k -> new ArrayList<>());
    Lease last = leases.isEmpty() ? null : leases.get(leases.size() - 1);
    if (last != null && last.mac().equals(mac) && !at.isAfter(last.end())) {
      // Renewal or rebinding: the same binding continues with a later end.
      leases.set(leases.size() - 1, new Lease(ip, mac, name != null ? name : last.hostname(),
          circuit != null ? circuit : last.circuitId(), last.start(), end.isAfter(last.end()) ? end : last.end(),
          last.evidence()));
      return;
    }
    if (last != null && at.isBefore(last.end())) {
      leases.set(leases.size() - 1, withEnd(last, at));
    }
    leases.add(new Lease(ip, mac, name, circuit, at, end, evidence));
  }

  /** A DHCPRELEASE or DHCPDECLINE by {@code mac} of {@code ip} at {@code at}: the binding ends there. */
  public void end(InetAddress ip, String mac, Instant at) {
    List<Lease> leases = history.get(ip);
    if (leases == null || leases.isEmpty()) {
      return;
    }
    Lease last = leases.get(leases.size() - 1);
    if (last.mac().equals(mac) && last.covers(at)) {
      leases.set(leases.size() - 1, withEnd(last, at));
    }
  }

  /** The lease that covered {@code ip} at {@code t}, or null. */
  public Lease at(InetAddress ip, Instant t) {
    List<Lease> leases = history.get(ip);
    if (leases == null) {
      return null;
    }
    for (int i = leases.size() - 1; i >= 0; i--) {
      Lease l = leases.get(i);
      if (l.covers(t)) {
        return l;
      }
      if (l.end().isBefore(t)) {
        // Leases of one address are kept in time order: nothing earlier can cover t.
        return null;
      }
    }
    return null;
  }

  private String canonicalMac(String mac) {
    String c = canonicalMacs.putIfAbsent(mac, mac);
    return c != null ? c : mac;
  }

  public int addressCount() {
    return history.size();
  }

  /** Devices (MAC addresses) whose host name is known from DHCP. */
  public int hostnameCount() {
    return hostnameByMac.size();
  }

  private static Lease withEnd(Lease l, Instant end) {
    return new Lease(l.ip(), l.mac(), l.hostname(), l.circuitId(), l.start(), end, l.evidence());
  }
}
