package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's smoke run is the README's first command; it must keep working end to end. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theSmokeRunPassesEveryStepAndLeavesNothingRunning() {
        System.setProperty("ferry.home", Path.of("").toAbsolutePath().getParent().toString());
        CliRun run = CliRun.of("demo", "--smoke", "--requests", "50", "--data-dir", dir.toString());
        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.out())
                .contains("[6/6]")
                .contains("view     credit_history     CREATED (version 1)")
                .contains("quality                  SUCCEEDED")
                .contains("training set: 1000 rows")
                .contains("register[max_depth=3]")
                .contains("credit-risk@1").contains("credit-risk@2")
                .contains("failed: 0")
                // every applicant in the demo data has a credit history and a zip code online
                .contains("answers with stored features not found: 0;")
                // the challenger's rollout passed its offline check against the champion's held-out AUC
                .contains("gate offline                PASS")
                .contains("Demo smoke run: every step worked.");
        assertThat(DemoCommand.keepRunning()).isFalse();
    }
}
