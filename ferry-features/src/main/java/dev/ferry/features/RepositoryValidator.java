package dev.ferry.features;

import dev.ferry.FerryException;
import dev.ferry.types.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks references between definitions and, given an inspector, the columns of every source. */
final class RepositoryValidator {

    private static final Set<String> TIME_TYPES = Set.of("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS",
            "TIMESTAMP_MS", "TIMESTAMP_S", "DATE", "VARCHAR", "TIMESTAMPTZ");

    private static final java.util.regex.Pattern FRACTIONAL = java.util.regex.Pattern.compile("FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC");

    private final FeatureRepository repo;
    private final SourceInspector inspector;
    private final List<Problem> problems = new ArrayList<>();

    RepositoryValidator(FeatureRepository repo, SourceInspector inspector) {
        this.repo = repo;
        this.inspector = inspector;
    }

    List<Problem> validate() {
        problems.addAll(repo.loadProblems());
        Map<Source, Map<String, String>> columnsBySource = new HashMap<>();
        for (FeatureView v : repo.views()) {
            checkView(v, columnsBySource);
        }
        for (FeatureService s : repo.services()) {
            checkService(s);
        }
        return List.copyOf(problems);
    }

    private void checkView(FeatureView v, Map<Source, Map<String, String>> cache) {
        String key = "view:" + v.name();
        List<JoinKey> keys = new ArrayList<>();
        for (String e : v.entities()) {
            var entity = repo.entity(e);
            if (entity.isEmpty()) {
                report(key + ".entity:" + e, "view '" + v.name() + "' refers to entity '" + e
                        + "' which is not defined; defined entities: " + repo.entities().stream().map(Entity::name).sorted().toList());
            } else {
                keys.addAll(entity.get().joinKeys());
            }
        }
        Set<String> keyNames = new HashSet<>();
        for (JoinKey k : keys) {
            keyNames.add(k.name());
        }
        for (Field f : v.schema().fields()) {
            if (keyNames.contains(f.name()) || f.name().equals(v.eventTimeColumn())) {
                report(key + ".feature:" + f.name(), "view '" + v.name() + "' feature '" + f.name()
                        + "' has the name of a join key or the event time column; features must be other columns");
            }
        }
        if (inspector == null) {
            return;
        }
        Map<String, String> columns;
        if (cache.containsKey(v.source())) {
            columns = cache.get(v.source());
        } else {
            try {
                columns = inspector.columns(v.source());
            } catch (FerryException e) {
                columns = null;
                report(key + ".source", "view '" + v.name() + "' source " + v.source().describe() + " cannot be read: " + e.getMessage());
            }
            cache.put(v.source(), columns);
        }
        if (columns == null) {
            return;
        }
        Map<String, String> lower = new HashMap<>();
        columns.forEach((c, t) -> lower.put(c.toLowerCase(Locale.ROOT), t));
        String available = " (source " + v.source().describe() + " has columns " + columns.keySet() + ")";
        for (JoinKey k : keys) {
            if (!lower.containsKey(k.name().toLowerCase(Locale.ROOT))) {
                report(key + ".source", "view '" + v.name() + "' join key '" + k.name() + "' is not a column of its source" + available);
            }
        }
        checkTime(v, key + ".event_time", v.eventTimeColumn(), "event time", lower, available);
        v.createdTimeColumn().ifPresent(c -> checkTime(v, key + ".created_time", c, "created time", lower, available));
        for (Field f : v.schema().fields()) {
            String type = lower.get(f.name().toLowerCase(Locale.ROOT));
            if (type == null) {
                report(key + ".feature:" + f.name(), "view '" + v.name() + "' feature '" + f.name() + "' is not a column of its source" + available);
            } else if (f.type().scalar().isInteger() && FRACTIONAL.matcher(type.toUpperCase(Locale.ROOT)).lookingAt()) {
                // DuckDB would round 2.5 to 3; Ferry never turns a fractional value into an integer silently.
                report(key + ".feature:" + f.name(), "view '" + v.name() + "' feature '" + f.name() + "' is declared " + f.type()
                        + " but its source column has type " + type + "; declare it float32 or float64");
            }
        }
    }

    private void checkTime(FeatureView v, String originKey, String column, String what, Map<String, String> lower, String available) {
        String type = lower.get(column.toLowerCase(Locale.ROOT));
        if (type == null) {
            report(originKey, "view '" + v.name() + "' " + what + " column '" + column + "' is not a column of its source" + available);
        } else if (!TIME_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
            report(originKey, "view '" + v.name() + "' " + what + " column '" + column + "' has type " + type
                    + " but it must be a timestamp, a date or text holding a timestamp");
        }
    }

    private void checkService(FeatureService s) {
        for (FeatureRef ref : s.features()) {
            String key = "service:" + s.name() + ".ref:" + ref;
            var view = repo.view(ref.view());
            if (view.isEmpty()) {
                report(key, "service '" + s.name() + "' refers to view '" + ref.view() + "' which is not defined; defined views: "
                        + repo.views().stream().map(FeatureView::name).sorted().toList());
            } else if (ref.feature().isPresent() && view.get().schema().find(ref.feature().get()).isEmpty()) {
                report(key, "service '" + s.name() + "' refers to feature '" + ref.feature().get() + "' which is not in view '"
                        + ref.view() + "' (features: " + view.get().schema().names() + ")");
            }
        }
    }

    private void report(String originKey, String message) {
        problems.add(Problem.at(repo.origin(originKey, originKey), message));
    }
}
