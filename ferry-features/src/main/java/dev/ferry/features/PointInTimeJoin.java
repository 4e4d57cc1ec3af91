package dev.ferry.features;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.types.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds one training set. Each view is reduced to one row per (keys, event time), keeping the
 * latest created time, then joined with DuckDB's ASOF LEFT JOIN: for each entity row the feature
 * row with the greatest event time not after the entity time. A match older than the view's max
 * age becomes null. Entity rows keep their order and every column they came with.
 */
final class PointInTimeJoin {

    private static final String ROW = "__ferry_row";

    /** One requested view, resolved to a registry version. */
    record Planned(RegisteredView registered, List<Field> features, List<JoinKey> keys, String alias) {
    }

    private final DuckEngine engine;
    private final FeatureRegistry registry;
    private final Clock clock;

    PointInTimeJoin(DuckEngine engine, FeatureRegistry registry, Clock clock) {
        this.engine = engine;
        this.registry = registry;
        this.clock = clock;
    }

    TrainingSetManifest run(TrainingSetRequest request) throws SQLException {
        List<Planned> plan = plan(request);
        EntityRows rows = request.entities();
        String entityTable = "__ferry_entities";
        String result = "__ferry_result";
        // The manifest's content hashes of the input files do not depend on the join: they are
        // computed beside it (DuckDB's join leaves a core idle in its single-threaded phases).
        Fingerprints.Early hashes = Fingerprints.early(inputFiles(plan, rows));
        try {
            try {
                engine.exec("CREATE OR REPLACE TEMP TABLE " + entityTable + " AS SELECT * FROM " + entityRelation(rows));
            } catch (SQLException e) {
                throw new InvalidInputException("entity rows " + rows.describe() + " could not be read: " + DuckEngine.firstLine(e), e);
            }
            Map<String, String> entityCols = engine.describeSql("SELECT * FROM " + entityTable);
            checkEntityColumns(rows, entityCols, plan);
            for (Planned p : plan) {
                engine.registerView(p.alias(), p.registered().view(), p.keys());
            }
            String sql = joinSql(entityTable, rows.timeColumn(), entityCols, plan, request.fullFeatureNames());
            try {
                engine.exec("CREATE OR REPLACE TEMP TABLE " + result + " AS " + sql);
            } catch (SQLException e) {
                throw explain(e, plan);
            }
            return write(request, plan, entityCols, result, hashes);
        } finally {
            hashes.cancel();
            engine.exec("DROP TABLE IF EXISTS " + result);
            engine.exec("DROP TABLE IF EXISTS " + entityTable);
            for (Planned p : plan) {
                engine.exec("DROP VIEW IF EXISTS " + Sql.id(p.alias()));
            }
        }
    }

    private RuntimeException explain(SQLException e, List<Planned> plan) {
        if (DuckEngine.isConversion(e)) {
            for (Planned p : plan) {
                RuntimeException r = engine.explainCast(p.registered().ref(), p.registered().view(), p.keys(), e);
                if (!r.getMessage().contains("could not be read as its declared types")) {
                    return r;
                }
            }
            return new InvalidInputException("entity rows could not be joined (a key or time value does not cast): " + DuckEngine.firstLine(e), e);
        }
        return DuckEngine.internal("training set query failed", e);
    }

    private String entityRelation(EntityRows rows) {
        if (rows.file().isPresent()) {
            Path f = rows.file().get();
            if (!Files.isRegularFile(f)) {
                throw new NotFoundException("entity rows file " + f + " does not exist");
            }
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                return "read_csv(" + Sql.str(f.toString()) + ", header=true)";
            }
            if (name.endsWith(".parquet")) {
                return "read_parquet(" + Sql.str(f.toString()) + ")";
            }
            throw new InvalidInputException("entity rows file was '" + f + "' but its name must end in .parquet or .csv");
        }
        return "(" + rows.query().orElseThrow() + ")";
    }

    private List<Planned> plan(TrainingSetRequest request) {
        List<FeatureRef> refs = request.features();
        if (request.service().isPresent()) {
            String s = request.service().get();
            refs = registry.service(s).orElseThrow(() -> new NotFoundException("feature service '" + s + "' is not in the registry (services: "
                    + registry.services().stream().map(FeatureService::name).toList() + ")")).features();
        }
        Map<String, RegisteredView> views = new LinkedHashMap<>();
        Map<String, LinkedHashSet<String>> features = new LinkedHashMap<>();
        for (FeatureRef ref : refs) {
            RegisteredView rv = registry.view(ref.view() + (ref.version().isPresent() ? "@" + ref.version().getAsInt() : ""));
            RegisteredView earlier = views.putIfAbsent(rv.name(), rv);
            if (earlier != null && earlier.version() != rv.version()) {
                throw new InvalidInputException("view '" + rv.name() + "' is requested at versions " + earlier.version() + " and "
                        + rv.version() + "; a training set uses one version of each view");
            }
            LinkedHashSet<String> fs = features.computeIfAbsent(rv.name(), k -> new LinkedHashSet<>());
            if (ref.feature().isEmpty()) {
                fs.addAll(rv.view().schema().names());
            } else if (rv.view().schema().find(ref.feature().get()).isEmpty()) {
                throw new NotFoundException("feature '" + ref.feature().get() + "' is not in view " + rv.ref() + " (features: "
                        + rv.view().schema().names() + ")");
            } else {
                fs.add(ref.feature().get());
            }
        }
        List<Planned> plan = new ArrayList<>();
        for (RegisteredView rv : views.values()) {
            List<JoinKey> keys = new ArrayList<>();
            for (String e : rv.view().entities()) {
                keys.addAll(registry.entity(e).orElseThrow(() -> new NotFoundException("entity '" + e + "' of view " + rv.ref()
                        + " is not in the registry")).joinKeys());
            }
            List<Field> fields = features.get(rv.name()).stream().map(n -> rv.view().schema().field(n)).toList();
            plan.add(new Planned(rv, fields, keys, "__ferry_v" + plan.size()));
        }
        return plan;
    }

    private static void checkEntityColumns(EntityRows rows, Map<String, String> cols, List<Planned> plan) {
        List<String> missing = new ArrayList<>();
        if (!cols.containsKey(rows.timeColumn())) {
            missing.add(rows.timeColumn() + " (time)");
        }
        for (Planned p : plan) {
            for (JoinKey k : p.keys()) {
                if (!cols.containsKey(k.name()) && !missing.contains(k.name())) {
                    missing.add(k.name());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("entity rows " + rows.describe() + " lack the columns " + missing + " (columns: " + cols.keySet() + ")");
        }
    }

    static String outputName(Planned p, Field f, boolean full) {
        return full ? p.registered().name() + "__" + f.name() : f.name();
    }

    private String joinSql(String entityTable, String timeCol, Map<String, String> entityCols, List<Planned> plan, boolean full) {
        // Entity keys are cast to the entity's key types so that a CSV's guessed types cannot miss a join.
        Map<String, String> replace = new LinkedHashMap<>();
        replace.put(timeCol, Sql.timestamp(Sql.id(timeCol), entityCols.get(timeCol)));
        for (Planned p : plan) {
            for (JoinKey k : p.keys()) {
                replace.put(k.name(), "CAST(" + Sql.id(k.name()) + " AS " + Sql.duckType(dev.ferry.types.FeatureType.of(k.type())) + ")");
            }
        }
        StringBuilder sb = new StringBuilder("WITH e AS (SELECT rowid AS " + ROW + ", * REPLACE (");
        sb.append(String.join(", ", replace.entrySet().stream().map(x -> x.getValue() + " AS " + Sql.id(x.getKey())).toList()));
        sb.append(") FROM ").append(entityTable).append(")");
        for (Planned p : plan) {
            sb.append(",\n").append(p.alias()).append("_d AS (").append(dedupSql(p)).append(")");
        }
        Set<String> names = new HashSet<>(entityCols.keySet());
        sb.append("\nSELECT e.*");
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            String a = p.alias() + "_d";
            String within = p.registered().view().maxAge()
                    .map(d -> a + ".__ferry_ts >= e." + Sql.id(timeCol) + " - to_microseconds(" + (d.toNanos() / 1000) + ")")
                    .orElse(a + ".__ferry_ts IS NOT NULL");
            for (Field f : p.features()) {
                String out = outputName(p, f, full);
                if (!names.add(out)) {
                    throw new InvalidInputException("output column '" + out + "' would appear twice (an entity column or another view's feature has that name)"
                            + (full ? "" : "; turn full feature names on to prefix features with their view"));
                }
                sb.append(", CASE WHEN ").append(within).append(" THEN ").append(a).append('.').append(Sql.id(f.name()))
                        .append(" END AS ").append(Sql.id(out));
            }
            sb.append(", CASE WHEN ").append(within).append(" THEN ").append(a).append(".__ferry_ts END AS __ferry_ts").append(i);
        }
        sb.append("\nFROM e");
        for (Planned p : plan) {
            String a = p.alias() + "_d";
            sb.append("\nASOF LEFT JOIN ").append(a).append(" ON ");
            for (JoinKey k : p.keys()) {
                sb.append("e.").append(Sql.id(k.name())).append(" = ").append(a).append('.').append(Sql.id(k.name())).append(" AND ");
            }
            sb.append("e.").append(Sql.id(timeCol)).append(" >= ").append(a).append(".__ferry_ts");
        }
        return sb.toString();
    }

    /** One row per (keys, event time): the one created last, so a correction wins over the row it corrects. */
    private static String dedupSql(Planned p) {
        FeatureView v = p.registered().view();
        List<String> keys = p.keys().stream().map(k -> Sql.id(k.name())).toList();
        StringBuilder sb = new StringBuilder("SELECT ");
        sb.append(String.join(", ", keys)).append(", ").append(Sql.id(v.eventTimeColumn())).append(" AS __ferry_ts");
        for (Field f : p.features()) {
            sb.append(", ").append(Sql.id(f.name()));
        }
        sb.append(" FROM ").append(Sql.id(p.alias())).append(" WHERE ").append(Sql.id(v.eventTimeColumn())).append(" IS NOT NULL");
        v.createdTimeColumn().ifPresent(c -> sb.append(" QUALIFY row_number() OVER (PARTITION BY ").append(String.join(", ", keys))
                .append(", ").append(Sql.id(v.eventTimeColumn())).append(" ORDER BY ").append(Sql.id(c)).append(" DESC NULLS LAST) = 1"));
        return sb.toString();
    }

    /** The single input files (not globs) whose content hashes go into the manifest. */
    private static List<Path> inputFiles(List<Planned> plan, EntityRows rows) {
        List<Path> files = new ArrayList<>();
        for (Planned p : plan) {
            Path f = switch (p.registered().view().source()) {
                case ParquetSource ps -> ps.path();
                case CsvSource cs -> cs.path();
                default -> null;
            };
            if (f != null && !f.toString().contains("*") && Files.isRegularFile(f)) {
                files.add(f);
            }
        }
        rows.file().filter(Files::isRegularFile).ifPresent(files::add);
        return files;
    }

    private TrainingSetManifest write(TrainingSetRequest request, List<Planned> plan, Map<String, String> entityCols, String result,
                                      Fingerprints.Early hashes) throws SQLException {
        EntityRows rows = request.entities();
        // Counts and the entity time range come from the joined table, before it is written.
        StringBuilder q = new StringBuilder("SELECT count(*), min(" + Sql.id(rows.timeColumn()) + "), max(" + Sql.id(rows.timeColumn()) + ")");
        for (int i = 0; i < plan.size(); i++) {
            q.append(", count(__ferry_ts").append(i).append(')');
        }
        long total;
        Instant from;
        Instant to;
        long[] matched = new long[plan.size()];
        try (Statement s = engine.connection().createStatement(); ResultSet rs = s.executeQuery(q.append(" FROM ").append(result).toString())) {
            rs.next();
            total = rs.getLong(1);
            from = instant(rs.getObject(2, LocalDateTime.class));
            to = instant(rs.getObject(3, LocalDateTime.class));
            for (int i = 0; i < plan.size(); i++) {
                matched[i] = rs.getLong(4 + i);
            }
        }
        List<String> columns = new ArrayList<>(entityCols.keySet());
        List<String> featureNames = new ArrayList<>();
        for (Planned p : plan) {
            for (Field f : p.features()) {
                columns.add(outputName(p, f, request.fullFeatureNames()));
                featureNames.add(p.registered().name() + ":" + f.name());
            }
        }
        Path out = request.output().toAbsolutePath();
        Path tmp = OutputFiles.copy(engine, "SELECT " + String.join(", ", columns.stream().map(Sql::id).toList()) + " FROM " + result
                + " ORDER BY " + ROW, out, request.format());
        String outFingerprint = Fingerprints.file(tmp);
        OutputFiles.publish(tmp, out);
        List<TrainingSetManifest.ViewSummary> views = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            views.add(SourceStats.summary(engine, plan.get(i), matched[i], hashes));
        }
        String entityFingerprint = rows.file().map(hashes::file)
                .orElseGet(() -> Fingerprints.text(rows.query().orElseThrow() + "|" + total));
        TrainingSetManifest m = new TrainingSetManifest(TrainingSetManifest.FORMAT, clock.instant(),
                new TrainingSetManifest.EntitySummary(rows.describe(), entityFingerprint, rows.timeColumn(), total, from, to),
                views, featureNames,
                new TrainingSetManifest.OutputSummary(out.toString(), request.format(), outFingerprint, total, columns));
        m.write(OutputFiles.manifestPath(out));
        return m;
    }

    static Instant instant(LocalDateTime t) {
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
