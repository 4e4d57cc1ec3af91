package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.ModelRef;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The built-in gates on fixed figures: no traffic, no clock, no timing. */
class GatesTest {

    static final Map<String, GateSignal> GATES = Gates.builtIn().stream().collect(Collectors.toMap(GateSignal::name, Function.identity()));

    static RolloutState state(Stage stage) {
        RolloutPlan plan = RolloutPlan.of("credit", ModelRef.parse("credit@2")).withStages(RolloutPlan.DEFAULT_STEPS, Duration.ofMinutes(1),
                100, Duration.ofMinutes(5));
        return new RolloutState("r", plan, ModelRef.parse("credit@1"), "main", 1, stage, 0, false, RolloutStoreContract.T0,
                RolloutStoreContract.T0, 1, List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static ArmSample sample(long n, long errors, long fallbacks, double latency, double predictionShift, boolean shadow) {
        double[] lat = new double[(int) n];
        double[] pred = new double[(int) n];
        for (int i = 0; i < n; i++) {
            lat[i] = latency * (1 + (i % 10) / 100.0);
            pred[i] = i / (double) n + predictionShift;
        }
        return new ArmSample(n, errors, fallbacks, lat, pred, shadow);
    }

    static GateResult check(String gate, Stage stage, ArmSample champion, ArmSample candidate, ArmSample baseline) {
        return GATES.get(gate).evaluate(new GateContext(state(stage), champion, candidate, baseline, Duration.ofMinutes(1)));
    }

    @Test
    void everyGateWaitsUntilBothSidesHaveTheMinimumSamples() {
        ArmSample few = sample(50, 40, 40, 100, 5, false);
        ArmSample many = sample(1000, 0, 0, 1, 0, false);
        for (String gate : List.of("error_rate", "fallback_rate", "latency_p99", "prediction_divergence")) {
            assertThat(check(gate, Stage.CANARY, many, few, ArmSample.EMPTY).verdict()).as(gate).isEqualTo(GateResult.Verdict.WAIT);
        }
    }

    @Test
    void theErrorRateGateFailsOnlyOnASignificantIncrease() {
        GateResult worse = check("error_rate", Stage.CANARY, sample(2000, 20, 0, 1, 0, false), sample(400, 20, 0, 1, 0, false), ArmSample.EMPTY);
        assertThat(worse.verdict()).isEqualTo(GateResult.Verdict.FAIL);
        assertThat(worse.figures()).containsEntry("candidate_rate", 0.05).containsEntry("champion_rate", 0.01);
        // 1.5 % against 1 % on 400 requests is within noise
        GateResult noise = check("error_rate", Stage.CANARY, sample(2000, 20, 0, 1, 0, false), sample(400, 6, 0, 1, 0, false), ArmSample.EMPTY);
        assertThat(noise.verdict()).isEqualTo(GateResult.Verdict.PASS);
        assertThat(noise.figures().get("p_value")).isGreaterThan(0.05);
    }

    @Test
    void theFallbackGateComparesWithTheBaselineOnceTheChampionIsOnlyMirrored() {
        ArmSample mirroredChampion = sample(1000, 0, 0, 1, 0, true);
        ArmSample candidate = sample(1000, 50, 50, 1, 0, false);
        GateResult r = check("fallback_rate", Stage.FULL, mirroredChampion, candidate, sample(1000, 5, 5, 1, 0, false));
        assertThat(r.verdict()).isEqualTo(GateResult.Verdict.FAIL);
        assertThat(r.figures()).containsEntry("champion_rate", 0.005);
        assertThat(check("fallback_rate", Stage.SHADOW, sample(1000, 0, 0, 1, 0, false), sample(1000, 0, 0, 1, 0, true), ArmSample.EMPTY)
                .verdict()).isEqualTo(GateResult.Verdict.PASS);
    }

    @Test
    void theLatencyGateAllowsTheToleranceAndTheSlackAndNoMore() {
        // champion p99 about 10.9 ms: the limit is 10.9 * 1.25 + 5 = 18.6 ms
        ArmSample champion = sample(1000, 0, 0, 10, 0, false);
        assertThat(check("latency_p99", Stage.CANARY, champion, sample(1000, 0, 0, 16, 0, false), ArmSample.EMPTY).verdict())
                .isEqualTo(GateResult.Verdict.PASS);
        GateResult slow = check("latency_p99", Stage.CANARY, champion, sample(1000, 0, 0, 18, 0, false), ArmSample.EMPTY);
        assertThat(slow.verdict()).isEqualTo(GateResult.Verdict.FAIL);
        assertThat(slow.figures().get("limit_ms")).isCloseTo(18.6, org.assertj.core.api.Assertions.within(0.05));
        // in the full stage the candidate is compared with the champion's live figures from the canary
        assertThat(check("latency_p99", Stage.FULL, sample(1000, 0, 0, 1, 0, true), sample(1000, 0, 0, 18, 0, false), champion).verdict())
                .isEqualTo(GateResult.Verdict.FAIL);
    }

    @Test
    void theDivergenceGateNeedsADistanceAboveTheMaximumThatIsAlsoSignificant() {
        ArmSample champion = sample(1000, 0, 0, 1, 0, false);
        GateResult shifted = check("prediction_divergence", Stage.CANARY, champion, sample(1000, 0, 0, 1, 0.3, false), ArmSample.EMPTY);
        assertThat(shifted.verdict()).isEqualTo(GateResult.Verdict.FAIL);
        assertThat(shifted.figures().get("ks_distance")).isCloseTo(0.3, org.assertj.core.api.Assertions.within(0.01));
        assertThat(shifted.figures().get("psi")).isGreaterThan(0.25);
        assertThat(check("prediction_divergence", Stage.CANARY, champion, sample(1000, 0, 0, 1, 0.05, false), ArmSample.EMPTY).verdict())
                .isEqualTo(GateResult.Verdict.PASS);
        assertThat(Arrays.stream(champion.predictions()).max().orElseThrow()).isLessThan(1);
    }

    @Test
    void aBaselineTooSmallToJudgeByNeverHoldsTheFullStageUp() {
        // a canary promoted by hand after a few requests leaves a baseline below the minimum
        ArmSample mirroredChampion = sample(1000, 0, 0, 1, 0, true);
        ArmSample candidate = sample(1000, 0, 0, 1, 0, false);
        ArmSample tiny = sample(10, 0, 0, 1, 0, false);
        assertThat(check("fallback_rate", Stage.FULL, mirroredChampion, candidate, tiny).verdict()).isEqualTo(GateResult.Verdict.PASS);
        assertThat(check("latency_p99", Stage.FULL, mirroredChampion, candidate, tiny).verdict()).isEqualTo(GateResult.Verdict.PASS);
        assertThat(check("latency_p99", Stage.WATCH, mirroredChampion, candidate, ArmSample.EMPTY).verdict()).isEqualTo(GateResult.Verdict.PASS);
    }
}
