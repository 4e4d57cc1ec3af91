package dev.ferry.serving;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Runs at most {@code limit} tasks at once on a delegate and drops (and counts) the rest
 * instead of queueing them. Shadow traffic goes through it, so a shadow model that hangs
 * uses up its own permits and nothing else.
 */
final class BoundedExecutor {

    private final Executor delegate;
    private final Semaphore permits;
    private final Counter dropped;

    BoundedExecutor(Executor delegate, int limit, Counter dropped) {
        this.delegate = delegate;
        this.permits = new Semaphore(limit);
        this.dropped = dropped;
    }

    /** Starts the task if a permit is free; returns false (counting a drop) otherwise. */
    boolean trySubmit(Runnable task) {
        if (!permits.tryAcquire()) {
            dropped.increment();
            return false;
        }
        try {
            delegate.execute(() -> {
                try {
                    task.run();
                } finally {
                    permits.release();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            permits.release();
            dropped.increment();
            return false;
        }
    }
}
