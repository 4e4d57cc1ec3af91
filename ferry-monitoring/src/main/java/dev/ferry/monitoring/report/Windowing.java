package dev.ferry.monitoring.report;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the analysis period is cut into windows: fixed lengths aligned to the epoch (so a day is a
 * UTC day, as {@code ferry monitor accuracy} counts them), calendar months in UTC (NannyML's
 * {@code chunk_period='M'}), or a number of chunks with equal row counts in time order (NannyML's
 * {@code chunk_number}).
 */
public sealed interface Windowing {

    /** Windows of a fixed length. */
    record Fixed(Duration length) implements Windowing {
        public Fixed {
            if (length == null || length.isZero() || length.isNegative()) {
                throw new InvalidInputException("window length was " + length + " but it must be positive");
            }
        }
    }

    /** Calendar months in UTC. */
    record Months() implements Windowing {
    }

    /** {@code count} chunks of (nearly) equal row counts in time order. */
    record Chunks(int count) implements Windowing {
        public Chunks {
            if (count <= 0) {
                throw new InvalidInputException("chunks was " + count + " but it must be a positive number");
            }
        }
    }

    /** One window: its label, first and last instant, and the rows it holds (in time order). */
    record Window(String label, Instant start, Instant end, int[] rows) {
    }

    Pattern LENGTH = Pattern.compile("(\\d+)\\s*(m|min|h|d|w)");

    /** Parses {@code 30m}, {@code 1h}, {@code 1d}, {@code 7d}, {@code 1w} or {@code month}. */
    static Windowing parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("month") || t.equals("1mo") || t.equals("1month")) {
            return new Months();
        }
        Matcher m = LENGTH.matcher(t);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new InvalidInputException("--window was '" + text + "' but a length such as 30m, 1h, 1d, 7d, 1w or 'month' is expected");
        }
        long n = Long.parseLong(m.group(1));
        return new Fixed(switch (m.group(2)) {
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        });
    }

    /** Splits rows with the given times into windows in time order; empty windows are left out. */
    default List<Window> split(List<Instant> times) {
        Integer[] order = new Integer[times.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparing((Integer i) -> times.get(i)).thenComparingInt(i -> i));
        List<Window> out = new ArrayList<>();
        switch (this) {
            case Chunks c -> {
                int n = order.length;
                int k = Math.min(c.count(), Math.max(n, 1));
                for (int j = 0; j < k && n > 0; j++) {
                    int from = (int) ((long) j * n / k);
                    int to = (int) ((long) (j + 1) * n / k);
                    int[] rows = new int[to - from];
                    for (int r = from; r < to; r++) {
                        rows[r - from] = order[r];
                    }
                    out.add(new Window("chunk " + (j + 1), times.get(rows[0]), times.get(rows[rows.length - 1]), rows));
                }
            }
            case Months m -> group(order, times, out, t -> {
                YearMonth ym = YearMonth.from(t.atOffset(ZoneOffset.UTC));
                return new Object[] {ym.toString(), ym.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                    ym.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1)};
            });
            case Fixed f -> {
                long w = f.length().toMillis();
                group(order, times, out, t -> {
                    long start = Math.floorDiv(t.toEpochMilli(), w) * w;
                    Instant s = Instant.ofEpochMilli(start);
                    String label = w % 86_400_000L == 0 ? s.toString().substring(0, 10) : s.toString();
                    return new Object[] {label, s, Instant.ofEpochMilli(start + w).minusNanos(1)};
                });
            }
        }
        return out;
    }

    private static void group(Integer[] order, List<Instant> times, List<Window> out, java.util.function.Function<Instant, Object[]> key) {
        TreeMap<Instant, List<Integer>> byStart = new TreeMap<>();
        TreeMap<Instant, Object[]> keys = new TreeMap<>();
        for (Integer i : order) {
            Object[] k = key.apply(times.get(i));
            byStart.computeIfAbsent((Instant) k[1], x -> new ArrayList<>()).add(i);
            keys.putIfAbsent((Instant) k[1], k);
        }
        byStart.forEach((start, rows) -> {
            Object[] k = keys.get(start);
            out.add(new Window((String) k[0], start, (Instant) k[2], rows.stream().mapToInt(Integer::intValue).toArray()));
        });
    }

    /** How the windows were made, in words for the report. */
    default String describe() {
        return switch (this) {
            case Fixed f -> "windows of " + f.length().toString().substring(2).toLowerCase(Locale.ROOT) + " (UTC, aligned to the epoch)";
            case Months m -> "calendar months (UTC)";
            case Chunks c -> c.count() + " chunks of equal row counts";
        };
    }
}
