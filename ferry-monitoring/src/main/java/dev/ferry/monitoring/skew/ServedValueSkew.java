package dev.ferry.monitoring.skew;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRef;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.TrainingSetRequest;
import dev.ferry.monitoring.outcome.LoggedPrediction;
import dev.ferry.types.Row;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Feature-level training/serving skew: for every logged prediction, the values the model was
 * served are compared with the values the offline store gives for the same entity as of the
 * prediction's time (the training-set point-in-time join: latest event not after that time,
 * within the view's max age). The count of mismatches per feature says whether serving computes
 * what training saw. Numbers match within {@code absoluteTolerance + relativeTolerance * |offline|};
 * everything else must be equal.
 */
public final class ServedValueSkew {

    static final String ROW_COLUMN = "ferry_prediction_row";
    static final String TIME_COLUMN = "event_timestamp";
    private static final int MAX_EXAMPLES = 5;

    private final List<FeatureRef> features;
    private final double absoluteTolerance;
    private final double relativeTolerance;

    /**
     * @param features          the features to check, as {@code view:feature} (the served name is the feature's name)
     * @param absoluteTolerance allowed absolute difference of numbers
     * @param relativeTolerance allowed difference relative to the offline value
     */
    public ServedValueSkew(List<String> features, double absoluteTolerance, double relativeTolerance) {
        if (features.isEmpty()) {
            throw new InvalidInputException("features to check for skew were empty but at least one view:feature is needed");
        }
        if (!(absoluteTolerance >= 0) || !(relativeTolerance >= 0)) {
            throw new InvalidInputException("skew tolerances were " + absoluteTolerance + " (absolute) and " + relativeTolerance
                    + " (relative) but they must be non-negative numbers");
        }
        this.features = features.stream().map(FeatureRef::parse).toList();
        for (FeatureRef f : this.features) {
            if (f.feature().isEmpty()) {
                throw new InvalidInputException("feature to check for skew was '" + f + "' but it must name one feature as view:feature");
            }
        }
        this.absoluteTolerance = absoluteTolerance;
        this.relativeTolerance = relativeTolerance;
    }

    /** Joins {@code predictions} with {@code store} as of each prediction's time; temporary files go to a new directory in {@code work}, removed afterwards. */
    public List<ValueSkew> check(OfflineStore store, List<LoggedPrediction> predictions, Path work) {
        if (predictions.isEmpty()) {
            throw new InvalidInputException("the prediction log had no served predictions to compare");
        }
        Path tmp;
        try {
            Files.createDirectories(work);
            tmp = Files.createTempDirectory(work, "skew");
        } catch (IOException e) {
            throw new UnavailableException("skew work directory in " + work + " could not be created: " + e.getMessage(), e);
        }
        try {
            Path entities = tmp.resolve("entities.csv");
            Path joined = tmp.resolve("joined.parquet");
            writeEntities(predictions, entities);
            store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(entities))
                    .features(features.stream().map(FeatureRef::toString).toArray(String[]::new))
                    .output(joined).fullFeatureNames(true).build());
            List<Row> rows = store.sql("SELECT * FROM read_parquet('" + joined.toAbsolutePath().toString().replace("'", "''")
                    + "') ORDER BY " + ROW_COLUMN, Integer.MAX_VALUE).rows();
            return compare(predictions, rows);
        } catch (IOException e) {
            throw new UnavailableException("skew work files in " + tmp + " could not be written: " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // temporary files only; the join's result is already in memory
        }
    }

    private List<ValueSkew> compare(List<LoggedPrediction> predictions, List<Row> rows) {
        List<ValueSkew> out = new ArrayList<>();
        for (FeatureRef f : features) {
            String served = f.feature().orElseThrow();
            String column = f.view() + "__" + served;
            long compared = 0;
            long mismatches = 0;
            long missingServed = 0;
            long missingOffline = 0;
            List<String> examples = new ArrayList<>();
            for (Row r : rows) {
                LoggedPrediction p = predictions.get(((Number) r.get(ROW_COLUMN)).intValue());
                Object offline = r.get(column);
                Object value = p.features().get(served);
                if (value == null && offline == null) {
                    continue;
                }
                if (value == null) {
                    missingServed++;
                } else if (offline == null) {
                    missingOffline++;
                } else {
                    compared++;
                    if (!same(value, offline)) {
                        mismatches++;
                        if (examples.size() < MAX_EXAMPLES) {
                            examples.add("request " + p.requestId() + " at " + p.at() + ": served " + value + ", offline " + offline);
                        }
                    }
                }
            }
            out.add(new ValueSkew(served, compared, mismatches, missingServed, missingOffline, examples));
        }
        return out;
    }

    boolean same(Object served, Object offline) {
        if (served instanceof Number a && offline instanceof Number b) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return Math.abs(x - y) <= absoluteTolerance + relativeTolerance * Math.abs(y) || (Double.isNaN(x) && Double.isNaN(y));
        }
        if (served instanceof List<?> a && offline instanceof List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return served.toString().equals(offline.toString());
    }

    private static void writeEntities(List<LoggedPrediction> predictions, Path csv) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        predictions.forEach(p -> keys.addAll(p.entity().keySet()));
        if (keys.isEmpty()) {
            throw new InvalidInputException("the logged predictions carry no entity keys, so they cannot be joined with the offline store");
        }
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write(String.join(",", keys) + "," + TIME_COLUMN + "," + ROW_COLUMN);
            w.newLine();
            for (int i = 0; i < predictions.size(); i++) {
                LoggedPrediction p = predictions.get(i);
                StringBuilder line = new StringBuilder();
                for (String k : keys) {
                    line.append(csvCell(p.entity().get(k))).append(',');
                }
                line.append(LocalDateTime.ofInstant(p.at(), ZoneOffset.UTC)).append(',').append(i);
                w.write(line.toString());
                w.newLine();
            }
        }
    }

    private static String csvCell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
