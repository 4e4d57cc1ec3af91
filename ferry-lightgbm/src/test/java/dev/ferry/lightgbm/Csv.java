package dev.ferry.lightgbm;

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

/** Reads the reference CSVs (plain comma-separated, header first, no quoting) for the tests. */
final class Csv {

    final List<String> header;
    final List<String[]> rows;

    private Csv(List<String> header, List<String[]> rows) {
        this.header = header;
        this.rows = rows;
    }

    static Csv read(Path path) {
        try {
            List<String> lines = Files.readAllLines(path);
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    rows.add(line.split(",", -1));
                }
            }
            return new Csv(List.of(lines.get(0).split(",")), rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows as Ferry rows: each signature feature parsed from its column as text, as a CSV source would. */
    List<Row> featureRows(ModelSignature signature) {
        List<Row> out = new ArrayList<>(rows.size());
        for (String[] cells : rows) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Field f : signature.features()) {
                int column = header.indexOf(f.name());
                values.put(f.name(), f.type().parseText(f.name(), cells[column]));
            }
            out.add(new Row(values));
        }
        return out;
    }

    double[] column(String name) {
        int c = header.indexOf(name);
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = Double.parseDouble(rows.get(r)[c]);
        }
        return out;
    }
}
