package dev.ferry.monitoring.profile;

import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Schema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Profiles a Parquet or CSV file (a training set written by {@code ferry features training-set},
 * an offline source, a Parquet prediction log) by streaming it through an in-memory DuckDB, so
 * memory stays bounded whatever the file's size. Column types come from DuckDB's reading of the
 * file; timestamps, dates and nested columns are left out (they are keys and times, not features).
 */
public final class FileProfiler {

    private static final int PROGRESS_EVERY = 10_000;

    private FileProfiler() {
    }

    /**
     * Profiles every feature column of {@code file} except those in {@code exclude}; {@code progress}
     * receives the number of rows read so far every 10,000 rows.
     */
    public static DatasetProfile profile(Path file, Set<String> exclude, LongConsumer progress) {
        return profile(file, column -> !exclude.contains(column), progress);
    }

    /**
     * Profiles the columns of {@code file} that {@code include} accepts (and that are numbers,
     * strings or booleans).
     */
    public static DatasetProfile profile(Path file, Predicate<String> include, LongConsumer progress) {
        return DuckFiles.read(file, "file to profile", rs -> read(rs, include, progress));
    }

    private static DatasetProfile read(ResultSet rs, Predicate<String> include, LongConsumer progress) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Field> fields = new ArrayList<>();
        Map<Integer, FeatureType> columns = new HashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String col = md.getColumnName(i);
            FeatureType t = ferryType(md.getColumnTypeName(i));
            if (t != null && include.test(col)) {
                fields.add(Field.of(col, t));
                columns.put(i, t);
            }
        }
        if (fields.isEmpty()) {
            throw new InvalidInputException("the file has no column to profile (columns must be numbers, strings or booleans)");
        }
        Schema schema = Schema.of(fields);
        ProfileAccumulator acc = ProfileAccumulator.forSchema(schema);
        int[] idx = columns.keySet().stream().sorted().mapToInt(Integer::intValue).toArray();
        long rows = 0;
        Map<String, Object> row = new HashMap<>();
        while (rs.next()) {
            row.clear();
            for (int k = 0; k < idx.length; k++) {
                row.put(fields.get(k).name(), value(rs.getObject(idx[k]), columns.get(idx[k])));
            }
            acc.add(row);
            if (++rows % PROGRESS_EVERY == 0) {
                progress.accept(rows);
            }
        }
        progress.accept(rows);
        return acc.snapshot();
    }

    private static Object value(Object v, FeatureType t) {
        if (v == null) {
            return null;
        }
        return switch (t.scalar()) {
            case INT32 -> ((Number) v).intValue();
            case INT64 -> v instanceof BigDecimal b ? b.longValue() : ((Number) v).longValue();
            case FLOAT32 -> ((Number) v).floatValue();
            case FLOAT64 -> ((Number) v).doubleValue();
            case STRING -> v.toString();
            case BOOL -> v;
        };
    }

    /** The Ferry type of a DuckDB column type, or null for a column that is not a feature. */
    static FeatureType ferryType(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL")) {
            return FeatureType.FLOAT64;
        }
        return switch (t) {
            case "BOOLEAN" -> FeatureType.BOOL;
            case "TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT" -> FeatureType.INT32;
            case "BIGINT", "UINTEGER", "UBIGINT", "HUGEINT" -> FeatureType.INT64;
            case "FLOAT" -> FeatureType.FLOAT32;
            case "DOUBLE" -> FeatureType.FLOAT64;
            case "VARCHAR" -> FeatureType.STRING;
            default -> null;
        };
    }
}
