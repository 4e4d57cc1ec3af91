package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.Arm;
import dev.ferry.serving.ModelRef;
import dev.ferry.serving.ServingEngine;
import dev.ferry.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers, each with its own serving engine and rollout engine, sharing one real PostgreSQL:
 * one drives, the other follows and reports its traffic, and takes over when the first stops.
 */
class PostgresTwoDriversTest {

    @TempDir
    Path dir;

    @Test
    void exactlyOneServerDrivesARolloutOnEveryServersTrafficAndTheOtherTakesOverWhenItStops() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        try (RolloutFixture f = new RolloutFixture(dir)) {
            f.model(1, 1, 0, 0.80, "");
            f.model(1, 1, 0, 0.80, "");
            ServingEngine servingA = f.serving("credit@1");
            ServingEngine servingB = f.serving("credit@1");
            List<Transition> byA = new CopyOnWriteArrayList<>();
            List<Transition> byB = new CopyOnWriteArrayList<>();
            Duration ttl = Duration.ofMinutes(5);
            RolloutEngine a = f.rollouts(servingA, PostgresRolloutStore.open(db.jdbcUrl(), db.user(), db.password()))
                    .owner("server-a").leaseTtl(ttl).listener((s, t) -> byA.add(t)).build();
            RolloutEngine b = f.rollouts(servingB, PostgresRolloutStore.open(db.jdbcUrl(), db.user(), db.password()))
                    .owner("server-b").leaseTtl(ttl).listener((s, t) -> byB.add(t)).build();
            f.closeables.add(a);
            f.closeables.add(b);
            String id = a.start(RolloutEngineTest.plan("credit@2"), "alice").id();

            // all traffic reaches server B, which does not drive: A judges on B's reports
            RolloutState s = null;
            for (int i = 0; i < 30; i++) {
                f.traffic(servingB, 6_000);
                a.tick();
                b.tick();
                s = a.status(id);
                if (s.label().equals("CANARY 25%")) {
                    break;
                }
                f.clock.advance(Duration.ofMinutes(1));
            }
            assertThat(s.label()).isEqualTo("CANARY 25%");
            assertThat(byA).extracting(Transition::to).containsExactly("OFFLINE", "SHADOW", "CANARY 5%", "CANARY 10%", "CANARY 25%");
            assertThat(byB).isEmpty();
            // the follower routes as the driver decided
            assertThat(servingB.deployment("credit").orElseThrow().arms()).extracting(Arm::weight).containsExactly(75.0, 25.0);

            // server A stops ticking without a word (a crash: its lease is not released); B waits for the lease to expire
            f.clock.advance(Duration.ofMinutes(1));
            f.traffic(servingB, 3_000);
            b.tick();
            assertThat(byB).isEmpty();
            f.clock.advance(ttl);
            for (int i = 0; i < 30 && !s.stage().terminal(); i++) {
                f.traffic(servingB, 3_000);
                b.tick();
                s = b.status(id);
                f.clock.advance(Duration.ofMinutes(1));
            }
            assertThat(s.stage()).isEqualTo(Stage.COMPLETED);
            assertThat(byB).extracting(Transition::to).containsExactly("FULL", "WATCH", "COMPLETED");
            assertThat(byA).hasSize(5);
            assertThat(servingB.deployment("credit").orElseThrow().arms()).containsExactly(new Arm("main", ModelRef.parse("credit@2"), 1));
        }
    }
}
