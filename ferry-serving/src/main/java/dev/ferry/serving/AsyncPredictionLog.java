package dev.ferry.serving;

import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue in front of a {@link PredictionLogSink}: requests only ever offer to the
 * queue (never block), one writer thread drains it in batches. A full queue or a failing sink
 * drops records and counts them.
 *
 * <p>After each batch the writer lingers {@value #LINGER_MILLIS} ms before it drains again (as a
 * Kafka producer's {@code linger.ms} does), so under load it wakes about 200 times a second and
 * writes many records a time, instead of being woken by every request and writing one record a
 * system call. An idle writer waits on the queue and the first record wakes it at once.
 */
final class AsyncPredictionLog implements AutoCloseable {

    private static final int BATCH = 512;
    static final long LINGER_MILLIS = 5;

    private final BlockingQueue<PredictionRecord> queue;
    private final PredictionLogSink sink;
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
    private long done;

    AsyncPredictionLog(PredictionLogSink sink, int capacity, ThreadFactory threads, Counter dropped) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sink = sink;
        this.dropped = dropped;
        this.writer = threads.newThread(this::drain);
        writer.start();
    }

    void offer(PredictionRecord record) {
        if (queue.offer(record)) {
            accepted.incrementAndGet();
        } else {
            dropped.increment();
        }
    }

    private void drain() {
        List<PredictionRecord> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                PredictionRecord first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                try {
                    sink.write(batch);
                } catch (RuntimeException e) {
                    dropped.increment(batch.size());
                }
                synchronized (this) {
                    done += batch.size();
                    notifyAll();
                }
                boolean full = batch.size() == BATCH;
                batch.clear();
                if (!full && running) {
                    // not waiting on the queue now, so an offer finds no waiter to wake
                    Thread.sleep(LINGER_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits until every record accepted so far has been handed to the sink. */
    synchronized void awaitWritten() throws InterruptedException {
        long target = accepted.get();
        while (done < target && writer.isAlive()) {
            wait(100);
        }
        sink.flush();
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }
}
