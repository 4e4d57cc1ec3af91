package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as written in YAML: {@code 1d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 86400} or ISO {@code PT24H}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(d|h|m|s|ms)?");

    private Durations() {
    }

    static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = SHORT.matcher(t);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofSeconds(n);
            };
        } else {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("duration was '" + text + "' but it must look like 1d, 12h, 30m, 45s, 86400 or PT24H");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new InvalidInputException("duration was '" + text + "' but it must be positive");
        }
        return d;
    }

    static String format(Duration d) {
        return d.getSeconds() + "s";
    }
}
