package dev.ferry.features;

import java.util.List;

/** What one {@link FeatureRegistry#apply} changed; an apply of unchanged definitions has only {@code UNCHANGED} entries. */
public record ApplyResult(List<Change> changes) {

    public ApplyResult {
        changes = List.copyOf(changes);
    }

    /** True when nothing was written. */
    public boolean unchanged() {
        return changes.stream().allMatch(c -> c.action() == Action.UNCHANGED || c.action() == Action.KEPT);
    }

    /**
     * The effect of an apply on one definition. {@code KEPT}: recorded, not in the applied
     * repository, left alone (no prune); {@code REMOVED}: recorded, not in the repository, removed
     * by a prune; {@code RESTORED}: applied again after a removal, unchanged.
     */
    public enum Action { CREATED, NEW_VERSION, UPDATED, UNCHANGED, KEPT, REMOVED, RESTORED }

    /**
     * One definition's outcome.
     *
     * @param kind    entity, view or service
     * @param version the view version now current (0 for entities and services)
     * @param detail  what differed, e.g. {@code schema, max_age}
     */
    public record Change(String kind, String name, Action action, int version, String detail) {
    }
}
