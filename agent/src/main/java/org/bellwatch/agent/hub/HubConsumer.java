package org.bellwatch.agent.hub;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.export.KafkaProps;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every school's topics into the {@link DistrictStore} as one member of the hub's consumer
 * group. Each poll's messages are stored in one batch (on a writer thread, while the next poll is
 * read and prepared), and their offsets are committed only once the store's log is synced to disk
 * after the write ({@link DurableOffsets}, {@link StoreSyncs}: at most about a second later): a hub
 * stopped at any moment, or whose machine loses power, reads again at most what it had not
 * committed, and storing a message twice changes nothing (the key is site and event id). A message
 * that cannot be used is counted by reason and skipped, never retried forever. A failed store write
 * or a lost group membership closes the consumer; a new one starts from the committed offsets.
 */
public final class HubConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HubConsumer.class);

  /**
   * Records per poll: each poll is one store batch and one offset commit, so a larger poll spreads
   * the commit's round trip and the batch's write over more messages (the default, 500, left the
   * hub at about half of what its store takes; docs/benchmarks.md, "District").
   */
  static final int MAX_POLL_RECORDS = 5_000;

  /**
   * How soon a new school's topics are read: a consumer subscribed by pattern matches it against
   * the cluster's topics each time it refreshes its metadata, at least every {@code
   * metadata.max.age.ms} (KafkaConsumer#subscribe(Pattern); Kafka's default is 5 minutes), and the
   * group then rebalances to share the new partitions.
   */
  static final Duration NEW_TOPICS_WITHIN = Duration.ofSeconds(30);

  private final HubConfig cfg;
  private final DistrictStore store;
  private final Topics topics;
  private final PollChanges reading;

  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile String lastError;

  /**
   * Stores one poll's messages while the consumer reads the next, so that reading and storing use
   * two cores; one poll at a time, in order.
   */
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "hub-store");
            t.setDaemon(true);
            return t;
          });

  /**
   * The poll being stored and the offsets to commit once it is; only the consumer's thread uses it.
   */
  private InFlight inFlight;

  private record InFlight(Future<?> stored, Map<TopicPartition, OffsetAndMetadata> offsets) {}

  /**
   * Records in the assigned partitions after the last one read, as of the last poll (the poll being
   * stored is at most one more).
   */
  private volatile long lag;

  /** Counted down by {@link #close}: ends a back-off wait. */
  private final CountDownLatch stopping = new CountDownLatch(1);

  /** Polls written and not yet known to be on disk, and those that are. */
  private final DurableOffsets durable = new DurableOffsets();

  private final StoreSyncs syncs;

  public HubConsumer(HubConfig cfg, DistrictStore store, BellwatchMeters meters) {
    this(cfg, store, meters, store::syncLog);
  }

  /**
   * @param storeLog syncs the store's log ({@link DistrictStore#syncLog}; a test may hold it back
   *     as a slow disk would)
   */
  HubConsumer(HubConfig cfg, DistrictStore store, BellwatchMeters meters, StoreSyncs.Log storeLog) {
    this.cfg = cfg;
    this.store = store;
    this.topics = new Topics(cfg.kafka().topicPrefix());
    this.reading = new PollChanges(topics, meters);
    this.syncs = new StoreSyncs(durable, storeLog, meters, StoreSyncs.EVERY);
    this.thread = new Thread(this::loop, "hub-consumer");
    thread.setDaemon(true);
  }

  public void start() {
    syncs.start();
    thread.start();
  }

  /**
   * Records in the hub's partitions not yet stored, as the last poll saw them (0 before the first).
   */
  public long lag() {
    return lag;
  }

  /** The last failure, or null while consuming works. */
  public String lastError() {
    return lastError;
  }

  private void loop() {
    long backoffMs = 500;
    while (running) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps())) {
        consumer = c;
        syncs.reset();
        c.subscribe(
            topics.hubPattern(),
            new ConsumerRebalanceListener() {
              @Override
              public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Before the partitions go to another member: what is being stored is synced and
                // committed, so that it does not read it again.
                finishStoring(c);
              }

              @Override
              public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
            });
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
          DistrictWriter.Batch batch =
              records.isEmpty() ? null : store.prepare(reading.changes(records));
          Map<TopicPartition, OffsetAndMetadata> stored = awaitStored();
          if (batch != null) {
            inFlight =
                new InFlight(
                    writer.submit(
                        () -> {
                          store.apply(batch);
                          return null;
                        }),
                    nextOffsets(records));
          }
          if (stored != null) {
            durable.written(stored);
          }
          if (batch == null && durable.unsynced()) {
            // Nothing more to read: the log is synced here and now rather than at the sync
            // thread's next tick, so that a hub that caught up commits what it stored at once.
            syncLog();
          }
          commitDurable(c);
          lag = lagOf(c);
          lastError = null;
          backoffMs = 500;
        }
      } catch (WakeupException e) {
        return;
      } catch (KafkaException | StoreFailed | StoreException | IOException e) {
        Throwable t = e instanceof StoreFailed ? e.getCause() : e;
        lastError = t.getClass().getSimpleName() + ": " + t.getMessage();
        log.warn(
            "hub: reading from Kafka failed, reading again from the committed offsets: {}",
            lastError);
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 30_000);
      } finally {
        // A write still running finishes on the writer thread; its poll is read again from the
        // committed offsets, and storing it twice changes nothing.
        inFlight = null;
        consumer = null;
      }
    }
  }

  /**
   * Commits the offsets of the polls whose writes are on disk, without waiting for the broker's
   * answer (a round trip of several milliseconds a poll on this thread, which also reads and
   * prepares): a commit that fails or is never answered is covered by the next one, or its messages
   * are read again, which changes nothing. A failed sync is thrown, as a failed write.
   */
  private void commitDurable(KafkaConsumer<String, byte[]> c) {
    try {
      syncs.check();
    } catch (StoreException e) {
      throw new StoreFailed(e);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = durable.takeDurable();
    if (!offsets.isEmpty()) {
      c.commitAsync(offsets, this::committed);
    }
  }

  /**
   * Waits for the poll being stored, syncs the store's log, then commits every written poll's
   * offsets and waits for the broker: offsets move only once the store has the data on disk. A
   * failed write or sync is thrown (the consumer closes and a new one reads again from the last
   * commit).
   */
  private void finishStoring(KafkaConsumer<String, byte[]> c) {
    Map<TopicPartition, OffsetAndMetadata> stored = awaitStored();
    if (stored != null) {
      durable.written(stored);
    }
    syncLog();
    Map<TopicPartition, OffsetAndMetadata> offsets = durable.takeDurable();
    if (!offsets.isEmpty()) {
      c.commitSync(offsets);
    }
  }

  /** Syncs the store's log now; a failure is thrown as a failed write. */
  private void syncLog() {
    try {
      syncs.sync();
    } catch (StoreException e) {
      throw new StoreFailed(e);
    }
  }

  /** The broker's answer to an asynchronous commit. */
  private void committed(Map<TopicPartition, OffsetAndMetadata> offsets, Exception e) {
    if (e != null) {
      log.warn(
          "hub: committing offsets failed, the next commit covers them: {}: {}",
          e.getClass().getSimpleName(),
          e.getMessage());
    }
  }

  /**
   * Waits for the poll being stored; returns the offsets it may now commit (null when none was
   * being stored). A failed write is thrown.
   */
  private Map<TopicPartition, OffsetAndMetadata> awaitStored() {
    InFlight f = inFlight;
    if (f == null) {
      return null;
    }
    inFlight = null;
    try {
      f.stored().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WakeupException();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StoreException se
          ? new StoreFailed(se)
          : new StoreFailed(
              new StoreException("hub store: write failed: " + e.getCause(), e.getCause()));
    }
    return f.offsets();
  }

  /**
   * A failed store write, out of a rebalance callback (which may throw only unchecked exceptions).
   */
  private static final class StoreFailed extends RuntimeException {
    StoreFailed(StoreException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private Map<String, Object> consumerProps() throws IOException {
    Map<String, Object> props = KafkaProps.consumer(cfg.kafka(), "bellwatch-hub", cfg.groupId());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) NEW_TOPICS_WITHIN.toMillis());
    return props;
  }

  /**
   * The sum of the assigned partitions' lags the consumer knows from its fetches (no request to a
   * broker).
   */
  private static long lagOf(KafkaConsumer<String, byte[]> c) {
    long sum = 0;
    for (TopicPartition tp : c.assignment()) {
      sum += c.currentLag(tp).orElse(0);
    }
    return sum;
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> part = records.records(tp);
      out.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
    }
    return out;
  }

  /** The back-off after a failure; {@link #close} ends it at once. */
  private void sleep(long ms) {
    try {
      if (stopping.await(ms, TimeUnit.MILLISECONDS)) {
        running = false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Stops reading. The loop is woken, never interrupted: an interrupted thread cannot close its
   * Kafka consumer, which then neither leaves the group (another hub waits the session timeout for
   * its partitions) nor closes its fetch sessions, and logs both as errors.
   */
  @Override
  public void close() {
    running = false;
    stopping.countDown();
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(15_000);
      // After the loop, which submits writes: the store closes after this returns, so the last
      // write and sync must be over by then.
      writer.shutdown();
      writer.awaitTermination(15, TimeUnit.SECONDS);
      syncs.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
