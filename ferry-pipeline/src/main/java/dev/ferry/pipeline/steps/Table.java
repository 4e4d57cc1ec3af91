package dev.ferry.pipeline.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Labelled rows read from a Parquet or CSV file in a total order (so a seeded split and training
 * see the same rows in the same order every time), and their JSON form passed between steps.
 *
 * @param features the feature columns with their types
 * @param rows     feature values by name
 * @param labels   one label per row
 */
record Table(List<Field> features, List<Row> rows, float[] labels) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code file}; the label and {@code exclude}d columns are not features, nor are time columns. */
    static Table read(Path file, String label, Set<String> exclude, java.io.PrintWriter log) {
        String reader = file.toString().endsWith(".csv") ? "read_csv" : "read_parquet";
        String sql = "SELECT * FROM " + reader + "('" + TrainingSetStep.sql(file) + "') ORDER BY ALL";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
            try (ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                int labelColumn = -1;
                List<Field> features = new ArrayList<>();
                List<Integer> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String name = md.getColumnName(i);
                    if (name.equals(label)) {
                        labelColumn = i;
                        continue;
                    }
                    if (exclude.contains(name)) {
                        continue;
                    }
                    FeatureType t = type(md.getColumnType(i));
                    if (t == null) {
                        log.printf("column %s (%s) is not a feature type; left out%n", name, md.getColumnTypeName(i));
                        continue;
                    }
                    features.add(Field.of(name, t));
                    columns.add(i);
                }
                if (labelColumn < 0) {
                    throw new InvalidInputException("the label column '" + label + "' is not in " + file);
                }
                List<Row> rows = new ArrayList<>();
                List<Float> labels = new ArrayList<>();
                while (rs.next()) {
                    double y = rs.getDouble(labelColumn);
                    if (rs.wasNull()) {
                        throw new InvalidInputException("the label column '" + label + "' of " + file + " has an empty value in row "
                                + (rows.size() + 1) + "; every training row needs a label");
                    }
                    labels.add((float) y);
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int k = 0; k < columns.size(); k++) {
                        values.put(features.get(k).name(), value(rs, columns.get(k), features.get(k).type()));
                    }
                    rows.add(new Row(values));
                }
                float[] l = new float[labels.size()];
                for (int i = 0; i < l.length; i++) {
                    l[i] = labels.get(i);
                }
                return new Table(features, rows, l);
            }
        } catch (SQLException e) {
            throw new InvalidInputException("the training data " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    private static FeatureType type(int sqlType) {
        return switch (sqlType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> FeatureType.INT64;
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.DECIMAL, Types.NUMERIC -> FeatureType.FLOAT64;
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR -> FeatureType.STRING;
            case Types.BOOLEAN, Types.BIT -> FeatureType.BOOL;
            default -> null;
        };
    }

    private static Object value(ResultSet rs, int column, FeatureType t) throws SQLException {
        Object v = switch (t.scalar()) {
            case INT64 -> rs.getLong(column);
            case FLOAT64 -> rs.getDouble(column);
            case BOOL -> rs.getBoolean(column);
            default -> rs.getString(column);
        };
        return rs.wasNull() ? null : v;
    }

    /** A seeded split: the first {@code testShare} of a shuffled index list is held out. */
    Table[] split(double testShare, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            idx.add(i);
        }
        java.util.Collections.shuffle(idx, new java.util.Random(seed));
        int test = (int) Math.round(idx.size() * testShare);
        return new Table[] {subset(idx.subList(test, idx.size())), subset(idx.subList(0, test))};
    }

    private Table subset(List<Integer> idx) {
        List<Row> r = new ArrayList<>(idx.size());
        float[] l = new float[idx.size()];
        for (int i = 0; i < idx.size(); i++) {
            r.add(rows.get(idx.get(i)));
            l[i] = labels[idx.get(i)];
        }
        return new Table(features, r, l);
    }

    /** The categories of every string feature: its distinct values in these rows, sorted (a value's code is its position). */
    Map<String, List<String>> categories() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Field f : features) {
            if (f.type().scalar() == dev.ferry.types.ScalarType.STRING) {
                java.util.TreeSet<String> values = new java.util.TreeSet<>();
                for (Row r : rows) {
                    if (r.get(f.name()) != null) {
                        values.add(r.get(f.name()).toString());
                    }
                }
                out.put(f.name(), List.copyOf(values));
            }
        }
        return out;
    }

    void write(Path file) throws IOException {
        List<Map<String, Object>> values = new ArrayList<>();
        rows.forEach(r -> values.add(r.values()));
        List<Map<String, String>> fields = new ArrayList<>();
        features.forEach(f -> fields.add(Map.of("name", f.name(), "type", f.type().toString())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("features", fields);
        m.put("labels", labels);
        m.put("rows", values);
        JSON.writeValue(file.toFile(), m);
    }

    @SuppressWarnings("unchecked")
    static Table readJson(Path file) throws IOException {
        Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
        List<Field> features = new ArrayList<>();
        for (Map<String, String> f : (List<Map<String, String>>) m.get("features")) {
            features.add(Field.of(f.get("name"), FeatureType.parse(f.get("type"))));
        }
        List<Number> l = (List<Number>) m.get("labels");
        float[] labels = new float[l.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = l.get(i).floatValue();
        }
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) m.get("rows")) {
            Map<String, Object> typed = new LinkedHashMap<>();
            for (Field f : features) {
                Object v = r.get(f.name());
                typed.put(f.name(), v instanceof Number n && f.type().scalar() == dev.ferry.types.ScalarType.INT64 ? (Object) n.longValue()
                        : v instanceof Number n && f.type().scalar() == dev.ferry.types.ScalarType.FLOAT64 ? (Object) n.doubleValue() : v);
            }
            rows.add(new Row(typed));
        }
        return new Table(features, rows, labels);
    }
}
