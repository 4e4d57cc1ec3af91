package dev.ferry.features;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** Fingerprints and event-time ranges of the sources behind a training set, for its manifest. */
final class SourceStats {

    private SourceStats() {
    }

    static TrainingSetManifest.ViewSummary summary(DuckEngine engine, PointInTimeJoin.Planned p, long matched,
                                                   Fingerprints.Early hashes) throws SQLException {
        FeatureView v = p.registered().view();
        String ts = Sql.id(v.eventTimeColumn());
        String type = engine.sourceType(v.source(), v.eventTimeColumn());
        // Stored timestamps keep their order under conversion, so the raw column is aggregated
        // and only the two results converted; text must be converted row by row first.
        boolean ordered = type != null && (type.toUpperCase(java.util.Locale.ROOT).startsWith("TIMESTAMP") || type.equalsIgnoreCase("DATE"));
        String sql = ordered
                ? "SELECT count(*), " + Sql.timestamp("min(" + ts + ")", type) + ", " + Sql.timestamp("max(" + ts + ")", type)
                        + " FROM " + engine.relation(v.source())
                : "SELECT count(*), min(" + ts + "), max(" + ts + ") FROM " + Sql.id(p.alias());
        long rows;
        LocalDateTime from;
        LocalDateTime to;
        try (Statement s = engine.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            rows = rs.getLong(1);
            from = rs.getObject(2, LocalDateTime.class);
            to = rs.getObject(3, LocalDateTime.class);
        }
        return new TrainingSetManifest.ViewSummary(v.name(), p.registered().version(),
                p.features().stream().map(dev.ferry.types.Field::name).toList(), v.source().describe(),
                fingerprint(engine, v.source(), hashes), rows, PointInTimeJoin.instant(from), PointInTimeJoin.instant(to), matched);
    }

    /**
     * Files are hashed byte for byte (every file of a glob, in name order). A PostgreSQL source
     * cannot be hashed as a file, so its fingerprint hashes the query with the row count and an
     * order-independent sum of DuckDB row hashes over the copied rows.
     */
    static String fingerprint(DuckEngine engine, Source source) throws SQLException {
        return fingerprint(engine, source, Fingerprints.Early.NONE);
    }

    /** As {@link #fingerprint(DuckEngine, Source)}, taking file hashes already computed from {@code hashes}. */
    static String fingerprint(DuckEngine engine, Source source, Fingerprints.Early hashes) throws SQLException {
        return switch (source) {
            case ParquetSource f -> files(engine, f.path(), hashes);
            case CsvSource f -> files(engine, f.path(), hashes);
            case PostgresSource pg -> {
                String table = engine.relation(pg);
                List<String> cols = new ArrayList<>(engine.describeSql("SELECT * FROM " + table).keySet());
                String hashArgs = String.join(", ", cols.stream().map(Sql::id).toList());
                try (Statement s = engine.connection().createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*), CAST(coalesce(sum(hash(" + hashArgs + ")), 0) AS VARCHAR) FROM " + table)) {
                    rs.next();
                    yield Fingerprints.text(pg.selectSql() + "|" + rs.getLong(1) + "|" + rs.getString(2));
                }
            }
        };
    }

    private static String files(DuckEngine engine, Path path, Fingerprints.Early hashes) throws SQLException {
        if (!path.toString().contains("*")) {
            return hashes.file(path);
        }
        StringBuilder all = new StringBuilder();
        try (Statement s = engine.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT file FROM glob(" + Sql.str(path.toString()) + ") ORDER BY file")) {
            while (rs.next()) {
                all.append(rs.getString(1)).append('=').append(Fingerprints.file(Path.of(rs.getString(1)))).append('\n');
            }
        }
        return Fingerprints.text(all.toString());
    }
}
