package dev.ferry.serving;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A named routing of requests over registry models: one arm for a single version, several
 * weighted arms for an A/B test or a canary (sticky per entity key), an optional shadow, and
 * the fallback chain used when the routed model errs or runs out of its time budget.
 *
 * @param name          deployment name, used in URLs
 * @param arms          the routes; weights are relative and at least one is positive
 * @param shadow        a mirror, if any
 * @param entityKeys    entity key names every request must carry (e.g. {@code user_id}); they
 *                      drive stickiness and feature lookup
 * @param budget        time budget of one request, features and inference together
 * @param fallback      a model to ask when the routed one fails
 * @param staticDefault the last answer of the fallback chain, if any
 * @param scoreOutput   the output ranked by {@code rank}; empty means the first output
 */
public record DeploymentSpec(String name, List<Arm> arms, Optional<Shadow> shadow, List<String> entityKeys,
                             Duration budget, Optional<ModelRef> fallback, Optional<Map<String, Object>> staticDefault,
                             Optional<String> scoreOutput) {

    /** The default time budget of a request. */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(50);

    public DeploymentSpec {
        arms = List.copyOf(arms);
        entityKeys = List.copyOf(entityKeys);
        staticDefault = staticDefault.map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        List<String> problems = problems(name, arms, budget);
        if (!problems.isEmpty()) {
            throw new InvalidInputException("deployment '" + name + "' is invalid: " + String.join("; ", problems));
        }
    }

    private static List<String> problems(String name, List<Arm> arms, Duration budget) {
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9_.\\-]+")) {
            problems.add("name was '" + name + "' but it must be letters, digits, '_', '.' or '-'");
        }
        if (arms.isEmpty()) {
            problems.add("arms was empty but at least one arm is required");
        }
        Set<String> seen = new HashSet<>();
        double total = 0;
        for (Arm a : arms) {
            if (!seen.add(a.name())) {
                problems.add("arm '" + a.name() + "' appears more than once");
            }
            total += a.weight();
        }
        if (!arms.isEmpty() && !(total > 0)) {
            problems.add("arm weights sum to " + total + " but at least one weight must be positive");
        }
        if (budget == null || budget.isNegative() || budget.isZero()) {
            problems.add("budget was " + budget + " but it must be positive");
        }
        return problems;
    }

    /** All traffic to one model version or alias. */
    public static DeploymentSpec single(String name, ModelRef target) {
        return builder(name).arm("main", target, 1).build();
    }

    /** A canary: {@code percent} of entities go to {@code canary}, the rest to {@code stable}. */
    public static DeploymentSpec canary(String name, ModelRef stable, ModelRef canary, double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new InvalidInputException("canary percent was " + percent + " but it must be between 0 and 100");
        }
        return builder(name).arm("stable", stable, 100 - percent).arm("canary", canary, percent).build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.arms.addAll(arms);
        b.shadow = shadow;
        b.entityKeys.addAll(entityKeys);
        b.budget = budget;
        b.fallback = fallback;
        b.staticDefault = staticDefault;
        b.scoreOutput = scoreOutput;
        return b;
    }

    /** Every model this deployment references: arms, shadow and fallback. */
    public List<ModelRef> references() {
        List<ModelRef> refs = new ArrayList<>();
        arms.forEach(a -> refs.add(a.target()));
        shadow.ifPresent(s -> refs.add(s.target()));
        fallback.ifPresent(refs::add);
        return refs;
    }

    /** Builds a {@link DeploymentSpec}; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private final String name;
        private final List<Arm> arms = new ArrayList<>();
        private Optional<Shadow> shadow = Optional.empty();
        private final List<String> entityKeys = new ArrayList<>();
        private Duration budget = DEFAULT_BUDGET;
        private Optional<ModelRef> fallback = Optional.empty();
        private Optional<Map<String, Object>> staticDefault = Optional.empty();
        private Optional<String> scoreOutput = Optional.empty();

        private Builder(String name) {
            this.name = name;
        }

        public Builder arm(String armName, ModelRef target, double weight) {
            arms.add(new Arm(armName, target, weight));
            return this;
        }

        /** Replaces all arms. */
        public Builder arms(List<Arm> newArms) {
            arms.clear();
            arms.addAll(newArms);
            return this;
        }

        public Builder shadow(ModelRef target, double share) {
            shadow = Optional.of(new Shadow(target, share));
            return this;
        }

        public Builder noShadow() {
            shadow = Optional.empty();
            return this;
        }

        public Builder entityKeys(String... keys) {
            entityKeys.clear();
            entityKeys.addAll(List.of(keys));
            return this;
        }

        public Builder budget(Duration value) {
            budget = value;
            return this;
        }

        public Builder fallback(ModelRef target) {
            fallback = Optional.of(target);
            return this;
        }

        public Builder staticDefault(Map<String, Object> output) {
            staticDefault = Optional.of(output);
            return this;
        }

        public Builder scoreOutput(String output) {
            scoreOutput = Optional.of(output);
            return this;
        }

        public DeploymentSpec build() {
            return new DeploymentSpec(name, arms, shadow, entityKeys, budget, fallback, staticDefault, scoreOutput);
        }
    }
}
