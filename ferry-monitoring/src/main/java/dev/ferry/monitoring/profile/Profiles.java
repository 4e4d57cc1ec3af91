package dev.ferry.monitoring.profile;

import dev.ferry.types.Row;
import dev.ferry.types.Schema;

/** Profiles rows already in memory; for files use {@link FileProfiler}, for a live stream {@link ProfileAccumulator}. */
public final class Profiles {

    private Profiles() {
    }

    /** The profile of {@code rows} with the schema's types. */
    public static DatasetProfile of(Schema schema, Iterable<Row> rows) {
        ProfileAccumulator acc = ProfileAccumulator.forSchema(schema);
        for (Row r : rows) {
            acc.add(r);
        }
        return acc.snapshot();
    }

    /** The profile of {@code rows}, each feature typed by its first value. */
    public static DatasetProfile of(Iterable<Row> rows) {
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        for (Row r : rows) {
            acc.add(r);
        }
        return acc.snapshot();
    }
}
