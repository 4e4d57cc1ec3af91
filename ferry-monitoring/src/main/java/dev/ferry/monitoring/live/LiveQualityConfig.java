package dev.ferry.monitoring.live;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.monitoring.alert.AlertRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What the live data-quality monitor checks: the window length and, per feature, a range or an
 * allowed set. Every served feature gets a null rate; checked features also an out-of-range rate.
 * In YAML:
 * <pre>
 * window: 1h
 * features:
 *   income: {min: 0, max: 1000000}
 *   country: {allowed: ["NO", "SE", "DK"]}
 * </pre>
 * Quote allowed values that YAML would read otherwise ({@code NO} unquoted is the boolean false).
 *
 * @param window how long one window of counts is
 * @param checks feature name to its check
 * @param keep   how many windows per deployment and version are kept for {@link LiveQualityMonitor#windows()}
 */
public record LiveQualityConfig(Duration window, Map<String, FeatureCheck> checks, int keep) {

    public LiveQualityConfig {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new InvalidInputException("live quality window was " + window + " but it must be positive");
        }
        if (keep <= 0) {
            throw new InvalidInputException("live quality windows kept was " + keep + " but it must be positive");
        }
        checks = Map.copyOf(checks);
    }

    public static LiveQualityConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("live quality config " + file + " does not exist");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new InvalidInputException("live quality config " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses the YAML form, reporting every problem at once with the file, feature and field. */
    public static LiveQualityConfig parse(String yaml, String fileName) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new InvalidInputException(fileName + ": is not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new InvalidInputException(fileName + ": was " + root + " but a mapping with window and features is expected");
        }
        List<String> problems = new ArrayList<>();
        Duration window = Duration.ofHours(1);
        if (top.get("window") != null) {
            window = AlertRules.parseDuration(String.valueOf(top.get("window")));
            if (window == null || window.isZero() || window.isNegative()) {
                problems.add(fileName + ": field 'window' was '" + top.get("window") + "' but a positive duration like 1h or 15m is expected");
                window = Duration.ofHours(1);
            }
        }
        Map<String, FeatureCheck> checks = new LinkedHashMap<>();
        Object features = top.get("features");
        if (features != null && !(features instanceof Map<?, ?>)) {
            problems.add(fileName + ": field 'features' was " + features + " but a mapping of feature name to check is expected");
        } else if (features instanceof Map<?, ?> fm) {
            fm.forEach((name, spec) -> {
                String where = fileName + ": feature '" + name + "'";
                if (!(spec instanceof Map<?, ?> m)) {
                    problems.add(where + " was " + spec + " but {min: .., max: ..} or {allowed: [..]} is expected");
                } else if (m.containsKey("allowed")) {
                    if (m.get("allowed") instanceof List<?> l && !l.isEmpty()) {
                        Set<String> values = new LinkedHashSet<>();
                        l.forEach(v -> values.add(String.valueOf(v)));
                        checks.put(String.valueOf(name), new FeatureCheck.Allowed(values));
                    } else {
                        problems.add(where + ": field 'allowed' was " + m.get("allowed") + " but a non-empty list is expected");
                    }
                } else {
                    Object min = m.get("min");
                    Object max = m.get("max");
                    if (!(min instanceof Number lo) || !(max instanceof Number hi) || lo.doubleValue() > hi.doubleValue()) {
                        problems.add(where + ": fields 'min' and 'max' were " + min + " and " + max
                                + " but two numbers with min <= max are expected");
                    } else {
                        checks.put(String.valueOf(name), new FeatureCheck.Range(lo.doubleValue(), hi.doubleValue()));
                    }
                }
            });
        }
        for (Object k : top.keySet()) {
            if (!"window".equals(k) && !"features".equals(k)) {
                problems.add(fileName + ": field '" + k + "' is not known; expected window and features");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("live quality config is invalid:\n  " + String.join("\n  ", problems));
        }
        return new LiveQualityConfig(window, checks, 48);
    }
}
