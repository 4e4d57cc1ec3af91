package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutJsonTest {

    private static JsonNode json(String text) throws Exception {
        return RolloutJson.JSON.readTree(text);
    }

    @Test
    void aPlanNeedsOnlyDeploymentAndCandidate() throws Exception {
        RolloutPlan p = RolloutJson.parsePlan(json("{\"deployment\": \"credit\", \"candidate\": \"credit@2\"}"));
        assertThat(p.canarySteps()).containsExactly(5.0, 10.0, 25.0, 100.0);
        assertThat(p.gates()).isEqualTo(GateThresholds.DEFAULTS);
        assertThat(p.offline()).isEmpty();
    }

    @Test
    void aFullPlanRoundTrips() throws Exception {
        RolloutPlan p = RolloutJson.parsePlan(json("""
                {"deployment": "credit", "candidate": "credit@2", "offline": {"metric": "logloss", "higher_is_better": false, "margin": 0.002},
                 "shadow_share": 0.5, "canary_steps": [1, 50, 100], "min_duration_seconds": 120, "min_samples": 300,
                 "watch_seconds": 600, "gates": {"confidence": 0.99, "max_divergence": 0.2}, "output": "score"}"""));
        assertThat(p.offline()).contains(new RolloutPlan.OfflineCheck("logloss", false, 0.002));
        assertThat(p.minDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.gates().confidence()).isEqualTo(0.99);
        assertThat(p.output()).contains("score");
        assertThat(RolloutJson.parsePlan(RolloutJson.plan(p))).isEqualTo(p);
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> RolloutJson.parsePlan(json("{\"deployment\": \"credit\"}"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'candidate'");
        assertThatThrownBy(() -> RolloutJson.parsePlan(json("{\"deployment\": \"credit\", \"candidate\": \"credit@2\", \"canary_steps\": [5, 50]}")))
                .hasMessageContaining("canary_steps").hasMessageContaining("100");
        assertThatThrownBy(() -> RolloutJson.parsePlan(json("{\"deployment\": \"credit\", \"candidate\": \"credit@2\", \"min_samples\": \"many\"}")))
                .hasMessageContaining("'min_samples'");
        assertThatThrownBy(() -> RolloutJson.parsePlan(json("{\"deployment\": \"credit\", \"candidate\": \"credit@2\", \"gates\": {\"confidence\": 2}}")))
                .hasMessageContaining("gates.confidence was 2.0");
        assertThatThrownBy(() -> RolloutJson.parsePlan(json("{\"deployment\": \"credit\", \"candidate\": \"credit@2\", \"speed\": 1}")))
                .hasMessageContaining("'speed'");
        assertThatThrownBy(() -> RolloutJson.parsePlan(json("{\"deployment\": \"credit\", \"candidate\": \"credit@champion\"}")))
                .hasMessageContaining("candidate").hasMessageContaining("version number");
    }

    @Test
    void aStateWithAFailureAndBaselineRoundTrips() {
        RolloutState s = RolloutStoreContract.state("credit-1", "credit", RolloutStoreContract.T0)
                .moveTo(Stage.CANARY, 1, RolloutStoreContract.T0.plusSeconds(5), "rollout", "passed")
                .withBaseline(new ArmSample(10, 1, 0, new double[] {1.5, 2.5}, new double[0], false))
                .withGates(List.of(GateResult.pass("error_rate", "fine", Map.of("z", 0.5))))
                .withFailure(GateResult.fail("latency_p99", "slow", Map.of("candidate_p99_ms", 90.0, "z", Double.POSITIVE_INFINITY)), 1.25);
        RolloutState back = RolloutJson.read(RolloutJson.write(s).toString());
        assertThat(back.label()).isEqualTo("CANARY 10%");
        assertThat(back.failure()).isEqualTo(s.failure());
        assertThat(back.rollbackMillis()).isEqualTo(Optional.of(1.25));
        assertThat(back.baseline().orElseThrow().latencyMillis()).containsExactly(1.5, 2.5);
        assertThat(back.history()).isEqualTo(s.history());
        assertThat(back.gates()).isEqualTo(s.gates());
    }
}
