package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ConflictException;
import dev.ferry.serving.ModelRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RolloutStore} must do; each implementation's test extends this. */
abstract class RolloutStoreContract {

    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    RolloutStore store;

    abstract RolloutStore open();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static RolloutState state(String id, String deployment, Instant at) {
        RolloutPlan plan = RolloutPlan.of(deployment, ModelRef.parse("credit@2"));
        return new RolloutState(id, plan, ModelRef.parse("credit@champion"), "main", 1, Stage.OFFLINE, 0, false, at, at, 0,
                List.of(new Transition(at, "", "OFFLINE", "alice", "started")), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    @Test
    void aCreatedRolloutReadsBackWhole() {
        RolloutState s = state("credit-1", "credit", T0);
        RolloutState stored = store.create(s);
        assertThat(stored.revision()).isEqualTo(1);
        assertThat(store.get("credit-1")).contains(stored);
        assertThat(store.get("missing")).isEmpty();
    }

    @Test
    void anUpdateWinsOnlyOnTheRevisionItRead() {
        RolloutState stored = store.create(state("credit-1", "credit", T0));
        RolloutState moved = store.update(stored.moveTo(Stage.SHADOW, 0, T0.plusSeconds(60), "rollout", "passed")).orElseThrow();
        assertThat(moved.revision()).isEqualTo(2);
        assertThat(store.update(stored.withPaused(true, T0, "bob", "late"))).isEmpty();
        assertThat(store.get("credit-1").orElseThrow().stage()).isEqualTo(Stage.SHADOW);
    }

    @Test
    void aDeploymentHasAtMostOneActiveRollout() {
        RolloutState first = store.create(state("credit-1", "credit", T0));
        assertThatThrownBy(() -> store.create(state("credit-2", "credit", T0.plusSeconds(1)))).isInstanceOf(ConflictException.class);
        store.create(state("other-1", "other", T0.plusSeconds(2)));
        store.update(first.moveTo(Stage.ABORTED, 0, T0.plusSeconds(3), "bob", "stop")).orElseThrow();
        store.create(state("credit-2", "credit", T0.plusSeconds(4)));
        assertThat(store.list()).extracting(RolloutState::id).containsExactly("credit-2", "other-1", "credit-1");
    }

    @Test
    void oneOwnerHoldsTheLeaseUntilItExpiresOrIsReleased() {
        store.create(state("credit-1", "credit", T0));
        Duration ttl = Duration.ofSeconds(30);
        assertThat(store.lease("credit-1", "a", T0, ttl)).isTrue();
        assertThat(store.lease("credit-1", "b", T0.plusSeconds(10), ttl)).isFalse();
        assertThat(store.lease("credit-1", "a", T0.plusSeconds(20), ttl)).isTrue();
        // renewed at 20 s, so it holds until 50 s
        assertThat(store.lease("credit-1", "b", T0.plusSeconds(45), ttl)).isFalse();
        assertThat(store.lease("credit-1", "b", T0.plusSeconds(50), ttl)).isTrue();
        assertThat(store.lease("credit-1", "a", T0.plusSeconds(51), ttl)).isFalse();
        store.release("credit-1", "a");
        assertThat(store.lease("credit-1", "a", T0.plusSeconds(52), ttl)).isFalse();
        store.release("credit-1", "b");
        assertThat(store.lease("credit-1", "a", T0.plusSeconds(53), ttl)).isTrue();
    }

    @Test
    void trafficReportsAreKeptOnePerServerAndReadByStageAndAge() {
        store.create(state("credit-1", "credit", T0));
        ArmSample seen = new ArmSample(10, 1, 0, new double[] {1.0, 2.0}, new double[] {0.5}, false);
        store.report("credit-1", new TrafficReport("a", "SHADOW", T0, seen, ArmSample.EMPTY));
        store.report("credit-1", new TrafficReport("b.json", "SHADOW", T0.plusSeconds(10), seen, seen));
        // a's next report replaces its first
        store.report("credit-1", new TrafficReport("a", "CANARY 5%", T0.plusSeconds(20), seen, seen));

        assertThat(store.reports("credit-1", "SHADOW", T0)).extracting(TrafficReport::owner).containsExactly("b.json");
        assertThat(store.reports("credit-1", "CANARY 5%", T0.plusSeconds(21))).isEmpty();
        TrafficReport back = store.reports("credit-1", "CANARY 5%", T0).getFirst();
        assertThat(back.champion().requests()).isEqualTo(10);
        assertThat(back.champion().latencyMillis()).containsExactly(1.0, 2.0);
        assertThat(back.candidate().predictions()).containsExactly(0.5);
        assertThat(store.list()).hasSize(1);
    }
}
