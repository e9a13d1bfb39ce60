package org.bellwatch.agent.identity;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bellwatch.agent.csv.CsvFileException;
import org.bellwatch.agent.csv.CsvTable;
import org.bellwatch.agent.event.AddressText;

/**
 * The site's own knowledge of where devices are: {@code devices.csv} ({@code
 * mac,hostname,room,asset_tag}, and optionally {@code owner}) {@code networks.csv} ({@code
 * cidr,room}) and {@code ports.csv} ({@code circuit_id,room}: the switch port a DHCP relay agent
 * names in option 82), all optional files of the schedule folder. Beside the leases and IPv6
 * bindings of this package, it is what ties an address or a MAC to a device and a room.
 */
public final class SiteInventory {
  /**
   * A device the site lists; fields may be null. {@code owner} is the person the device is assigned
   * to (a roster username or e-mail address, such as a teacher's laptop), from the optional {@code
   * owner} column.
   */
  public record Device(String mac, String hostname, String room, String assetTag, String owner) {}

  /** A network prefix assigned to a room; the longest matching prefix wins. */
  record Network(byte[] prefix, int bits, String room, String cidr) {
    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (prefix[full] & mask);
    }
  }

  private final Map<String, Device> devicesByMac;
  private final List<Network> networks;
  private final Map<String, String> roomByCircuit;

  private SiteInventory(
      Map<String, Device> devicesByMac, List<Network> networks, Map<String, String> roomByCircuit) {
    this.devicesByMac = Map.copyOf(devicesByMac);
    this.networks = List.copyOf(networks);
    this.roomByCircuit = Map.copyOf(roomByCircuit);
  }

  public static SiteInventory empty() {
    return new SiteInventory(Map.of(), List.of(), Map.of());
  }

  public static SiteInventory load(Path dir) throws CsvFileException {
    Map<String, Device> devices = new HashMap<>();
    Path devicesFile = dir.resolve("devices.csv");
    if (Files.exists(devicesFile)) {
      for (CsvTable.Row r : CsvTable.read(devicesFile, "mac")) {
        String mac = normalizeMac(r.get("mac"));
        if (mac == null) {
          throw r.error("mac", "'" + r.get("mac") + "' is not a MAC address");
        }
        devices.put(
            mac,
            new Device(
                mac,
                blank(r.get("hostname")),
                blank(r.get("room")),
                blank(r.get("asset_tag")),
                blank(r.get("owner"))));
      }
    }
    List<Network> networks = new ArrayList<>();
    Path networksFile = dir.resolve("networks.csv");
    if (Files.exists(networksFile)) {
      for (CsvTable.Row r : CsvTable.read(networksFile, "cidr", "room")) {
        networks.add(network(r));
      }
    }
    Map<String, String> ports = new HashMap<>();
    Path portsFile = dir.resolve("ports.csv");
    if (Files.exists(portsFile)) {
      for (CsvTable.Row r : CsvTable.read(portsFile, "circuit_id", "room")) {
        if (r.get("circuit_id").isEmpty() || r.get("room").isEmpty()) {
          throw r.error(r.get("circuit_id").isEmpty() ? "circuit_id" : "room", "is empty");
        }
        ports.put(r.get("circuit_id"), r.get("room"));
      }
    }
    return new SiteInventory(devices, networks, ports);
  }

  /** The room of a switch port named by a relay agent's circuit id, or null. */
  public String roomOfCircuit(String circuitId) {
    return circuitId == null ? null : roomByCircuit.get(circuitId);
  }

  /** Devices listed in {@code devices.csv}. */
  public int deviceCount() {
    return devicesByMac.size();
  }

  public Device device(String mac) {
    return mac == null ? null : devicesByMac.get(mac);
  }

  /**
   * The room of the most specific listed network containing {@code ip}, with its CIDR; null when
   * none.
   */
  public String[] roomOfAddress(InetAddress ip) {
    Network best = null;
    byte[] a = ip.getAddress();
    for (Network n : networks) {
      if (n.contains(a) && (best == null || n.bits() > best.bits())) {
        best = n;
      }
    }
    return best == null ? null : new String[] {best.room(), best.cidr()};
  }

  /**
   * The CIDRs {@code networks.csv} assigns to the room (compared case-insensitively), in file
   * order.
   */
  public List<String> networksOfRoom(String room) {
    return room == null
        ? List.of()
        : networks.stream()
            .filter(n -> room.equalsIgnoreCase(n.room()))
            .map(Network::cidr)
            .toList();
  }

  /**
   * Lower-case colon-separated form of a MAC written with colons, dashes, dots or nothing; null if
   * invalid.
   */
  public static String normalizeMac(String text) {
    String hex = text.replaceAll("[:\\-.]", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{12}")) {
      return null;
    }
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(hex, i, i + 2);
    }
    return sb.toString();
  }

  private static Network network(CsvTable.Row r) throws CsvFileException {
    String cidr = r.get("cidr");
    int slash = cidr.indexOf('/');
    try {
      InetAddress address = slash < 0 ? null : AddressText.parseIp(cidr.substring(0, slash));
      if (address == null) {
        throw r.error("cidr", "'" + cidr + "' is not a CIDR such as 10.1.2.0/24");
      }
      byte[] prefix = address.getAddress();
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      if (bits < 0 || bits > prefix.length * 8) {
        throw r.error("cidr", "'" + cidr + "' has a prefix length out of range");
      }
      if (r.get("room").isEmpty()) {
        throw r.error("room", "is empty");
      }
      return new Network(prefix, bits, r.get("room"), cidr);
    } catch (NumberFormatException e) {
      throw r.error("cidr", "'" + cidr + "' is not a CIDR such as 10.1.2.0/24");
    }
  }

  private static String blank(String s) {
    return s.isEmpty() ? null : s;
  }
}
