package dev.ferry.serving;

import dev.ferry.ConflictException;
import dev.ferry.NotFoundException;
import dev.ferry.NotReadyException;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live deployments and their swaps. A change loads, validates and warms the new models
 * beside the old ones, publishes the new snapshot atomically and only then releases the old
 * one, whose models close once their in-flight calls are done.
 */
final class Deployments {

    private static final int HISTORY = 20;

    private final ModelRegistry registry;
    private final ModelPool pool;
    private final Map<String, ActiveDeployment> active = new ConcurrentHashMap<>();
    private final Map<String, Deque<DeploymentSpec>> history = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    Deployments(ModelRegistry registry, ModelPool pool) {
        this.registry = registry;
        this.pool = pool;
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, k -> new Object());
    }

    /** Creates or replaces a deployment; the previous spec is kept for {@link #rollback}. */
    ActiveDeployment deploy(DeploymentSpec spec) {
        return swap(spec, true);
    }

    private ActiveDeployment swap(DeploymentSpec spec, boolean remember) {
        synchronized (lock(spec.name())) {
            boolean first = !active.containsKey(spec.name());
            if (first) {
                pending.add(spec.name());
            }
            try {
                ActiveDeployment next = resolve(spec);
                ActiveDeployment prev = active.put(spec.name(), next);
                if (prev != null) {
                    if (remember) {
                        Deque<DeploymentSpec> h = history.computeIfAbsent(spec.name(), k -> new ArrayDeque<>());
                        h.push(prev.spec);
                        while (h.size() > HISTORY) {
                            h.removeLast();
                        }
                    }
                    prev.release();
                }
                return next;
            } finally {
                pending.remove(spec.name());
            }
        }
    }

    private ActiveDeployment resolve(DeploymentSpec spec) {
        List<LoadedModel> held = new ArrayList<>();
        try {
            List<ActiveDeployment.ResolvedArm> arms = new ArrayList<>();
            for (Arm arm : spec.arms()) {
                LoadedModel m = obtain(arm.target(), held);
                arms.add(new ActiveDeployment.ResolvedArm(arm, m));
            }
            Optional<LoadedModel> shadow = spec.shadow().isPresent()
                    ? Optional.of(obtain(spec.shadow().get().target(), held)) : Optional.empty();
            Optional<LoadedModel> fallback = spec.fallback().isPresent()
                    ? Optional.of(obtain(spec.fallback().get(), held)) : Optional.empty();
            return new ActiveDeployment(spec, arms, shadow, fallback, held);
        } catch (RuntimeException e) {
            held.forEach(LoadedModel::release);
            throw e;
        }
    }

    private LoadedModel obtain(ModelRef ref, List<LoadedModel> held) {
        ModelVersion v = registry.resolve(ref.model(), ref.versionOrAlias());
        LoadedModel m = pool.obtain(v);
        held.add(m);
        return m;
    }

    /** The current snapshot with a reference on each of its models; release it when done. */
    ActiveDeployment pin(String name) {
        while (true) {
            ActiveDeployment d = active.get(name);
            if (d == null) {
                if (pending.contains(name)) {
                    throw new NotReadyException("deployment '" + name + "' is still loading its models");
                }
                throw new NotFoundException("deployment '" + name + "' does not exist; deployments: " + names());
            }
            if (d.tryPin()) {
                return d;
            }
        }
    }

    Optional<ActiveDeployment> current(String name) {
        return Optional.ofNullable(active.get(name));
    }

    boolean pending(String name) {
        return pending.contains(name);
    }

    boolean anyPending() {
        return !pending.isEmpty();
    }

    List<String> names() {
        return new ArrayList<>(new TreeMap<>(active).keySet());
    }

    void remove(String name) {
        synchronized (lock(name)) {
            ActiveDeployment d = active.remove(name);
            if (d == null) {
                throw new NotFoundException("deployment '" + name + "' does not exist; deployments: " + names());
            }
            history.remove(name);
            d.release();
        }
    }

    /** Goes back to the spec before the last change. */
    ActiveDeployment rollback(String name) {
        synchronized (lock(name)) {
            current(name).orElseThrow(() -> new NotFoundException("deployment '" + name + "' does not exist; deployments: " + names()));
            Deque<DeploymentSpec> h = history.get(name);
            if (h == null || h.isEmpty()) {
                throw new ConflictException("deployment '" + name + "' has no earlier configuration to roll back to");
            }
            DeploymentSpec previous = h.pop();
            return swap(previous, false);
        }
    }

    /** Re-resolves aliases; swaps the deployment if any of its references now names another version. */
    boolean refresh(String name) {
        synchronized (lock(name)) {
            ActiveDeployment d = active.get(name);
            if (d == null) {
                return false;
            }
            if (resolvedVersions(d.spec).equals(d.versions())) {
                return false;
            }
            swap(d.spec, false);
            return true;
        }
    }

    private Map<String, Integer> resolvedVersions(DeploymentSpec spec) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (Arm a : spec.arms()) {
            out.put("arm:" + a.name(), version(a.target()));
        }
        spec.shadow().ifPresent(s -> out.put("shadow", version(s.target())));
        spec.fallback().ifPresent(f -> out.put("fallback", version(f)));
        return out;
    }

    /**
     * The version a reference names now. Only aliases and {@code latest} go to the registry: a
     * refresh after an alias move costs registry reads for the references that can have moved,
     * not for every one.
     */
    private int version(ModelRef ref) {
        int pinned = ref.pinnedVersion();
        return pinned > 0 ? pinned : registry.resolve(ref.model(), ref.versionOrAlias()).version();
    }

    void closeAll() {
        for (String name : names()) {
            synchronized (lock(name)) {
                ActiveDeployment d = active.remove(name);
                if (d != null) {
                    d.release();
                }
            }
        }
    }
}
