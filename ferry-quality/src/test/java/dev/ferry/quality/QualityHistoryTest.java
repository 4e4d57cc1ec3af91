package dev.ferry.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run history: numbered files, read back equal, unknown formats refused, no number taken twice. */
class QualityHistoryTest {

    @TempDir
    Path dir;

    @Test
    void aRunIsReadBackAsItWasWritten() {
        QualityHistory h = QualityHistory.open(dir);
        QualityRun run = run(Instant.parse("2024-01-01T00:00:00Z"), 10, 2);

        Path f = h.record(run);

        assertThat(f.getFileName().toString()).isEqualTo("run-000001.json");
        assertThat(h.runs("t")).containsExactly(run);
        assertThat(h.trend("t", "null_rate:a")).singleElement().satisfies(p -> assertThat(p.value().getAsDouble()).isEqualTo(0.2));
        assertThat(h.trend("t", "max:a")).singleElement().satisfies(p -> assertThat(p.value().getAsDouble()).isEqualTo(9.5));
        assertThat(h.trend("t", "nulls:missing")).singleElement().satisfies(p -> assertThat(p.value()).isEmpty());
    }

    @Test
    void aFileOfAnotherFormatIsRefusedNamingItsFormat() throws Exception {
        QualityHistory h = QualityHistory.open(dir);
        Path f = h.record(run(Instant.parse("2024-01-01T00:00:00Z"), 10, 0));
        Files.writeString(f, Files.readString(f).replace("\"format\" : 1", "\"format\" : 2"));

        assertThatThrownBy(() -> h.runs("t")).isInstanceOf(InvalidInputException.class)
                .hasMessage("quality history file " + f + " has format 2 but this version of Ferry reads format 1");
    }

    @Test
    void writersRacingForTheNextNumberEachGetOneOfTheirOwn() throws Exception {
        QualityHistory h = QualityHistory.open(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> files = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int rows = i;
                files.add(pool.submit(() -> h.record(run(Instant.parse("2024-01-01T00:00:00Z"), rows, 0))));
            }
            for (Future<Path> f : files) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(h.runs("t")).extracting(r -> r.metrics().rows()).containsExactlyInAnyOrder(
                0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        try (var s = Files.list(dir.resolve("t"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp"))).isEmpty();
        }
    }

    private static QualityRun run(Instant at, long rows, long nulls) {
        Metrics m = new Metrics(rows, Map.of("a", new Metrics.ColumnStats("DOUBLE", nulls, 0, OptionalDouble.of(0.5), OptionalDouble.of(9.5))),
                Optional.of(at));
        return new QualityRun("t", "csv:x.csv", at, m,
                List.of(new CheckResult("t", "row_count", Status.FAIL, rows + " rows", "at least 1", Optional.of("known gap"))),
                List.of(new AllowedFailure("row_count", "known gap")));
    }
}
