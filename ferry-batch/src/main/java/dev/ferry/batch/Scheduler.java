package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Runs jobs on cron schedules. {@link #tick} looks at the clock once and starts what is due on
 * the runner executor; {@link #runUntilInterrupted} calls it whenever the next fire time comes.
 * Every run, started or skipped, is recorded in the {@link RunHistory}, and a restarted scheduler
 * resumes after the latest fire time recorded there, applying the {@link MissedRunPolicy} to
 * fire times it missed while down. A fire time that comes while the job's previous run is still
 * going follows the {@link OverlapPolicy}. Clock and executor are injected, so tests drive time.
 */
public final class Scheduler {

    /** A job on a schedule. */
    public record Job(String name, CronSchedule cron, MissedRunPolicy missed, OverlapPolicy overlap, Task task) {
        public Job {
            dev.ferry.online.OnlineStore.checkView(name);
            Objects.requireNonNull(cron, "cron");
            Objects.requireNonNull(missed, "missed");
            Objects.requireNonNull(overlap, "overlap");
            Objects.requireNonNull(task, "task");
        }
    }

    /** The work of one run. */
    @FunctionalInterface
    public interface Task {
        BatchResult run();
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, State> states = new LinkedHashMap<>();
    private final RunHistory history;
    private final Clock clock;
    private final Executor runner;
    private final Duration grace;

    private static final class State {
        Instant lastHandled;
        boolean running;
        Instant queued;
    }

    /**
     * A scheduler over {@code jobs}. {@code grace} is how late a fire time may be noticed and still
     * count as on time (not missed).
     */
    public Scheduler(List<Job> jobs, RunHistory history, Clock clock, Executor runner, Duration grace) {
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.grace = Objects.requireNonNull(grace, "grace");
        Set<String> names = new HashSet<>();
        Instant now = clock.instant();
        for (Job j : jobs) {
            if (!names.add(j.name())) {
                throw new InvalidInputException("schedule name '" + j.name() + "' appears twice but names must be unique");
            }
            this.jobs.put(j.name(), j);
            State s = new State();
            s.lastHandled = history.lastScheduled(j.name()).orElse(now);
            states.put(j.name(), s);
        }
    }

    /** Starts (or records as skipped) every run due at the clock's current time. */
    public synchronized void tick() {
        Instant now = clock.instant();
        for (Job job : jobs.values()) {
            State s = states.get(job.name());
            Optional<Instant> due = job.cron().latestAtOrBefore(now);
            if (due.isEmpty() || !due.get().isAfter(s.lastHandled)) {
                continue;
            }
            Instant latest = due.get();
            Instant before = s.lastHandled;
            int earlier = job.cron().countBetween(before, latest, 100_000);
            boolean late = Duration.between(latest, now).compareTo(grace) > 0;
            s.lastHandled = latest;
            if (job.missed() == MissedRunPolicy.SKIP) {
                if (late) {
                    skip(job, latest, RunStatus.SKIPPED_MISSED, (earlier + 1) + " run(s) missed: fire time " + latest
                            + " was noticed at " + now + ", later than the grace of " + grace);
                    continue;
                }
                if (earlier > 0) {
                    skip(job, job.cron().nextAfter(before).orElse(latest), RunStatus.SKIPPED_MISSED,
                            earlier + " run(s) missed between " + before + " and " + latest);
                }
            }
            start(job, s, latest);
        }
    }

    /** The earliest next fire time of any job after now. */
    public synchronized Optional<Instant> nextFire() {
        Instant now = clock.instant();
        return jobs.values().stream().map(j -> j.cron().nextAfter(now)).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /** Ticks at every fire time until the thread is interrupted. */
    public void runUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            tick();
            Instant next = nextFire().orElse(clock.instant().plus(Duration.ofMinutes(1)));
            long wait = Math.max(50, Math.min(Duration.between(clock.instant(), next).toMillis() + 5, 30_000));
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void start(Job job, State s, Instant scheduledFor) {
        if (s.running) {
            if (job.overlap() == OverlapPolicy.QUEUE && s.queued == null) {
                s.queued = scheduledFor;
            } else {
                skip(job, scheduledFor, RunStatus.SKIPPED_OVERLAP, s.queued != null && job.overlap() == OverlapPolicy.QUEUE
                        ? "a run for " + s.queued + " is already queued behind the running one"
                        : "the previous run was still going");
            }
            return;
        }
        s.running = true;
        String runId = STAMP.format(scheduledFor) + "-" + UUID.randomUUID().toString().substring(0, 8);
        runner.execute(() -> run(job, s, runId, scheduledFor));
    }

    private void run(Job job, State s, String runId, Instant scheduledFor) {
        Instant started = clock.instant();
        try {
            history.put(new RunRecord(RunHistory.FORMAT, job.name(), runId, scheduledFor, started, Optional.empty(), RunStatus.RUNNING,
                    0, 0, Optional.empty(), Optional.empty()));
            BatchResult r = job.task().run();
            history.put(new RunRecord(RunHistory.FORMAT, job.name(), runId, scheduledFor, started, Optional.of(clock.instant()),
                    RunStatus.SUCCEEDED, r.rowsScored(), r.rowsSkipped(), Optional.of(r.target()), Optional.empty()));
        } catch (RuntimeException e) {
            history.put(new RunRecord(RunHistory.FORMAT, job.name(), runId, scheduledFor, started, Optional.of(clock.instant()),
                    RunStatus.FAILED, 0, 0, Optional.empty(), Optional.of(String.valueOf(e.getMessage()))));
        } finally {
            synchronized (this) {
                s.running = false;
                if (s.queued != null) {
                    Instant next = s.queued;
                    s.queued = null;
                    start(job, s, next);
                }
            }
        }
    }

    private void skip(Job job, Instant scheduledFor, RunStatus status, String why) {
        Instant now = clock.instant();
        history.put(new RunRecord(RunHistory.FORMAT, job.name(), STAMP.format(scheduledFor) + "-" + UUID.randomUUID().toString().substring(0, 8),
                scheduledFor, now, Optional.of(now), status, 0, 0, Optional.empty(), Optional.of(why)));
    }

    /** Job names in order. */
    public List<String> names() {
        return new ArrayList<>(jobs.keySet());
    }
}
