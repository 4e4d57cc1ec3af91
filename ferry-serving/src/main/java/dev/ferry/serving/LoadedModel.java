package dev.ferry.serving;

import dev.ferry.model.Model;
import dev.ferry.registry.ModelVersion;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A loaded, validated, warmed model with a reference count. Deployments hold one reference per
 * model they route to and every in-flight call holds one more; when the last is released the
 * model is closed, so a swapped-out version finishes its in-flight calls before its native
 * memory is freed.
 */
final class LoadedModel {

    final ModelVersion version;
    final Model model;
    /** The signature's schema and feature names, built once: every request checks and orders by them. */
    final dev.ferry.types.Schema schema;
    final java.util.List<String> featureNames;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Consumer<LoadedModel> onClose;
    /** {@link System#nanoTime} from which calls may run inline again ({@link ModelCalls}). */
    private volatile long inlineFrom = System.nanoTime();

    LoadedModel(ModelVersion version, Model model, Consumer<LoadedModel> onClose) {
        this.version = version;
        this.model = model;
        this.schema = model.signature().schema();
        this.featureNames = java.util.List.copyOf(model.signature().featureNames());
        this.onClose = onClose;
    }

    /** Takes a reference unless the model is already closed (or closing). */
    boolean tryAcquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            try {
                model.close();
            } finally {
                onClose.accept(this);
            }
        }
    }

    /** Whether calls may run on the caller's thread at {@code now}: not within an isolation period. */
    boolean runsInline(long now) {
        return now - inlineFrom >= 0;
    }

    /** Runs calls on the executor until {@code until}; true if they ran inline before. */
    boolean isolateUntil(long until) {
        boolean wasInline = runsInline(System.nanoTime());
        inlineFrom = until;
        return wasInline;
    }

    boolean open() {
        return refs.get() > 0;
    }

    String name() {
        return version.name();
    }

    int number() {
        return version.version();
    }
}
