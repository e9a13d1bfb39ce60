package org.bellwatch.agent.ingest.tail;

/**
 * Where one line of a tailed file lies: its source id ({@link FileTailer} explains the id) and the
 * marks at its first byte and just after its newline.
 */
public record LinePosition(String source, Mark start, Mark end) {}
