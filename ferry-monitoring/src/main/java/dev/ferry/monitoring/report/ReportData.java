package dev.ferry.monitoring.report;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.profile.DuckFiles;
import dev.ferry.types.FeatureType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A dataset read whole into memory for a report: its columns with their Ferry types (numbers,
 * strings and booleans; other columns are left out), one time per row when a timestamp column is
 * named, and the values as Long, Double, String or Boolean (null when missing). Reports compare
 * raw values with the exact tests, so the analysis data must fit in memory; for data that does
 * not, compare stored profiles with {@code ferry monitor drift}.
 */
public final class ReportData {

    private static final int PROGRESS_EVERY = 10_000;

    private final Path source;
    private final Map<String, FeatureType> columns;
    private final List<String> names;
    private final List<Instant> times;
    private final List<Object[]> rows;

    private ReportData(Path source, Map<String, FeatureType> columns, List<Instant> times, List<Object[]> rows) {
        this.source = source;
        this.columns = Collections.unmodifiableMap(columns);
        this.names = List.copyOf(columns.keySet());
        this.times = times;
        this.rows = rows;
    }

    /**
     * Reads a Parquet or CSV file; {@code timestampColumn}, when given, must exist and hold
     * timestamps or dates (read as UTC), and every row must have one.
     */
    public static ReportData read(Path file, Optional<String> timestampColumn, LongConsumer progress) {
        return DuckFiles.read(file, "report input file", rs -> read(file, rs, timestampColumn, progress));
    }

    private static ReportData read(Path file, ResultSet rs, Optional<String> timestampColumn, LongConsumer progress) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, FeatureType> columns = new LinkedHashMap<>();
        List<Integer> indexes = new ArrayList<>();
        int tsIndex = -1;
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String col = md.getColumnName(i);
            all.add(col);
            if (timestampColumn.isPresent() && timestampColumn.get().equals(col)) {
                tsIndex = i;
                continue;
            }
            FeatureType t = ferryType(md.getColumnTypeName(i));
            if (t != null) {
                columns.put(col, t);
                indexes.add(i);
            }
        }
        if (timestampColumn.isPresent() && tsIndex < 0) {
            throw new InvalidInputException("timestamp column was '" + timestampColumn.get() + "' but " + file + " has only the columns " + all);
        }
        List<FeatureType> types = List.copyOf(columns.values());
        List<Instant> times = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] row = new Object[indexes.size()];
            for (int k = 0; k < row.length; k++) {
                row[k] = value(rs.getObject(indexes.get(k)), types.get(k));
            }
            if (tsIndex > 0) {
                times.add(instant(rs.getObject(tsIndex), timestampColumn.get(), file, rows.size() + 1));
            }
            rows.add(row);
            if (rows.size() % PROGRESS_EVERY == 0) {
                progress.accept(rows.size());
            }
        }
        progress.accept(rows.size());
        return new ReportData(file, columns, tsIndex > 0 ? times : null, rows);
    }

    private static Instant instant(Object v, String column, Path file, long row) {
        return switch (v) {
            case Timestamp t -> t.toLocalDateTime().toInstant(ZoneOffset.UTC);
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case OffsetDateTime t -> t.toInstant();
            case java.sql.Date d -> d.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            case null -> throw new InvalidInputException(file + " row " + row + ": timestamp column '" + column
                    + "' was empty but every row needs a time");
            default -> throw new InvalidInputException(file + " row " + row + ": timestamp column '" + column + "' was '" + v
                    + "' but a timestamp or a date is expected");
        };
    }

    private static Object value(Object v, FeatureType t) {
        if (v == null) {
            return null;
        }
        return switch (t.scalar()) {
            case INT32, INT64 -> v instanceof BigDecimal b ? b.longValue() : ((Number) v).longValue();
            case FLOAT32, FLOAT64 -> ((Number) v).doubleValue();
            case STRING -> v.toString();
            case BOOL -> v;
        };
    }

    /** The Ferry type of a DuckDB column type, or null for a column a report leaves out. */
    static FeatureType ferryType(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL")) {
            return FeatureType.FLOAT64;
        }
        return switch (t) {
            case "BOOLEAN" -> FeatureType.BOOL;
            case "TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT", "BIGINT", "UINTEGER", "UBIGINT", "HUGEINT" -> FeatureType.INT64;
            case "FLOAT", "DOUBLE" -> FeatureType.FLOAT64;
            case "VARCHAR" -> FeatureType.STRING;
            default -> null;
        };
    }

    /** The file this was read from. */
    public Path source() {
        return source;
    }

    /** Column names in file order, the timestamp column left out. */
    public List<String> columns() {
        return names;
    }

    public Optional<FeatureType> type(String column) {
        return Optional.ofNullable(columns.get(column));
    }

    public int rowCount() {
        return rows.size();
    }

    /** True when a timestamp column was read. */
    public boolean timed() {
        return times != null;
    }

    /** The time of row {@code i}; only for data read with a timestamp column. */
    public Instant time(int i) {
        if (times == null) {
            throw new IllegalStateException(source + " was read without a timestamp column");
        }
        return times.get(i);
    }

    /** Value of {@code column} in row {@code i} (Long, Double, String, Boolean or null). */
    public Object value(int i, String column) {
        int k = names.indexOf(column);
        if (k < 0) {
            throw new InvalidInputException("column was '" + column + "' but " + source + " has only the columns " + names);
        }
        return rows.get(i)[k];
    }

    /** All values of {@code column}, in row order. */
    public List<Object> column(String column) {
        int k = names.indexOf(column);
        if (k < 0) {
            throw new InvalidInputException("column was '" + column + "' but " + source + " has only the columns " + names);
        }
        List<Object> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(r[k]);
        }
        return out;
    }
}
