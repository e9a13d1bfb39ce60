package org.bellwatch.agent.parse;

import java.net.InetAddress;
import java.time.Instant;

/**
 * One normalized web-filter log record.
 *
 * @param time     when the filter logged the request, UTC
 * @param clientIp the requesting client
 * @param user     authenticated user as logged, or null (placeholders such as "-" become null)
 * @param url      the URL or CONNECT target as logged, or null
 * @param domain   the request's host, lower-case, no trailing dot, no port
 * @param category the filter's category, or null
 * @param action   what the filter did
 * @param vendor   the {@link Vendor} id that parsed it
 * @param method   how the block happened ({@code proxy-deny}, {@code filter-deny}, ...), null unless blocked
 * @param summary  a short quote of the record for the evidence chain
 */
public record FilterEvent(Instant time, InetAddress clientIp, String user, String url, String domain,
    String category, Action action, String vendor, String method, String summary) {
}
