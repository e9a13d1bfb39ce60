package org.bellwatch.agent.pipeline;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.ingest.tail.LinePosition;
import org.bellwatch.agent.ingest.tail.Mark;

/**
 * Which part of each tailed file the pipeline is done with, so that {@link StoreSink} can store a
 * file's mark in the same write as the events of the lines before it. Pipeline thread only.
 *
 * <p>The rule. For a source, the <em>safe</em> mark is the smaller of
 *
 * <ul>
 *   <li>the end of the last line delivered to the pipeline (every line before it has been
 *       processed: it produced evidence, or a lease, or nothing), and
 *   <li>the start of the earliest line whose evidence is still in an open attempt of the correlator
 *       (its event is not out yet, so a restart must read that line again).
 * </ul>
 *
 * Every event carries the span of lines it came from in each source ({@link Span}). StoreSink
 * writes a mark together with exactly the events whose lines all lie before it, and holds back an
 * event that has a line past the mark it can write: after a crash the store then holds the events
 * of the lines before the stored mark and none of the lines after it, which are read again. Safe
 * marks only move forward (new lines come after delivered ones; evidence joins attempts, never
 * reopens them).
 */
final class OffsetLedger {
  /**
   * The lines of one source that an event came from: the mark at the first line's start, and the
   * last line's end.
   */
  record Span(Mark first, long lastEnd) {
    Span union(Span o) {
      return new Span(
          o.first.offset() < first.offset() ? o.first : first, Math.max(lastEnd, o.lastEnd));
    }
  }

  private final Map<String, Mark> delivered = new HashMap<>();

  /** Open evidence from tailed lines, by identity (the correlator keeps the same objects). */
  private final Map<BlockEvidence, LinePosition> openEvidence = new IdentityHashMap<>();

  /**
   * Per source, start offsets of open evidence lines and how many evidence each, with their marks.
   */
  private final Map<String, TreeMap<Long, Integer>> openStarts = new HashMap<>();

  private final Map<String, Map<Long, Mark>> startMarks = new HashMap<>();
  private final Map<BlockEvent, Map<String, Span>> spans = new IdentityHashMap<>();

  /** Evidence from the line at {@code at} goes into the correlator. */
  void opened(BlockEvidence e, LinePosition at) {
    openEvidence.put(e, at);
    openStarts
        .computeIfAbsent(at.source(), s -> new TreeMap<>())
        .merge(at.start().offset(), 1, Integer::sum);
    startMarks
        .computeIfAbsent(at.source(), s -> new HashMap<>())
        .put(at.start().offset(), at.start());
  }

  /** Every line of {@code source} before {@code end} has been processed by the pipeline. */
  void delivered(String source, Mark end) {
    delivered.merge(source, end, (a, b) -> b.offset() >= a.offset() ? b : a);
  }

  /**
   * The correlator gave out {@code event} for {@code attempt} (a new attempt, or late evidence
   * merged into one: then {@code attempt} is that evidence alone): remembers the lines it came
   * from.
   */
  void emitted(List<BlockEvidence> attempt, BlockEvent event) {
    Map<String, Span> s = null;
    for (BlockEvidence e : attempt) {
      LinePosition at = close(e);
      if (at == null) {
        continue;
      }
      if (s == null) {
        s = new HashMap<>();
      }
      s.merge(at.source(), new Span(at.start(), at.end().offset()), Span::union);
    }
    if (s != null) {
      spans.put(event, s);
    }
  }

  /**
   * {@code e} left the correlator adding nothing (its attempt already held the same record): its
   * line is done. Safe to pass before that attempt is stored: the record it repeats keeps its own
   * line held.
   */
  void released(BlockEvidence e) {
    close(e);
  }

  private LinePosition close(BlockEvidence e) {
    LinePosition at = openEvidence.remove(e);
    if (at != null) {
      TreeMap<Long, Integer> starts = openStarts.get(at.source());
      long off = at.start().offset();
      if (starts.merge(off, -1, Integer::sum) == 0) {
        starts.remove(off);
        startMarks.get(at.source()).remove(off);
      }
    }
    return at;
  }

  /** The spans of an emitted event, once (empty when no tailed line contributed). */
  Map<String, Span> take(BlockEvent event) {
    Map<String, Span> s = spans.remove(event);
    return s == null ? Map.of() : s;
  }

  Set<String> sources() {
    return delivered.keySet();
  }

  /**
   * The furthest mark of {@code source} that every processed line before it is out of the
   * correlator.
   */
  Mark safe(String source) {
    Mark d = delivered.get(source);
    TreeMap<Long, Integer> starts = openStarts.get(source);
    if (starts == null || starts.isEmpty()) {
      return d;
    }
    Mark open = startMarks.get(source).get(starts.firstKey());
    return d == null || open.offset() < d.offset() ? open : d;
  }
}
