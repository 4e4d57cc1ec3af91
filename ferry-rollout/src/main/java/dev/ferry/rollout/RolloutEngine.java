package dev.ferry.rollout;

import dev.ferry.ConflictException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.serving.Arm;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.ModelRef;
import dev.ferry.serving.ServingEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives staged rollouts on one server: each {@link #tick()} takes or renews the lease of every
 * active rollout, judges the stage of those it holds on the traffic this server served (rolling
 * back at once when a gate fails, advancing when every gate passed for the stage's minimum
 * duration and samples), and brings this server's deployments to the stage of the rollouts
 * another server drives. Stages act only through the serving engine's deployment API: weights
 * and shadow, never a restart. Time comes from the injected clock; a scheduler calls
 * {@link #tick()} in the server, tests call it by hand.
 */
public final class RolloutEngine implements AutoCloseable {

    /** The actor recorded for transitions the gates make. */
    public static final String AUTOMATIC = "rollout";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final ServingEngine serving;
    private final ModelRegistry registry;
    private final RolloutStore store;
    private final Clock clock;
    private final String owner;
    private final Duration leaseTtl;
    private final List<GateSignal> signals;
    private final RolloutListener listener;
    private final TrafficWindows windows = new TrafficWindows();
    private final AutoCloseable tap;
    /** Rollouts whose lease this engine holds. */
    private final Set<String> driving = ConcurrentHashMap.newKeySet();
    /** Rollouts whose traffic this engine counts, with the stage label its windows belong to. */
    private final Map<String, String> watched = new ConcurrentHashMap<>();
    /** The revision of each rollout this engine last brought its deployment to. */
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    private final Map<String, List<GateResult>> latest = new ConcurrentHashMap<>();
    private final Object tickLock = new Object();
    private ScheduledExecutorService scheduler;

    private RolloutEngine(Builder b) {
        this.serving = b.serving;
        this.registry = b.serving.registry();
        this.store = b.store;
        this.clock = b.clock;
        this.owner = b.owner;
        this.leaseTtl = b.leaseTtl;
        List<GateSignal> all = new ArrayList<>(Gates.builtIn());
        all.addAll(b.signals);
        this.signals = List.copyOf(all);
        this.listener = b.listener;
        this.tap = serving.addListener(windows);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Who this engine is among the servers sharing the store. */
    public String owner() {
        return owner;
    }

    static void checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,200}")) {
            throw new InvalidInputException("rollout id was '" + id + "' but it must be letters, digits, '_', '.' or '-'");
        }
    }

    // ---- commands ----

    /**
     * Starts a rollout of {@code plan.candidate()} on a deployment that serves its champion from one
     * arm. The offline check runs on the next tick; nothing changes in the deployment until the
     * shadow stage.
     */
    public RolloutState start(RolloutPlan plan, String actor) {
        DeploymentSpec spec = serving.deployment(plan.deployment()).orElseThrow(() -> new NotFoundException(
                "field 'deployment': deployment '" + plan.deployment() + "' does not exist on this server"));
        if (spec.arms().size() != 1) {
            throw new ConflictException("deployment '" + plan.deployment() + "' has the arms " + spec.arms().stream().map(Arm::name).toList()
                    + " but a rollout starts from one arm serving the champion; promote or roll back the running test first");
        }
        Arm arm = spec.arms().getFirst();
        if (arm.name().equals(RolloutState.CANDIDATE_ARM)) {
            throw new ConflictException("deployment '" + plan.deployment() + "' serves from an arm named '" + RolloutState.CANDIDATE_ARM
                    + "', the name a rollout gives its candidate; rename the arm first");
        }
        ModelVersion champion = registry.resolve(arm.target().model(), arm.target().versionOrAlias());
        ModelVersion candidate;
        try {
            candidate = registry.version(plan.candidate().model(), plan.candidateVersion());
        } catch (NotFoundException e) {
            throw new NotFoundException("field 'candidate': " + e.getMessage());
        }
        if (candidate.name().equals(champion.name()) && candidate.version() == champion.version()) {
            throw new InvalidInputException("field 'candidate' was '" + plan.candidate() + "' but that is the champion the deployment serves");
        }
        Instant now = clock.instant();
        String id = plan.deployment() + "-" + ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 6);
        String reason = "candidate " + candidate.ref() + " against champion " + champion.ref() + " (" + arm.target() + ")";
        Transition t = new Transition(now, "", Stage.OFFLINE.name(), actor, "started: " + reason);
        RolloutState s = new RolloutState(id, plan, arm.target(), arm.name(), champion.version(), Stage.OFFLINE, 0, false, now, now, 0,
                List.of(t), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
        RolloutState stored = store.create(s);
        listener.transition(stored, t);
        return stored;
    }

    /** A rollout as stored, with the latest gate verdicts when this server drives it. */
    public RolloutState status(String id) {
        RolloutState s = existing(id);
        List<GateResult> g = latest.get(id);
        return g == null || s.stage().terminal() ? s : s.withGates(g);
    }

    public List<RolloutState> list() {
        return store.list().stream().map(s -> {
            List<GateResult> g = latest.get(s.id());
            return g == null || s.stage().terminal() ? s : s.withGates(g);
        }).toList();
    }

    /** Stops automatic advancing; a failing gate still rolls back. */
    public RolloutState pause(String id, String actor) {
        return command(id, s -> {
            if (s.paused()) {
                throw new ConflictException("rollout '" + id + "' is already paused");
            }
            return s.withPaused(true, clock.instant(), actor, "paused by hand");
        });
    }

    public RolloutState resume(String id, String actor) {
        return command(id, s -> {
            if (!s.paused()) {
                throw new ConflictException("rollout '" + id + "' is not paused");
            }
            return s.withPaused(false, clock.instant(), actor, "resumed by hand");
        });
    }

    /** Moves to the next stage now, without waiting for the gates. */
    public RolloutState promote(String id, String actor) {
        return command(id, s -> next(s, clock.instant(), actor, "promoted by hand"));
    }

    /** Ends the rollout: the champion serves all traffic again. */
    public RolloutState abort(String id, String actor) {
        return command(id, s -> s.moveTo(Stage.ABORTED, 0, clock.instant(), actor, "aborted by hand"));
    }

    private interface Change {
        RolloutState apply(RolloutState current);
    }

    private RolloutState command(String id, Change change) {
        synchronized (tickLock) {
            RolloutState s = existing(id);
            if (s.stage().terminal()) {
                throw new ConflictException("rollout '" + id + "' has already ended: " + s.label());
            }
            RolloutState next = change.apply(s);
            RolloutState stored = store.update(next).orElseThrow(() -> new ConflictException(
                    "rollout '" + id + "' changed while this command ran; look at its status and try again"));
            listener.transition(stored, stored.history().getLast());
            finish(stored, stored.history().getLast().actor());
            bringDeployment(stored);
            return stored;
        }
    }

    private RolloutState existing(String id) {
        checkId(id);
        return store.get(id).orElseThrow(() -> new NotFoundException("rollout '" + id + "' does not exist"));
    }

    // ---- the loop ----

    /** Runs {@link #tick()} every {@code every} until closed; a failing tick is retried on the next. */
    public synchronized RolloutEngine schedule(Duration every) {
        if (scheduler != null) {
            throw new IllegalStateException("already scheduled");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ferry-rollout").factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                serving.meterRegistry().counter("ferry.rollout.tick.failures").increment();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check of every rollout: drive those whose lease this engine holds, follow the others. */
    public void tick() {
        synchronized (tickLock) {
            Set<String> seenDeployments = new HashSet<>();
            RuntimeException first = null;
            for (RolloutState s : store.list()) {
                // only the newest rollout of a deployment decides its routing
                if (!seenDeployments.add(s.plan().deployment())) {
                    continue;
                }
                try {
                    if (s.stage().terminal()) {
                        ended(s);
                    } else {
                        step(s);
                    }
                } catch (RuntimeException e) {
                    // one rollout's failure (a gate signal's bug, a deployment error) does not hold up the others
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private void ended(RolloutState s) {
        Long seen = applied.get(s.id());
        if (seen != null && seen != s.revision()) {
            bringDeployment(s);
        }
        if (watched.remove(s.id()) != null) {
            windows.unwatch(s.plan().deployment());
        }
        if (driving.remove(s.id())) {
            store.release(s.id(), owner);
            latest.remove(s.id());
        }
    }

    private void step(RolloutState s) {
        Instant now = clock.instant();
        if (!s.label().equals(watched.get(s.id()))) {
            // a new stage, or a rollout just picked up: count only the traffic from here on
            windows.watch(s.plan().deployment(), s.plan().output());
            watched.put(s.id(), s.label());
        }
        if (!store.lease(s.id(), owner, now, leaseTtl)) {
            driving.remove(s.id());
            bringDeployment(s);
            if (s.stage() != Stage.OFFLINE) {
                // the driver pools this server's share of the traffic with its own
                ArmSample[] own = own(s);
                store.report(s.id(), new TrafficReport(owner, s.label(), now, own[0], own[1]));
            }
            return;
        }
        driving.add(s.id());
        try {
            bringDeployment(s);
        } catch (RuntimeException e) {
            rollBack(s, GateResult.fail("deployment", "the deployment could not be changed to " + s.label() + ": " + e.getMessage(),
                    Map.of()), List.of(), System.nanoTime());
            return;
        }
        if (s.stage() == Stage.OFFLINE) {
            GateResult r = Gates.offline(registry, s);
            latest.put(s.id(), List.of(r));
            if (r.verdict() == GateResult.Verdict.FAIL) {
                rollBack(s, r, List.of(r), System.nanoTime());
            } else if (!s.paused()) {
                advance(s.withGates(List.of(r)), now, AUTOMATIC, r.message());
            }
            return;
        }
        GateContext ctx = context(s, now);
        List<GateResult> results = new ArrayList<>(signals.size());
        for (GateSignal g : signals) {
            results.add(g.evaluate(ctx));
        }
        latest.put(s.id(), results);
        for (GateResult r : results) {
            if (r.verdict() == GateResult.Verdict.FAIL) {
                rollBack(s, r, results, System.nanoTime());
                return;
            }
        }
        Duration needed = s.stage() == Stage.WATCH ? s.plan().watch() : s.plan().minDuration();
        boolean allPass = results.stream().allMatch(r -> r.verdict() == GateResult.Verdict.PASS);
        if (!s.paused() && allPass && ctx.elapsed().compareTo(needed) >= 0) {
            advance(s.withGates(results), now, AUTOMATIC, "every gate passed for " + ctx.elapsed() + ": "
                    + String.join("; ", results.stream().map(GateResult::message).toList()));
        }
    }

    private GateContext context(RolloutState s, Instant now) {
        ArmSample[] sides = observed(s, now);
        return new GateContext(s, sides[0], sides[1], s.baseline().orElse(ArmSample.EMPTY), Duration.between(s.stageStartedAt(), now));
    }

    /** The champion's and the candidate's figures in this stage on every server still reporting, this one included. */
    private ArmSample[] observed(RolloutState s, Instant now) {
        ArmSample[] sides = own(s);
        for (TrafficReport r : store.reports(s.id(), s.label(), now.minus(leaseTtl))) {
            if (!r.owner().equals(owner)) {
                sides[0] = sides[0].merge(r.champion());
                sides[1] = sides[1].merge(r.candidate());
            }
        }
        return sides;
    }

    /** The champion's and the candidate's figures in this stage on this server. */
    private ArmSample[] own(RolloutState s) {
        String d = s.plan().deployment();
        ModelRef cand = s.plan().candidate();
        int cv = s.plan().candidateVersion();
        String cm = s.champion().model();
        int chv = s.championVersion();
        ArmSample champion;
        ArmSample candidate;
        switch (s.stage()) {
            case SHADOW -> {
                champion = windows.sample(d, cm, chv, false);
                candidate = windows.sample(d, cand.model(), cv, true);
            }
            case FULL, WATCH -> {
                champion = windows.sample(d, cm, chv, true);
                candidate = windows.sample(d, cand.model(), cv, false);
            }
            default -> {
                champion = windows.sample(d, cm, chv, false);
                candidate = windows.sample(d, cand.model(), cv, false);
            }
        }
        return new ArmSample[] {champion, candidate};
    }

    private void advance(RolloutState s, Instant now, String actor, String reason) {
        RolloutState next = next(s, now, actor, reason);
        Optional<RolloutState> stored = store.update(next);
        if (stored.isEmpty()) {
            // changed by a command meanwhile: the next tick judges the new state
            return;
        }
        listener.transition(stored.get(), stored.get().history().getLast());
        finish(stored.get(), actor);
        windows.watch(s.plan().deployment(), s.plan().output());
        watched.put(s.id(), stored.get().label());
        bringDeployment(stored.get());
    }

    /** The state after the current stage. */
    private RolloutState next(RolloutState s, Instant now, String actor, String reason) {
        List<Double> steps = s.plan().canarySteps();
        return switch (s.stage()) {
            case OFFLINE -> s.moveTo(Stage.SHADOW, 0, now, actor, reason);
            case SHADOW -> steps.getFirst() >= 100 ? s.moveTo(Stage.FULL, 0, now, actor, reason) : s.moveTo(Stage.CANARY, 0, now, actor, reason);
            case CANARY -> {
                ArmSample base = observed(s, now)[0];
                RolloutState withBase = base.requests() > 0 ? s.withBaseline(base) : s;
                yield steps.get(s.step() + 1) >= 100 ? withBase.moveTo(Stage.FULL, 0, now, actor, reason)
                        : withBase.moveTo(Stage.CANARY, s.step() + 1, now, actor, reason);
            }
            case FULL -> s.moveTo(Stage.WATCH, 0, now, actor, reason);
            case WATCH -> s.moveTo(Stage.COMPLETED, 0, now, actor, reason);
            default -> throw new ConflictException("rollout '" + s.id() + "' has already ended: " + s.label());
        };
    }

    /** At completion a champion followed through an alias gets the alias moved to the candidate. */
    private void finish(RolloutState s, String actor) {
        if (s.stage() == Stage.COMPLETED && StageRouting.followsAlias(s) && s.champion().model().equals(s.plan().candidate().model())) {
            registry.setAlias(s.champion().model(), s.champion().versionOrAlias(), s.plan().candidateVersion(), actor,
                    "rollout " + s.id() + " completed");
        }
    }

    private void rollBack(RolloutState s, GateResult failure, List<GateResult> results, long detectedNanos) {
        RolloutState next = s.moveTo(Stage.ROLLED_BACK, 0, clock.instant(), AUTOMATIC, "gate " + failure.gate() + " failed: "
                + failure.message()).withGates(results);
        bringDeployment(next);
        double millis = (System.nanoTime() - detectedNanos) / 1e6;
        next = next.withFailure(failure, millis);
        Optional<RolloutState> stored = store.update(next);
        while (stored.isEmpty()) {
            // a command changed it meanwhile: record the rollback on top of that change
            RolloutState current = existing(s.id());
            if (current.stage().terminal()) {
                return;
            }
            stored = store.update(current.moveTo(Stage.ROLLED_BACK, 0, clock.instant(), AUTOMATIC, "gate " + failure.gate()
                    + " failed: " + failure.message()).withGates(results).withFailure(failure, millis));
        }
        serving.meterRegistry().counter("ferry.rollout.rollbacks", "deployment", s.plan().deployment(), "gate", failure.gate())
                .increment();
        listener.transition(stored.get(), stored.get().history().getLast());
        latest.put(s.id(), results);
    }

    /** Brings this server's deployment to what the rollout's stage wants, if it is not there already. */
    private void bringDeployment(RolloutState s) {
        Optional<DeploymentSpec> current = serving.deployment(s.plan().deployment());
        if (current.isEmpty()) {
            return;
        }
        DeploymentSpec want = StageRouting.desired(current.get(), s);
        if (!want.arms().equals(current.get().arms()) || !want.shadow().equals(current.get().shadow())) {
            serving.deploy(want);
        }
        applied.put(s.id(), s.revision());
    }

    /** Stops the loop and gives up this engine's leases, so another server takes over at once. */
    @Override
    public void close() {
        ScheduledExecutorService sch;
        synchronized (this) {
            sch = scheduler;
        }
        if (sch != null) {
            sch.shutdownNow();
            try {
                sch.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (tickLock) {
            for (String id : driving) {
                try {
                    store.release(id, owner);
                } catch (RuntimeException e) {
                    // the lease then expires by itself
                }
            }
            driving.clear();
        }
        try {
            tap.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configures a {@link RolloutEngine}; the serving engine and the store are required. */
    public static final class Builder {
        private ServingEngine serving;
        private RolloutStore store;
        private Clock clock = Clock.systemUTC();
        private String owner = "ferry-" + UUID.randomUUID().toString().substring(0, 8);
        private Duration leaseTtl = Duration.ofSeconds(30);
        private final List<GateSignal> signals = new ArrayList<>();
        private RolloutListener listener = (s, t) -> { };

        private Builder() {
        }

        public Builder serving(ServingEngine value) {
            serving = value;
            return this;
        }

        public Builder store(RolloutStore value) {
            store = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        /** This server's name among those sharing the store (default: a random one). */
        public Builder owner(String value) {
            owner = value;
            return this;
        }

        /** How long a driver's lease lasts without renewal: how soon another server takes over (default 30 s). */
        public Builder leaseTtl(Duration value) {
            leaseTtl = value;
            return this;
        }

        /** Adds a gate beside the built-in ones (accuracy from labelled outcomes, drift, ...). */
        public Builder signal(GateSignal value) {
            signals.add(Objects.requireNonNull(value, "signal"));
            return this;
        }

        public Builder listener(RolloutListener value) {
            listener = value;
            return this;
        }

        public RolloutEngine build() {
            List<String> problems = new ArrayList<>();
            if (serving == null) {
                problems.add("serving was not set but it is required");
            }
            if (store == null) {
                problems.add("store was not set but it is required");
            }
            if (clock == null || listener == null) {
                problems.add("clock and listener must not be null");
            }
            if (owner == null || owner.isBlank()) {
                problems.add("owner was '" + owner + "' but it must name this server");
            }
            if (leaseTtl == null || leaseTtl.isNegative() || leaseTtl.isZero()) {
                problems.add("lease ttl was " + leaseTtl + " but it must be positive");
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException("rollout engine configuration is invalid: " + String.join("; ", problems));
            }
            return new RolloutEngine(this);
        }
    }
}
