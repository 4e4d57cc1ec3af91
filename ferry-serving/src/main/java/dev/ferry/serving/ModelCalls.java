package dev.ferry.serving;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts model calls under a deadline, on the caller's thread or on the inference executor as
 * the engine's {@link Isolation} and the model's recent behaviour decide. The caller waits for
 * the returned future with {@link Budget#await}: a call that ran inline comes back done, and one
 * that passed its deadline inline comes back as a timeout, exactly like a call on the executor
 * that did not answer in time.
 *
 * <p>Inline calls are registered with a watchdog, one platform thread that looks at them every
 * {@value #TICK_MILLIS} ms and interrupts those past their deadline. The interrupt follows the
 * protocol of {@link java.util.concurrent.FutureTask#cancel}: the caller and the watchdog race
 * for the call's state, and the watchdog's interrupt is cleared before the caller moves on, so it
 * never leaks into the rest of the request. The watchdog parks for good after a second with no
 * inline calls and the next one wakes it.
 */
final class ModelCalls implements AutoCloseable {

    static final long TICK_MILLIS = 2;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ExecutorService executor;
    private final long isolationNanos;
    private final ServingMetrics metrics;
    private final Set<Watch> running = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean sleeping;
    private volatile boolean closed;

    ModelCalls(ExecutorService executor, Isolation isolation, java.time.Duration isolationPeriod, ServingMetrics metrics) {
        this.executor = executor;
        this.isolationNanos = isolationPeriod.toNanos();
        this.metrics = metrics;
        this.watchdog = isolation == Isolation.AUTO
                ? Thread.ofPlatform().daemon().name("ferry-call-watchdog").start(this::watch)
                : null;
    }

    /**
     * Starts {@code task} for {@code model}, which the caller holds. It runs on the caller's
     * thread when {@code inline} is allowed, the isolation is {@link Isolation#AUTO} (there is a
     * watchdog) and the model has kept its budget lately; then the future is already done when
     * this returns. Otherwise it runs on the executor. Either way the run holds a reference of its
     * own to the model, so a run that outlives its caller's (a timeout) keeps the model open.
     */
    <T> Future<T> start(LoadedModel model, Callable<T> task, long deadlineNanos, boolean inline) {
        if (!model.tryAcquire()) {
            throw new IllegalStateException("model " + model.version.ref() + " closed while its caller held it");
        }
        Callable<T> holding = () -> {
            try {
                return task.call();
            } finally {
                model.release();
            }
        };
        if (inline && watchdog != null && model.runsInline(System.nanoTime())) {
            return runInline(model, holding, deadlineNanos);
        }
        try {
            return executor.submit(holding);
        } catch (RuntimeException e) {
            model.release();
            throw e;
        }
    }

    private <T> Future<T> runInline(LoadedModel model, Callable<T> task, long deadlineNanos) {
        Watch w = new Watch(Thread.currentThread(), deadlineNanos, model);
        running.add(w);
        if (sleeping) {
            LockSupport.unpark(watchdog);
        }
        T value = null;
        Throwable error = null;
        try {
            value = task.call();
        } catch (Throwable t) {
            error = t;
        }
        boolean interrupted = !w.finish();
        running.remove(w);
        long now = System.nanoTime();
        if (interrupted || now - deadlineNanos > 0) {
            isolate(model, now);
            return TimedOut.instance();
        }
        return error == null ? CompletableFuture.completedFuture(value) : CompletableFuture.failedFuture(error);
    }

    /** Sends the model's calls to the executor for the isolation period; a period of zero never isolates. */
    private void isolate(LoadedModel model, long now) {
        // With a zero period an isolation would end as it starts, but a caller that read the clock
        // just before the watchdog would still see it and go to the executor: so none is set.
        if (isolationNanos > 0 && model.isolateUntil(now + isolationNanos)) {
            metrics.isolated(model.name(), model.number());
        }
    }

    private void watch() {
        long busy = System.nanoTime();
        while (!closed) {
            long now = System.nanoTime();
            if (!running.isEmpty()) {
                busy = now;
                for (Watch w : running) {
                    if (now - w.deadline >= 0 && w.interrupt()) {
                        // at once, not when the call returns: one stuck in native code may never
                        // return, and the requests after it must not follow it in
                        isolate(w.model, now);
                    }
                }
            } else if (now - busy > IDLE_NANOS) {
                sleeping = true;
                // a call registered after this check finds sleeping set and unparks this thread
                if (running.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                sleeping = false;
                busy = System.nanoTime();
                continue;
            }
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watchdog != null) {
            LockSupport.unpark(watchdog);
        }
    }

    /** One inline call: its thread, its deadline, and who ended it, the caller or the watchdog. */
    private static final class Watch {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int INTERRUPTING = 2;
        private static final int INTERRUPTED = 3;

        final Thread thread;
        final long deadline;
        final LoadedModel model;
        final AtomicInteger state = new AtomicInteger(RUNNING);

        Watch(Thread thread, long deadline, LoadedModel model) {
            this.thread = thread;
            this.deadline = deadline;
            this.model = model;
        }

        /** Interrupts the call's thread unless the call ended; true if this did. */
        boolean interrupt() {
            if (!state.compareAndSet(RUNNING, INTERRUPTING)) {
                return false;
            }
            try {
                thread.interrupt();
            } finally {
                state.set(INTERRUPTED);
            }
            return true;
        }

        /** Ends the call on its own thread; false, with the watchdog's interrupt cleared, if the watchdog ended it first. */
        boolean finish() {
            if (state.compareAndSet(RUNNING, DONE)) {
                return true;
            }
            while (state.get() == INTERRUPTING) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return false;
        }
    }

    /** An inline call that passed its deadline: waiting for it times out at once, like a late call on the executor. */
    private static final class TimedOut implements Future<Object> {
        private static final TimedOut INSTANCE = new TimedOut();

        @SuppressWarnings("unchecked")
        static <T> Future<T> instance() {
            return (Future<T>) (Future<?>) INSTANCE;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            throw new java.util.concurrent.CancellationException("the call passed its deadline");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws TimeoutException {
            throw new TimeoutException("the call passed its deadline");
        }
    }
}
