package dev.ferry.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.ferry.InvalidInputException;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.GoldenExample;
import dev.ferry.types.Field;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Golden examples from two CSV files a data scientist already has: the inputs (one column per
 * feature; other columns are ignored) and the outputs their training tool predicted for them,
 * row for row. An output column is named after a model output ({@code prediction}), or after an
 * element of a vector output ({@code probabilities(0)}, {@code probabilities[1]}); {@code rename}
 * maps the tool's names onto the model's ({@code probability=probabilities}). Input cells are
 * parsed with each feature's type; {@code NA}, {@code NaN} and empty cells are missing.
 */
final class GoldenCsv {

    private static final Pattern INDEXED = Pattern.compile("(.+?)[(\\[](\\d+)[)\\]]");

    private GoldenCsv() {
    }

    record Result(List<GoldenExample> examples, List<String> ignoredColumns) {
    }

    static Result read(Path inputs, Path expected, ModelSignature signature, int rows, double tolerance, Map<String, String> rename) {
        List<Map<String, String>> in = rows(inputs, rows);
        List<Map<String, String>> out = rows(expected, rows);
        if (in.size() != out.size()) {
            throw new InvalidInputException("--golden-inputs has " + in.size() + " rows but --golden-expected has " + out.size()
                    + " within the first " + rows + "; they must match row for row");
        }
        List<String> ignored = new ArrayList<>();
        if (!in.isEmpty()) {
            for (String c : in.get(0).keySet()) {
                if (signature.schema().find(c).isEmpty()) {
                    ignored.add(inputs.getFileName() + ":" + c);
                }
            }
            for (String c : out.get(0).keySet()) {
                if (output(c, rename, signature) == null) {
                    ignored.add(expected.getFileName() + ":" + c);
                }
            }
        }
        List<GoldenExample> examples = new ArrayList<>();
        for (int r = 0; r < in.size(); r++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Field f : signature.features()) {
                String cell = in.get(r).get(f.name());
                Object v = cell == null ? null : f.type().parseText(inputs.getFileName() + " row " + (r + 1) + " column " + f.name(), cell);
                values.put(f.name(), v instanceof Double d && d.isNaN() || v instanceof Float x && x.isNaN() ? null : v);
            }
            Map<String, TreeMap<Integer, Double>> vectors = new LinkedHashMap<>();
            Map<String, Object> expectations = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : out.get(r).entrySet()) {
                String[] target = output(e.getKey(), rename, signature);
                if (target == null) {
                    continue;
                }
                double value = parse(e.getValue(), expected, r, e.getKey());
                if (target[1] == null) {
                    expectations.put(target[0], value);
                } else {
                    vectors.computeIfAbsent(target[0], k -> new TreeMap<>()).put(Integer.parseInt(target[1]), value);
                }
            }
            vectors.forEach((name, elements) -> expectations.put(name, List.copyOf(elements.values())));
            if (expectations.isEmpty()) {
                throw new InvalidInputException("--golden-expected " + expected + " has no column naming a model output; outputs are "
                        + signature.outputs().stream().map(TensorSpec::name).toList() + " (use --golden-rename tool=model)");
            }
            examples.add(new GoldenExample(values, expectations, tolerance));
        }
        return new Result(examples, ignored);
    }

    /** {output name, element index or null} for a column, or null when it names no output. */
    private static String[] output(String column, Map<String, String> rename, ModelSignature signature) {
        Matcher m = INDEXED.matcher(column);
        String base = m.matches() ? m.group(1) : column;
        String index = m.matches() ? m.group(2) : null;
        String name = rename.getOrDefault(base, base);
        return signature.output(name).isPresent() ? new String[] {name, index} : null;
    }

    private static double parse(String cell, Path file, int row, String column) {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new InvalidInputException(file + " row " + (row + 1) + " column " + column + " was '" + cell
                    + "' but an expected output must be a number");
        }
    }

    private static List<Map<String, String>> rows(Path file, int limit) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new InvalidInputException("golden CSV was '" + file + "' but no such file exists");
        }
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<Map<String, String>> out = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(file.toFile())) {
            if (!it.hasNext()) {
                throw new InvalidInputException("golden CSV " + file + " is empty; expected a header row");
            }
            String[] header = it.next();
            while (it.hasNext() && out.size() < limit) {
                String[] cells = it.next();
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i].trim(), i < cells.length ? cells[i] : "");
                }
                out.add(row);
            }
        } catch (IOException e) {
            throw new InvalidInputException("golden CSV " + file + " could not be read: " + e.getMessage());
        }
        return out;
    }
}
