package dev.ferry.monitoring.alert;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads alert rules from YAML and reports every problem at once, each naming the file, the rule
 * (by name, or by position when it has none), the field, the value found and what was expected:
 * <pre>
 * rules:
 *   - name: credit-accuracy-low
 *     score: accuracy{deployment=credit}
 *     when: "&lt;"            # &gt;, &gt;=, &lt;, &lt;=, ==, !=
 *     threshold: 0.8
 *     for: 2h                 # 90s, 30m, 2h, 1d or ISO-8601 (PT30M); default 0
 *     resolve_after: 1h       # default: the same as for
 *     severity: critical      # default warning
 *     description: Accuracy of the credit model fell
 * </pre>
 */
public final class AlertRules {

    private static final Set<String> FIELDS = Set.of("name", "score", "when", "threshold", "for", "resolve_after", "severity", "description");
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private AlertRules() {
    }

    public static List<AlertRule> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("alert rules file " + file + " does not exist");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new InvalidInputException("alert rules file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public static List<AlertRule> parse(String yaml, String fileName) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new InvalidInputException(fileName + ": is not valid YAML: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        List<AlertRule> rules = new ArrayList<>();
        if (!(root instanceof Map<?, ?> top) || !(top.get("rules") instanceof List<?> list)) {
            throw new InvalidInputException(fileName + ": field 'rules' was " + (root instanceof Map<?, ?> m ? m.get("rules") : root)
                    + " but a list of rules is expected");
        }
        for (Object k : top.keySet()) {
            if (!"rules".equals(k)) {
                problems.add(fileName + ": field '" + k + "' is not known; expected only 'rules'");
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = fileName + ": rule #" + (i + 1);
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                problems.add(where + " was " + list.get(i) + " but a mapping with name, score, when and threshold is expected");
                continue;
            }
            int before = problems.size();
            Object name = m.get("name");
            if (name instanceof String n && !n.isBlank()) {
                where = fileName + ": rule '" + n + "'";
                if (!names.add(n)) {
                    problems.add(where + ": field 'name' was '" + n + "' but rule names must be unique");
                }
            } else {
                problems.add(where + ": field 'name' was " + shown(name) + " but a non-empty name is expected");
            }
            AlertRule r = rule(m, where, problems, before);
            if (r != null) {
                rules.add(r);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("alert rules are invalid:\n  " + String.join("\n  ", problems));
        }
        return List.copyOf(rules);
    }

    private static AlertRule rule(Map<?, ?> m, String where, List<String> problems, int before) {
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(String.valueOf(k))) {
                problems.add(where + ": field '" + k + "' is not known; expected one of " + new java.util.TreeSet<>(FIELDS));
            }
        }
        ScoreKey selector = null;
        Object score = m.get("score");
        if (!(score instanceof String s)) {
            problems.add(where + ": field 'score' was " + shown(score) + " but a score like accuracy{deployment=credit} is expected");
        } else {
            try {
                selector = ScoreKey.parse(s);
            } catch (InvalidInputException e) {
                problems.add(where + ": field 'score': " + e.getMessage());
            }
        }
        Object when = m.get("when");
        Comparison comparison = Comparison.ofSymbol(when instanceof String w ? w : null).orElse(null);
        if (comparison == null) {
            problems.add(where + ": field 'when' was " + shown(when) + " but one of >, >=, <, <=, ==, != is expected");
        }
        Object th = m.get("threshold");
        double threshold = Double.NaN;
        if (th instanceof Number n && Double.isFinite(n.doubleValue())) {
            threshold = n.doubleValue();
        } else {
            problems.add(where + ": field 'threshold' was " + shown(th) + " but a finite number is expected");
        }
        Duration sustained = duration(m, "for", Duration.ZERO, where, problems);
        Duration resolve = duration(m, "resolve_after", sustained, where, problems);
        Object severity = m.get("severity");
        Object description = m.get("description");
        if (problems.size() > before) {
            return null;
        }
        return new AlertRule((String) m.get("name"), selector, comparison, threshold, sustained, resolve,
                severity == null ? null : severity.toString(), description == null ? null : description.toString());
    }

    private static Duration duration(Map<?, ?> m, String field, Duration dflt, String where, List<String> problems) {
        Object v = m.get(field);
        if (v == null) {
            return dflt;
        }
        Duration d = parseDuration(String.valueOf(v));
        if (d == null || d.isNegative()) {
            problems.add(where + ": field '" + field + "' was " + shown(v) + " but a duration like 90s, 30m, 2h, 1d or PT30M is expected");
            return dflt;
        }
        return d;
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 500ms} or ISO-8601; null when it is none of these. */
    public static Duration parseDuration(String text) {
        String s = text.trim();
        Matcher mm = SHORT.matcher(s);
        if (mm.matches()) {
            long n = Long.parseLong(mm.group(1));
            return switch (mm.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String shown(Object v) {
        return v == null ? "(missing)" : v instanceof String ? "'" + v + "'" : String.valueOf(v);
    }
}
