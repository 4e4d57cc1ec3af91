package dev.ferry.features.materialize;

import dev.ferry.FerryException;
import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRecord;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.JoinKey;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.QueryResult;
import dev.ferry.features.RegisteredView;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Counts the entities a run will write, so progress has a total before the copy starts. */
final class EntityCount {

    private EntityCount() {
    }

    static long inRange(OfflineStore offline, FeatureRegistry registry, RegisteredView rv, Instant from, Instant to) {
        // The SQL tables are the latest versions; a pinned older version is counted by reading it.
        if (registry.view(rv.name()).version() == rv.version()) {
            try {
                QueryResult r = offline.sql(countSql(registry, rv, from, to), 1);
                Object n = r.rows().getFirst().values().values().iterator().next();
                return ((Number) n).longValue();
            } catch (FerryException e) {
                // Another view's source may be unreadable; the slow count below only reads this one.
            }
        }
        try (Stream<FeatureRecord> s = offline.latest(rv.ref(), from, to)) {
            return s.count();
        }
    }

    private static String countSql(FeatureRegistry registry, RegisteredView rv, Instant from, Instant to) {
        List<String> keys = new ArrayList<>();
        for (String e : rv.view().entities()) {
            Entity entity = registry.entity(e).orElseThrow();
            for (JoinKey k : entity.joinKeys()) {
                keys.add(id(k.name()));
            }
        }
        String ts = id(rv.view().eventTimeColumn());
        return "SELECT count(*) AS n FROM (SELECT DISTINCT " + String.join(", ", keys) + " FROM " + id(rv.name())
                + " WHERE " + ts + " >= " + literal(from) + " AND " + ts + " < " + literal(to) + ")";
    }

    private static String id(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String literal(Instant t) {
        return "TIMESTAMP '" + LocalDateTime.ofInstant(t, ZoneOffset.UTC) + "'";
    }
}
