package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.time.Instant;

/**
 * One observation proving that a client was refused a domain: a filter log deny or a DNS policy
 * answer.
 *
 * @param time when it was observed, UTC
 * @param clientIp the refused client, or null when the filter logged only a user (a browser
 *     extension such as GoGuardian's): the attempt then has no device
 * @param domain lower-case, no trailing dot
 * @param url URL as logged, or null
 * @param user user as logged, or null
 * @param category filter category, or null
 * @param source vendor id or {@code dns}
 * @param method {@code proxy-deny}, {@code dns-sinkhole}, ...
 * @param evidence one short sentence quoting the record
 */
public record BlockEvidence(
    Instant time,
    InetAddress clientIp,
    String domain,
    String url,
    String user,
    String category,
    String source,
    String method,
    String evidence) {}
