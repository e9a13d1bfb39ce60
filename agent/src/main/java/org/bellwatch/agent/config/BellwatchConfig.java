package org.bellwatch.agent.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The whole configuration, immutable and validated once by {@link ConfigLoader}. Every key and its
 * default is documented in {@code config/bellwatch.reference.yaml}; relative paths are resolved against
 * the directory of the configuration file.
 */
public record BellwatchConfig(Site site, Schedule schedule, Capture capture, Logs logs, Dns dns,
    Correlate correlate, Store store, Web web) {

  /** @param name display name of the school; @param timezone IANA zone of the school's clocks */
  public record Site(String name, ZoneId timezone) {
  }

  /**
   * @param dir schedule folder (OneRoster CSVs, bells.csv, calendar.csv), or null for none
   * @param roomHostnamePattern regex with a named group {@code room}, applied to DHCP host names
   */
  public record Schedule(Path dir, Pattern roomHostnamePattern) {
  }

  /**
   * @param interfaces     interfaces to capture from live (empty: no live capture)
   * @param pcapFiles      capture files read once at start, in time order with the log files
   * @param snaplenBytes   bytes kept per packet
   * @param bufferBytes    kernel capture buffer size
   * @param promiscuous    promiscuous mode (needed on a mirror port)
   * @param queueCapacity  frames that may wait between capture and decoding before drops are counted
   */
  public record Capture(List<String> interfaces, List<Path> pcapFiles, int snaplenBytes, int bufferBytes,
      boolean promiscuous, int queueCapacity) {
  }

  /** @param files filter log files read at start */
  public record Logs(List<LogFile> files) {
  }

  /**
   * @param vendor   a {@code parse.Vendor} id such as {@code squid}
   * @param path     the file
   * @param timezone zone of the file's local times (lines without an offset); defaults to {@code site.timezone}
   */
  public record LogFile(String vendor, Path path, ZoneId timezone) {
  }

  /** @param sinkholeAddresses answers that mean "blocked" (block-page and null addresses) */
  public record Dns(List<InetAddress> sinkholeAddresses) {
  }

  /** @param mergeWindow evidence of one client and domain within this window is one attempt */
  public record Correlate(Duration mergeWindow) {
  }

  /** @param dir RocksDB directory; @param syncWrites fsync the WAL on every batch */
  public record Store(Path dir, boolean syncWrites) {
  }

  /** @param bind listen address; @param port listen port (0 picks a free port) */
  public record Web(InetAddress bind, int port) {
  }
}
