package org.bellwatch.agent.sim;

import java.time.Instant;
import java.util.Map;

/**
 * What one {@link SiteSimulator#simulate} run wrote.
 *
 * @param devices simulated client devices (DHCP clients plus the static host)
 * @param frames frames in {@code capture/site.pcap}
 * @param dhcpMessages DHCP messages among those frames
 * @param dnsMessages DNS queries and responses among those frames
 * @param logLines lines in {@code logs/squid-access.log}
 * @param truthEvents lines in {@code truth.jsonl}
 * @param scenarios named scenario → time of its truth event (first evidence), in name order
 */
public record SimulationSummary(
    int devices,
    int frames,
    int dhcpMessages,
    int dnsMessages,
    int logLines,
    int truthEvents,
    Map<String, Instant> scenarios) {}
