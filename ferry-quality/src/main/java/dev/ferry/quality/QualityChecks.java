package dev.ferry.quality;

import dev.ferry.FerryException;
import dev.ferry.NotFoundException;
import dev.ferry.ValidationFailedException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quality checks of a project: a {@code checks:} list in one or more YAML files (usually
 * {@code quality.yaml} beside the feature repository), each entry naming a feature view or a file.
 * Loading never stops at the first mistake; {@link #validate} returns every problem, with its file
 * and line, including columns that the view or file does not have.
 */
public final class QualityChecks {

    /** Where something was written: a file and a 1-based line, or a builder (line 0). */
    record At(String file, int line) {
    }

    private final List<TargetChecks> targets;
    private final Map<String, At> origins;
    private final List<Problem> loadProblems;

    QualityChecks(List<TargetChecks> targets, Map<String, At> origins, List<Problem> loadProblems) {
        this.targets = List.copyOf(targets);
        this.origins = Map.copyOf(origins);
        this.loadProblems = List.copyOf(loadProblems);
    }

    /** Reads YAML files; relative file paths in them are resolved against each file's folder. */
    public static QualityChecks load(Path... files) {
        List<TargetChecks> targets = new ArrayList<>();
        Map<String, At> origins = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Path f : files) {
            new ChecksYaml(f, targets, origins, problems).read();
        }
        return new QualityChecks(targets, origins, problems);
    }

    public static QualityChecks of(TargetChecks... targets) {
        List<Problem> problems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (TargetChecks t : targets) {
            if (names.contains(t.name())) {
                problems.add(new Problem("<java checks " + t.name() + ">", 0, "checks '" + t.name() + "' are defined more than once; names must be unique"));
            }
            names.add(t.name());
        }
        return new QualityChecks(List.of(targets), Map.of(), problems);
    }

    public List<TargetChecks> targets() {
        return targets;
    }

    public Optional<TargetChecks> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The checks of the named targets only; an unknown name is refused with the names there are. */
    public QualityChecks only(Collection<String> names) {
        List<TargetChecks> kept = new ArrayList<>();
        for (String n : names) {
            kept.add(target(n).orElseThrow(() -> new NotFoundException("no checks named '" + n + "' (checks: "
                    + targets.stream().map(TargetChecks::name).toList() + ")")));
        }
        return new QualityChecks(kept, origins, loadProblems);
    }

    /** Refuses checks whose files had mistakes: running what was left of them would pass unseen. */
    void requireLoaded() {
        if (!loadProblems.isEmpty()) {
            throw failure(loadProblems);
        }
    }

    /** These checks and one more target (a name already taken is a problem {@link #validate} reports). */
    public QualityChecks plus(TargetChecks more) {
        List<Problem> problems = new ArrayList<>(loadProblems);
        if (target(more.name()).isPresent()) {
            problems.add(new Problem("<checks " + more.name() + ">", 0, "checks '" + more.name()
                    + "' are defined more than once; give one of them another name"));
        }
        List<TargetChecks> all = new ArrayList<>(targets);
        all.add(more);
        return new QualityChecks(all, origins, problems);
    }

    /**
     * Every problem: what loading found (unknown keys, bad numbers and durations, repeated names)
     * and, reading each target's columns through {@code store}, views not in {@code registry},
     * missing files, columns that do not exist, ranges on columns that are not numeric.
     */
    public List<Problem> validate(FeatureRegistry registry, OfflineStore store) {
        List<Problem> problems = new ArrayList<>(loadProblems);
        TableScan scan = new TableScan(store, registry);
        for (TargetChecks t : targets) {
            TableScan.Shape shape;
            try {
                shape = scan.shape(t.target());
            } catch (FerryException e) {
                problems.add(problem(t.name() + ".target", "checks '" + t.name() + "': " + e.getMessage()));
                continue;
            }
            String where = " (" + shape.source() + " has columns " + shape.columns().stream().map(TableScan.Column::name).toList() + ")";
            for (int i = 0; i < t.unique().size(); i++) {
                for (String c : t.unique().get(i).columns()) {
                    if (shape.column(c).isEmpty()) {
                        problems.add(problem(t.name() + ".unique." + i, "checks '" + t.name() + "' unique key column '" + c + "' is not a column" + where));
                    }
                }
            }
            for (var e : t.columns().entrySet()) {
                String key = t.name() + ".columns." + e.getKey();
                Optional<TableScan.Column> c = shape.column(e.getKey());
                if (c.isEmpty()) {
                    problems.add(problem(key, "checks '" + t.name() + "' column '" + e.getKey() + "' is not a column" + where));
                } else if (e.getValue().range() && !c.get().numeric()) {
                    problems.add(problem(key, "checks '" + t.name() + "' column '" + e.getKey() + "' has min/max but its type is "
                            + type(c.get()) + "; a range needs a numeric column"));
                }
            }
            t.freshness().ifPresent(f -> {
                Optional<String> col = f.column().or(shape::eventTime);
                if (col.isEmpty()) {
                    problems.add(problem(t.name() + ".freshness", "checks '" + t.name() + "' freshness has no column; a file target needs column: NAME"));
                } else if (shape.column(col.get()).isEmpty()) {
                    problems.add(problem(t.name() + ".freshness", "checks '" + t.name() + "' freshness column '" + col.get() + "' is not a column" + where));
                } else if (!shape.column(col.get()).get().timeLike()) {
                    problems.add(problem(t.name() + ".freshness", "checks '" + t.name() + "' freshness column '" + col.get()
                            + "' has type " + type(shape.column(col.get()).get()) + "; it must be a timestamp, a date or text holding a timestamp"));
                }
            });
        }
        return problems;
    }

    /** Like {@link #validate} but throws one {@link ValidationFailedException} listing every problem. */
    public QualityChecks requireValid(FeatureRegistry registry, OfflineStore store) {
        List<Problem> problems = validate(registry, store);
        if (!problems.isEmpty()) {
            throw failure(problems);
        }
        return this;
    }

    private static ValidationFailedException failure(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("quality checks have " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":");
        problems.forEach(p -> sb.append("\n  ").append(p));
        return new ValidationFailedException(sb.toString());
    }

    private static String type(TableScan.Column c) {
        return c.declared().orElse(c.rawType());
    }

    private Problem problem(String key, String message) {
        At at = origins.get(key);
        String k = key;
        while (at == null && k.lastIndexOf('.') > 0) {
            k = k.substring(0, k.lastIndexOf('.'));
            at = origins.get(k);
        }
        if (at == null) {
            at = new At("<java checks " + key.split("\\.")[0] + ">", 0);
        }
        return new Problem(at.file(), at.line(), message);
    }
}
