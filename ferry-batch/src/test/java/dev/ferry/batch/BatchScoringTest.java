package dev.ferry.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.InvalidInputException;
import dev.ferry.model.Model;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.testkit.PostgresServer;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch scores against XGBoost4J's own predictions on the same rows, for every kind of source,
 * every chunk boundary, bad rows under both policies, and a source far larger than the queue.
 */
class BatchScoringTest {

    static final int ROWS = 5_000;

    @TempDir
    static Path dir;

    static Fixture model;
    static ModelRegistry registry;
    static List<Row> table;
    static Path parquet;

    @BeforeAll
    static void trainAndRegister() throws Exception {
        model = Fixture.train(dir.resolve("models"), 30, 0.0);
        registry = Fixture.registry(dir);
        model.register(registry, "risk");
        table = Fixture.rows(ROWS, 7, 1);
        parquet = Fixture.writeParquet(dir.resolve("input.parquet"), table);
    }

    @AfterAll
    static void close() throws Exception {
        registry.close();
    }

    static void assertMatchesXGBoost(List<double[]> scores, List<Row> input) {
        assertThat(scores).hasSize(input.size());
        float[] expected = model.xgboost(input);
        for (int i = 0; i < input.size(); i++) {
            assertThat((long) scores.get(i)[0]).as("row %d id (input order kept)", i).isEqualTo((long) input.get(i).get("id"));
            assertThat(scores.get(i)[1]).as("row %d probability", i).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    void aParquetTableScoredToParquetMatchesXGBoostRowByRowInSourceOrder() throws Exception {
        Path out = dir.resolve("out/scores.parquet");
        BatchSpec spec = BatchSpec.builder(TableSource.parquet(parquet), "risk", "1").keyColumns(List.of("id")).parquet(out)
                .chunkRows(333).workers(3).build();
        List<long[]> progress = new ArrayList<>();
        BatchResult r = BatchJob.with(registry, Clock.systemUTC()).run(spec, (done, total) -> progress.add(new long[] {done, total}));

        assertThat(r.rowsScored()).isEqualTo(ROWS);
        assertThat(r.rowsSkipped()).isZero();
        assertMatchesXGBoost(Fixture.readScores(out), table);
        assertThat(progress.get(0)).containsExactly(0, ROWS);
        assertThat(progress.get(progress.size() - 1)).containsExactly(ROWS, ROWS);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary files left").containsExactly("scores.parquet");
        }
    }

    @Test
    void aCsvTableScoresLikeTheParquetOne() throws Exception {
        Path csv = dir.resolve("input.csv");
        StringBuilder b = new StringBuilder("id,f0,f1,f2,f3,n\n");
        for (Row r : table.subList(0, 500)) {
            b.append(r.get("id"));
            for (String f : Fixture.NUMERIC) {
                b.append(',').append(r.get(f) == null ? "" : r.get(f));
            }
            b.append(',').append(r.get("n")).append('\n');
        }
        Files.writeString(csv, b);
        Path out = dir.resolve("csv-scores.parquet");
        BatchJob.with(registry, Clock.systemUTC()).run(BatchSpec.builder(TableSource.csv(csv), "risk", "latest")
                .keyColumns(List.of("id")).parquet(out).build(), BatchProgress.none());
        assertMatchesXGBoost(Fixture.readScores(out), table.subList(0, 500));
    }

    @Test
    void aPostgresTableIsStreamedThroughACursorAndScored() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        List<Row> rows = table.subList(0, 3_000);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + db.schema() + ".applicants (id BIGINT PRIMARY KEY, f0 DOUBLE PRECISION, f1 DOUBLE PRECISION,"
                    + " f2 DOUBLE PRECISION, f3 DOUBLE PRECISION, n BIGINT)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + db.schema() + ".applicants VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Row r : rows) {
                    p.setLong(1, (long) r.get("id"));
                    for (int j = 0; j < 4; j++) {
                        p.setObject(2 + j, r.get(Fixture.NUMERIC.get(j)), java.sql.Types.DOUBLE);
                    }
                    p.setLong(6, (long) r.get("n"));
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
        Path out = dir.resolve("pg-scores.parquet");
        TableSource source = TableSource.postgres(db.jdbcUrl(), db.user(), db.password(), db.schema() + ".applicants");
        assertThat(source.count()).hasValue(3_000);
        BatchJob.with(registry, Clock.systemUTC()).run(BatchSpec.builder(source, "risk", "1").keyColumns(List.of("id")).parquet(out)
                .build(), BatchProgress.none());
        List<double[]> scores = Fixture.readScores(out);
        scores.sort((a, b) -> Double.compare(a[0], b[0]));
        assertMatchesXGBoost(scores, rows);
    }

    @ParameterizedTest(name = "chunk of {0} rows")
    @ValueSource(ints = {1, 7, 999, 1_000, 4_999, 5_000, 5_001, 100_000})
    void everyChunkSizeGivesTheSameRowsInTheSameOrder(int chunk) throws Exception {
        try (Model m = RegistryModels.load(registry, "risk", "1")) {
            CollectingSink sink = new CollectingSink();
            BatchResult r = BatchScorer.builder(m).keyColumns(List.of("id")).chunkRows(chunk).workers(2).queueChunks(3).build()
                    .score(TableSource.of("memory", () -> table.stream()), sink, BatchProgress.none());
            assertThat(r.rowsScored()).isEqualTo(ROWS);
            assertThat(sink.committed).isTrue();
            assertThat(sink.chunks).isEqualTo((ROWS + chunk - 1) / chunk);
            assertMatchesXGBoost(sink.scores(), table);
        }
    }

    @Test
    void memoryStaysBoundedWhenTheSourceIsFarLargerThanTheQueue() {
        int chunk = 100;
        int queue = 2;
        int workers = 2;
        long total = 200_000;
        AtomicLong produced = new AtomicLong();
        TableSource endless = TableSource.of("generated", () -> Stream.iterate(1L, i -> i <= total, i -> i + 1).map(i -> {
            produced.incrementAndGet();
            Row base = table.get((int) (i % ROWS));
            Map<String, Object> m = new LinkedHashMap<>(base.values());
            m.put("id", i);
            return new Row(m);
        }));
        long[] maxAhead = {0};
        CollectingSink sink = new CollectingSink() {
            @Override
            public void write(List<Row> rows) {
                written += rows.size();
                chunks++;
                maxAhead[0] = Math.max(maxAhead[0], produced.get() - written);
            }
        };
        try (Model m = RegistryModels.load(registry, "risk", "1")) {
            BatchResult r = BatchScorer.builder(m).keyColumns(List.of("id")).chunkRows(chunk).workers(workers).queueChunks(queue).build()
                    .score(endless, sink, BatchProgress.none());
            assertThat(r.rowsScored()).isEqualTo(total);
        }
        assertThat(sink.written).isEqualTo(total);
        // queued chunks, one the reader is filling, one the writer holds
        assertThat(maxAhead[0]).isLessThanOrEqualTo((long) (queue + 2) * chunk);
    }

    static List<Row> withBadRow(long badId, Object badValue) {
        List<Row> rows = new ArrayList<>(table.subList(0, 2_000));
        Map<String, Object> m = new LinkedHashMap<>(rows.get((int) badId - 1).values());
        m.put("f2", badValue);
        rows.set((int) badId - 1, new Row(m));
        return rows;
    }

    @Test
    void aBadRowFailsTheRunNamingItsRowFieldAndValueAndPublishesNothing() {
        Path out = dir.resolve("never.parquet");
        List<Row> rows = withBadRow(1234, "abc");
        BatchSpec spec = BatchSpec.builder(TableSource.of("memory", rows::stream), "risk", "1").keyColumns(List.of("id"))
                .parquet(out).chunkRows(100).build();
        assertThatThrownBy(() -> BatchJob.with(registry, Clock.systemUTC()).run(spec, BatchProgress.none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("row 1234")
                .hasMessageContaining("'f2'")
                .hasMessageContaining("abc");
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list((d, name) -> name.startsWith(".never"))).isEmpty();
    }

    @Test
    void badRowsAreSkippedCountedAndReportedUnderTheSkipPolicy() throws Exception {
        List<Row> rows = withBadRow(1234, "abc");
        Map<String, Object> second = new LinkedHashMap<>(rows.get(1).values());
        second.put("n", 2.5);
        rows.set(1, new Row(second));
        try (Model m = RegistryModels.load(registry, "risk", "1")) {
            CollectingSink sink = new CollectingSink();
            BatchResult r = BatchScorer.builder(m).keyColumns(List.of("id")).chunkRows(100).badRows(BadRowPolicy.SKIP).build()
                    .score(TableSource.of("memory", rows::stream), sink, BatchProgress.none());
            assertThat(r.rowsScored()).isEqualTo(1_998);
            assertThat(r.rowsSkipped()).isEqualTo(2);
            assertThat(r.badRows()).extracting(BadRow::row).containsExactly(2L, 1234L);
            assertThat(r.badRows().get(0).message()).contains("'n'").contains("2.5");
            assertThat(r.badRows().get(1).message()).contains("'f2'").contains("abc");
            List<Row> good = new ArrayList<>(rows);
            good.remove(1233);
            good.remove(1);
            assertMatchesXGBoost(sink.scores(), good);
        }
    }

    @Test
    void aMissingKeyColumnIsRefusedNamingIt() {
        BatchSpec spec = BatchSpec.builder(TableSource.parquet(parquet), "risk", "1").keyColumns(List.of("customer"))
                .parquet(dir.resolve("x.parquet")).build();
        assertThatThrownBy(() -> BatchJob.with(registry, Clock.systemUTC()).run(spec, BatchProgress.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("key column 'customer'");
    }

    @Test
    void anInvalidSpecReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> BatchSpec.builder(TableSource.parquet(parquet), "", "1").chunkRows(0).retainVersions(1).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("model was ''")
                .hasMessageContaining("outputs were empty")
                .hasMessageContaining("chunk rows was 0")
                .hasMessageContaining("retain versions was 1");
        assertThatThrownBy(() -> TableSource.parquet(dir.resolve("missing.parquet")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("missing.parquet");
    }

    /** Keeps (id, probability) of every row written, and whether the run committed. */
    static class CollectingSink implements ResultSink {
        final List<Row> rows = new ArrayList<>();
        long written;
        int chunks;
        boolean committed;

        @Override
        public void write(List<Row> batch) {
            rows.addAll(batch);
            written += batch.size();
            chunks++;
        }

        @Override
        public void commit() {
            committed = true;
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public void close() {
        }

        List<double[]> scores() {
            return IntStream.range(0, rows.size()).mapToObj(i -> new double[] {(long) rows.get(i).get("id"),
                    ((float[]) rows.get(i).get("probabilities"))[1]}).toList();
        }
    }
}
