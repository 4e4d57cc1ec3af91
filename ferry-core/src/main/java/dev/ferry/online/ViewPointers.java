package dev.ferry.online;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which version of a batch-written view readers see. A writer fills {@code name@N} completely,
 * then {@link #publish} moves the pointer of {@code name} to N in one single-entity write, which
 * every online store applies atomically; readers resolve the pointer before reading, so they see
 * either the whole old version or the whole new one, never a mix. Earlier versions stay stored
 * (up to a retention count) for {@link #rollback}. Pointers live in the online store itself, in
 * the view {@value #POINTER_VIEW}, so every server sharing a Redis store sees the same ones.
 * Views materialized from the feature registry have no pointer; their version is the registry's.
 */
public final class ViewPointers {

    /** The view that holds one pointer record per pointed view, plus a catalog of their names. */
    public static final String POINTER_VIEW = "_ferry_pointers";

    private static final EntityKey CATALOG = EntityKey.of("__catalog__");
    private static final List<String> POINTER_FEATURES = List.of("version", "retained", "keys", "features");

    /**
     * The current state of one pointed view.
     *
     * @param name     the view name readers use (no version)
     * @param version  the version readers are sent to
     * @param retained every version still stored, ascending (the current one included)
     * @param joinKeys the view's entity key columns, typed
     * @param features the view's feature names
     * @param switched when the pointer last moved
     */
    public record Pointer(String name, long version, List<Long> retained, List<Field> joinKeys, List<String> features,
                          Instant switched) {
        public Pointer {
            retained = List.copyOf(retained);
            joinKeys = List.copyOf(joinKeys);
            features = List.copyOf(features);
        }

        /** The versioned online name readers read, e.g. {@code trending@3}. */
        public String onlineName() {
            return name + "@" + version;
        }
    }

    private final OnlineStore store;
    private final Clock clock;

    private ViewPointers(OnlineStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Pointers kept in {@code store}; {@code clock} stamps each move. */
    public static ViewPointers in(OnlineStore store, Clock clock) {
        return new ViewPointers(store, clock);
    }

    /** The pointer of {@code name}, if a version of it was ever published. */
    public Optional<Pointer> get(String name) {
        return getAll(List.of(name)).get(0);
    }

    /** The pointers of {@code names} in one store read, in the same order (empty where none). */
    public List<Optional<Pointer>> getAll(List<String> names) {
        OnlineStore.ViewRead read = read(names);
        return decode(names, store.read(read.view(), read.keys(), read.features()));
    }

    /**
     * The store read of the pointers of {@code names}, for a reader to send along with its data
     * reads in one {@link OnlineStore#readViews} call (one round trip on Redis); {@link #decode}
     * turns its answers into pointers.
     */
    public OnlineStore.ViewRead read(List<String> names) {
        List<EntityKey> keys = new ArrayList<>(names.size());
        for (String n : names) {
            keys.add(EntityKey.of(checkName(n)));
        }
        return new OnlineStore.ViewRead(POINTER_VIEW, keys, POINTER_FEATURES, OnlineStore.NO_MAX_AGE);
    }

    /** The pointers of {@code names} from the answers of {@link #read(List) read(names)}, in order (empty where none). */
    public List<Optional<Pointer>> decode(List<String> names, List<EntityFeatures> answers) {
        if (answers.size() != names.size()) {
            throw new IllegalArgumentException(answers.size() + " pointer answers for " + names.size() + " names");
        }
        List<Optional<Pointer>> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            out.add(decode(names.get(i), answers.get(i)));
        }
        return out;
    }

    /** Names of every view that has a pointer, sorted. */
    public List<String> names() {
        FeatureValue v = store.read(POINTER_VIEW, List.of(CATALOG), List.of("views")).get(0).get("views");
        if (v.status() != FeatureStatus.PRESENT || ((String) v.value()).isEmpty()) {
            return List.of();
        }
        return List.of(((String) v.value()).split(","));
    }

    /**
     * The version a new write of {@code name} should fill: one past every version ever retained.
     * Anything already stored under it (left by a run that failed half way) should be dropped first.
     */
    public long nextVersion(String name) {
        return get(name).map(p -> Math.max(p.version(), p.retained().get(p.retained().size() - 1)) + 1).orElse(1L);
    }

    /**
     * Points readers of {@code name} at {@code version} (already completely written), keeping at
     * most {@code retain} versions: older ones are dropped from the store after the switch, so a
     * reader that resolved the pointer just before it still finds the version it was sent to.
     */
    public Pointer publish(String name, long version, List<Field> joinKeys, List<String> features, int retain) {
        checkName(name);
        if (retain < 2) {
            throw new InvalidInputException("retain was " + retain + " but it must be at least 2, so a rollback target stays stored");
        }
        Optional<Pointer> before = get(name);
        TreeSet<Long> kept = new TreeSet<>(before.map(Pointer::retained).orElse(List.of()));
        kept.add(version);
        List<Long> dropped = new ArrayList<>();
        while (kept.size() > retain) {
            dropped.add(kept.pollFirst());
        }
        Pointer p = new Pointer(name, version, new ArrayList<>(kept), joinKeys, features, nextTime(before));
        write(p);
        if (before.isEmpty()) {
            addToCatalog(name);
        }
        dropped.forEach(v -> store.dropView(name + "@" + v));
        return p;
    }

    /** Moves the pointer of {@code name} back to the newest retained version older than the current one. */
    public Pointer rollback(String name) {
        Pointer p = get(name).orElseThrow(() -> new NotFoundException("view '" + name + "' has no published version to roll back"));
        Long previous = new TreeSet<>(p.retained()).lower(p.version());
        if (previous == null) {
            throw new InvalidInputException("view '" + name + "' is at version " + p.version()
                    + " and no older version is retained (retained: " + p.retained() + ")");
        }
        return moveTo(p, previous);
    }

    /** Points readers of {@code name} at a retained {@code version} (a rollback to a chosen version, or forward again). */
    public Pointer switchTo(String name, long version) {
        Pointer p = get(name).orElseThrow(() -> new NotFoundException("view '" + name + "' has no published version"));
        if (!p.retained().contains(version)) {
            throw new InvalidInputException("version was " + version + " but view '" + name + "' retains only " + p.retained());
        }
        return moveTo(p, version);
    }

    private Pointer moveTo(Pointer p, long version) {
        Pointer moved = new Pointer(p.name(), version, p.retained(), p.joinKeys(), p.features(), nextTime(Optional.of(p)));
        write(moved);
        return moved;
    }

    /** An event time after the previous move's, so the store's newest-wins rule always takes this write. */
    private Instant nextTime(Optional<Pointer> before) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return before.map(b -> now.isAfter(b.switched()) ? now : b.switched().plus(1, ChronoUnit.MICROS)).orElse(now);
    }

    private void write(Pointer p) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("version", p.version());
        values.put("retained", p.retained().stream().mapToLong(Long::longValue).toArray());
        values.put("keys", String.join(",", p.joinKeys().stream().map(f -> f.name() + ":" + f.type()).toList()));
        values.put("features", String.join(",", p.features()));
        store.write(POINTER_VIEW, List.of(new OnlineRecord(EntityKey.of(p.name()), values, p.switched())));
    }

    private void addToCatalog(String name) {
        TreeSet<String> all = new TreeSet<>(names());
        if (all.add(name)) {
            store.write(POINTER_VIEW, List.of(new OnlineRecord(CATALOG, Map.of("views", String.join(",", all)),
                    clock.instant())));
        }
    }

    private static Optional<Pointer> decode(String name, EntityFeatures e) {
        FeatureValue version = e.get("version");
        if (version.status() != FeatureStatus.PRESENT) {
            return Optional.empty();
        }
        List<Long> retained = Arrays.stream((long[]) e.get("retained").value()).boxed().toList();
        List<Field> keys = new ArrayList<>();
        for (String k : ((String) e.get("keys").value()).split(",")) {
            int colon = k.indexOf(':');
            keys.add(Field.required(k.substring(0, colon), FeatureType.parse(k.substring(colon + 1))));
        }
        List<String> features = List.of(((String) e.get("features").value()).split(","));
        return Optional.of(new Pointer(name, (Long) version.value(), retained, keys, features, version.eventTime().orElseThrow()));
    }

    private static String checkName(String name) {
        OnlineStore.checkView(name);
        if (name.contains("@")) {
            throw new InvalidInputException("view was '" + name + "' but a pointed view is named without a version, e.g. 'trending'");
        }
        return name;
    }
}
