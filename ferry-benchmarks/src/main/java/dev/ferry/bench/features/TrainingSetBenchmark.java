package dev.ferry.bench.features;

import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.TrainingSetRequest;
import dev.ferry.features.synthetic.SyntheticFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Point-in-time training set (BENCHMARKS.md, "Feature store: training sets"): entity rows x 3
 * views from seeded synthetic Parquet, built by {@link OfflineStore#trainingSet} versus the same
 * join hand-written as one DuckDB ASOF JOIN query, both writing Parquet. Full size is 1M entity
 * rows over 10M feature rows:
 * {@code java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' org.openjdk.jmh.Main TrainingSetBenchmark}
 * (add {@code -p entityRows=100000 -p featureRowsPerView=333334} for a quick run). Data is
 * generated once into {@code ferry.bench.dir} (default {@code target/bench-data}) and reused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class TrainingSetBenchmark {

    @Param("1000000")
    public int entityRows;

    @Param("3333334")
    public long featureRowsPerView;

    private SyntheticFeatures.Dataset data;
    private OfflineStore store;
    private Connection duck;
    private Path out;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        Path root = Path.of(System.getProperty("ferry.bench.dir", "target/bench-data"));
        SyntheticFeatures.Spec spec = new SyntheticFeatures.Spec(42, entityRows, 3, featureRowsPerView, 100_000,
                Instant.parse("2024-01-01T00:00:00Z"), Duration.ofDays(365), Duration.ofDays(30));
        Path dir = root.resolve("pit-" + entityRows + "-" + featureRowsPerView);
        data = SyntheticFeatures.reuseOrGenerate(spec, dir);
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("registry"));
        registry.apply(data.repository());
        store = OfflineStore.open(registry);
        duck = DriverManager.getConnection("jdbc:duckdb:");
        out = Files.createTempDirectory("ferry-bench-out");
    }

    @Benchmark
    public Object ferryTrainingSet() {
        return store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(data.entities()))
                .features(data.viewNames().toArray(String[]::new)).output(out.resolve("ferry.parquet")).build());
    }

    @Benchmark
    public Object handWrittenAsofJoin() throws SQLException {
        try (Statement s = duck.createStatement()) {
            s.execute("COPY (" + SyntheticFeatures.handWrittenAsofJoin(data) + ") TO '" + out.resolve("duckdb.parquet") + "' (FORMAT parquet)");
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        store.close();
        duck.close();
    }
}
