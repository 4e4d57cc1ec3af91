package dev.ferry.quality;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A CSV file read with Jackson CSV, independently of DuckDB: the tests' second opinion on counts,
 * and the way they make damaged copies of real data (a column removed, nulls injected, ...).
 */
record CsvTable(List<String> header, List<List<String>> rows) {

    static CsvTable read(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<List<String>> all = new ArrayList<>();
        try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(file.toFile())) {
            while (it.hasNext()) {
                all.add(new ArrayList<>(it.next()));
            }
        }
        return new CsvTable(all.get(0), all.subList(1, all.size()));
    }

    int col(String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(name + " not in " + header);
        }
        return i;
    }

    long nulls(String column) {
        int i = col(column);
        return rows.stream().filter(r -> r.get(i).isEmpty()).count();
    }

    long distinct(String... columns) {
        return rows.stream().map(r -> java.util.Arrays.stream(columns).map(c -> r.get(col(c))).toList()).distinct().count();
    }

    CsvTable withoutColumn(String column) {
        int i = col(column);
        List<String> h = new ArrayList<>(header);
        h.remove(i);
        return new CsvTable(h, rows.stream().map(r -> {
            List<String> c = new ArrayList<>(r);
            c.remove(i);
            return (List<String>) c;
        }).toList());
    }

    /** Every {@code every}-th row gets {@code value} in {@code column}. */
    CsvTable withValue(String column, int every, String value) {
        int i = col(column);
        List<List<String>> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> c = new ArrayList<>(rows.get(r));
            if (r % every == 0) {
                c.set(i, value);
            }
            out.add(c);
        }
        return new CsvTable(header, out);
    }

    CsvTable mapColumn(String column, UnaryOperator<String> f) {
        int i = col(column);
        return new CsvTable(header, rows.stream().map(r -> {
            List<String> c = new ArrayList<>(r);
            c.set(i, f.apply(c.get(i)));
            return (List<String>) c;
        }).toList());
    }

    CsvTable firstRows(int n) {
        return new CsvTable(header, rows.subList(0, n));
    }

    CsvTable withRowsRepeated(int n) {
        List<List<String>> out = new ArrayList<>(rows);
        rows.subList(0, n).forEach(r -> out.add(new ArrayList<>(r)));
        return new CsvTable(header, out);
    }

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> r : rows) {
            sb.append(String.join(",", r.stream().map(v -> v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v).toList()))
                    .append('\n');
        }
        Files.writeString(file, sb);
    }
}
