package dev.ferry.monitoring.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.alert.AlertEvaluator;
import dev.ferry.monitoring.alert.AlertEvent;
import dev.ferry.monitoring.alert.AlertRules;
import dev.ferry.monitoring.alert.ScoreBoard;
import dev.ferry.monitoring.alert.ScoreKey;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.InMemoryPredictionLog;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.testing.MutableClock;
import dev.ferry.types.Row;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveQualityMonitorTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final LiveQualityConfig CONFIG = LiveQualityConfig.parse("""
            window: 1h
            features:
              income: {min: 0, max: 100000}
              country: {allowed: ["NO", "SE"]}
            """, "live.yaml");

    final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final ScoreBoard board = new ScoreBoard(prometheus);
    final LiveQualityMonitor monitor = new LiveQualityMonitor(CONFIG, board);

    static PredictionRecord served(int i, Instant at, int version, Object income, Object country, boolean degraded) {
        Map<String, Object> f = new HashMap<>();
        f.put("income", income);
        f.put("country", country);
        f.put("age", i % 5 == 0 ? null : 30 + i);
        return new PredictionRecord("r" + i, at, "credit", "champion", "credit-model", version, false, AnswerSource.MODEL,
                degraded, Map.of("user_id", i), new Row(f), Row.of("score", 0.5));
    }

    @Test
    void nullAndOutOfRangeRatesPerFeatureBecomeScoresAndGauges() {
        List<PredictionRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Object income = i < 2 ? null : i < 5 ? -1.0 : 1000.0 * i;
            Object country = i % 4 == 0 ? "DK" : "NO";
            batch.add(served(i, T0.plusSeconds(i), 3, income, country, i < 3));
        }
        InMemoryPredictionLog log = new InMemoryPredictionLog();
        PredictionLogSink.all(List.of(log, monitor)).write(batch);

        assertThat(board.get(ScoreKey.parse("live.null_rate{deployment=credit,version=3,feature=income}"))).isEqualTo(0.1);
        assertThat(board.get(ScoreKey.parse("live.out_of_range_rate{deployment=credit,version=3,feature=income}"))).isEqualTo(0.15);
        assertThat(board.get(ScoreKey.parse("live.out_of_range_rate{deployment=credit,version=3,feature=country}"))).isEqualTo(0.25);
        assertThat(board.get(ScoreKey.parse("live.null_rate{deployment=credit,version=3,feature=age}"))).isEqualTo(0.2);
        assertThat(board.get(ScoreKey.parse("live.out_of_range_rate{deployment=credit,version=3,feature=age}"))).isNaN();
        assertThat(board.get(ScoreKey.parse("live.degraded_rate{deployment=credit,version=3}"))).isEqualTo(0.15);
        assertThat(board.get(ScoreKey.parse("live.predictions{deployment=credit,version=3}"))).isEqualTo(20);
        assertThat(prometheus.scrape())
                .contains("ferry_monitor_live_null_rate{deployment=\"credit\",feature=\"income\",version=\"3\"} 0.1");
        assertThat(log.records()).hasSize(20);
    }

    @Test
    void aNewWindowStartsItsOwnCountsAndVersionsAreKeptApart() {
        monitor.write(List.of(served(1, T0, 3, null, "NO", false), served(2, T0.plusSeconds(10), 4, 5.0, "NO", false)));
        monitor.write(List.of(served(3, T0.plusSeconds(3600), 3, 10.0, "NO", false)));
        // a late record of the earlier window is counted there but does not move the published score
        monitor.write(List.of(served(4, T0.plusSeconds(20), 3, null, "NO", false)));

        assertThat(board.get(ScoreKey.parse("live.null_rate{deployment=credit,version=3,feature=income}"))).isEqualTo(0.0);
        assertThat(board.get(ScoreKey.parse("live.null_rate{deployment=credit,version=4,feature=income}"))).isEqualTo(0.0);
        List<WindowQuality> w = monitor.windows();
        assertThat(w).extracting(q -> q.version() + "@" + q.windowStart() + "=" + q.features().get("income").nulls())
                .containsExactly("3@2024-05-01T10:00:00Z=2", "3@2024-05-01T11:00:00Z=0", "4@2024-05-01T10:00:00Z=0");
    }

    @Test
    void aSustainedNullRateFiresAnAlertRule() {
        MutableClock clock = new MutableClock(T0);
        List<AlertEvent> events = new ArrayList<>();
        AlertEvaluator alerts = new AlertEvaluator(AlertRules.parse("""
                rules:
                  - name: income-nulls
                    score: live.null_rate{feature=income}
                    when: ">"
                    threshold: 0.05
                    for: 10m
                """, "rules.yaml"), clock, List.of(events::add), prometheus);
        for (int minute = 0; minute <= 10; minute += 5) {
            monitor.write(List.of(served(minute, clock.instant(), 3, null, "NO", false), served(minute + 1, clock.instant(), 3, 1.0, "NO", false)));
            alerts.evaluate(board);
            clock.advance(Duration.ofMinutes(5));
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
            assertThat(e.score().toString()).isEqualTo("live.null_rate{deployment=credit,feature=income,version=3}");
            assertThat(e.value()).isEqualTo(0.5);
        });
    }

    @Test
    void aBadConfigNamesFileFeatureAndField() {
        assertThatThrownBy(() -> LiveQualityConfig.parse("""
                window: often
                features:
                  income: {min: 10, max: 1}
                  country: {allowed: []}
                """, "live.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("live.yaml: field 'window' was 'often' but a positive duration like 1h or 15m is expected")
                .hasMessageContaining("live.yaml: feature 'income': fields 'min' and 'max' were 10 and 1 but two numbers with min <= max are expected")
                .hasMessageContaining("live.yaml: feature 'country': field 'allowed' was [] but a non-empty list is expected");
    }
}
