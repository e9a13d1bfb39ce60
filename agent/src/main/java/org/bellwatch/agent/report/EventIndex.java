package org.bellwatch.agent.report;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.RawEvent;
import org.bellwatch.agent.store.StoreException;

/**
 * The block events the reports read, held in memory as columns of small integers (each distinct
 * domain, section, room... interned once), sorted by time. The store stays the source of truth: the
 * index is loaded from it at start and fed the events the store newly wrote. A report scans only
 * the rows of its time range and compares integers, which is what lets months of a school's events
 * answer in milliseconds. About 60 bytes per event plus the distinct strings.
 *
 * <p>Writers (the pipeline sink, retention) take the write lock; reports take the read lock.
 */
public final class EventIndex {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  final Dictionary domains = new Dictionary();
  final Dictionary sections = new Dictionary();
  final Dictionary courses = new Dictionary();
  final Dictionary teachers = new Dictionary();
  final Dictionary rooms = new Dictionary();
  final Dictionary users = new Dictionary();
  final Dictionary categories = new Dictionary();
  final Dictionary methods = new Dictionary();
  final Dictionary periods = new Dictionary();
  final Dictionary devices = new Dictionary();

  long[] time = new long[1024];
  long[] key = new long[1024];
  int[] domain = new int[1024];
  int[] section = new int[1024];
  int[] course = new int[1024];
  int[] teacher = new int[1024];
  int[] room = new int[1024];
  int[] user = new int[1024];
  int[] category = new int[1024];
  int[] method = new int[1024];
  int[] period = new int[1024];
  int[] device = new int[1024];
  boolean[] instructional = new boolean[1024];
  boolean[] whileTeaching = new boolean[1024];
  int size;

  /** Adds events (in any order; the index keeps itself sorted by time). */
  public void addAll(List<BlockEvent> events) {
    lock.writeLock().lock();
    try {
      boolean sorted = true;
      int oldSize = size;
      long earliest = Long.MAX_VALUE;
      for (BlockEvent e : events) {
        long t = micros(e.time());
        earliest = Math.min(earliest, t);
        if (size > 0 && t < time[size - 1]) {
          sorted = false;
        }
        grow();
        time[size] = t;
        key[size] = EventStore.EventRef.of(e).suffix();
        domain[size] = domains.id(e.domain());
        section[size] = sections.id(e.section());
        course[size] = courses.id(e.course());
        teacher[size] = teachers.id(e.teacher());
        room[size] = rooms.id(e.room());
        user[size] = users.id(e.user());
        category[size] = categories.id(e.category());
        method[size] = methods.id(e.method());
        period[size] = periods.id(e.period());
        device[size] = devices.id(e.mac() != null ? e.mac() : e.clientIp());
        instructional[size] = e.instructional();
        whileTeaching[size] = e.whileTeaching();
        size++;
      }
      if (!sorted) {
        // Late events land near the end: only the rows from the earliest new time on are re-sorted.
        sortTail(lowerBound(earliest, oldSize));
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Takes out the rows of {@code removed} (events the store replaced: late evidence joined them)
   * and adds {@code added}, under one lock: a report sees either the old rows or the new ones,
   * never both.
   */
  public void replace(List<BlockEvent> removed, List<BlockEvent> added) {
    lock.writeLock().lock();
    try {
      if (!removed.isEmpty()) {
        removeRows(removed);
      }
      addAll(added);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Removes the row of each event (found by its time and key); rows after the first removed move
   * up.
   */
  private void removeRows(List<BlockEvent> removed) {
    boolean[] gone = new boolean[size];
    int first = size;
    for (BlockEvent e : removed) {
      long t = micros(e.time());
      long k = EventStore.EventRef.of(e).suffix();
      for (int i = lowerBound(t, size); i < size && time[i] == t; i++) {
        if (key[i] == k && !gone[i]) {
          gone[i] = true;
          first = Math.min(first, i);
          break;
        }
      }
    }
    if (first == size) {
      return;
    }
    int[] keep = new int[size - first];
    int n = 0;
    for (int i = first; i < size; i++) {
      if (!gone[i]) {
        keep[n++] = i;
      }
    }
    for (Object column : columns()) {
      compact(column, keep, n, first);
    }
    size = first + n;
  }

  private static void compact(Object column, int[] keep, int n, int to) {
    for (int j = 0; j < n; j++) {
      int from = keep[j];
      if (column instanceof long[] c) {
        c[to + j] = c[from];
      } else if (column instanceof int[] c) {
        c[to + j] = c[from];
      } else if (column instanceof boolean[] c) {
        c[to + j] = c[from];
      }
    }
  }

  /**
   * Adds every event of the store, reading only the fields the reports use straight from the stored
   * values (no {@link BlockEvent}, no string for a value already interned). For the start of the
   * agent.
   */
  public void load(EventStore store) throws StoreException {
    lock.writeLock().lock();
    try {
      int oldSize = size;
      long[] earliest = {Long.MAX_VALUE};
      boolean[] sorted = {true};
      store.forEachRaw(
          r -> {
            long t = r.micros();
            earliest[0] = Math.min(earliest[0], t);
            if (size > 0 && t < time[size - 1]) {
              sorted[0] = false;
            }
            grow();
            byte[] b = r.bytes();
            time[size] = t;
            key[size] = r.suffix();
            domain[size] = intern(domains, r, RawEvent.DOMAIN, b);
            section[size] = intern(sections, r, RawEvent.SECTION, b);
            course[size] = intern(courses, r, RawEvent.COURSE, b);
            teacher[size] = intern(teachers, r, RawEvent.TEACHER, b);
            room[size] = intern(rooms, r, RawEvent.ROOM, b);
            user[size] = intern(users, r, RawEvent.USER, b);
            category[size] = intern(categories, r, RawEvent.CATEGORY, b);
            method[size] = intern(methods, r, RawEvent.METHOD, b);
            period[size] = intern(periods, r, RawEvent.PERIOD, b);
            device[size] =
                intern(
                    devices, r, r.length(RawEvent.MAC) >= 0 ? RawEvent.MAC : RawEvent.CLIENT_IP, b);
            instructional[size] = r.instructional();
            whileTeaching[size] = r.whileTeaching();
            size++;
          });
      if (!sorted[0]) {
        sortTail(lowerBound(earliest[0], oldSize));
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static int intern(Dictionary dict, RawEvent r, int field, byte[] b) {
    return dict.id(b, r.offset(field), r.length(field));
  }

  /** Forgets every event before {@code cutoff} (retention has deleted them from the store). */
  public void dropBefore(Instant cutoff) {
    lock.writeLock().lock();
    try {
      int from = lowerBound(micros(cutoff), size);
      if (from == 0) {
        return;
      }
      for (Object column : columns()) {
        System.arraycopy(column, from, column, 0, size - from);
      }
      size -= from;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * About how much heap the index holds: its columns at their allocated length (58 bytes a row) and
   * the dictionaries. It grows with the events kept (retention bounds it), so a memory check over a
   * long run must tell this growth from a leak.
   */
  public long memoryBytes() {
    lock.readLock().lock();
    try {
      long dictionaries = 0;
      for (Dictionary d :
          new Dictionary[] {
            domains,
            sections,
            courses,
            teachers,
            rooms,
            users,
            categories,
            methods,
            periods,
            devices
          }) {
        dictionaries += d.memoryBytes();
      }
      return time.length * 58L + dictionaries;
    } finally {
      lock.readLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code body} under the read lock: a report sees one consistent index. */
  <T> T read(java.util.function.Supplier<T> body) {
    lock.readLock().lock();
    try {
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The rows [start, end) whose time is in [{@code from}, {@code to}) (null bounds are open). Read
   * lock held.
   */
  int[] range(Instant from, Instant to) {
    int start = from == null ? 0 : lowerBound(micros(from), size);
    int end = to == null ? size : lowerBound(micros(to), size);
    return new int[] {start, Math.max(start, end)};
  }

  /** The first row in [0, {@code limit}) at or after {@code t}. */
  private int lowerBound(long t, int limit) {
    int lo = 0;
    int hi = limit;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (time[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void grow() {
    if (size < time.length) {
      return;
    }
    int n = time.length * 2;
    time = Arrays.copyOf(time, n);
    key = Arrays.copyOf(key, n);
    domain = Arrays.copyOf(domain, n);
    section = Arrays.copyOf(section, n);
    course = Arrays.copyOf(course, n);
    teacher = Arrays.copyOf(teacher, n);
    room = Arrays.copyOf(room, n);
    user = Arrays.copyOf(user, n);
    category = Arrays.copyOf(category, n);
    method = Arrays.copyOf(method, n);
    period = Arrays.copyOf(period, n);
    device = Arrays.copyOf(device, n);
    instructional = Arrays.copyOf(instructional, n);
    whileTeaching = Arrays.copyOf(whileTeaching, n);
  }

  private Object[] columns() {
    return new Object[] {
      time,
      key,
      domain,
      section,
      course,
      teacher,
      room,
      user,
      category,
      method,
      period,
      device,
      instructional,
      whileTeaching
    };
  }

  /** Sorts rows [{@code from}, size) by time, stably, moving every column alike. */
  private void sortTail(int from) {
    Integer[] order = new Integer[size - from];
    for (int i = 0; i < order.length; i++) {
      order[i] = from + i;
    }
    long[] t = time;
    Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b]));
    for (Object column : columns()) {
      permute(column, order, from);
    }
  }

  private static void permute(Object column, Integer[] order, int from) {
    if (column instanceof long[] c) {
      long[] copy = Arrays.copyOfRange(c, from, from + order.length);
      for (int i = 0; i < order.length; i++) {
        c[from + i] = copy[order[i] - from];
      }
    } else if (column instanceof int[] c) {
      int[] copy = Arrays.copyOfRange(c, from, from + order.length);
      for (int i = 0; i < order.length; i++) {
        c[from + i] = copy[order[i] - from];
      }
    } else if (column instanceof boolean[] c) {
      boolean[] copy = Arrays.copyOfRange(c, from, from + order.length);
      for (int i = 0; i < order.length; i++) {
        c[from + i] = copy[order[i] - from];
      }
    }
  }

  static long micros(Instant t) {
    return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1000;
  }
}
