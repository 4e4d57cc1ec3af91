package dev.ferry.xgboost;

import dev.ferry.model.ModelSignature;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the simple comma-separated files of the shared test data (no quoting, {@code NA} = missing). */
final class Csv {

    private Csv() {
    }

    static List<String[]> records(Path file) {
        try {
            List<String[]> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(line.split(",", -1));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of {@code file} typed by the signature's features; columns that are not features are left out. */
    static List<Row> rows(Path file, ModelSignature signature) {
        List<String[]> records = records(file);
        String[] header = records.get(0);
        Map<String, Field> fields = new LinkedHashMap<>();
        signature.features().forEach(f -> fields.put(f.name(), f));
        List<Row> rows = new ArrayList<>();
        for (String[] rec : records.subList(1, records.size())) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                Field f = fields.get(header[c]);
                if (f != null) {
                    String cell = rec[c];
                    values.put(f.name(), cell.isEmpty() || cell.equals("NA") ? null : f.type().parseText(f.name(), cell));
                }
            }
            rows.add(new Row(values));
        }
        return rows;
    }

    /** The numeric columns of {@code file}, one double[] per data row. */
    static List<double[]> numbers(Path file) {
        List<String[]> records = records(file);
        List<double[]> out = new ArrayList<>();
        for (String[] rec : records.subList(1, records.size())) {
            double[] v = new double[rec.length];
            for (int c = 0; c < rec.length; c++) {
                v[c] = Double.parseDouble(rec[c]);
            }
            out.add(v);
        }
        return out;
    }
}
