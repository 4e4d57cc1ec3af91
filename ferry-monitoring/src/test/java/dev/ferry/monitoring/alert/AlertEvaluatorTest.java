package dev.ferry.monitoring.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertEvaluatorTest {

    final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"));
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ScoreBoard board = new ScoreBoard(meters);
    final List<AlertEvent> sent = new ArrayList<>();
    final AlertEvaluator evaluator = new AlertEvaluator(
            List.of(AlertRule.of("accuracy-low", "accuracy{deployment=credit}", Comparison.BELOW, 0.8, Duration.ofMinutes(30))),
            clock, List.of(sent::add), meters);

    final ScoreKey champion = ScoreKey.of("accuracy", "deployment", "credit", "arm", "champion");
    final ScoreKey holdout = ScoreKey.of("accuracy", "deployment", "credit", "arm", "holdout");

    @Test
    void aConditionFiresOnlyAfterHoldingForTheRuleDurationAndOnlyOnce() {
        board.set(champion, 0.7);
        assertThat(evaluator.evaluate(board)).isEmpty();
        clock.advance(Duration.ofMinutes(29));
        assertThat(evaluator.evaluate(board)).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        List<AlertEvent> fired = evaluator.evaluate(board);
        assertThat(fired).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
            assertThat(e.score()).isEqualTo(champion);
            assertThat(e.since()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        });
        clock.advance(Duration.ofMinutes(10));
        assertThat(evaluator.evaluate(board)).isEmpty();
        assertThat(sent).hasSize(1);
        assertThat(meters.get("ferry.monitor.alerts.firing").tag("rule", "accuracy-low").gauge().value()).isEqualTo(1.0);
        assertThat(evaluator.firing()).containsOnlyKeys("accuracy-low");
    }

    @Test
    void aBriefDipThatRecoversBeforeTheDurationNeverFires() {
        board.set(champion, 0.7);
        evaluator.evaluate(board);
        clock.advance(Duration.ofMinutes(20));
        board.set(champion, 0.9);
        evaluator.evaluate(board);
        clock.advance(Duration.ofMinutes(20));
        board.set(champion, 0.7);
        assertThat(evaluator.evaluate(board)).isEmpty();
        clock.advance(Duration.ofMinutes(20));
        assertThat(evaluator.evaluate(board)).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void aFiringSeriesResolvesOnlyAfterRecoveringForTheResolveDuration() {
        board.set(champion, 0.7);
        evaluator.evaluate(board);
        clock.advance(Duration.ofMinutes(30));
        evaluator.evaluate(board);
        board.set(champion, 0.95);
        clock.advance(Duration.ofMinutes(1));
        assertThat(evaluator.evaluate(board)).isEmpty();
        clock.advance(Duration.ofMinutes(30));
        assertThat(evaluator.evaluate(board)).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED));
        assertThat(sent).extracting(AlertEvent::state).containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
        assertThat(evaluator.firing()).isEmpty();
    }

    @Test
    void eachMatchingSeriesIsJudgedOnItsOwnAndOthersAreIgnored() {
        board.set(champion, 0.9);
        board.set(holdout, 0.5);
        board.set(ScoreKey.of("accuracy", "deployment", "fraud"), 0.1);
        evaluator.evaluate(board);
        clock.advance(Duration.ofHours(1));
        assertThat(evaluator.evaluate(board)).extracting(AlertEvent::score).containsExactly(holdout);
    }

    @Test
    void aNotifierThatFailsIsCountedAndDoesNotKeepTheEventFromTheOthers() {
        List<AlertEvent> second = new ArrayList<>();
        AlertEvaluator e = new AlertEvaluator(List.of(AlertRule.of("psi-high", "drift.psi", Comparison.ABOVE, 0.2, Duration.ZERO)),
                clock, List.of(ev -> {
                    throw new IllegalStateException("down");
                }, second::add), meters);
        board.set(ScoreKey.of("drift.psi", "feature", "income"), 0.3);
        assertThat(e.evaluate(board)).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(meters.get("ferry.monitor.alerts.notify.failed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aScoreThatIsUndefinedDoesNotHold() {
        board.set(champion, Double.NaN);
        clock.advance(Duration.ofHours(1));
        evaluator.evaluate(board);
        clock.advance(Duration.ofHours(1));
        assertThat(evaluator.evaluate(board)).isEmpty();
    }
}
