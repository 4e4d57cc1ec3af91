package dev.ferry.serving;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One deployment's routing resolved to loaded models: an immutable snapshot. A swap builds a
 * new snapshot beside the old one, publishes it atomically and then releases the old one's
 * references; in-flight calls keep theirs until they finish.
 */
final class ActiveDeployment {

    /**
     * One arm of one snapshot, used as a map key per request: equal only to itself (a snapshot has
     * one per arm), so hashing it does not hash the arm's spec and model reference every time.
     */
    record ResolvedArm(Arm arm, LoadedModel model) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    final DeploymentSpec spec;
    final List<ResolvedArm> arms;
    final Optional<LoadedModel> shadow;
    final Optional<LoadedModel> fallback;
    private final double[] cumulative;
    private final List<LoadedModel> held;

    /** Takes ownership of one reference per element of {@code held}. */
    ActiveDeployment(DeploymentSpec spec, List<ResolvedArm> arms, Optional<LoadedModel> shadow,
                     Optional<LoadedModel> fallback, List<LoadedModel> held) {
        this.spec = spec;
        this.arms = List.copyOf(arms);
        this.shadow = shadow;
        this.fallback = fallback;
        this.held = List.copyOf(held);
        this.cumulative = new double[arms.size()];
        double sum = 0;
        for (int i = 0; i < arms.size(); i++) {
            sum += arms.get(i).arm().weight();
            cumulative[i] = sum;
        }
    }

    /** The arm of a request; its routing key is built only when there is more than one arm to choose from. */
    ResolvedArm route(Map<String, Object> entity, String requestId) {
        return arms.size() == 1 ? arms.get(0) : route(Routing.key(entity, requestId));
    }

    ResolvedArm route(String routingKey) {
        return arms.get(Routing.pick(cumulative, Routing.unit(spec.name(), routingKey)));
    }

    boolean mirror(String requestId) {
        return shadow.isPresent() && Routing.unit(spec.name() + "/shadow", requestId) < spec.shadow().orElseThrow().share();
    }

    /** The version each referenced model resolved to, for detecting alias moves. */
    Map<String, Integer> versions() {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (ResolvedArm a : arms) {
            out.put("arm:" + a.arm().name(), a.model().number());
        }
        shadow.ifPresent(s -> out.put("shadow", s.number()));
        fallback.ifPresent(f -> out.put("fallback", f.number()));
        return out;
    }

    /**
     * Takes one more reference on every model of this snapshot for the length of a call, or
     * returns false if the snapshot was already retired (the caller then reads the new one).
     */
    boolean tryPin() {
        for (int i = 0; i < held.size(); i++) {
            if (!held.get(i).tryAcquire()) {
                for (int j = 0; j < i; j++) {
                    held.get(j).release();
                }
                return false;
            }
        }
        return true;
    }

    /** Releases the references taken by {@link #tryPin()} or owned since construction. */
    void release() {
        held.forEach(LoadedModel::release);
    }
}
