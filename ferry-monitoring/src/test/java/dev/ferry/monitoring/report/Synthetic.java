package dev.ferry.monitoring.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * A reference and an analysis CSV made for the report tests: {@code x} shifts by 1.5 standard
 * deviations from the third analysis day on, {@code colour} keeps its shares (one value is HTML
 * markup), {@code size_kg} loses 30% of its values in the analysis, {@code code} is a number
 * in the reference and text in the analysis, and the analysis has a score {@code p} and a target
 * {@code y} whose link weakens once {@code x} drifts.
 */
final class Synthetic {

    static final String[] COLOURS = {"red", "green", "blue", "<b>red</b>"};
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final LocalDateTime START = LocalDateTime.of(2024, 1, 1, 0, 0);

    private Synthetic() {
    }

    static Path reference(Path dir) throws IOException {
        Random r = new Random(7);
        StringBuilder b = new StringBuilder("ts,id,x,colour,size_kg,code,p\n");
        for (int i = 0; i < 400; i++) {
            double x = r.nextGaussian();
            b.append(TS.format(START.minusDays(30).plusHours(i))).append(',').append(i).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", x)).append(",\"")
                    .append(COLOURS[r.nextInt(COLOURS.length)].replace("\"", "\"\"")).append("\",")
                    .append(String.format(Locale.ROOT, "%.4f", 50 + 10 * r.nextGaussian())).append(',').append(r.nextInt(5))
                    .append(',').append(String.format(Locale.ROOT, "%.4f", 1 / (1 + Math.exp(-x)))).append('\n');
        }
        Path f = dir.resolve("reference <v1> &amp.csv");
        Files.writeString(f, b);
        return f;
    }

    static Path analysis(Path dir) throws IOException {
        Random r = new Random(11);
        StringBuilder b = new StringBuilder("ts,id,x,colour,size_kg,code,p,y\n");
        for (int i = 0; i < 96; i++) {
            boolean drifted = i >= 48;
            double x = r.nextGaussian() + (drifted ? 1.5 : 0);
            double p = 1 / (1 + Math.exp(-x));
            int y = r.nextDouble() < (drifted ? 0.5 : p) ? 1 : 0;
            b.append(TS.format(START.plusHours(i))).append(',').append(10_000 + i).append(',').append(String.format(Locale.ROOT, "%.6f", x))
                    .append(",\"").append(COLOURS[r.nextInt(COLOURS.length)]).append("\",")
                    .append(r.nextDouble() < 0.3 ? "" : String.format(Locale.ROOT, "%.4f", 50 + 10 * r.nextGaussian())).append(",C")
                    .append(r.nextInt(5)).append(',').append(String.format(Locale.ROOT, "%.4f", p)).append(',').append(y).append('\n');
        }
        Path f = dir.resolve("analysis.csv");
        Files.writeString(f, b);
        return f;
    }

    static Instant day(int d) {
        return START.plusDays(d).toInstant(ZoneOffset.UTC);
    }
}
