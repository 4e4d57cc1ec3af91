package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import dev.ferry.model.Model;
import dev.ferry.model.RowTensors;
import dev.ferry.types.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Scores a whole table with one model. A reader thread cuts the source into chunks and hands each
 * to a fixed pool of workers; the caller's thread writes the scored chunks to the sink <b>in
 * source order</b>. Reader and writer meet through a queue of at most {@code queueChunks} chunks,
 * so at most {@code queueChunks + 2} chunks are in memory whatever the table's size, and a slow
 * sink slows the reader down. Rows become tensors through {@link RowTensors}, exactly as in serving.
 * For a whole job from a spec (model from the registry, sinks from the spec) use {@link BatchJob}.
 */
public final class BatchScorer {

    /** How many bad rows a result reports in full; the rest are only counted. */
    public static final int REPORTED_BAD_ROWS = 100;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Model model;
    private final List<String> keyColumns;
    private final int chunkRows;
    private final int workers;
    private final int queueChunks;
    private final BadRowPolicy badRows;

    private BatchScorer(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.keyColumns = List.copyOf(b.keyColumns);
        this.chunkRows = b.chunkRows;
        this.workers = b.workers;
        this.queueChunks = b.queueChunks;
        this.badRows = b.badRows;
    }

    public static Builder builder(Model model) {
        Builder b = new Builder();
        b.model = model;
        return b;
    }

    /**
     * Scores every row of {@code source} into {@code sink}, commits the sink when every row was
     * handled, and closes it (discarding the output) on any failure. A bad row fails the run or
     * is skipped and counted, by the policy; a failure of the source, the model or the sink
     * stops the reader and the workers and is rethrown.
     */
    public BatchResult score(TableSource source, ResultSink sink, BatchProgress progress) {
        long started = System.nanoTime();
        OptionalLong count = source.count();
        long total = count.orElse(-1);
        progress.progress(0, total);
        BlockingQueue<Future<Scored>> queue = new ArrayBlockingQueue<>(queueChunks);
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService scorers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ferry-batch-" + pool + "-score-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread reader = new Thread(() -> read(source, scorers, queue), "ferry-batch-" + pool + "-read");
        reader.setDaemon(true);
        long scored = 0;
        long skipped = 0;
        List<BadRow> reported = new ArrayList<>();
        try (sink) {
            reader.start();
            while (true) {
                Scored chunk = take(queue);
                if (chunk == null) {
                    break;
                }
                sink.write(chunk.rows);
                scored += chunk.rows.size();
                skipped += chunk.bad.size();
                for (BadRow b : chunk.bad) {
                    if (reported.size() < REPORTED_BAD_ROWS) {
                        reported.add(b);
                    }
                }
                progress.progress(scored + skipped, Math.max(total, scored + skipped));
            }
            sink.commit();
        } finally {
            reader.interrupt();
            scorers.shutdownNow();
            queue.forEach(f -> f.cancel(true));
        }
        return new BatchResult(source.describe(), sink.describe(), scored, skipped, reported,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** The next chunk in source order; null at the end of the source. */
    private static Scored take(BlockingQueue<Future<Scored>> queue) {
        try {
            return queue.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.ferry.UnavailableException("batch scoring was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("batch scoring failed", e.getCause());
        }
    }

    private void read(TableSource source, ExecutorService scorers, BlockingQueue<Future<Scored>> queue) {
        try {
            try (Stream<Row> rows = source.open()) {
                Iterator<Row> it = rows.iterator();
                long first = 1;
                while (it.hasNext() && !Thread.currentThread().isInterrupted()) {
                    List<Row> chunk = new ArrayList<>(chunkRows);
                    while (chunk.size() < chunkRows && it.hasNext()) {
                        chunk.add(it.next());
                    }
                    long at = first;
                    queue.put(CompletableFuture.supplyAsync(() -> score(at, chunk), scorers));
                    first += chunk.size();
                }
            }
            queue.put(CompletableFuture.completedFuture(null));
        } catch (InterruptedException e) {
            // the writer stopped the run; it reports why
        } catch (RuntimeException e) {
            try {
                queue.put(CompletableFuture.failedFuture(e));
            } catch (InterruptedException stopped) {
                // the writer stopped the run already
            }
        }
    }

    private record Scored(List<Row> rows, List<BadRow> bad) {
    }

    private Scored score(long firstRow, List<Row> rows) {
        checkKeys(firstRow, rows);
        try {
            return new Scored(join(rows, model.predictRows(rows)), List.of());
        } catch (InvalidInputException e) {
            return scoreRowByRow(firstRow, rows, e);
        }
    }

    /** Finds the rows the model refuses, one at a time, and scores the others together. */
    private Scored scoreRowByRow(long firstRow, List<Row> rows, InvalidInputException chunkFailure) {
        List<Row> good = new ArrayList<>(rows.size());
        List<BadRow> bad = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            try {
                RowTensors.toInputs(model.signature(), List.of(rows.get(i)));
                good.add(rows.get(i));
            } catch (InvalidInputException e) {
                BadRow b = new BadRow(firstRow + i, e.getMessage().replaceFirst("^row 0: ", ""));
                if (badRows == BadRowPolicy.FAIL) {
                    throw new InvalidInputException("row " + b.row() + ": " + b.message()
                            + " (bad rows fail the run; skip them with the bad-row policy SKIP)", e);
                }
                bad.add(b);
            }
        }
        if (bad.isEmpty()) {
            throw chunkFailure;
        }
        List<Row> out = good.isEmpty() ? List.of() : join(good, model.predictRows(good));
        return new Scored(out, bad);
    }

    private void checkKeys(long firstRow, List<Row> rows) {
        if (rows.isEmpty() || keyColumns.isEmpty()) {
            return;
        }
        Row row = rows.get(0);
        for (String k : keyColumns) {
            if (!row.has(k)) {
                throw new InvalidInputException("key column '" + k + "' is not in the source (row " + firstRow
                        + " has " + row.values().keySet() + ")");
            }
        }
    }

    private List<Row> join(List<Row> inputs, List<Row> outputs) {
        if (keyColumns.isEmpty()) {
            return outputs;
        }
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : keyColumns) {
                m.put(k, inputs.get(i).get(k));
            }
            for (Map.Entry<String, Object> e : outputs.get(i).values().entrySet()) {
                if (m.containsKey(e.getKey())) {
                    throw new InvalidInputException("model output '" + e.getKey() + "' has the name of a key column; rename the key column in the source");
                }
                m.put(e.getKey(), e.getValue());
            }
            out.add(new Row(m));
        }
        return out;
    }

    /** Configures a {@link BatchScorer}; every setting is checked when given. */
    public static final class Builder {
        private Model model;
        private List<String> keyColumns = List.of();
        private int chunkRows = 2048;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int queueChunks = 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
        private BadRowPolicy badRows = BadRowPolicy.FAIL;

        private Builder() {
        }

        /** Source columns copied to the output before the model's outputs (the entity key of an online view). */
        public Builder keyColumns(List<String> keyColumns) {
            this.keyColumns = List.copyOf(keyColumns);
            return this;
        }

        /** Rows per chunk, the unit of a model call (default 2048). */
        public Builder chunkRows(int chunkRows) {
            this.chunkRows = atLeastOne("chunk rows", chunkRows);
            return this;
        }

        /** Scoring threads (default: one per core). */
        public Builder workers(int workers) {
            this.workers = atLeastOne("workers", workers);
            return this;
        }

        /** Chunks read ahead of the writer (default: two per core); bounds memory. */
        public Builder queueChunks(int queueChunks) {
            this.queueChunks = atLeastOne("queue chunks", queueChunks);
            return this;
        }

        public Builder badRows(BadRowPolicy badRows) {
            this.badRows = Objects.requireNonNull(badRows, "badRows");
            return this;
        }

        public BatchScorer build() {
            return new BatchScorer(this);
        }

        private static int atLeastOne(String what, int n) {
            if (n < 1) {
                throw new InvalidInputException(what + " was " + n + " but it must be at least 1");
            }
            return n;
        }
    }
}
