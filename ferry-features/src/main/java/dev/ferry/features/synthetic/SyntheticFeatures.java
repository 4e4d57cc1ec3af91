package dev.ferry.features.synthetic;

import dev.ferry.InvalidInputException;
import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.ParquetSource;
import dev.ferry.types.ScalarType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes a seeded synthetic feature repository as Parquet: entity rows ({@code user_id},
 * {@code event_timestamp}, {@code label}) and {@code views} feature views keyed by
 * {@code user_id}, each with two features, an event time and a created time. The same spec and
 * seed always give the same files (values come from {@link SplittableRandom}), so benchmarks and
 * tests can regenerate identical data. Use it for load and comparison runs, not as a test oracle.
 */
public final class SyntheticFeatures {

    /**
     * What to generate.
     *
     * @param seed              random seed
     * @param entityRows        number of entity rows (training examples)
     * @param views             number of feature views
     * @param featureRowsPerView rows in each view's Parquet file
     * @param users             distinct {@code user_id} values
     * @param start             earliest event time
     * @param span              event times fall in [start, start + span)
     * @param maxAge            max age of every view but the last (which has none)
     */
    public record Spec(long seed, int entityRows, int views, long featureRowsPerView, int users, Instant start,
                       Duration span, Duration maxAge) {

        public Spec {
            if (entityRows < 1 || views < 1 || featureRowsPerView < 1 || users < 1) {
                throw new InvalidInputException("synthetic spec needs positive counts but had entityRows=" + entityRows
                        + ", views=" + views + ", featureRowsPerView=" + featureRowsPerView + ", users=" + users);
            }
        }

        /** The benchmark shape: 1M entity rows and 3 views over 10M feature rows in all. */
        public static Spec benchmark(long seed) {
            return new Spec(seed, 1_000_000, 3, 3_333_334, 100_000, Instant.parse("2024-01-01T00:00:00Z"),
                    Duration.ofDays(365), Duration.ofDays(30));
        }
    }

    /** The generated files and the repository that defines them. */
    public record Dataset(Spec spec, Path entities, List<Path> viewFiles, FeatureRepository repository) {

        /** {@code view_0}, {@code view_1}, ... */
        public List<String> viewNames() {
            List<String> names = new ArrayList<>();
            for (int v = 0; v < viewFiles.size(); v++) {
                names.add("view_" + v);
            }
            return names;
        }
    }

    private SyntheticFeatures() {
    }

    /**
     * Returns the dataset in {@code dir} if it was generated from the same spec (recorded in
     * {@code spec.txt}), else generates it. Large benchmark data then is written only once.
     */
    public static Dataset reuseOrGenerate(Spec spec, Path dir) {
        Path marker = dir.resolve("spec.txt");
        try {
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(spec.toString())) {
                return write(spec, dir, false);
            }
            Files.deleteIfExists(marker);
            Dataset d = generate(spec, dir);
            Files.writeString(marker, spec.toString());
            return d;
        } catch (IOException e) {
            throw new InvalidInputException("synthetic data marker " + marker + " could not be used: " + e.getMessage(), e);
        }
    }

    /** Generates the dataset into {@code dir} (created if missing), replacing files of the same names. */
    public static Dataset generate(Spec spec, Path dir) {
        return write(spec, dir, true);
    }

    private static Dataset write(Spec spec, Path dir, boolean writeFiles) {
        try {
            Files.createDirectories(dir);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
                Path entities = dir.resolve("entities.parquet");
                if (writeFiles) {
                    writeEntities(c, spec, entities);
                }
                List<Path> views = new ArrayList<>();
                FeatureRepository.Builder repo = FeatureRepository.builder()
                        .entity(Entity.of("user", new JoinKey("user_id", ScalarType.INT64)));
                for (int v = 0; v < spec.views(); v++) {
                    Path file = dir.resolve("view_" + v + ".parquet");
                    if (writeFiles) {
                        writeView(c, spec, v, file);
                    }
                    views.add(file);
                    FeatureView.Builder b = FeatureView.builder("view_" + v).entity("user").source(new ParquetSource(file))
                            .createdTime("created_timestamp").feature("f" + v + "_a", "float64").feature("f" + v + "_b", "int64");
                    if (v < spec.views() - 1) {
                        b.maxAge(spec.maxAge());
                    }
                    repo.view(b.build());
                }
                return new Dataset(spec, entities, views, repo.build());
            }
        } catch (IOException | SQLException e) {
            throw new InvalidInputException("synthetic data could not be written to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The point-in-time join of the dataset written by hand as one DuckDB query (dedup by created
     * time, ASOF LEFT JOIN, max-age check): the baseline a training set is compared with. Output
     * columns match the training set's ({@code view_N__fN_a}, ...).
     */
    public static String handWrittenAsofJoin(Dataset d) {
        StringBuilder sb = new StringBuilder("WITH ");
        List<String> views = d.viewNames();
        for (int v = 0; v < views.size(); v++) {
            sb.append(v == 0 ? "" : ", ").append("v").append(v).append(" AS (SELECT user_id, event_timestamp AS ts, f").append(v).append("_a, f")
                    .append(v).append("_b FROM read_parquet('").append(d.viewFiles().get(v)).append("') QUALIFY row_number() OVER ")
                    .append("(PARTITION BY user_id, event_timestamp ORDER BY created_timestamp DESC) = 1)");
        }
        sb.append(" SELECT e.user_id, e.event_timestamp, e.label");
        for (int v = 0; v < views.size(); v++) {
            String within = v < views.size() - 1
                    ? "v" + v + ".ts >= e.event_timestamp - INTERVAL " + d.spec().maxAge().toSeconds() + " SECOND"
                    : "v" + v + ".ts IS NOT NULL";
            for (String f : List.of("_a", "_b")) {
                sb.append(", CASE WHEN ").append(within).append(" THEN v").append(v).append(".f").append(v).append(f)
                        .append(" END AS view_").append(v).append("__f").append(v).append(f);
            }
        }
        sb.append(" FROM read_parquet('").append(d.entities()).append("') e");
        for (int v = 0; v < views.size(); v++) {
            sb.append(" ASOF LEFT JOIN v").append(v).append(" ON e.user_id = v").append(v).append(".user_id AND e.event_timestamp >= v")
                    .append(v).append(".ts");
        }
        return sb.toString();
    }

    private static void writeEntities(Connection c, Spec spec, Path file) throws SQLException {
        SplittableRandom r = new SplittableRandom(spec.seed());
        exec(c, "CREATE OR REPLACE TABLE synth_entities (user_id BIGINT, event_timestamp TIMESTAMP, label INTEGER)");
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "synth_entities")) {
            for (int i = 0; i < spec.entityRows(); i++) {
                a.beginRow().append((long) r.nextInt(spec.users())).append(time(spec, r)).append(r.nextInt(2)).endRow();
            }
        }
        copy(c, "synth_entities", file);
    }

    private static void writeView(Connection c, Spec spec, int view, Path file) throws SQLException {
        SplittableRandom r = new SplittableRandom(spec.seed() * 31 + view + 1);
        exec(c, "CREATE OR REPLACE TABLE synth_view (user_id BIGINT, event_timestamp TIMESTAMP, created_timestamp TIMESTAMP, a DOUBLE, b BIGINT)");
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "synth_view")) {
            for (long i = 0; i < spec.featureRowsPerView(); i++) {
                LocalDateTime event = time(spec, r);
                // Most rows are written within a minute; one in ten is a late correction a day later.
                LocalDateTime created = event.plusSeconds(r.nextInt(10) == 0 ? 86_400 : r.nextInt(60));
                a.beginRow().append((long) r.nextInt(spec.users())).append(event).append(created)
                        .append(r.nextDouble()).append((long) r.nextInt(1000)).endRow();
            }
        }
        exec(c, "ALTER TABLE synth_view RENAME COLUMN a TO f" + view + "_a");
        exec(c, "ALTER TABLE synth_view RENAME COLUMN b TO f" + view + "_b");
        copy(c, "synth_view", file);
    }

    /** Whole seconds, so equal event times (ties) happen at realistic rates. */
    private static LocalDateTime time(Spec spec, SplittableRandom r) {
        long seconds = r.nextLong(Math.max(1, spec.span().toSeconds()));
        return LocalDateTime.ofInstant(spec.start().plusSeconds(seconds), ZoneOffset.UTC);
    }

    private static void copy(Connection c, String table, Path file) throws SQLException {
        exec(c, "COPY " + table + " TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
