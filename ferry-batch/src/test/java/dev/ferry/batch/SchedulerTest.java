package dev.ferry.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler under a clock the test moves and an executor the test drains, so missed runs and
 * overlapping runs happen exactly when the test says: every decision is checked in the durable
 * run history.
 */
class SchedulerTest {

    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final CronSchedule EVERY_TWO_HOURS = CronSchedule.parse("0 */2 * * *", ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Holds submitted runs until the test runs them, so a run stays "running" as long as the test likes. */
    static final class HeldRuns implements Executor {
        final List<Runnable> pending = new ArrayList<>();

        @Override
        public void execute(Runnable r) {
            pending.add(r);
        }

        void runNext() {
            pending.remove(0).run();
        }

        void runAll() {
            while (!pending.isEmpty()) {
                runNext();
            }
        }
    }

    final AtomicInteger runs = new AtomicInteger();

    Scheduler.Job job(MissedRunPolicy missed, OverlapPolicy overlap) {
        return new Scheduler.Job("trending", EVERY_TWO_HOURS, missed, overlap,
                () -> new BatchResult("source", "online view trending@" + runs.incrementAndGet(), 42, 1, List.of(), Duration.ofSeconds(3)));
    }

    Scheduler scheduler(MutableClock clock, HeldRuns runner, Scheduler.Job job) {
        return new Scheduler(List.of(job), RunHistory.in(dir), clock, runner, Duration.ofMinutes(1));
    }

    List<String> history() {
        return RunHistory.in(dir).list("trending").stream().map(r -> r.scheduledFor() + " " + r.status()).toList();
    }

    @Test
    void aRunStartsAtItsFireTimeAndItsRecordSaysWhatItDid() {
        MutableClock clock = new MutableClock(T0.plusSeconds(60));
        HeldRuns runner = new HeldRuns();
        Scheduler s = scheduler(clock, runner, job(MissedRunPolicy.SKIP, OverlapPolicy.SKIP));
        s.tick();
        assertThat(runner.pending).isEmpty();
        assertThat(s.nextFire()).hasValue(Instant.parse("2026-03-02T10:00:00Z"));

        clock.set(Instant.parse("2026-03-02T10:00:05Z"));
        s.tick();
        s.tick();
        assertThat(runner.pending).hasSize(1);
        clock.advance(Duration.ofSeconds(30));
        runner.runAll();

        List<RunRecord> records = RunHistory.in(dir).list("trending");
        assertThat(records).hasSize(1);
        RunRecord r = records.get(0);
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.scheduledFor()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(r.start()).isEqualTo(Instant.parse("2026-03-02T10:00:35Z"));
        assertThat(r.end()).hasValue(Instant.parse("2026-03-02T10:00:35Z"));
        assertThat(r.rowsScored()).isEqualTo(42);
        assertThat(r.rowsSkipped()).isEqualTo(1);
        assertThat(r.target()).hasValue("online view trending@1");
        assertThat(r.error()).isEmpty();
    }

    @Test
    void aRunIsRecordedAsRunningWhileItGoesAndAsFailedWithItsErrorWhenItFails() {
        MutableClock clock = new MutableClock(T0.plusSeconds(60));
        HeldRuns runner = new HeldRuns();
        List<List<RunStatus>> seenDuring = new ArrayList<>();
        Scheduler s = new Scheduler(List.of(new Scheduler.Job("trending", EVERY_TWO_HOURS, MissedRunPolicy.SKIP, OverlapPolicy.SKIP, () -> {
            seenDuring.add(RunHistory.in(dir).list("trending").stream().map(RunRecord::status).toList());
            throw new InvalidInputException("row 7: feature 'price' was 'abc'");
        })), RunHistory.in(dir), clock, runner, Duration.ofMinutes(1));
        clock.set(Instant.parse("2026-03-02T10:00:00Z"));
        s.tick();
        runner.runAll();
        assertThat(seenDuring).containsExactly(List.of(RunStatus.RUNNING));
        RunRecord r = RunHistory.in(dir).list("trending").get(0);
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.error()).hasValue("row 7: feature 'price' was 'abc'");
    }

    /** Runs the 08:00 fire time, then "stops" the scheduler; returns a clock for the restart. */
    MutableClock ranAtEightThenStopped() {
        MutableClock clock = new MutableClock(T0.minusSeconds(60));
        HeldRuns runner = new HeldRuns();
        Scheduler s = scheduler(clock, runner, job(MissedRunPolicy.SKIP, OverlapPolicy.SKIP));
        clock.set(T0);
        s.tick();
        runner.runAll();
        assertThat(history()).containsExactly("2026-03-02T08:00:00Z SUCCEEDED");
        return clock;
    }

    @Test
    void missedRunsAreSkippedAndRecordedUnderTheSkipPolicy() {
        MutableClock clock = ranAtEightThenStopped();
        clock.set(Instant.parse("2026-03-02T14:30:00Z"));
        HeldRuns runner = new HeldRuns();
        Scheduler restarted = scheduler(clock, runner, job(MissedRunPolicy.SKIP, OverlapPolicy.SKIP));
        restarted.tick();
        assertThat(runner.pending).isEmpty();
        assertThat(history()).containsExactly("2026-03-02T08:00:00Z SUCCEEDED", "2026-03-02T14:00:00Z SKIPPED_MISSED");
        assertThat(RunHistory.in(dir).list("trending").get(1).error().orElseThrow()).contains("3 run(s) missed");

        clock.set(Instant.parse("2026-03-02T16:00:10Z"));
        restarted.tick();
        runner.runAll();
        assertThat(history()).endsWith("2026-03-02T16:00:00Z SUCCEEDED");
    }

    @Test
    void underTheSkipPolicyAnOnTimeFireStillRunsAfterEarlierMissedOnes() {
        MutableClock clock = ranAtEightThenStopped();
        clock.set(Instant.parse("2026-03-02T14:00:20Z"));
        HeldRuns runner = new HeldRuns();
        scheduler(clock, runner, job(MissedRunPolicy.SKIP, OverlapPolicy.SKIP)).tick();
        runner.runAll();
        assertThat(history()).containsExactly("2026-03-02T08:00:00Z SUCCEEDED", "2026-03-02T10:00:00Z SKIPPED_MISSED",
                "2026-03-02T14:00:00Z SUCCEEDED");
    }

    @Test
    void missedRunsAreCaughtUpWithOneRunUnderTheRunOncePolicy() {
        MutableClock clock = ranAtEightThenStopped();
        clock.set(Instant.parse("2026-03-02T14:30:00Z"));
        HeldRuns runner = new HeldRuns();
        Scheduler restarted = scheduler(clock, runner, job(MissedRunPolicy.RUN_ONCE, OverlapPolicy.SKIP));
        restarted.tick();
        restarted.tick();
        assertThat(runner.pending).hasSize(1);
        runner.runAll();
        assertThat(history()).containsExactly("2026-03-02T08:00:00Z SUCCEEDED", "2026-03-02T14:00:00Z SUCCEEDED");
    }

    @Test
    void aFireTimeDuringARunningRunIsSkippedUnderTheSkipOverlapPolicy() {
        MutableClock clock = new MutableClock(T0.plusSeconds(1));
        HeldRuns runner = new HeldRuns();
        Scheduler s = scheduler(clock, runner, job(MissedRunPolicy.SKIP, OverlapPolicy.SKIP));
        clock.set(Instant.parse("2026-03-02T10:00:00Z"));
        s.tick();
        clock.set(Instant.parse("2026-03-02T12:00:00Z"));
        s.tick();
        assertThat(runner.pending).hasSize(1);
        runner.runAll();
        assertThat(history()).containsExactly("2026-03-02T10:00:00Z SUCCEEDED", "2026-03-02T12:00:00Z SKIPPED_OVERLAP");
    }

    @Test
    void aFireTimeDuringARunningRunWaitsForItUnderTheQueuePolicyAndOnlyOneWaits() {
        MutableClock clock = new MutableClock(T0.plusSeconds(1));
        HeldRuns runner = new HeldRuns();
        Scheduler s = scheduler(clock, runner, job(MissedRunPolicy.SKIP, OverlapPolicy.QUEUE));
        for (String t : List.of("10:00:00", "12:00:00", "14:00:00")) {
            clock.set(Instant.parse("2026-03-02T" + t + "Z"));
            s.tick();
        }
        assertThat(runner.pending).hasSize(1);
        runner.runNext();
        assertThat(runner.pending).as("the queued run starts when the first ends").hasSize(1);
        runner.runNext();
        assertThat(runner.pending).isEmpty();
        assertThat(history()).containsExactly("2026-03-02T10:00:00Z SUCCEEDED", "2026-03-02T12:00:00Z SUCCEEDED",
                "2026-03-02T14:00:00Z SKIPPED_OVERLAP");
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void aScheduleFileIsParsedWithPathsRelativeToIt() throws Exception {
        Path data = Fixture.writeParquet(dir.resolve("items.parquet"), Fixture.rows(10, 1, 1));
        Path file = dir.resolve("schedules.yaml");
        Files.writeString(file, """
                schedules:
                  - name: trending
                    cron: "0 */2 * * *"
                    missed: run-once
                    overlap: queue
                    model: popularity
                    ref: champion
                    source: {parquet: items.parquet}
                    keys: [id]
                    online: trending_products
                    parquet: out/trending.parquet
                    chunk-rows: 500
                    workers: 1
                    bad-rows: skip
                """);
        List<ScheduleFile.Entry> entries = ScheduleFile.load(file, sql -> {
            throw new AssertionError("no sql source here");
        });
        assertThat(entries).hasSize(1);
        ScheduleFile.Entry e = entries.get(0);
        assertThat(e.name()).isEqualTo("trending");
        assertThat(e.cron().expression()).isEqualTo("0 */2 * * *");
        assertThat(e.missed()).isEqualTo(MissedRunPolicy.RUN_ONCE);
        assertThat(e.overlap()).isEqualTo(OverlapPolicy.QUEUE);
        assertThat(e.spec().model()).isEqualTo("popularity");
        assertThat(e.spec().modelRef()).isEqualTo("champion");
        assertThat(e.spec().source().describe()).contains(data.toString());
        assertThat(e.spec().onlineView()).hasValue("trending_products");
        assertThat(e.spec().parquet()).hasValue(dir.resolve("out/trending.parquet").toAbsolutePath());
        assertThat(e.spec().chunkRows()).isEqualTo(500);
        assertThat(e.spec().badRows()).isEqualTo(BadRowPolicy.SKIP);
    }

    @Test
    void aScheduleFileWithSeveralMistakesReportsThemAllNamingEntryKeyAndValue() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                schedules:
                  - name: a
                    cron: "every two hours"
                    missed: sometimes
                    model: m
                    source: {parquet: x.parquet}
                    online: a
                    keys: [id]
                  - name: b
                    cron: "0 * * * *"
                    overlap: wait
                    source: {excel: y.xlsx}
                """);
        assertThatThrownBy(() -> ScheduleFile.load(file, sql -> null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("schedules[0].cron was 'every two hours'")
                .hasMessageContaining("schedules[0].missed was 'sometimes' but it must be one of [skip, run-once]")
                .hasMessageContaining("x.parquet")
                .hasMessageContaining("schedules[1].overlap was 'wait' but it must be one of [skip, queue]")
                .hasMessageContaining("schedules[1].model is missing")
                .hasMessageContaining("schedules[1].source was 'excel'");
    }
}
