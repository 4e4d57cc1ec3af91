package dev.ferry.monitoring.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ScoreBoardTest {

    @Test
    void everyScoreIsAGaugeInThePrometheusScrape() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScoreBoard board = new ScoreBoard(prometheus);
        board.set(ScoreKey.parse("accuracy{deployment=credit,arm=champion}"), 0.91);
        board.set(ScoreKey.parse("drift.psi{feature=income}"), 0.05);
        board.set(ScoreKey.parse("accuracy{deployment=credit,arm=champion}"), 0.87);
        String scrape = prometheus.scrape();
        assertThat(scrape).contains("ferry_monitor_accuracy{arm=\"champion\",deployment=\"credit\"} 0.87");
        assertThat(scrape).contains("ferry_monitor_drift_psi{feature=\"income\"} 0.05");
        assertThat(board.get(ScoreKey.parse("accuracy{arm=champion,deployment=credit}"))).isEqualTo(0.87);
        assertThat(board.get(ScoreKey.parse("never.set"))).isNaN();
    }
}
