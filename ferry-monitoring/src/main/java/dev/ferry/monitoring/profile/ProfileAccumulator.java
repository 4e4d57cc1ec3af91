package dev.ferry.monitoring.profile;

import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds a {@link DatasetProfile} incrementally and from many threads at once: the live path
 * (serving feeds every request's features) and the batch path use the same code. Each feature has
 * its own lock, so callers contend only when they update the same feature at the same moment;
 * {@link #snapshot()} can be taken at any time without stopping the writers.
 *
 * <p>With a {@link Schema}, each schema feature is profiled with its declared type and a value of
 * another type is counted as invalid; a row without a schema feature counts it as missing.
 * Without one ({@link #inferring()}), every name seen is profiled with the type of its first
 * value (an integer feature that later receives a floating value becomes {@code float64}), which
 * is what a served profile needs to reveal a type that differs from training.
 */
public final class ProfileAccumulator {

    private final List<Field> fields;
    private final FeatureAccumulator[] bySchema;
    private final Map<String, FeatureAccumulator> byName = new ConcurrentHashMap<>();
    private final LongAdder rows = new LongAdder();

    private ProfileAccumulator(Schema schema) {
        this.fields = schema == null ? List.of() : schema.fields();
        this.bySchema = new FeatureAccumulator[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            bySchema[i] = new FeatureAccumulator(f.name(), f.type());
            byName.put(f.name(), bySchema[i]);
        }
    }

    /** Profiles the schema's features with their declared types. */
    public static ProfileAccumulator forSchema(Schema schema) {
        return new ProfileAccumulator(schema);
    }

    /** Profiles every feature seen, typed by its first value. */
    public static ProfileAccumulator inferring() {
        return new ProfileAccumulator(null);
    }

    /** Adds one row. */
    public void add(Row row) {
        add(row.values());
    }

    /** Adds one row given as a map of name to value (the form served requests and logs have). */
    public void add(Map<String, ?> values) {
        rows.increment();
        if (bySchema.length > 0) {
            for (int i = 0; i < bySchema.length; i++) {
                String name = fields.get(i).name();
                if (values.containsKey(name)) {
                    bySchema[i].add(values.get(name));
                } else {
                    bySchema[i].addMissing();
                }
            }
            return;
        }
        for (Map.Entry<String, ?> e : values.entrySet()) {
            byName.computeIfAbsent(e.getKey(), k -> new FeatureAccumulator(k, null)).add(e.getValue());
        }
    }

    /** Adds one value of one feature; for callers that hold values column by column. */
    public void addValue(String feature, Object value) {
        byName.computeIfAbsent(feature, k -> new FeatureAccumulator(k, null)).add(value);
    }

    /** Counts one row for callers that use {@link #addValue}. */
    public void countRow() {
        rows.increment();
    }

    /** The profile of everything added so far. */
    public DatasetProfile snapshot() {
        long rowCount = rows.sum();
        List<FeatureProfile> out = new ArrayList<>();
        for (FeatureAccumulator a : bySchema) {
            out.add(a.snapshot());
        }
        if (bySchema.length == 0) {
            byName.values().stream().map(FeatureAccumulator::snapshot)
                    .sorted(Comparator.comparing(FeatureProfile::name)).forEach(out::add);
        }
        return new DatasetProfile(rowCount, out);
    }
}
