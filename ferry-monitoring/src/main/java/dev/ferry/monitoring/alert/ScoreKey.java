package dev.ferry.monitoring.alert;

import dev.ferry.InvalidInputException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A named score with labels, written like a Prometheus series: {@code accuracy{deployment=credit}},
 * {@code drift.psi{feature=income}}, {@code skew.type_mismatch}. Label values may be quoted
 * ({@code segment="New York"}); labels are kept sorted so equal keys print alike.
 */
public record ScoreKey(String name, SortedMap<String, String> labels) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ScoreKey {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("score name was '" + name + "' but a name like accuracy or drift.psi is expected");
        }
        labels.keySet().forEach(k -> {
            if (!LABEL.matcher(k).matches()) {
                throw new InvalidInputException("score " + name + ": label name was '" + k + "' but a name like deployment is expected");
            }
        });
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    public static ScoreKey of(String name, Map<String, String> labels) {
        return new ScoreKey(name, new TreeMap<>(labels));
    }

    public static ScoreKey of(String name, String... labelPairs) {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < labelPairs.length; i += 2) {
            m.put(labelPairs[i], labelPairs[i + 1]);
        }
        return new ScoreKey(name, m);
    }

    /** Parses {@code name} or {@code name{k=v,k2="v 2"}}. */
    public static ScoreKey parse(String text) {
        if (text == null) {
            throw new InvalidInputException("score was null but a score like accuracy{deployment=credit} is expected");
        }
        String s = text.trim();
        int open = s.indexOf('{');
        if (open < 0) {
            return new ScoreKey(s, new TreeMap<>());
        }
        if (!s.endsWith("}")) {
            throw new InvalidInputException("score was '" + text + "' but a score like accuracy{deployment=credit} (closed with }) is expected");
        }
        TreeMap<String, String> labels = new TreeMap<>();
        String body = s.substring(open + 1, s.length() - 1).trim();
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0) {
                throw new InvalidInputException("score was '" + text + "' but each label must be name=value");
            }
            String key = body.substring(i, eq).trim();
            int j = eq + 1;
            String value;
            if (j < body.length() && body.charAt(j) == '"') {
                int close = body.indexOf('"', j + 1);
                if (close < 0) {
                    throw new InvalidInputException("score was '" + text + "' but a quoted label value is not closed");
                }
                value = body.substring(j + 1, close);
                j = close + 1;
                while (j < body.length() && body.charAt(j) == ' ') {
                    j++;
                }
            } else {
                int comma = body.indexOf(',', j);
                int end = comma < 0 ? body.length() : comma;
                value = body.substring(j, end).trim();
                j = end;
            }
            if (labels.put(key, value) != null) {
                throw new InvalidInputException("score was '" + text + "' but label " + key + " appears twice");
            }
            if (j < body.length()) {
                if (body.charAt(j) != ',') {
                    throw new InvalidInputException("score was '" + text + "' but labels must be separated by commas");
                }
                j++;
            }
            i = j;
        }
        return new ScoreKey(s.substring(0, open).trim(), labels);
    }

    /** True when this key has {@code selector}'s name and at least its labels. */
    public boolean matches(ScoreKey selector) {
        return name.equals(selector.name) && labels.entrySet().containsAll(selector.labels.entrySet());
    }

    @Override
    public String toString() {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> {
            if (sb.charAt(sb.length() - 1) != '{') {
                sb.append(',');
            }
            boolean quote = v.isEmpty() || v.contains(",") || v.contains("}") || v.contains(" ") || v.contains("=");
            sb.append(k).append('=').append(quote ? "\"" + v + "\"" : v);
        });
        return sb.append('}').toString();
    }
}
