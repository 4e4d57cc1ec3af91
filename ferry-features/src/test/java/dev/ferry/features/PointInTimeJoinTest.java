package dev.ferry.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.types.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time joins on generated data (ties on event time, expired rows, rows written late,
 * entities without features) against a plain Java reference of the rule.
 */
class PointInTimeJoinTest {

    static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    static final Duration SCORE_MAX_AGE = Duration.ofHours(3);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    record ScoreRow(long user, Instant event, Instant created, double score, String band) {
    }

    record OrderRow(String merchant, Instant event, int orders, float[] embedding) {
    }

    record EntityRow(long user, String merchant, Instant time, int label) {
    }

    @TempDir
    Path dir;

    final Random random = new Random(20240301);
    final List<ScoreRow> scores = new ArrayList<>();
    final List<OrderRow> orders = new ArrayList<>();
    final List<EntityRow> entities = new ArrayList<>();
    FeatureRegistry registry;

    @BeforeEach
    void generate() throws IOException {
        // Event times on a 30-minute grid make ties common; created times are distinct so the
        // tie-break is well defined. Users 40..49 never get a score (entities with no features).
        for (int i = 0; i < 3000; i++) {
            long user = random.nextInt(40);
            Instant event = T0.plus(Duration.ofMinutes(30L * random.nextInt(200)));
            // Some rows are written long after their event time (late data); the join still uses event time.
            Instant created = event.plusSeconds(i % 7 == 0 ? 86_400L + i : i);
            scores.add(new ScoreRow(user, event, created, Math.round(random.nextDouble() * 1e6) / 1e3, "b" + random.nextInt(5)));
        }
        for (int i = 0; i < 500; i++) {
            String merchant = "m" + random.nextInt(20);
            Instant event = T0.plus(Duration.ofSeconds(i * 211L + random.nextInt(200)));
            orders.add(new OrderRow(merchant, event, random.nextInt(1000), new float[] {i, i / 2f, -i}));
        }
        for (int i = 0; i < 2000; i++) {
            long user = random.nextInt(50);
            String merchant = "m" + random.nextInt(22); // m20, m21 have no orders
            Instant time = T0.plus(Duration.ofMinutes(random.nextInt(6500)));
            if (i % 50 == 0) {
                time = T0.plus(Duration.ofMinutes(30L * random.nextInt(200))); // exactly on an event time
            }
            entities.add(new EntityRow(user, merchant, time, random.nextInt(2)));
        }
        write(dir.resolve("scores.csv"), "user_id,event_timestamp,created_timestamp,score,band",
                scores.stream().map(s -> s.user() + "," + ts(s.event()) + "," + ts(s.created()) + "," + s.score() + "," + s.band()).toList());
        write(dir.resolve("orders.csv"), "merchant_id,ts,orders,embedding",
                orders.stream().map(o -> o.merchant() + "," + ts(o.event()) + "," + o.orders() + ",\"["
                        + o.embedding()[0] + ", " + o.embedding()[1] + ", " + o.embedding()[2] + "]\"").toList());
        write(dir.resolve("entities.csv"), "user_id,merchant_id,event_timestamp,label",
                entities.stream().map(e -> e.user() + "," + e.merchant() + "," + ts(e.time()) + "," + e.label()).toList());
        registry = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(), CLOCK);
        registry.apply(FeatureRepository.builder()
                .entity(Entity.of("user", new JoinKey("user_id", dev.ferry.types.ScalarType.INT64)))
                .entity(Entity.of("merchant", new JoinKey("merchant_id", dev.ferry.types.ScalarType.STRING)))
                .view(FeatureView.builder("user_scores").entity("user").source(CsvSource.of(dir.resolve("scores.csv")))
                        .createdTime("created_timestamp").maxAge(SCORE_MAX_AGE)
                        .feature("score", "float64").feature("band", "string").build())
                .view(FeatureView.builder("merchant_orders").entity("merchant").source(CsvSource.of(dir.resolve("orders.csv")))
                        .eventTime("ts").feature("orders", "int32").feature("embedding", "float32[3]").build())
                .build());
    }

    @Test
    void everyEntityRowGetsTheLatestFeatureRowAtOrBeforeItsTimeWithinMaxAge() {
        Path out = dir.resolve("train.parquet");
        try (OfflineStore store = OfflineStore.open(registry, CLOCK)) {
            TrainingSetManifest m = store.trainingSet(TrainingSetRequest.builder()
                    .entities(EntityRows.file(dir.resolve("entities.csv")))
                    .features("user_scores", "merchant_orders:orders", "merchant_orders:embedding")
                    .output(out).build());
            List<Row> rows = store.sql("SELECT * FROM read_parquet('" + out + "')", 10_000).rows();
            assertThat(rows).hasSize(entities.size());
            long scoreMatches = 0;
            long orderMatches = 0;
            for (int i = 0; i < entities.size(); i++) {
                EntityRow e = entities.get(i);
                Row r = rows.get(i);
                assertThat(r.get("user_id")).as("row %d keeps entity order", i).isEqualTo(e.user());
                assertThat(r.get("event_timestamp")).isEqualTo(e.time());
                assertThat(r.get("label")).isEqualTo((long) e.label());
                ScoreRow s = expectedScore(e);
                assertThat(r.get("user_scores__score")).as("row %d score", i).isEqualTo(s == null ? null : s.score());
                assertThat(r.get("user_scores__band")).as("row %d band", i).isEqualTo(s == null ? null : s.band());
                OrderRow o = expectedOrder(e);
                assertThat(r.get("merchant_orders__orders")).as("row %d orders", i).isEqualTo(o == null ? null : o.orders());
                assertThat(r.get("merchant_orders__embedding")).as("row %d embedding", i)
                        .isEqualTo(o == null ? null : List.of(o.embedding()[0], o.embedding()[1], o.embedding()[2]));
                scoreMatches += s == null ? 0 : 1;
                orderMatches += o == null ? 0 : 1;
            }
            assertThat(m.views()).extracting(TrainingSetManifest.ViewSummary::matched).containsExactly(scoreMatches, orderMatches);
            // The generated data must exercise every branch of the rule, or this test proves little.
            assertThat(scoreMatches).isBetween(100L, entities.size() - 100L);
            assertThat(entities.stream().filter(e -> e.user() >= 40).count()).isPositive();
        }
    }

    @Test
    void entityRowsCanComeFromASqlQueryOverTheOfflineStore() {
        Path out = dir.resolve("from-query.csv");
        try (OfflineStore store = OfflineStore.open(registry, CLOCK)) {
            TrainingSetManifest m = store.trainingSet(TrainingSetRequest.builder()
                    .entities(EntityRows.query("SELECT DISTINCT user_id, event_timestamp FROM user_scores WHERE user_id < 5"))
                    .features("user_scores:score").output(out).build());
            long distinct = scores.stream().filter(s -> s.user() < 5).map(s -> s.user() + "@" + s.event()).distinct().count();
            assertThat(m.entities().rows()).isEqualTo(distinct);
            // Every row asks for its own event time, so each one matches (the latest-created duplicate).
            assertThat(m.views().get(0).matched()).isEqualTo(distinct);
        }
    }

    @Test
    void latestReturnsOneRowPerEntityWithinTheTimeRange() {
        Instant from = T0.plus(Duration.ofHours(20));
        Instant to = T0.plus(Duration.ofHours(60));
        try (OfflineStore store = OfflineStore.open(registry, CLOCK);
             var stream = store.latest("user_scores", from, to)) {
            List<FeatureRecord> got = stream.sorted(Comparator.comparing(r -> (Long) r.key().get("user_id"))).toList();
            List<Long> users = scores.stream().filter(s -> !s.event().isBefore(from) && s.event().isBefore(to))
                    .map(ScoreRow::user).distinct().sorted().toList();
            assertThat(got).extracting(r -> (Long) r.key().get("user_id")).containsExactlyElementsOf(users);
            for (FeatureRecord r : got) {
                long user = (Long) r.key().get("user_id");
                ScoreRow best = scores.stream().filter(s -> s.user() == user && !s.event().isBefore(from) && s.event().isBefore(to))
                        .max(Comparator.comparing(ScoreRow::event).thenComparing(ScoreRow::created)).orElseThrow();
                assertThat(r.eventTime()).isEqualTo(best.event());
                assertThat(r.features().get("score")).isEqualTo(best.score());
                assertThat(r.features().get("band")).isEqualTo(best.band());
            }
        }
    }

    private ScoreRow expectedScore(EntityRow e) {
        return scores.stream()
                .filter(s -> s.user() == e.user() && !s.event().isAfter(e.time()) && !s.event().isBefore(e.time().minus(SCORE_MAX_AGE)))
                .max(Comparator.comparing(ScoreRow::event).thenComparing(ScoreRow::created)).orElse(null);
    }

    private OrderRow expectedOrder(EntityRow e) {
        return orders.stream().filter(o -> o.merchant().equals(e.merchant()) && !o.event().isAfter(e.time()))
                .max(Comparator.comparing(OrderRow::event)).orElse(null);
    }

    static String ts(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString();
    }

    static void write(Path file, String header, List<String> lines) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(header);
        all.addAll(lines);
        Files.write(file, all);
    }
}
