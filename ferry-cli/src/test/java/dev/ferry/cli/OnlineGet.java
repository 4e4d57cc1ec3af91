package dev.ferry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lines {@code ferry features get} prints, parsed back: one per entity row and feature. */
record OnlineGet(String entity, String feature, String value, String status, String eventTime) {

    private static final Pattern LINE = Pattern.compile("^  (\\S+)\\s+(.*?)\\s+(PRESENT|NULL_VALUE|NOT_FOUND|OUTSIDE_MAX_AGE)\\s+(\\S+)$");

    static List<OnlineGet> parse(String out) {
        List<OnlineGet> rows = new ArrayList<>();
        String entity = null;
        for (String line : out.split("\\R")) {
            if (line.startsWith("entity ")) {
                entity = line.substring("entity ".length());
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                rows.add(new OnlineGet(entity, m.group(1), m.group(2), m.group(3), m.group(4)));
            }
        }
        return rows;
    }

    static OnlineGet find(List<OnlineGet> rows, String entityFragment, String feature) {
        return rows.stream().filter(r -> r.entity().contains(entityFragment) && r.feature().equals(feature)).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + entityFragment + " " + feature + " in " + rows));
    }
}
