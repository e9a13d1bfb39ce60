package org.bellwatch.agent.decode.dns;

/**
 * One question entry (RFC 1035 section 4.1.2).
 *
 * @param name the name as sent (case kept), without the trailing dot; "" for the root
 * @param type QTYPE
 * @param qclass QCLASS
 */
public record DnsQuestion(String name, int type, int qclass) {}
