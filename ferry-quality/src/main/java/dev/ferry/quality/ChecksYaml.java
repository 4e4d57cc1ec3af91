package dev.ferry.quality;

import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.features.Problem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one YAML file of checks. It works on SnakeYAML's node tree so that every problem carries
 * its line, and keeps going after a problem so that one run reports all of them.
 */
final class ChecksYaml {

    private static final Set<String> TOP = Set.of("checks");
    private static final Set<String> ENTRY = Set.of("view", "file", "name", "row_count", "schema", "freshness", "unique", "columns");
    private static final Set<String> ROW_COUNT = Set.of("min_ratio", "runs", "min", "severity");
    private static final Set<String> FRESHNESS = Set.of("max_age", "column", "severity");
    private static final Set<String> UNIQUE = Set.of("columns", "severity");
    private static final Set<String> COLUMN = Set.of("max_null_rate", "min", "max", "allowed", "severity");
    private static final Set<String> SEVERITY = Set.of("severity");
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(d|h|m|s)");

    private final Path file;
    private final String fileName;
    private final List<TargetChecks> targets;
    private final Map<String, QualityChecks.At> origins;
    private final List<Problem> problems;

    ChecksYaml(Path file, List<TargetChecks> targets, Map<String, QualityChecks.At> origins, List<Problem> problems) {
        this.file = file;
        this.fileName = file.toString();
        this.targets = targets;
        this.origins = origins;
        this.problems = problems;
    }

    void read() {
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(r);
        } catch (MarkedYAMLException e) {
            problems.add(new Problem(fileName, e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1, "is not valid YAML: " + e.getProblem()));
            return;
        } catch (YAMLException e) {
            problems.add(new Problem(fileName, 0, "is not valid YAML: " + e.getMessage()));
            return;
        } catch (IOException e) {
            problems.add(new Problem(fileName, 0, "could not be read: " + e.getMessage()));
            return;
        }
        if (root == null) {
            return;
        }
        MappingNode top = mapping(root, "the document");
        if (top == null) {
            return;
        }
        Node checks = fields(top, TOP, "the document").get("checks");
        if (checks == null) {
            problem(top, "has no checks; expected a list under checks:");
            return;
        }
        if (!(checks instanceof SequenceNode seq)) {
            problem(checks, "checks must be a list of entries with view: or file:");
            return;
        }
        for (Node item : seq.getValue()) {
            MappingNode m = mapping(item, "an entry of checks");
            if (m != null) {
                entry(m);
            }
        }
    }

    private void entry(MappingNode node) {
        Map<String, Node> f = fields(node, ENTRY, "checks entry");
        Target target;
        String name;
        if (f.containsKey("view") == f.containsKey("file")) {
            problem(node, "checks entry must have exactly one of view: NAME or file: PATH");
            return;
        }
        try {
            if (f.containsKey("view")) {
                String view = text(f.get("view"));
                target = Target.view(view);
                name = f.containsKey("name") ? text(f.get("name")) : view;
            } else {
                Path p = resolve(text(f.get("file")));
                target = Target.file(p);
                String stem = p.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_]", "_");
                name = f.containsKey("name") ? text(f.get("name")) : stem;
            }
        } catch (FerryException e) {
            problem(f.getOrDefault("view", f.get("file")), e.getMessage());
            return;
        }
        String what = "checks '" + name + "'";
        TargetChecks.Builder b;
        try {
            b = TargetChecks.builder(name, target);
            b.build();
        } catch (FerryException e) {
            problem(f.getOrDefault("name", node), e.getMessage());
            return;
        }
        if (targets.stream().anyMatch(t -> t.name().equals(name))) {
            QualityChecks.At first = origins.get(name);
            problem(node, what + " are defined more than once (first at " + (first == null ? "?" : first.file() + ":" + first.line())
                    + "); give one of them another name");
            return;
        }
        origins.put(name, at(node));
        origins.put(name + ".target", at(f.getOrDefault("view", f.get("file"))));
        if (f.containsKey("row_count")) {
            attempt(f.get("row_count"), what, () -> b.rowCount(rowCount(f.get("row_count"), what + " row_count")));
        }
        if (f.containsKey("schema")) {
            attempt(f.get("schema"), what + " schema", () -> b.schema(schema(f.get("schema"), what + " schema")));
        }
        if (f.containsKey("freshness")) {
            origins.put(name + ".freshness", at(f.get("freshness")));
            attempt(f.get("freshness"), what + " freshness", () -> b.freshness(freshness(f.get("freshness"), what + " freshness")));
        }
        if (f.containsKey("unique")) {
            unique(f.get("unique"), what, name, b);
        }
        if (f.containsKey("columns")) {
            MappingNode cm = mapping(f.get("columns"), what + " columns");
            if (cm != null) {
                for (NodeTuple t : cm.getValue()) {
                    String col = scalar(t.getKeyNode());
                    origins.put(name + ".columns." + col, at(t.getKeyNode()));
                    attempt(t.getValueNode(), what + " column '" + col + "'", () -> b.column(col, column(t.getValueNode(), what + " column '" + col + "'")));
                }
            }
        }
        // Kept even when a part was refused, so validation still checks the rest against the
        // source; the gate refuses to run checks that loaded with problems.
        targets.add(b.build());
    }

    private TargetChecks.RowCount rowCount(Node node, String what) {
        if (node instanceof ScalarNode) {
            return bool(node, what) ? TargetChecks.RowCount.defaults() : null;
        }
        MappingNode m = mapping(node, what);
        if (m == null) {
            throw new Skip();
        }
        Map<String, Node> f = fields(m, ROW_COUNT, what);
        TargetChecks.RowCount d = TargetChecks.RowCount.defaults();
        return new TargetChecks.RowCount(
                f.containsKey("min_ratio") ? number(f.get("min_ratio"), what + " min_ratio") : d.minRatio(),
                f.containsKey("runs") ? (int) integer(f.get("runs"), what + " runs") : d.runs(),
                f.containsKey("min") ? integer(f.get("min"), what + " min") : d.min(),
                severity(f, what));
    }

    private Severity schema(Node node, String what) {
        if (node instanceof ScalarNode) {
            return bool(node, what) ? Severity.FAIL : null;
        }
        MappingNode m = mapping(node, what);
        if (m == null) {
            throw new Skip();
        }
        return severity(fields(m, SEVERITY, what), what);
    }

    private TargetChecks.Freshness freshness(Node node, String what) {
        MappingNode m = mapping(node, what);
        if (m == null) {
            throw new Skip();
        }
        Map<String, Node> f = fields(m, FRESHNESS, what);
        if (!f.containsKey("max_age")) {
            throw new InvalidInputException(what + " has no max_age; expected a duration such as 36h or 2d");
        }
        return new TargetChecks.Freshness(f.containsKey("column") ? Optional.of(text(f.get("column"))) : Optional.empty(),
                duration(f.get("max_age"), what + " max_age"), severity(f, what));
    }

    /** {@code [a, b]} is one (composite) key; {@code [[a], [b, c]]} or {@code [{columns: [a], severity: warn}]} are several. */
    private void unique(Node node, String what, String name, TargetChecks.Builder b) {
        origins.put(name + ".unique", at(node));
        if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            problem(node, what + " unique must be a list of column names (one key) or a list of keys");
            return;
        }
        if (seq.getValue().stream().allMatch(n -> n instanceof ScalarNode)) {
            origins.put(name + ".unique.0", at(node));
            b.unique(new TargetChecks.Unique(seq.getValue().stream().map(ChecksYaml::scalar).toList(), Severity.FAIL));
            return;
        }
        int i = 0;
        for (Node item : seq.getValue()) {
            origins.put(name + ".unique." + i++, at(item));
            String w = what + " unique key";
            attempt(item, w, () -> {
                if (item instanceof SequenceNode s) {
                    b.unique(new TargetChecks.Unique(names(s, w), Severity.FAIL));
                } else if (item instanceof MappingNode m) {
                    Map<String, Node> f = fields(m, UNIQUE, w);
                    if (!(f.get("columns") instanceof SequenceNode s)) {
                        throw new InvalidInputException(w + " has no columns list; expected columns: [a, b]");
                    }
                    b.unique(new TargetChecks.Unique(names(s, w), severity(f, w)));
                } else {
                    throw new InvalidInputException(w + " was '" + scalar(item) + "' but keys must all be lists when one is");
                }
            });
        }
    }

    private TargetChecks.ColumnRule column(Node node, String what) {
        MappingNode m = mapping(node, what);
        if (m == null) {
            throw new Skip();
        }
        Map<String, Node> f = fields(m, COLUMN, what);
        List<String> allowed = List.of();
        if (f.containsKey("allowed")) {
            if (!(f.get("allowed") instanceof SequenceNode s) || s.getValue().isEmpty()) {
                problem(f.get("allowed"), what + " allowed must be a non-empty list of values");
                throw new Skip();
            }
            allowed = names(s, what + " allowed");
        }
        return new TargetChecks.ColumnRule(optNumber(f.get("max_null_rate"), what + " max_null_rate"),
                optNumber(f.get("min"), what + " min"), optNumber(f.get("max"), what + " max"), allowed, severity(f, what));
    }

    private List<String> names(SequenceNode s, String what) {
        List<String> out = new ArrayList<>();
        for (Node n : s.getValue()) {
            String v = scalar(n);
            if (v == null) {
                throw new InvalidInputException(what + " must list plain values, not nested lists or mappings");
            }
            out.add(v);
        }
        return out;
    }

    private Severity severity(Map<String, Node> f, String what) {
        if (!f.containsKey("severity")) {
            return Severity.FAIL;
        }
        String s = text(f.get("severity"));
        return switch (s) {
            case "fail" -> Severity.FAIL;
            case "warn" -> Severity.WARN;
            default -> throw new InvalidInputException(what + " severity was '" + s + "' but it must be fail or warn");
        };
    }

    private boolean bool(Node node, String what) {
        String v = text(node);
        if (!v.equals("true") && !v.equals("false")) {
            throw new InvalidInputException(what + " was '" + v + "' but it must be true, false or a mapping of options");
        }
        return Boolean.parseBoolean(v);
    }

    private static double number(Node node, String what) {
        String v = text(node);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(what + " was '" + v + "' but it must be a number");
        }
    }

    private static OptionalDouble optNumber(Node node, String what) {
        return node == null ? OptionalDouble.empty() : OptionalDouble.of(number(node, what));
    }

    private static long integer(Node node, String what) {
        String v = text(node);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(what + " was '" + v + "' but it must be a whole number");
        }
    }

    /** {@code 30d}, {@code 36h}, {@code 15m}, {@code 90s}, or ISO-8601 ({@code PT1H}). */
    static Duration duration(Node node, String what) {
        String v = text(node).trim();
        Matcher m = SHORT.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(what + " was '" + v + "' but it must be a duration such as 30d, 36h, 15m, 90s or PT1H");
        }
    }

    private Path resolve(String path) {
        if (path.isEmpty()) {
            throw new InvalidInputException("file was empty but a .parquet or .csv path is expected");
        }
        Path p = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    /** Runs one part of an entry, turning a refusal into a problem at {@code node}; false when it failed. */
    private boolean attempt(Node node, String what, Runnable part) {
        try {
            part.run();
            return true;
        } catch (Skip e) {
            return false;
        } catch (FerryException e) {
            String msg = e.getMessage();
            problem(node, msg.startsWith("checks '") ? msg : what + ": " + msg);
            return false;
        }
    }

    /** A part already reported its problem. */
    private static final class Skip extends RuntimeException {
        Skip() {
            super(null, null, false, false);
        }
    }

    private Map<String, Node> fields(MappingNode node, Set<String> allowed, String what) {
        Map<String, Node> m = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = scalar(t.getKeyNode());
            if (!allowed.contains(key)) {
                problem(t.getKeyNode(), what + " has an unknown key '" + key + "'; expected one of " + new TreeSet<>(allowed));
            } else if (m.put(key, t.getValueNode()) != null) {
                problem(t.getKeyNode(), what + " has the key '" + key + "' more than once");
            }
        }
        return m;
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        problem(node, what + " must be a mapping (key: value)");
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    private static String text(Node node) {
        String s = node == null ? null : scalar(node);
        return s == null ? "" : s;
    }

    private QualityChecks.At at(Node node) {
        return new QualityChecks.At(fileName, node.getStartMark().getLine() + 1);
    }

    private void problem(Node node, String message) {
        problems.add(new Problem(fileName, node.getStartMark().getLine() + 1, message));
    }
}
