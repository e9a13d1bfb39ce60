package org.bellwatch.agent.decision;

/**
 * One filter's change for IT to copy.
 *
 * @param id stable key: squid, dnsmasq, pihole, unbound_rpz, bind_rpz, fortigate
 * @param title what the text is for, for people
 * @param text the lines to apply, with comments saying where they go
 * @param checkedWith the real program whose syntax check the tests run this text through, or "not
 *     checked: ..." with the reason
 */
public record Snippet(String id, String title, String text, String checkedWith) {}
