package dev.ferry.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.model.ModelFormat;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 3,000,000 US flights of ../shared/data/flights-3m scored with a delay model into the RocksDB
 * online store, while readers going through the read API check every answer: a version is served
 * whole or not at all. The values served are then compared with XGBoost4J's own predictions.
 */
@Tag("conformance")
class Flights3mConformanceTest {

    static final Path FLIGHTS = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "flights-3m", "flights-3m.parquet")
            .toAbsolutePath();
    static final String ROWS = "SELECT row_number() OVER (ORDER BY date, origin, destination, delay, distance) AS id, distance,"
            + " CAST(hour(date) AS BIGINT) AS hour, CAST(dayofweek(date) AS BIGINT) AS dow FROM read_parquet('" + FLIGHTS + "')";
    static final List<Field> FEATURES = List.of(Field.of("distance", FeatureType.INT64), Field.of("hour", FeatureType.INT64),
            Field.of("dow", FeatureType.INT64));
    static final int FIRST = 1_000;

    @TempDir
    Path dir;

    @Test
    void threeMillionFlightsArePublishedWholeAndMatchXGBoost() throws Exception {
        byte[] model = train();
        Path file = Files.write(dir.resolve("delay.json"), model);
        try (ModelRegistry registry = Fixture.registry(dir);
             OnlineStore store = RocksDbOnlineStore.open(dir.resolve("online"), Clock.systemUTC())) {
            registry.register(new RegisterRequest("delay", file, ModelFormat.XGBOOST,
                    Optional.of(XGBoostTrainer.signature(FEATURES, Map.of())), Provenance.none(), List.of(), "test", "flights delay"));
            BatchJob job = BatchJob.with(registry, store, Clock.systemUTC());
            BatchSpec small = BatchSpec.builder(TableSource.duckdb("SELECT * FROM (" + ROWS + ") WHERE id <= " + FIRST), "delay", "1")
                    .keyColumns(List.of("id")).onlineView("flight_delay").build();
            job.run(small, BatchProgress.none());

            ViewPointers pointers = ViewPointers.in(store, Clock.systemUTC());
            OnlineFeatures features = new OnlineFeatures(store, List.of(), List.of(), pointers);
            SplittableRandom random = new SplittableRandom(3);
            AtomicBoolean writing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = random.nextLong();
                Thread reader = new Thread(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    while (writing.get()) {
                        seen.add(check(features, r));
                    }
                });
                reader.start();
                readers.add(reader);
            }
            BatchResult all;
            try {
                all = job.run(BatchSpec.builder(TableSource.duckdb(ROWS), "delay", "1").keyColumns(List.of("id"))
                        .onlineView("flight_delay").chunkRows(8_192).build(), BatchProgress.none());
            } finally {
                writing.set(false);
                for (Thread reader : readers) {
                    reader.join();
                }
            }
            assertThat(all.rowsScored()).isEqualTo(3_000_000);
            assertThat(seen).isNotEmpty().allMatch(s -> s.equals("v1") || s.equals("v2"));
            assertThat(check(features, new SplittableRandom(9))).isEqualTo("v2");
            assertThat(pointers.get("flight_delay").orElseThrow().version()).isEqualTo(2);

            Map<Long, Row> sample = sample(2_000);
            List<Object> ids = new ArrayList<>(sample.keySet());
            OnlineFeatures.Response served = features.get(List.of("flight_delay:probabilities"), Map.of("id", ids), false);
            float[] expected = xgboost(model, new ArrayList<>(sample.values()));
            for (int i = 0; i < ids.size(); i++) {
                float p = ((float[]) served.get(i, "probabilities").value())[1];
                assertThat((double) p).as("flight %s", ids.get(i)).isCloseTo(expected[i], within(1e-6));
            }
        }
    }

    /** "v1" when only the first version's flights are served, "v2" when all are, anything else names the mix. */
    static String check(OnlineFeatures features, SplittableRandom r) {
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(1L + r.nextInt(FIRST));
        }
        for (int i = 0; i < 80; i++) {
            ids.add((long) FIRST + 1 + r.nextInt(3_000_000 - FIRST));
        }
        OnlineFeatures.Response a = features.get(List.of("flight_delay:probabilities"), Map.of("id", ids), false);
        Set<Instant> times = new HashSet<>();
        int present = 0;
        for (int i = 0; i < ids.size(); i++) {
            FeatureValue v = a.get(i, "probabilities");
            if (v.status() == FeatureStatus.PRESENT) {
                present++;
                times.add(v.eventTime().orElseThrow());
            }
        }
        boolean smallPresent = true;
        for (int i = 0; i < 20; i++) {
            smallPresent &= a.get(i, "probabilities").status() == FeatureStatus.PRESENT;
        }
        if (smallPresent && present == 20 && times.size() == 1) {
            return "v1";
        }
        if (present == ids.size() && times.size() == 1) {
            return "v2";
        }
        return "mixed: " + present + " present, event times " + times;
    }

    static byte[] train() throws Exception {
        List<Row> rows = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT distance, CAST(hour(date) AS BIGINT), CAST(dayofweek(date) AS BIGINT), delay FROM read_parquet('"
                     + FLIGHTS + "') USING SAMPLE reservoir(20000 ROWS) REPEATABLE (7)")) {
            while (rs.next()) {
                rows.add(Row.of("distance", rs.getLong(1), "hour", rs.getLong(2), "dow", rs.getLong(3)));
                labels.add(rs.getLong(4) > 15 ? 1f : 0f);
            }
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        return XGBoostTrainer.train(XGBoostTrainer.signature(FEATURES, Map.of()), rows, y,
                Map.of("objective", "binary:logistic", "max_depth", 6, "eta", 0.2), 50, 42).modelJson();
    }

    static Map<Long, Row> sample(int n) throws Exception {
        Map<Long, Row> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM (" + ROWS + ") WHERE id % 1500 = 7 LIMIT " + n)) {
            while (rs.next()) {
                out.put(rs.getLong("id"), Row.of("distance", rs.getLong("distance"), "hour", rs.getLong("hour"), "dow", rs.getLong("dow")));
            }
        }
        return out;
    }

    static float[] xgboost(byte[] model, List<Row> rows) throws Exception {
        Booster b = XGBoost.loadModel(model);
        float[] x = new float[rows.size() * 3];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = ((Number) rows.get(i).get(FEATURES.get(j).name())).floatValue();
            }
        }
        DMatrix m = new DMatrix(x, rows.size(), 3, Float.NaN);
        try {
            float[][] p = b.predict(m);
            float[] out = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i][0];
            }
            return out;
        } finally {
            m.dispose();
            b.dispose();
        }
    }
}
