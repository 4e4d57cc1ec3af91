package dev.ferry.features;

import java.time.Instant;

/**
 * A feature view as recorded by the registry: its definition, its version (1, 2, ...; a new one
 * each time an apply changes the definition) and when that version was applied.
 */
public record RegisteredView(FeatureView view, int version, Instant appliedAt) {

    public String name() {
        return view.name();
    }

    /** {@code name@version}, the form readers use to pin it. */
    public String ref() {
        return view.name() + "@" + version;
    }
}
