package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Scheduled batch jobs as YAML: a list under {@code schedules}, each with a name, a cron
 * expression, the missed-run and overlap policies, and the job (model, source, keys, outputs).
 * Every problem in the file is reported at once, each naming the entry, the key, the value found
 * and what was expected. Relative paths are resolved against the file's directory. The format is
 * described in docs/batch-scoring.md.
 */
public final class ScheduleFile {

    /** One parsed entry: when, under which policies, and the job. */
    public record Entry(String name, CronSchedule cron, MissedRunPolicy missed, OverlapPolicy overlap, BatchSpec spec) {
    }

    private ScheduleFile() {
    }

    /** Parses {@code file}; {@code sql} turns a {@code source.sql} query into a source over the offline store. */
    public static List<Entry> load(Path file, Function<String, TableSource> sql) {
        Object root;
        try (Reader r = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new InvalidInputException("schedule file '" + file + "' could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidInputException("schedule file '" + file + "' is not valid YAML: " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        List<String> problems = new ArrayList<>();
        List<Entry> out = new ArrayList<>();
        if (!(root instanceof Map<?, ?> m) || !(m.get("schedules") instanceof List<?> list)) {
            throw new InvalidInputException("schedule file '" + file + "' must have a list under 'schedules'");
        }
        for (int i = 0; i < list.size(); i++) {
            String at = "schedules[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> e)) {
                problems.add(at + " was '" + list.get(i) + "' but it must be a mapping");
                continue;
            }
            try {
                out.add(entry(at, e, base, sql, problems));
            } catch (InvalidInputException ex) {
                problems.add(at + ": " + ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("schedule file '" + file + "' has " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems));
        }
        return out;
    }

    private static Entry entry(String at, Map<?, ?> e, Path base, Function<String, TableSource> sql, List<String> problems) {
        int before = problems.size();
        String name = text(at, e, "name", problems);
        String cronText = text(at, e, "cron", problems);
        ZoneId zone = ZoneId.of("UTC");
        if (e.get("zone") != null) {
            try {
                zone = ZoneId.of(String.valueOf(e.get("zone")));
            } catch (DateTimeException ex) {
                problems.add(at + ".zone was '" + e.get("zone") + "' but it must be a time zone such as UTC or Europe/Paris");
            }
        }
        MissedRunPolicy missed = policy(at + ".missed", e.get("missed"), MissedRunPolicy.class, MissedRunPolicy.SKIP, problems);
        OverlapPolicy overlap = policy(at + ".overlap", e.get("overlap"), OverlapPolicy.class, OverlapPolicy.SKIP, problems);
        BadRowPolicy bad = policy(at + ".bad-rows", e.get("bad-rows"), BadRowPolicy.class, BadRowPolicy.FAIL, problems);
        String model = text(at, e, "model", problems);
        String ref = e.get("ref") == null ? "latest" : String.valueOf(e.get("ref"));
        TableSource source = source(at + ".source", e.get("source"), base, sql, problems);
        CronSchedule cron = null;
        if (cronText != null) {
            try {
                cron = CronSchedule.parse(cronText, zone);
            } catch (InvalidInputException ex) {
                problems.add(at + "." + ex.getMessage());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        BatchSpec.Builder b = BatchSpec.builder(source, model, ref).badRows(bad);
        if (e.get("keys") instanceof List<?> keys) {
            b.keyColumns(keys.stream().map(String::valueOf).toList());
        } else if (e.get("keys") != null) {
            b.keyColumns(List.of(String.valueOf(e.get("keys"))));
        }
        if (e.get("online") != null) {
            b.onlineView(String.valueOf(e.get("online")));
        }
        if (e.get("parquet") != null) {
            b.parquet(base.resolve(String.valueOf(e.get("parquet"))));
        }
        b.chunkRows(number(at + ".chunk-rows", e.get("chunk-rows"), 2048));
        b.workers(number(at + ".workers", e.get("workers"), Math.max(1, Runtime.getRuntime().availableProcessors())));
        b.retainVersions(number(at + ".retain", e.get("retain"), 3));
        return new Entry(name, cron, missed, overlap, b.build());
    }

    private static TableSource source(String at, Object v, Path base, Function<String, TableSource> sql, List<String> problems) {
        if (!(v instanceof Map<?, ?> m) || m.size() != 1) {
            problems.add(at + " was '" + v + "' but it must have exactly one of parquet: FILE, csv: FILE, sql: QUERY,"
                    + " postgres: {url, user, password, table}");
            return null;
        }
        Map.Entry<?, ?> only = m.entrySet().iterator().next();
        try {
            return source(at, String.valueOf(only.getKey()), only.getValue(), base, sql, problems);
        } catch (InvalidInputException e) {
            problems.add(at + ": " + e.getMessage());
            return null;
        }
    }

    private static TableSource source(String at, String kind, Object value, Path base, Function<String, TableSource> sql,
                                      List<String> problems) {
        return switch (kind) {
            case "parquet" -> TableSource.parquet(base.resolve(String.valueOf(value)));
            case "csv" -> TableSource.csv(base.resolve(String.valueOf(value)));
            case "sql" -> sql.apply(String.valueOf(value));
            case "postgres" -> {
                if (!(value instanceof Map<?, ?> pg)) {
                    problems.add(at + ".postgres was '" + value + "' but it must be a mapping with url, user, password and table");
                    yield null;
                }
                yield TableSource.postgres(String.valueOf(pg.get("url")), pg.get("user") == null ? null : String.valueOf(pg.get("user")),
                        pg.get("password") == null ? null : String.valueOf(pg.get("password")), String.valueOf(pg.get("table")));
            }
            default -> {
                problems.add(at + " was '" + kind + "' but it must be one of parquet, csv, sql, postgres");
                yield null;
            }
        };
    }

    private static String text(String at, Map<?, ?> e, String key, List<String> problems) {
        Object v = e.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            problems.add(at + "." + key + " is missing but it is required");
            return null;
        }
        return String.valueOf(v);
    }

    private static int number(String at, Object v, int dflt) {
        if (v == null) {
            return dflt;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw new InvalidInputException(at + " was '" + v + "' but it must be a whole number");
    }

    private static <E extends Enum<E>> E policy(String at, Object v, Class<E> type, E dflt, List<String> problems) {
        if (v == null) {
            return dflt;
        }
        String text = String.valueOf(v).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E c : type.getEnumConstants()) {
            if (c.name().equals(text)) {
                return c;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            allowed.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problems.add(at + " was '" + v + "' but it must be one of " + allowed);
        return dflt;
    }
}
